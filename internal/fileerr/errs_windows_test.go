//go:build windows

package fileerr

import "golang.org/x/sys/windows"

var diskFullErr, readOnlyErr error = windows.ERROR_DISK_FULL, windows.ERROR_WRITE_PROTECT
