//go:build !(linux || freebsd || openbsd || netbsd)

package tray

import "fyne.io/systray"

// trayHost: Windows and macOS always have a notification area / menu bar.
func trayHost() (bus, host bool, why string) { return true, true, "" }

// runTray runs the tray until quit is closed. On Windows and macOS
// systray's own loop must own the thread (the window message loop, the
// Cocoa run loop); there the icon is set directly, with no export race.
func runTray(onReady func(), _ <-chan struct{}) {
	systray.Run(onReady, nil)
}
