// Command pantau-efaktur-window is the window part of Pantau e-Faktur on
// Linux: `pantau-efaktur window status|help|settings` runs it. It is a
// separate program there so that the tray agent and the command-line tools
// do not link the OpenGL/X11 libraries Fyne needs: they start on a server
// without them, print nothing but their own words, and the agent stays
// small. (On Windows and macOS the windows are built into pantau-efaktur.)
package main

import (
	"log/slog"
	"os"

	"pantau-efaktur/internal/applog"
	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/ui/window"
)

func main() {
	_, closer := applog.Setup("window", slog.LevelInfo)
	applog.CaptureCrashes("window", false) // several windows may run at once
	code := window.Main(os.Args[1:], cmdline.IO{Stdout: os.Stdout, Stderr: os.Stderr})
	closer.Close()
	os.Exit(code)
}
