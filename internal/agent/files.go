package agent

import (
	"log/slog"
	"os"
	"pantau-efaktur/assets"
	"pantau-efaktur/history"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
	"path/filepath"
	"time"
)

// openOutages finds, in history, outages the previous run of the agent left
// open (it was restarted, updated or logged off during an outage), so the
// monitor takes them up instead of announcing them again and telling only
// the minutes since this start when they end. An outage confirmed during
// the snooze still running was not told yet: it is marked held.
func (a *Agent) openOutages(cfg monitor.Config, muted snooze) map[string]monitor.OpenOutage {
	var opts []history.StatsOptions
	for _, t := range cfg.Targets {
		opts = append(opts, historyOptions(cfg, t))
	}
	open, err := history.FindOpenOutages(a.historyDir, time.Now(), opts)
	if err != nil {
		slog.Warn("history unreadable: open outages not taken up", "err", err)
	}
	for id, o := range open {
		o.Held = muted.held(o)
		slog.Info("outage taken up from history", "target", id, "since", o.Start, "state", o.Last.Level, "reason", o.Last.Reason, "held", o.Held)
		open[id] = o
	}
	return open
}

// historyOptions reads t's history as the monitor of cfg saw it. A restart
// may cost a check or two; a longer gap, and nothing is known of what
// happened meanwhile.
func historyOptions(cfg monitor.Config, t probe.Target) history.StatsOptions {
	return history.StatsOptions{Target: t.ID, URL: t.URL, FailThreshold: cfg.Policy.FailThreshold,
		RecoverThreshold: cfg.Policy.RecoverThreshold, MaxGap: max(5*time.Minute, 2*cfg.Policy.DownInterval)}
}

// owedRecovery finds the "back online" the previous run held for the end of
// the mute still running, and lost by stopping (a reboot, an update): the
// user heard "down" and must still hear that it is over (see
// history.OwedRecovery). Only the week before the mute is read.
func (a *Agent) owedRecovery(cfg monitor.Config, muted snooze, open map[string]monitor.OpenOutage) (monitor.Notification, bool) {
	if muted.Until.IsZero() || muted.From.IsZero() {
		return monitor.Notification{}, false
	}
	now := time.Now()
	first := cfg.Targets[0]
	recs, _, err := history.Load(a.historyDir, muted.From.Add(-7*24*time.Hour), now)
	if err != nil {
		slog.Warn("history unreadable: a 'back online' held by the mute may be lost", "err", err)
		return monitor.Notification{}, false
	}
	st := history.Summarize(recs, now, historyOptions(cfg, first))
	_, takenUp := open[first.ID]
	n, ok := history.OwedRecovery(st.Outages, first.ID, muted.From, takenUp)
	if ok {
		slog.Info("'back online' held by the mute taken up from history", "since", n.Back, "outage", n.Outage)
	}
	return n, ok
}

// prepareFiles opens the history and writes the notification icons to the
// cache directory (notification daemons read the file after the call).
func (a *Agent) prepareFiles() {
	dir, err := paths.HistoryDir()
	if err == nil {
		a.hist, err = history.Open(dir)
	}
	if err != nil {
		slog.Error("history unavailable", "err", err)
		tmp, _ := os.MkdirTemp("", "pantau-efaktur-history-")
		a.hist, _ = history.Open(tmp)
	}
	a.historyDir = a.hist.Dir()
	if err == nil { // not for a stand-in history: that would welcome at every start
		empty, eerr := a.hist.Empty()
		a.firstRun = empty && eerr == nil
	}
	if _, err := a.hist.Prune(time.Now()); err != nil {
		slog.Warn("history prune", "err", err)
	}
	cache, err := paths.CacheDir()
	if err != nil {
		slog.Warn("no cache directory", "err", err)
		return
	}
	a.iconDir = filepath.Join(cache, "icons")
	if err := os.MkdirAll(a.iconDir, 0o700); err != nil {
		slog.Warn("icon directory", "err", err)
		return
	}
	write := func(name string, b []byte, err error) {
		if err == nil {
			err = settings.WriteFileAtomic(filepath.Join(a.iconDir, name+".png"), b, 0o644)
		}
		if err != nil {
			slog.Warn("notification icon", "icon", name, "err", err)
		}
	}
	for _, l := range assets.IconLevels {
		b, err := assets.LevelPNG(l, 64)
		write(l, b, err)
	}
	b, err := assets.AppPNG(64)
	write(appIcon, b, err)
}

// appIcon names the app's own icon among the notification icons (the
// others are named after levels).
const appIcon = "app"

func (a *Agent) pruneDaily() {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		select {
		case <-a.quitCh:
			return
		case <-t.C:
			if n, err := a.hist.Prune(time.Now()); err != nil || n > 0 {
				slog.Info("history pruned", "removed", n, "err", err)
			}
		}
	}
}

// Snooze holds notifications until the given time (zero: none).
func (a *Agent) Snooze(until time.Time) {
	a.mu.Lock()
	a.muted = a.muted.next(until, time.Now())
	muted := a.muted
	a.mu.Unlock()
	slog.Info("snooze", "from", muted.From, "until", until)
	// Kept before it is in force: whoever sees the mute may rely on the file.
	if path, err := paths.SnoozeFile(); err == nil {
		if err := saveSnooze(path, muted); err != nil {
			slog.Warn("snooze not remembered across a restart", "err", err)
		}
	}
	a.mon.SetSnooze(until)
	a.refresh()
}

// rememberedSnooze is a snooze chosen before the agent last stopped and
// still running (zero if none).
func (a *Agent) rememberedSnooze() snooze {
	path, err := paths.SnoozeFile()
	if err != nil {
		return snooze{}
	}
	muted, err := loadSnooze(path, time.Now())
	if err != nil {
		slog.Warn("remembered snooze ignored", "err", err)
		return snooze{}
	}
	if !muted.Until.IsZero() {
		a.mu.Lock()
		a.muted = muted
		if muted.From.IsZero() {
			// A file from before the start was kept: what this run holds
			// is known from now on.
			a.muted.From = time.Now()
		}
		a.mu.Unlock()
		slog.Info("snooze restored", "from", muted.From, "until", muted.Until)
	}
	return muted
}
