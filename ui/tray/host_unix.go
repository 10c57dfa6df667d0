//go:build linux || freebsd || openbsd || netbsd

package tray

import (
	"fmt"

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
