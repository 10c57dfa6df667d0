package window

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"pantau-efaktur/assets"
	"pantau-efaktur/history"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/monitor"
)

// servicePane is one service in use in the status window: its headline,
// last check's phases, 60-check strip, latency chart, uptime and outages
// (ARCHITECTURE.md §4). With two services each is a tab.
type servicePane struct {
	target  string
	badge   *Badge
	message *widget.Label
	advice  *widget.Label
	times   *widget.Label
	phases  *phasesBar
	beat    *heartbeat
	chart   *latencyChart
	uptime  *widget.Label
	outages *widget.Label
	// head is the state (badge, sentence, advice, times), details the
	// rest; alone, the check button goes between them.
	head, details *fyne.Container

	// Guarded by statusView.mu: the records of the address checked now,
	// and their figures.
	recs     []history.Record
	stats    history.Stats
	statsURL string
	dirty    bool

	icon string // the glyph its tab shows
}

func newServicePane(tr *i18n.Translator, target string) *servicePane {
	p := &servicePane{target: target, badge: newBadge(), phases: newPhasesBar(tr), beat: newHeartbeat(),
		chart: newLatencyChart(), dirty: true}
	p.message = widget.NewLabel("")
	p.message.Wrapping = fyne.TextWrapWord
	p.message.TextStyle = fyne.TextStyle{Bold: true}
	p.advice = widget.NewLabel("")
	p.advice.Wrapping = fyne.TextWrapWord
	p.advice.Hide()
	p.times = widget.NewLabel("")
	p.times.Wrapping = fyne.TextWrapWord
	p.uptime = widget.NewLabel("")
	p.outages = widget.NewLabel("")
	p.outages.Wrapping = fyne.TextWrapWord
	chartBox := container.NewBorder(nil, container.NewHBox(widget.NewLabel(tr.T("win.chart_from")), layout.NewSpacer(), p.chart.scale, layout.NewSpacer(), widget.NewLabel(tr.T("win.chart_now"))), nil, nil,
		container.New(&fixedHeight{h: 90}, p.chart.box))
	p.head = container.NewVBox(p.badge.box, p.message, p.advice, p.times)
	p.details = container.NewVBox(
		section(tr.T("win.phases_title"), container.New(&fixedHeight{h: 16}, p.phases.box), p.phases.legend),
		section(tr.T("win.heartbeat_title"), container.New(&fixedHeight{h: 22}, p.beat.box)),
		section(tr.T("win.chart_title"), chartBox),
		section(tr.T("win.uptime_title"), p.uptime),
		section(tr.T("win.outages_title"), p.outages),
	)
	return p
}

func section(title string, objs ...fyne.CanvasObject) fyne.CanvasObject {
	head := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(append([]fyne.CanvasObject{head}, objs...)...)
}

// refigure recomputes the figures, strip and chart from all records when
// they or the address changed (statusView.mu held). They are of the address
// checked now: an hour of failures at a mistyped one, since mended, is not
// a DJP outage.
func (p *servicePane) refigure(all []history.Record, url string, s ipc.Status, now time.Time) {
	if !p.dirty && url == p.statsURL {
		return
	}
	p.recs = nil // a new slice: the previous one was handed to the charts
	tag := history.AddressTag(url)
	for _, r := range all {
		if r.Target == p.target && r.OfAddress(tag) {
			p.recs = append(p.recs, r)
		}
	}
	p.stats = history.Summarize(all, now, history.StatsOptions{Target: p.target, FailThreshold: s.Settings.FailThreshold,
		RecoverThreshold: s.Settings.RecoverThreshold, URL: url})
	p.statsURL, p.dirty = url, false
}

// connecting shows the pane before the agent answered.
func (p *servicePane) connecting(tr *i18n.Translator) {
	p.badge.set(BadgeLook{Icon: "unknown", Word: tr.T("win.connecting_short"), Color: rgba(colOffline), Ink: rgba(colWhite)}, "")
	p.message.SetText("")
	p.advice.Hide()
	p.times.SetText("")
}

// render draws the service's state t; recs and stats are its history.
func (p *servicePane) render(tr *i18n.Translator, t ipc.TargetState, connected, loaded bool, recs []history.Record, stats history.Stats, now time.Time) {
	look := LookFor(tr, t, connected)
	p.badge.set(look, sinceLine(tr, t, look, connected, now))
	p.message.SetText(t.MessageIn(tr))
	if !connected {
		p.message.SetText(tr.T("win.agent_away_detail"))
	}
	// What to do about it, right under the sentence (the help window has more).
	if advice := stateAdvice(tr, t); connected && advice != "" {
		p.advice.SetText(advice)
		p.advice.Show()
	} else {
		p.advice.Hide()
	}
	p.times.SetText(timesLine(tr, t, now))
	p.phases.set(t.Last)
	p.beat.set(recs)
	p.chart.set(tr, recs, now)
	if !loaded {
		p.uptime.SetText(tr.T("win.loading"))
		return
	}
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
	p.uptime.SetText(text)
	p.outages.SetText(outageLines(tr, stats.Outages, now))
}

// setTab gives the pane's tab the tray's glyph for the service's shown
// level, so a tab tells its state before it is opened; it reports whether
// the glyph changed.
func (p *servicePane) setTab(tab *container.TabItem, t ipc.TargetState, connected bool) bool {
	name := string(monitor.ShownLevel(t.Level, t.Rechecking))
	if !connected {
		name = "unknown"
	}
	if name == p.icon && tab.Icon != nil {
		return false
	}
	b, err := assets.LevelPNG(name, 32)
	if err != nil {
		return false
	}
	p.icon, tab.Icon = name, fyne.NewStaticResource("tab-"+name+".png", b)
	return true
}
