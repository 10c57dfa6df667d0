//go:build !linux

package supervise

import "syscall"

// childAttr: elsewhere an agent outliving a killed supervisor goes on
// monitoring, unsupervised.
func childAttr() *syscall.SysProcAttr { return nil }
