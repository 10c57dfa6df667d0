//go:build !windows

package fileerr

import "syscall"

var diskFullErr, readOnlyErr error = syscall.ENOSPC, syscall.EROFS
