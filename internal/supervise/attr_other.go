//go:build !linux && !windows

package supervise

import (
	"os"
	"syscall"
)

// childAttr: here an agent outliving a killed supervisor goes on
// monitoring, unsupervised.
func childAttr() *syscall.SysProcAttr { return nil }

func bindChild(*os.Process) error { return nil }
