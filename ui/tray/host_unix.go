//go:build linux || freebsd || openbsd || netbsd

package tray

import (
	"fmt"
	"log/slog"

	"fyne.io/systray"
	"github.com/godbus/dbus/v5"
)

// trayHost reports whether a tray can show the icon: on Linux that is a
// StatusNotifierWatcher on the session bus (KDE, XFCE, Cinnamon, GNOME with
// the AppIndicator extension). bus is false when there is no session bus at
// all, in which case systray must not run (it cannot work and would crash
// on exit).
func trayHost() (bus, host bool, why string) {
	conn, err := dbus.SessionBus()
	if err != nil {
		return false, false, fmt.Sprintf("no D-Bus session bus: %v", err)
	}
	var has bool
	if err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&has); err != nil {
		return true, false, fmt.Sprintf("cannot ask the session bus for a tray: %v", err)
	}
	if !has {
		return true, false, "no tray host (StatusNotifierWatcher) on the session bus; on GNOME, install the AppIndicator extension"
	}
	return true, true, ""
}

// runTray runs the tray until quit is closed. fyne.io/systray's Run starts
// onReady in a goroutine at the same moment as it exports the item on
// D-Bus, and the export takes a snapshot of the icon: an icon set in
// between is kept only in memory, and the panel shows the first one until
// the level changes again (the end-to-end test saw the icon stay grey with
// the server up in 2 runs of 5). Starting the tray by hand lets onReady
// wait until the export is done.
func runTray(onReady func(), quit <-chan struct{}) {
	// The export takes the icon as it is then: the grey "unknown" one, so
	// the item never shows up on the bus without an icon.
	systray.SetIcon(iconBytes("unknown"))
	exported := make(chan struct{})
	start, end := systray.RunWithExternalLoop(func() {
		<-exported
		onReady()
	}, nil)
	start()
	close(exported)
	<-quit
	defer func() {
		// end closes systray's bus connection, which it never opened
		// when the session bus went away before start: nothing to close.
		if r := recover(); r != nil {
			slog.Warn("tray did not end cleanly", "panic", r)
		}
	}()
	end()
}
