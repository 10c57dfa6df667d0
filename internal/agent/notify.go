package agent

import (
	"log/slog"
	"pantau-efaktur/history"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/notify"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/monitor"
	"path/filepath"
	"runtime"
	"time"
)

// onEvent is the monitor's sink: it runs on the monitor's goroutines and
// must stay quick (no D-Bus round trips, no waiting on the user).
func (a *Agent) onEvent(e monitor.Event) {
	switch e.Kind {
	case monitor.EventCheck:
		if err := a.hist.Append(history.RecordOf(*e.Result)); err != nil {
			a.mu.Lock()
			quiet := time.Since(a.lastHistErr) < time.Hour
			if !quiet {
				a.lastHistErr = time.Now()
			}
			a.mu.Unlock()
			if !quiet { // disk full: say it once an hour, keep monitoring
				slog.Error("history append", "err", err)
			}
		}
		r := e.Result
		slog.Info("check", "target", r.Target, "state", r.Level, "reason", r.Reason, "status", r.HTTPStatus,
			"ms", r.Phases.Total.Milliseconds(), "err", r.Error)
	case monitor.EventState:
		slog.Info("state", "target", e.Target, "state", e.State.Level, "reason", e.State.Reason,
			"rechecking", e.State.Rechecking, "unsteady", e.State.Unsteady(), "previous", e.Previous)
	case monitor.EventNotify:
		select {
		case a.notes <- *e.Notification:
		default:
			slog.Error("notification queue full: dropped", "kind", e.Notification.Kind)
		}
		return
	}
	a.refresh()
}

// refresh redraws the tray and tells the windows.
func (a *Agent) refresh() {
	states := a.mon.States()
	st := a.statusOf(states)
	a.face.Refresh(a.Translator(), states, a.mon.Services(), st.SnoozedUntil)
	if a.srv != nil {
		a.srv.Broadcast(ipc.Response{OK: true, Event: ipc.EventState, Status: &st})
	}
}

// notificationWorker shows notifications one at a time, off the monitor's
// goroutines (a slow notification daemon must not delay checks).
func (a *Agent) notificationWorker() {
	for {
		select {
		case <-a.quitCh:
			return
		case n := <-a.notes:
			a.mu.Lock()
			tr, sound := a.tr, a.settings.Notify.Sound
			a.mu.Unlock()
			title, body := tr.Notification(n)
			icon := map[monitor.NotifyKind]string{monitor.NotifyDown: "down", monitor.NotifyRecovered: "up",
				monitor.NotifyDegraded: "degraded", monitor.NotifyOffline: "offline", monitor.NotifyOnline: "up"}[n.Kind]
			var nt notify.Notifier = notify.Desktop{IconPath: a.iconPath(icon), Sound: sound}
			if a.notifier != nil {
				nt = a.notifier(icon)
			}
			urgent := n.Kind == monitor.NotifyDown || n.Kind == monitor.NotifyRecovered
			if err := nt.Notify(title, body, urgent); err != nil {
				slog.Error("notification not shown", "kind", n.Kind, "err", err)
			} else {
				slog.Info("notified", "kind", n.Kind, "title", title)
			}
		}
	}
}

func (a *Agent) iconPath(level string) string {
	if a.iconDir == "" {
		return ""
	}
	return filepath.Join(a.iconDir, level+".png")
}

// announceNotices shows start-up notices (broken settings, no tray) once.
func (a *Agent) announceNotices() {
	a.mu.Lock()
	notices := append([]string(nil), a.notices...)
	a.mu.Unlock()
	for _, n := range notices {
		a.showNotice(n)
	}
}

// showNotice shows one notice about the app itself (not the server).
func (a *Agent) showNotice(text string) { a.notifyAboutApp("degraded", text) }

// Welcome tells a first-time user (no history yet) where the icon is and
// what it promises; it is not a notice (the status window does not keep it).
func (a *Agent) Welcome() {
	if !a.firstRun {
		return
	}
	tr := a.Translator()
	text := tr.T("agent.welcome")
	if runtime.GOOS == "windows" {
		text = tr.T("agent.welcome_windows")
	}
	a.notifyAboutApp(appIcon, text)
}

// notifyAboutApp is a notification in the app's name with one of the
// icons prepareFiles wrote.
func (a *Agent) notifyAboutApp(icon, text string) {
	nt := notify.Desktop{IconPath: a.iconPath(icon)}
	if err := nt.Notify(version.AppName, text, false); err != nil {
		slog.Warn("app notification not shown", "icon", icon, "err", err)
	}
}
