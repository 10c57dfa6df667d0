package agent

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
)

// Translator speaks the language of the settings in use.
func (a *Agent) Translator() *i18n.Translator {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.tr
}

// SetTray says whether an icon shows in a tray, or why not (status,
// diagnostics).
func (a *Agent) SetTray(shown bool, problem string) {
	a.mu.Lock()
	a.tray, a.trayProblem = shown, problem
	a.mu.Unlock()
	a.refresh()
}

// NoTray tells the user that no tray shows the icon (whyKey: the
// translated explanation) and opens the status window once, since there
// is nothing else to see: first the window, then the notice, so whoever
// reads it finds the window already opening.
func (a *Agent) NoTray(problem, whyKey string) {
	a.mu.Lock()
	a.trayProblem = problem
	notice := a.tr.T("agent.no_tray", map[string]any{"Why": a.tr.T(whyKey)})
	a.notices = append(a.notices, notice)
	a.mu.Unlock()
	if err := a.launcher.Show("status"); err != nil {
		slog.Error("open status window", "err", err)
	}
	a.showNotice(notice)
	a.refresh()
}

// Refresh redraws the face and tells the windows.
func (a *Agent) Refresh() { a.refresh() }

// ---- ipc.Handler ----

// Status reports the agent's state.
func (a *Agent) Status() ipc.Status {
	var states []monitor.State
	if a.mon != nil {
		states = a.mon.States()
	}
	return a.statusOf(states)
}

// statusOf reports the agent's state with the monitor's states given.
func (a *Agent) statusOf(states []monitor.State) ipc.Status {
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
		st.SnoozedUntil, st.Services = a.mon.Snoozed(), a.mon.Services()
	}
	return st
}

// CheckNow runs (or joins) a check of every target and returns the first
// service's result.
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
		a.face.Quit()
	})
}
