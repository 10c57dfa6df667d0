package window

import (
	"fmt"
	"log/slog"
	"pantau-efaktur/history"
	"pantau-efaktur/monitor"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
)

// statusView is the status window: a pane per service in use (tabs when
// there are two), the check and mute controls, and the extras.
type statusView struct {
	tr      *i18n.Translator
	link    *Link
	app     fyne.App
	content fyne.CanvasObject

	banner    *widget.Label
	muted     *widget.Label   // "Notifikasi dibisukan sampai besok 08:00"
	mutedRow  *fyne.Container // muted and its "Nyalakan lagi" button
	checkBtn  *widget.Button
	spinner   *widget.Activity
	checkInfo *widget.Label
	top       *fyne.Container // the one pane's head, above the check button
	services  *fyne.Container // the one pane's details, or the tabs
	tabs      *container.AppTabs
	others    *fyne.Container
	skew      *widget.Label
	skewCard  *fyne.Container
	about     *widget.Label

	mu        sync.Mutex
	status    ipc.Status
	connected bool
	asked     bool             // the agent was asked at least once (else: "connecting")
	recs      []history.Record // history of the last 30 days, all targets
	loaded    bool
	panes     []*servicePane // one per service in use, in the agent's order
}

// newStatusView builds the status window. background runs slow work (the
// history load) off the UI goroutine; tests pass one that runs it at once.
func newStatusView(tr *i18n.Translator, link *Link, a fyne.App, background func(func())) *statusView {
	v := &statusView{tr: tr, link: link, app: a}
	v.banner = widget.NewLabel(tr.T("win.connecting"))
	v.banner.Importance = widget.WarningImportance
	v.banner.Wrapping = fyne.TextWrapWord
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
	v.panes = []*servicePane{newServicePane(tr, probe.PrimaryTargetID)}
	v.top, v.services = container.NewStack(v.panes[0].head), container.NewStack(v.panes[0].details)
	v.others = container.NewVBox()
	v.skew = widget.NewLabel("")
	v.skew.Wrapping = fyne.TextWrapWord
	v.skew.Importance = widget.WarningImportance
	v.skewCard = container.NewVBox(widget.NewCard(tr.T("win.clock_title"), "", v.skew))
	v.skewCard.Hide()

	buttons := container.NewGridWithColumns(4,
		widget.NewButtonWithIcon(tr.T("win.btn_help"), theme.HelpIcon(), func() { v.show(Help) }),
		widget.NewButtonWithIcon(tr.T("tray.open_svc"), theme.ComputerIcon(), v.openSVC),
		widget.NewButtonWithIcon(tr.T("win.btn_copy_diag"), theme.ContentCopyIcon(), v.copyDiagnostics),
		widget.NewButtonWithIcon(tr.T("win.btn_export"), theme.DocumentSaveIcon(), v.exportCSV),
	)
	body := container.NewVBox(
		v.banner,
		v.top,
		v.mutedRow,
		container.NewHBox(v.checkBtn, v.spinner, v.checkInfo),
		v.skewCard,
		v.services,
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
	v.recs, v.loaded = recs, true
	for _, p := range v.panes {
		p.dirty = true
	}
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

// paneState is what one pane draws, taken under v.mu.
type paneState struct {
	p     *servicePane
	t     ipc.TargetState
	recs  []history.Record
	stats history.Stats
}

// render draws the window from what is known.
func (v *statusView) render() {
	tr := v.tr
	v.mu.Lock()
	st, connected, asked, loaded := v.status, v.connected, v.asked, v.loaded
	inUse := st.InUse()
	if connected && inUse[0].Last != nil && v.loaded {
		// Keep the in-memory history current with what the agent saw.
		for _, t := range st.Targets {
			if t.Last != nil && (len(v.recs) == 0 || t.Last.CheckedAt.After(v.lastAt(t.Target))) {
				v.recs = append(v.recs, history.RecordOf(*t.Last))
				for _, p := range v.panes {
					p.dirty = p.dirty || p.target == t.Target
				}
			}
		}
	}
	// While the agent is away, the panes it last told of stay.
	relayout := connected && v.setPanes(inUse)
	now := time.Now()
	var draw []paneState
	for _, p := range v.panes {
		t := stateOf(st, p.target)
		url := p.statsURL
		if connected && t.URL != "" {
			url = t.URL // while the agent is away, the last address it told stays
		}
		p.refigure(v.recs, url, st, now)
		draw = append(draw, paneState{p, t, p.recs, p.stats})
	}
	v.mu.Unlock()
	if relayout {
		v.layoutPanes()
	}

	if !asked {
		// Until the agent answers (milliseconds), say "connecting", not
		// "the agent is not running".
		v.banner.SetText(tr.T("win.connecting"))
		v.banner.Show()
		v.panes[0].connecting(tr)
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
	var states []monitor.State
	retab := false
	for i, d := range draw {
		d.p.render(tr, d.t, connected, loaded, d.recs, d.stats, now)
		if v.tabs != nil {
			retab = d.p.setTab(v.tabs.Items[i], d.t, connected) || retab
		}
		states = append(states, monitor.State{Level: d.t.Level, Rechecking: d.t.Rechecking})
	}
	if retab {
		v.tabs.Refresh()
	}
	if relayout && v.tabs != nil {
		// Opened, the window shows the service in the worst state.
		worst := monitor.WorstShown(states)
		v.tabs.SelectIndex(max(0, slices.IndexFunc(states, func(st monitor.State) bool {
			return monitor.ShownLevel(st.Level, st.Rechecking) == worst
		})))
	}
	if connected && now.Before(st.SnoozedUntil) {
		v.muted.SetText(tr.T("tray.snoozed_until", map[string]any{"Time": tr.Clock(st.SnoozedUntil, now)}))
		v.mutedRow.Show()
	} else {
		v.mutedRow.Hide()
	}
	if last := draw[0].t.Last; last != nil && last.ClockSkewSuspicious() {
		v.skew.SetText(tr.T("check.clock_skew", map[string]any{"Diff": tr.Duration(last.ClockSkew.Round(time.Minute))}))
		v.skewCard.Show()
	} else {
		v.skewCard.Hide()
	}
	v.setOthers(st, connected)
	v.about.SetText(aboutLine(tr, st, connected))
	v.checkBtn.Enable()
	if !connected {
		v.checkBtn.Disable()
	}
}

// stateOf is target's state in st (unknown when st has none).
func stateOf(st ipc.Status, target string) ipc.TargetState {
	for _, t := range st.Targets {
		if t.Target == target {
			return t
		}
	}
	return ipc.TargetState{Target: target, Level: probe.LevelUnknown}
}

// setPanes makes one pane per service in use, keeping those that stay
// (v.mu held); it reports whether the set changed.
func (v *statusView) setPanes(inUse []ipc.TargetState) bool {
	same := len(inUse) == len(v.panes)
	for i := 0; same && i < len(inUse); i++ {
		same = v.panes[i].target == inUse[i].Target
	}
	if same {
		return false
	}
	old := v.panes
	v.panes = nil
	for _, t := range inUse {
		i := slices.IndexFunc(old, func(p *servicePane) bool { return p.target == t.Target })
		if i >= 0 {
			v.panes = append(v.panes, old[i])
		} else {
			v.panes = append(v.panes, newServicePane(v.tr, t.Target))
		}
	}
	return true
}

// layoutPanes shows the one pane, or a tab per service.
func (v *statusView) layoutPanes() {
	v.mu.Lock()
	panes := slices.Clone(v.panes)
	v.mu.Unlock()
	if len(panes) == 1 {
		v.tabs = nil
		v.top.Objects = []fyne.CanvasObject{panes[0].head}
		v.services.Objects = []fyne.CanvasObject{panes[0].details}
	} else {
		var items []*container.TabItem
		for _, p := range panes {
			items = append(items, container.NewTabItem(v.tr.ServiceName(p.target), container.NewVBox(p.head, p.details)))
		}
		v.tabs = container.NewAppTabs(items...)
		v.top.Objects = nil
		v.services.Objects = []fyne.CanvasObject{v.tabs}
	}
	v.top.Refresh()
	v.services.Refresh()
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
	for _, t := range st.Targets[min(len(st.InUse()), len(st.Targets)):] {
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
