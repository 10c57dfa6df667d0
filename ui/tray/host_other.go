//go:build !(linux || freebsd || openbsd || netbsd)

package tray

import (
	"time"

	"fyne.io/systray"
)

// trayHost: Windows and macOS always have a notification area / menu bar.
func trayHost() (bus, host bool, why trayAbsence) { return true, true, trayAbsence{} }

// runTray runs the tray until quit is closed. On Windows and macOS
// systray's own loop must own the thread (the window message loop, the
// Cocoa run loop); there the icon is set directly, with no export race.
func runTray(onReady func(), _ <-chan struct{}) {
	systray.Run(onReady, nil)
}

// There is always a tray host here; nothing to wait for.
func trayHostWait() time.Duration                              { return 0 }
func waitTrayHost(time.Duration, <-chan struct{}, func()) bool { return true }

// registerTrayItem: systray registers the icon itself here.
func registerTrayItem() {}
