package supervise

import (
	"os"
	"syscall"
)

// childAttr ends the agent with the supervisor, even when the supervisor
// is killed outright: no agent is left behind unsupervised and unseen.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}

// bindChild: childAttr did it.
func bindChild(*os.Process) error { return nil }
