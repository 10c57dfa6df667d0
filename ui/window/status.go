package window

import (
	"fmt"
	"log/slog"
	"pantau-efaktur/history"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
)

// statusView is the status window.
type statusView struct {
	tr      *i18n.Translator
	link    *Link
	app     fyne.App
	content fyne.CanvasObject

	banner    *widget.Label
	badge     *Badge
	message   *widget.Label
	advice    *widget.Label
	times     *widget.Label
	muted     *widget.Label   // "Notifikasi dibisukan sampai besok 08:00"
	mutedRow  *fyne.Container // muted and its "Nyalakan lagi" button
	checkBtn  *widget.Button
	spinner   *widget.Activity
	checkInfo *widget.Label
	phases    *phasesBar
	beat      *heartbeat
	chart     *latencyChart
	uptime    *widget.Label
	outages   *widget.Label
	others    *fyne.Container
	skew      *widget.Label
	skewCard  *fyne.Container
	about     *widget.Label

	mu        sync.Mutex
	status    ipc.Status
	connected bool
	asked     bool             // the agent was asked at least once (else: "connecting")
	recs      []history.Record // history of the last 30 days, all targets
	primary   []history.Record // the e-Faktur ones among recs, of the address statsURL
	loaded    bool
	stats     history.Stats
	statsURL  string // the address stats are of
	dirty     bool   // recs changed since stats and primary were computed
}

// newStatusView builds the status window. background runs slow work (the
// history load) off the UI goroutine; tests pass one that runs it at once.
func newStatusView(tr *i18n.Translator, link *Link, a fyne.App, background func(func())) *statusView {
	v := &statusView{tr: tr, link: link, app: a}
	v.banner = widget.NewLabel(tr.T("win.connecting"))
	v.banner.Importance = widget.WarningImportance
	v.banner.Wrapping = fyne.TextWrapWord
	v.badge = newBadge()
	v.message = widget.NewLabel("")
	v.message.Wrapping = fyne.TextWrapWord
	v.message.TextStyle = fyne.TextStyle{Bold: true}
	v.advice = widget.NewLabel("")
	v.advice.Wrapping = fyne.TextWrapWord
	v.advice.Hide()
	v.times = widget.NewLabel("")
	v.times.Wrapping = fyne.TextWrapWord
	// A mute chosen in the tray menu is easy to forget; the status window is
	// where one looks when no notification came.
	v.muted = widget.NewLabel("")
	v.muted.Importance = widget.WarningImportance
	v.mutedRow = container.NewHBox(widget.NewIcon(theme.VolumeMuteIcon()), v.muted,
		widget.NewButton(tr.T("tray.snooze_off"), v.unmute))
	v.mutedRow.Hide()
	v.spinner = widget.NewActivity()
	v.checkInfo = widget.NewLabel("")
	v.checkBtn = widget.NewButtonWithIcon(tr.T("tray.check_now"), theme.ViewRefreshIcon(), v.checkNow)
	v.checkBtn.Importance = widget.HighImportance
	v.phases = newPhasesBar(tr)
	v.beat = newHeartbeat()
	v.chart = newLatencyChart()
	v.uptime = widget.NewLabel("")
	v.outages = widget.NewLabel("")
	v.outages.Wrapping = fyne.TextWrapWord
	v.others = container.NewVBox()
	v.skew = widget.NewLabel("")
	v.skew.Wrapping = fyne.TextWrapWord
	v.skew.Importance = widget.WarningImportance
	v.skewCard = container.NewVBox(widget.NewCard(tr.T("win.clock_title"), "", v.skew))
	v.skewCard.Hide()

	section := func(title string, objs ...fyne.CanvasObject) fyne.CanvasObject {
		head := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		return container.NewVBox(append([]fyne.CanvasObject{head}, objs...)...)
	}
	buttons := container.NewGridWithColumns(4,
		widget.NewButtonWithIcon(tr.T("win.btn_help"), theme.HelpIcon(), func() { v.show(Help) }),
		widget.NewButtonWithIcon(tr.T("tray.open_svc"), theme.ComputerIcon(), v.openSVC),
		widget.NewButtonWithIcon(tr.T("win.btn_copy_diag"), theme.ContentCopyIcon(), v.copyDiagnostics),
		widget.NewButtonWithIcon(tr.T("win.btn_export"), theme.DocumentSaveIcon(), v.exportCSV),
	)
	chartBox := container.NewBorder(nil, container.NewHBox(widget.NewLabel(tr.T("win.chart_from")), layout.NewSpacer(), v.chart.scale, layout.NewSpacer(), widget.NewLabel(tr.T("win.chart_now"))), nil, nil,
		container.New(&fixedHeight{h: 90}, v.chart.box))
	body := container.NewVBox(
		v.banner,
		v.badge.box,
		v.message,
		v.advice,
		v.times,
		v.mutedRow,
		container.NewHBox(v.checkBtn, v.spinner, v.checkInfo),
		v.skewCard,
		section(tr.T("win.phases_title"), container.New(&fixedHeight{h: 16}, v.phases.box), v.phases.legend),
		section(tr.T("win.heartbeat_title"), container.New(&fixedHeight{h: 22}, v.beat.box)),
		section(tr.T("win.chart_title"), chartBox),
		section(tr.T("win.uptime_title"), v.uptime),
		section(tr.T("win.outages_title"), v.outages),
		section(tr.T("win.others_title"), v.others),
	)
	v.about = widget.NewLabel("")
	v.about.SizeName = theme.SizeNameCaptionText
	v.about.Alignment = fyne.TextAlignTrailing
	bottom := container.NewVBox(buttons, v.about)
	v.content = container.NewBorder(nil, container.NewPadded(bottom), nil, nil, container.NewVScroll(container.NewPadded(body)))
	v.render()
	background(v.loadHistory)
	return v
}

// fixedHeight gives its content a fixed height and the full width.
type fixedHeight struct{ h float32 }

func (f *fixedHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(fyne.NewSize(size.Width, f.h))
		o.Move(fyne.NewPos(0, 0))
	}
}

func (f *fixedHeight) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(100, f.h) }

// loadHistory reads 30 days of history once (≈0.3 s for 43k checks), off
// the UI goroutine; new checks then arrive through the agent's updates.
func (v *statusView) loadHistory() {
	dir, err := paths.HistoryDir()
	if err != nil {
		return
	}
	now := time.Now()
	recs, skipped, err := history.Load(dir, now.Add(-30*24*time.Hour), now.Add(time.Minute))
	if err != nil || skipped > 0 {
		slog.Warn("history partly unreadable", "skipped", skipped, "err", err)
	}
	v.mu.Lock()
	v.recs, v.loaded, v.dirty = recs, true, true
	v.mu.Unlock()
	fyne.Do(v.render)
}

// update takes the agent's news (connected=false: it could not be reached).
func (v *statusView) update(st ipc.Status, connected bool) {
	v.mu.Lock()
	v.status, v.connected, v.asked = st, connected, true
	v.mu.Unlock()
	v.render()
}

// render draws the window from what is known.
func (v *statusView) render() {
	tr := v.tr
	v.mu.Lock()
	st, connected, asked := v.status, v.connected, v.asked
	p := st.Primary()
	if connected && p.Last != nil && v.loaded {
		// Keep the in-memory history current with what the agent saw.
		for _, t := range st.Targets {
			if t.Last != nil && (len(v.recs) == 0 || t.Last.CheckedAt.After(v.lastAt(t.Target))) {
				v.recs = append(v.recs, history.RecordOf(*t.Last))
				v.dirty = true
			}
		}
	}
	now := time.Now()
	url := v.statsURL
	if connected && p.URL != "" {
		url = p.URL // while the agent is away, the last address it told stays
	}
	if v.dirty || url != v.statsURL {
		// The figures, strip and chart are of the address checked now: an
		// hour of failures at a mistyped one, since mended, is not a DJP
		// outage. A new slice: the previous one was handed to the charts.
		v.primary = nil
		tag := history.AddressTag(url)
		for _, r := range v.recs {
			if r.Target == probe.PrimaryTargetID && r.OfAddress(tag) {
				v.primary = append(v.primary, r)
			}
		}
		v.stats = history.Summarize(v.recs, now, history.StatsOptions{FailThreshold: st.Settings.FailThreshold,
			RecoverThreshold: st.Settings.RecoverThreshold, URL: url})
		v.statsURL, v.dirty = url, false
	}
	stats, loaded, primaryRecs := v.stats, v.loaded, v.primary
	v.mu.Unlock()

	if !asked {
		// Until the agent answers (milliseconds), say "connecting", not
		// "the agent is not running".
		v.banner.SetText(tr.T("win.connecting"))
		v.banner.Show()
		v.badge.set(BadgeLook{Icon: "unknown", Word: tr.T("win.connecting_short"), Color: rgba(colOffline), Ink: rgba(colWhite)}, "")
		v.message.SetText("")
		v.advice.Hide()
		v.times.SetText("")
		v.mutedRow.Hide()
		v.checkBtn.Disable()
		return
	}
	if connected {
		v.banner.Hide()
	} else {
		v.banner.SetText(tr.T("win.agent_away"))
		v.banner.Show()
	}
	look := LookFor(tr, p, connected)
	v.badge.set(look, sinceLine(tr, p, look, connected, now))
	v.message.SetText(p.MessageIn(tr))
	if !connected {
		v.message.SetText(tr.T("win.agent_away_detail"))
	}
	// What to do about it, right under the sentence (the help window has more).
	if advice := stateAdvice(tr, p); connected && advice != "" {
		v.advice.SetText(advice)
		v.advice.Show()
	} else {
		v.advice.Hide()
	}
	v.times.SetText(timesLine(tr, p, now))
	if connected && now.Before(st.SnoozedUntil) {
		v.muted.SetText(tr.T("tray.snoozed_until", map[string]any{"Time": tr.Clock(st.SnoozedUntil, now)}))
		v.mutedRow.Show()
	} else {
		v.mutedRow.Hide()
	}
	v.phases.set(p.Last)
	if p.Last != nil && p.Last.ClockSkewSuspicious() {
		v.skew.SetText(tr.T("check.clock_skew", map[string]any{"Diff": tr.Duration(p.Last.ClockSkew.Round(time.Minute))}))
		v.skewCard.Show()
	} else {
		v.skewCard.Hide()
	}
	v.beat.set(primaryRecs)
	v.chart.set(tr, primaryRecs, now)
	if loaded {
		key := "win.uptime"
		if stats.P50 == 0 {
			key = "win.uptime_no_latency"
		}
		text := tr.T(key, map[string]any{
			"D1": percent(tr, stats.Uptime24h), "D7": percent(tr, stats.Uptime7d), "D30": percent(tr, stats.Uptime30d),
			"P50": stats.P50.Milliseconds(), "P95": stats.P95.Milliseconds()})
		if stats.EarlierAddress > 0 {
			text += "\n" + tr.N("win.earlier_address", stats.EarlierAddress, nil)
		}
		v.uptime.SetText(text)
		v.outages.SetText(outageLines(tr, stats.Outages, now))
	} else {
		v.uptime.SetText(tr.T("win.loading"))
	}
	v.setOthers(st, connected)
	v.about.SetText(aboutLine(tr, st, connected))
	v.checkBtn.Enable()
	if !connected {
		v.checkBtn.Disable()
	}
}

func (v *statusView) lastAt(target string) time.Time {
	for i := len(v.recs) - 1; i >= 0; i-- {
		if v.recs[i].Target == target {
			return v.recs[i].At
		}
	}
	return time.Time{}
}

// stateAdvice is the advice under the status sentence: what to do about
// a state in trouble, and about a server that answers but fails now and
// then (green by policy: this is where the user learns why an upload
// failed). "" for a server that simply works.
func stateAdvice(tr *i18n.Translator, p ipc.TargetState) string {
	var parts []string
	if p.Level != probe.LevelUp && p.Level != probe.LevelUnknown {
		if a := tr.AdviceOn(p.Reason, p.Last); a != "" {
			parts = append(parts, a)
		}
	}
	if a := tr.UnsteadyAdvice(p.Level, p.Recent); a != "" {
		parts = append(parts, a)
	}
	return strings.Join(parts, "\n")
}

// aboutLine names the program and version (the agent's, when it answers).
func aboutLine(tr *i18n.Translator, st ipc.Status, connected bool) string {
	v := version.Version
	if connected && st.Version != "" {
		v = st.Version
	}
	s := version.AppName + " " + v
	if connected && st.Demo {
		s += " · " + tr.T("win.demo")
	}
	return s
}

// timesLine is "Pemeriksaan terakhir 10:42:05 (180 ms) · berikutnya 10:43:05".
func timesLine(tr *i18n.Translator, p ipc.TargetState, now time.Time) string {
	if p.Last == nil {
		return tr.T("win.no_check_yet")
	}
	s := tr.T("status.last", map[string]any{"Time": p.Last.CheckedAt.Format("15:04:05"), "MS": p.Last.Phases.Total.Milliseconds()})
	if p.NextCheck.After(now) {
		s += " · " + tr.T("win.next_check", map[string]any{"Time": p.NextCheck.Format("15:04:05")})
	}
	if p.Rechecking {
		s += " · " + tr.T("status.rechecking")
	}
	return s
}

func outageLines(tr *i18n.Translator, outs []history.Outage, now time.Time) string {
	if len(outs) == 0 {
		return tr.T("win.no_outages")
	}
	var lines []string
	for i, o := range outs {
		if i == 8 {
			break
		}
		key := "win.outage_line"
		switch {
		case o.Ongoing:
			key = "win.outage_ongoing"
		case o.Unseen:
			// The app stopped while it lasted (the PC was shut down):
			// its end was not seen, and it may have lasted longer.
			key = "win.outage_unseen"
		}
		lines = append(lines, tr.T(key, map[string]any{
			"Start": tr.Clock(o.Start, now), "Duration": tr.Duration(o.Duration(now)), "Cause": tr.Cause(o.Reason)}))
	}
	return strings.Join(lines, "\n")
}

func (v *statusView) setOthers(st ipc.Status, connected bool) {
	v.others.RemoveAll()
	n := 0
	for _, t := range st.Targets {
		if t.Target == probe.PrimaryTargetID {
			continue
		}
		n++
		dot := canvas.NewCircle(LevelColour(t.Level))
		text := fmt.Sprintf("%s: %s", v.tr.ServiceName(t.Target), v.tr.Level(t.Level))
		if t.Level != probe.LevelUp && t.Level != probe.LevelUnknown {
			text += " (" + v.tr.CauseOn(t.Reason, t.Last) + ")"
		}
		v.others.Add(container.NewHBox(container.New(&fixedSize{fyne.NewSize(14, 14)}, dot), widget.NewLabel(text)))
	}
	if n == 0 {
		v.others.Add(widget.NewLabel(v.tr.T("win.others_none")))
	}
}

// fixedSize centres its content at a fixed size.
type fixedSize struct{ s fyne.Size }

func (f *fixedSize) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(f.s)
		o.Move(fyne.NewPos((size.Width-f.s.Width)/2, (size.Height-f.s.Height)/2))
	}
}

func (f *fixedSize) MinSize([]fyne.CanvasObject) fyne.Size { return f.s }
