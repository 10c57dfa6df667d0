// Package fileerr tells what kind of trouble a file operation ran into, so
// the user reads "the disk is full" in their language instead of the
// system's error text (which goes to the log).
package fileerr

import (
	"errors"
	"io/fs"
)

// Kind is a file problem people can act on.
type Kind string

const (
	Permission Kind = "permission" // no right to write there
	DiskFull   Kind = "disk_full"
	ReadOnly   Kind = "read_only" // a read-only disk or share
	NotFound   Kind = "not_found" // the folder is gone (a removed USB stick)
	Other      Kind = "other"
)

// Classify names the kind of err; Other when none fits.
func Classify(err error) Kind {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, fs.ErrPermission):
		return Permission
	case isDiskFull(err):
		return DiskFull
	case isReadOnly(err):
		return ReadOnly
	case errors.Is(err, fs.ErrNotExist):
		return NotFound
	}
	return Other
}
