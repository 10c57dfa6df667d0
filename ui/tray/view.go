// Package tray is the always-on agent (ARCHITECTURE.md §2): the monitor, its
// history, the tray icon and menu (fyne.io/systray, no GL loop: it costs
// nothing while idle), native notifications (beeep), the control socket
// and the launcher of window processes.
package tray

import (
	"pantau-efaktur/monitor"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
)

// View is everything the tray shows, computed from the monitor's states.
type View struct {
	Icon    string // icon name: up, degraded, down, offline, unknown
	Tooltip string // hover text
	// Lines are the first (disabled) menu lines: one per service in use,
	// then one per extra.
	Lines      []string
	SnoozeLine string // title of the snooze submenu
	Snoozed    bool
	// essential is the tooltip without the state's long message, for a
	// tooltip that must be short (TooltipWithin).
	essential []string
}

// WindowsTooltipMax is what a Windows notification-area tooltip holds:
// 128 UTF-16 units with the terminating NUL. fyne.io/systray copies a
// longer text without its terminator.
const WindowsTooltipMax = 127

// TooltipWithin is the tooltip in at most limit UTF-16 units: whole when it
// fits, else without the state's message (the status window has it), else
// cut with "…".
func (v View) TooltipWithin(limit int) string {
	if utf16Len(v.Tooltip) <= limit {
		return v.Tooltip
	}
	short := strings.Join(v.essential, "\n")
	if utf16Len(short) <= limit {
		return short
	}
	var b strings.Builder
	n := 0
	for _, r := range short {
		w := utf16Units(r)
		if n+w > limit-1 {
			break
		}
		b.WriteRune(r)
		n += w
	}
	return b.String() + "…"
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Units(r)
	}
	return n
}

// utf16Units is the width of r in UTF-16 units; an invalid rune is sent as
// U+FFFD, one unit.
func utf16Units(r rune) int {
	if w := utf16.RuneLen(r); w > 0 {
		return w
	}
	return 1
}

// BuildView renders the tray for the states: the first services are the
// services in use, the rest extras. The icon is green only when every
// service in use is up, else the worst of them.
func BuildView(tr *i18n.Translator, states []monitor.State, services int, snoozedUntil, now time.Time) View {
	var v View
	if len(states) == 0 {
		states = []monitor.State{{Target: probe.PrimaryTargetID, Level: probe.LevelUnknown}}
	}
	services = min(max(services, 1), len(states))
	v.Icon = string(monitor.WorstShown(states[:services]))
	v.essential = []string{version.AppName}
	lines := slices.Clone(v.essential)
	for _, st := range states[:services] {
		line := StatusLine(tr, st, now)
		v.Lines = append(v.Lines, line)
		v.essential = append(v.essential, line)
		// The state's message and the unsteadiness go under its line
		// (TooltipWithin leaves them out first).
		lines = append(lines, line)
		if !st.Last.CheckedAt.IsZero() && st.Level != probe.LevelUp {
			lines = append(lines, tr.Message(st.Last))
		}
		if note := tr.UnsteadyNote(st.Level, st.Recent); note != "" {
			lines = append(lines, note)
		}
	}
	for _, st := range states[services:] {
		v.Lines = append(v.Lines, SecondaryLine(tr, st))
	}
	if !snoozedUntil.IsZero() && now.Before(snoozedUntil) {
		v.Snoozed = true
		v.SnoozeLine = tr.T("tray.snoozed_until", map[string]any{"Time": tr.Clock(snoozedUntil, now)})
		v.essential = append(v.essential, v.SnoozeLine)
		lines = append(lines, v.SnoozeLine)
	} else {
		v.SnoozeLine = tr.T("tray.snooze")
	}
	v.Tooltip = strings.Join(lines, "\n")
	return v
}

// StatusLine is "Server e-Faktur: ONLINE · 180 ms · 10:42" and its siblings;
// times of another day carry it ("sejak kemarin 16:05").
func StatusLine(tr *i18n.Translator, st monitor.State, now time.Time) string {
	data := map[string]any{
		"Service": tr.ServiceName(st.Target),
		"Level":   tr.Level(st.Level),
		"Time":    tr.Clock(st.Last.CheckedAt, now),
		"MS":      st.Last.Phases.Total.Milliseconds(),
		"Cause":   tr.CauseOn(st.Reason, &st.Last),
		"Since":   tr.Clock(st.Since, now),
	}
	switch {
	case st.Last.CheckedAt.IsZero() && st.Level == probe.LevelUnknown:
		return tr.T("tray.status_unknown", data)
	case st.Rechecking && (st.Level == probe.LevelUp || st.Level == probe.LevelUnknown || st.Level == probe.LevelDegraded):
		return tr.T("tray.status_rechecking", data)
	case st.Level == probe.LevelUp && st.Unsteady():
		return tr.T("tray.status_up_unsteady", data)
	case st.Level == probe.LevelUp:
		return tr.T("tray.status_up", data)
	case st.Level == probe.LevelDown:
		return tr.T("tray.status_down", data)
	case st.Level == probe.LevelOffline:
		return tr.T("tray.status_plain", data)
	}
	return tr.T("tray.status_cause", data)
}

// SecondaryLine is "Coretax: ONLINE", "Coretax: ONLINE (tidak stabil)" or
// "Coretax: DOWN (error server DJP)".
func SecondaryLine(tr *i18n.Translator, st monitor.State) string {
	data := map[string]any{"Service": tr.ServiceName(st.Target), "Level": tr.Level(st.Level), "Cause": tr.CauseOn(st.Reason, &st.Last)}
	if st.Level == probe.LevelUp && st.Unsteady() {
		data["Cause"] = tr.T("unsteady.word")
		return tr.T("tray.secondary_cause", data)
	}
	if st.Level == probe.LevelUp || st.Level == probe.LevelUnknown || st.Level == probe.LevelOffline {
		return tr.T("tray.secondary_plain", data)
	}
	return tr.T("tray.secondary_cause", data)
}

// TomorrowAt8 is the end of "snooze until tomorrow 08:00". Someone still at
// work after midnight (a deadline night) means the coming morning by
// "besok", not the one a day later: before 04:00 it is today's 08:00, so a
// mute never silences a whole working day by accident.
func TomorrowAt8(now time.Time) time.Time {
	y, m, d := now.Date()
	if now.Hour() < 4 {
		return time.Date(y, m, d, 8, 0, 0, 0, now.Location())
	}
	return time.Date(y, m, d+1, 8, 0, 0, 0, now.Location())
}
