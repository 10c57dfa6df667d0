//go:build !(linux || freebsd || openbsd || netbsd)

package main

import (
	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/ui/window"
)

// runWindow opens a window in this process: on Windows and macOS the
// windows are part of the one program users install.
func runWindow(args []string, io cmdline.IO) int { return window.Main(args, io) }
