//go:build linux || freebsd || openbsd || netbsd

package tray

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"fyne.io/systray"
	"github.com/godbus/dbus/v5"
)

// trayHost reports whether a tray can show the icon: on Linux that is a
// StatusNotifierWatcher on the session bus (KDE, XFCE, Cinnamon, GNOME with
// the AppIndicator extension). bus is false when there is no session bus at
// all, in which case systray must not run (it cannot work and would crash
// on exit).
func trayHost() (bus, host bool, why trayAbsence) {
	conn, err := dbus.SessionBus()
	if err != nil {
		return false, false, trayAbsence{"agent.no_tray.no_bus", fmt.Sprintf("no D-Bus session bus: %v", err)}
	}
	has, err := watcherPresent(conn)
	if err != nil {
		return true, false, trayAbsence{"agent.no_tray.bus_error", fmt.Sprintf("cannot ask the session bus for a tray: %v", err)}
	}
	if !has {
		return true, false, trayAbsence{"agent.no_tray.no_host", "no tray host (StatusNotifierWatcher) on the session bus; on GNOME, install the AppIndicator extension"}
	}
	return true, true, trayAbsence{}
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

// TrayWaitEnv overrides how long a missing tray host is waited for at
// start (a Go duration; tests use a short one).
const TrayWaitEnv = "PANTAU_EFAKTUR_TRAY_WAIT"

// trayHostWait is how long a missing tray host is waited for at start: a
// panel coming up after the autostarted agent takes a few seconds.
func trayHostWait() time.Duration {
	if d, err := time.ParseDuration(os.Getenv(TrayWaitEnv)); err == nil && d >= 0 {
		return d
	}
	return 15 * time.Second
}

const watcherName = "org.kde.StatusNotifierWatcher"

// watcherPresent asks the bus whether a tray host owns its name now.
func watcherPresent(conn *dbus.Conn) (bool, error) {
	var has bool
	err := conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, watcherName).Store(&has)
	return has, err
}

// waitTrayHost waits until a StatusNotifierWatcher owns its name on the
// session bus, for at most wait (negative: until quit). waiting, if set, is
// called once the wait has begun (no host, and any new one will be seen).
func waitTrayHost(wait time.Duration, quit <-chan struct{}, waiting func()) bool {
	conn, err := dbus.SessionBus()
	if err != nil {
		return false
	}
	match := []dbus.MatchOption{
		dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchInterface("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"),
		dbus.WithMatchArg(0, watcherName),
	}
	if err := conn.AddMatchSignal(match...); err != nil {
		slog.Warn("cannot watch for a tray host", "err", err)
		return false
	}
	defer conn.RemoveMatchSignal(match...)
	sigs := make(chan *dbus.Signal, 8)
	conn.Signal(sigs)
	defer conn.RemoveSignal(sigs)
	// Asked after subscribing, so a host that came in between is not missed.
	if has, err := watcherPresent(conn); err == nil && has {
		return true
	}
	if waiting != nil {
		waiting()
	}
	var timeout <-chan time.Time
	if wait >= 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	for {
		select {
		case sig := <-sigs:
			// NameOwnerChanged(name, old owner, new owner): a new owner is a host.
			if sig != nil && sig.Name == "org.freedesktop.DBus.NameOwnerChanged" && len(sig.Body) == 3 {
				if name, _ := sig.Body[0].(string); name == watcherName {
					if owner, _ := sig.Body[2].(string); owner != "" {
						return true
					}
				}
			}
		case <-timeout:
			return false
		case <-quit:
			return false
		}
	}
}

// registerTrayItem tells a tray host about the icon. systray does it too,
// but it starts listening for a new host only after its first attempt
// failed: a host that comes up in between is never told (the end-to-end
// test saw it in 2 runs of 10). A second registration is harmless.
func registerTrayItem() {
	conn, err := dbus.SessionBus()
	if err != nil {
		return
	}
	call := conn.Object(watcherName, "/StatusNotifierWatcher").Call(watcherName+".RegisterStatusNotifierItem", 0, "/StatusNotifierItem")
	if call.Err != nil {
		slog.Warn("could not register the tray icon", "err", call.Err)
	}
}
