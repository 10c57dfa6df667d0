// Package tray is the agent's face on the desktop (ARCHITECTURE.md §3): the
// icon and its menu, drawn from the agent's states; clicks go back to the
// agent (internal/agent).
package tray

import (
	"context"
	"log/slog"
	"pantau-efaktur/monitor"
	"sync"
	"time"

	"fyne.io/systray"

	"pantau-efaktur/internal/agent"
	"pantau-efaktur/internal/browser"
	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/version"
)

// Main runs the agent with its tray icon and returns the exit code.
func Main(args []string, out cmdline.IO, logs agent.Logs) int {
	return agent.Main(args, out, logs, &face{ready: make(chan struct{})})
}

// face is agent.Face for a system tray.
type face struct {
	a         *agent.Agent
	ui        *trayUI // nil without a session bus (systray cannot run)
	bus, host bool
	why       trayAbsence
	ready     chan struct{} // closed once the icon is on the bus
	wg        sync.WaitGroup
}

// trayAbsence says why no tray icon can be shown: Key names the
// explanation for the user (translated, in the notice), Detail the
// technical one for the log and the diagnostics report.
type trayAbsence struct{ Key, Detail string }

func (f *face) Attach(a *agent.Agent) {
	f.a = a
	f.bus, f.host, f.why = trayHost()
	a.SetTray(f.host, f.why.Detail)
	if f.bus {
		f.ui = &trayUI{}
	}
}

func (f *face) Run(quit <-chan struct{}) {
	defer f.wg.Wait()
	if !f.host {
		f.wg.Go(func() { f.awaitTrayHost(quit) })
	}
	if !f.bus {
		<-quit
		return
	}
	welcome := f.host
	systray.SetTitle(version.AppName)
	systray.SetOnTapped(func() { f.show("status") })
	runTray(func() { f.onReady(welcome) }, quit)
}

func (f *face) Refresh(tr *i18n.Translator, states []monitor.State, services int, snoozedUntil time.Time) {
	if f.ui != nil {
		f.ui.update(BuildView(tr, states, services, snoozedUntil, time.Now()))
	}
}

func (f *face) Relabel(tr *i18n.Translator) {
	if f.ui != nil {
		f.ui.setTexts(tr)
	}
}

func (f *face) Quit() {
	if f.ui != nil {
		systray.Quit()
	}
}

func (f *face) onReady(welcome bool) {
	if welcome {
		// The first start ever: on Windows 11 a new tray icon hides behind
		// the ^ arrow, and nothing else shows that the app runs.
		go f.a.Welcome()
	}
	f.ui.build(f.a.Translator(), menuActions{
		checkNow:   f.checkNow,
		show:       f.show,
		openSVC:    f.openSVC,
		snooze:     f.a.Snooze,
		quit:       f.a.Quit,
		lines:      4, // e-Faktur, Coretax, e-Nofa, DJP Online
		snoozeFrom: time.Now,
	})
	f.a.Refresh()
	close(f.ready)
}

func (f *face) show(window string) {
	if err := f.a.Show(window); err != nil {
		slog.Error("open window", "window", window, "err", err)
	}
}

func (f *face) openSVC() {
	if err := browser.Open(f.a.Status().Settings.URL); err != nil {
		slog.Error("open browser", "err", err)
	}
}

// checkNow is "Periksa sekarang": the item shows the check at work until
// it ends (the new result then shows in the first menu line). A check ends
// within its timeout; the cap is for one dropped by a settings reload.
func (f *face) checkNow() {
	f.ui.setChecking(f.a.Translator(), true)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	_, _ = f.a.CheckNow(ctx)
	f.ui.setChecking(f.a.Translator(), false) // the language may have changed meanwhile
}

// awaitTrayHost gives a tray host a moment to appear: started at login,
// the agent often runs before the panel does, and a "no tray" notice at
// every login would be a false alarm. If none comes, the user is told
// (agent.NoTray); a host that comes later still gets the icon.
func (f *face) awaitTrayHost(quit <-chan struct{}) {
	waiting := func() { f.a.SetTray(false, f.why.Detail+"; waiting for one to appear") }
	if f.bus && waitTrayHost(trayHostWait(), quit, waiting) {
		f.hostCame(quit)
		return
	}
	select {
	case <-quit:
		return
	default:
	}
	slog.Warn("no tray icon", "why", f.why.Detail)
	f.a.NoTray(f.why.Detail, f.why.Key)
	if f.bus && waitTrayHost(-1, quit, nil) {
		f.hostCame(quit)
	}
}

// hostCame registers the icon with a tray host that appeared after the
// start, once the icon is on the bus.
func (f *face) hostCame(quit <-chan struct{}) {
	select {
	case <-f.ready:
	case <-quit:
		return
	}
	registerTrayItem()
	slog.Info("tray host appeared")
	f.a.SetTray(true, "")
}
