package tray

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"pantau-efaktur/internal/browser"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
	"time"

	"fyne.io/systray"
)

func (a *Agent) onTrayReady() {
	a.mu.Lock()
	tr := a.tr
	a.mu.Unlock()
	if a.welcome {
		// The first start ever: on Windows 11 a new tray icon hides behind
		// the ^ arrow, and nothing else shows that the app runs.
		go a.showWelcome(tr)
	}
	a.ui.build(tr, menuActions{
		checkNow:   a.checkNowFromMenu,
		show:       a.showWindow,
		openSVC:    a.openSVC,
		snooze:     a.Snooze,
		quit:       a.Quit,
		secondary:  3,
		snoozeFrom: time.Now,
	})
	a.refresh()
	close(a.trayReady)
}

func (a *Agent) showWindow(name string) {
	if err := a.launcher.Show(name); err != nil {
		slog.Error("open window", "window", name, "err", err)
	}
}

func (a *Agent) openSVC() {
	a.mu.Lock()
	u := a.settings.URL
	a.mu.Unlock()
	if err := browser.Open(u); err != nil {
		slog.Error("open browser", "err", err)
	}
}

// ---- ipc.Handler ----

// Status reports the agent's state.
func (a *Agent) Status() ipc.Status {
	var states []probe.State
	if a.mon != nil {
		states = a.mon.States()
	}
	return a.statusOf(states)
}

// statusOf reports the agent's state with the monitor's states given.
func (a *Agent) statusOf(states []probe.State) ipc.Status {
	a.mu.Lock()
	tr := a.tr
	st := ipc.Status{PID: os.Getpid(), SupervisorPID: a.supervisor, Version: version.Version, Lang: tr.Lang(), StartedAt: a.started,
		Tray: a.tray, TrayProblem: a.trayProblem, Demo: a.flags.demo, ConfigPath: a.configPath,
		HistoryDir: a.historyDir, LogPath: a.logPath, PreviousCrash: a.previousCrash, Settings: a.settings,
		Notices: append([]string(nil), a.notices...), SignInUnavailable: a.signInUnavailable}
	a.mu.Unlock()
	// A proxy password never leaves the agent (status --json, diagnostics).
	st.Settings.Proxy = probe.ProxySetting(st.Settings.Proxy).Redacted()
	for _, s := range states {
		msg := tr.Message(s.Last)
		if s.Last.CheckedAt.IsZero() {
			msg = tr.T("reason.unknown")
		}
		st.Targets = append(st.Targets, ipc.StateOf(s, msg))
	}
	if a.mon != nil {
		st.SnoozedUntil = a.mon.Snoozed()
	}
	return st
}

// checkNowFromMenu is "Periksa sekarang": the item shows the check at work
// until it ends (the new result then shows in the first menu line). A
// check ends within its timeout; the cap is for one dropped by a settings
// reload meanwhile.
func (a *Agent) checkNowFromMenu() {
	a.mu.Lock()
	tr := a.tr
	a.mu.Unlock()
	a.ui.setChecking(tr, true)
	select {
	case <-a.mon.CheckNow():
	case <-time.After(3 * time.Minute):
	case <-a.quitCh:
	}
	a.mu.Lock()
	tr = a.tr // the language may have changed meanwhile
	a.mu.Unlock()
	a.ui.setChecking(tr, false)
}

// CheckNow runs (or joins) a check and returns the primary's result.
func (a *Agent) CheckNow(ctx context.Context) (probe.Result, error) {
	select {
	case r := <-a.mon.CheckNow():
		return r, nil
	case <-ctx.Done():
		return probe.Result{}, ctx.Err()
	case <-a.quitCh:
		return probe.Result{}, errors.New("the agent is quitting")
	}
}

// Show opens a window.
func (a *Agent) Show(window string) error { return a.launcher.Show(window) }

// Quit stops the agent.
func (a *Agent) Quit() {
	a.quitOnce.Do(func() {
		slog.Info("quit requested")
		close(a.quitCh)
		if a.ui != nil {
			systray.Quit()
		}
	})
}
