package window

import (
	"errors"
	"fmt"
	"image/color"
	"log/slog"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"pantau-efaktur/assets"
	"pantau-efaktur/internal/foreground"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
)

// Badge is the big coloured level sign at the top of the status window:
// colour, glyph and words, so it reads without colour too.
type Badge struct {
	box   *fyne.Container
	bg    *canvas.Rectangle
	icon  *canvas.Image
	word  *canvas.Text
	since *canvas.Text
}

func newBadge() *Badge {
	b := &Badge{bg: canvas.NewRectangle(colOffline), word: canvas.NewText("", colWhite), since: canvas.NewText("", colWhite)}
	b.bg.CornerRadius = 12
	b.word.TextSize = 30
	b.word.TextStyle = fyne.TextStyle{Bold: true}
	b.since.TextSize = 15
	b.icon = canvas.NewImageFromResource(nil)
	b.icon.SetMinSize(fyne.NewSize(56, 56))
	b.icon.FillMode = canvas.ImageFillContain
	text := container.NewVBox(b.word, b.since)
	b.box = container.NewStack(b.bg, container.NewPadded(container.NewHBox(b.icon, container.NewCenter(text))))
	return b
}

// BadgeLook is what the badge shows for a state.
type BadgeLook struct {
	Icon  string // icon name (as the tray)
	Word  string // ONLINE / TERGANGGU / DOWN / PC OFFLINE / …
	Fill  fyne.ThemeColorName
	Color [4]uint8
	Ink   [4]uint8 // text colour: dark on yellow, white elsewhere
	// Rechecking: Word says "re-checking" instead of the confirmed level,
	// so the since line has to name the level its time belongs to.
	Rechecking bool
}

// LookFor decides the badge for a target state.
func LookFor(tr *i18n.Translator, t ipc.TargetState, connected bool) BadgeLook {
	if !connected {
		return BadgeLook{Icon: "unknown", Word: tr.T("win.agent_away_short"), Color: rgba(colOffline), Ink: rgba(colWhite)}
	}
	icon := "unknown"
	level := t.Level
	switch {
	case level == probe.LevelDown:
		icon = "down"
	case level == probe.LevelOffline:
		icon = "offline"
	case level == probe.LevelDegraded || (t.Rechecking && level != probe.LevelDown && level != probe.LevelOffline):
		icon = "degraded"
	case level == probe.LevelUp:
		icon = "up"
	}
	look := BadgeLook{Icon: icon, Word: tr.Level(level), Ink: rgba(colWhite)}
	switch icon {
	case "up":
		look.Color = rgba(colUp)
	case "degraded":
		look.Color, look.Ink = rgba(colDegraded), rgba(colInk)
		if t.Rechecking && level != probe.LevelDegraded {
			look.Word, look.Rechecking = tr.T("win.rechecking_word"), true
		}
	case "down":
		look.Color = rgba(colDown)
	default:
		look.Color = rgba(colOffline)
	}
	return look
}

func rgba(c interface{ RGBA() (r, g, b, a uint32) }) [4]uint8 {
	r, g, b, a := c.RGBA()
	return [4]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

func (b *Badge) set(look BadgeLook, since string) {
	b.bg.FillColor = toColor(look.Color)
	b.bg.Refresh()
	b.word.Text = look.Word
	b.word.Color = toColor(look.Ink)
	b.word.Refresh()
	b.since.Text = since
	b.since.Color = toColor(look.Ink)
	b.since.Refresh()
	if data, err := assets.LevelPNG(look.Icon, 64); err == nil {
		b.icon.Resource = fyne.NewStaticResource(look.Icon+".png", data)
		b.icon.Refresh()
	}
}

// sinceLine is the line under the badge word: since when the confirmed
// level holds. Under "RE-CHECKING" it names that level, or "since 10:19
// (23 min)" would read as re-checking for 23 minutes.
func sinceLine(tr *i18n.Translator, p ipc.TargetState, look BadgeLook, connected bool, now time.Time) string {
	if !connected || p.Since.IsZero() {
		return ""
	}
	args := map[string]any{"Time": tr.Clock(p.Since, now), "Duration": tr.Duration(now.Sub(p.Since))}
	if look.Rechecking {
		args["Level"] = tr.Level(p.Level)
		return tr.T("status.level_since", args)
	}
	return tr.T("status.since", args)
}

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
	asked     bool           // the agent was asked at least once (else: "connecting")
	recs      []probe.Record // history of the last 30 days, all targets
	primary   []probe.Record // the e-Faktur ones among recs, of the address statsURL
	loaded    bool
	stats     probe.Stats
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
	recs, skipped, err := probe.LoadHistory(dir, now.Add(-30*24*time.Hour), now.Add(time.Minute))
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
				v.recs = append(v.recs, probe.RecordOf(*t.Last))
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
		tag := probe.AddressTag(url)
		for _, r := range v.recs {
			if r.Target == probe.PrimaryTargetID && r.OfAddress(tag) {
				v.primary = append(v.primary, r)
			}
		}
		v.stats = probe.Summarize(v.recs, now, probe.StatsOptions{FailThreshold: st.Settings.FailThreshold,
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

func outageLines(tr *i18n.Translator, outs []probe.Outage, now time.Time) string {
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

func (v *statusView) checkNow() {
	v.checkBtn.Disable()
	v.spinner.Start()
	v.checkInfo.SetText(v.tr.T("win.checking"))
	go func() {
		resp, err := v.link.Do(ipc.Request{Cmd: ipc.CmdCheck}, 60*time.Second)
		fyne.Do(func() {
			v.spinner.Stop()
			v.checkBtn.Enable()
			if err != nil || resp.Result == nil {
				v.checkInfo.SetText(v.tr.T("win.agent_away_short"))
				return
			}
			v.checkInfo.SetText(v.tr.T("win.checked", map[string]any{"Level": v.tr.Level(resp.Result.Level), "MS": resp.Result.Phases.Total.Milliseconds()}))
			if resp.Status != nil {
				v.update(*resp.Status, true)
			}
		})
	}()
}

// unmute ends the mute ("Nyalakan lagi" of the tray menu); the agent's
// answer to it is a new state without the mute, which hides the row.
func (v *statusView) unmute() {
	go func() {
		if _, err := v.link.Do(ipc.Request{Cmd: ipc.CmdSnooze}, 5*time.Second); err != nil {
			slog.Warn("unmute", "err", err)
		}
	}()
}

func (v *statusView) show(window string) {
	foreground.Allow() // the user clicked here: the other window may come forward
	if _, err := v.link.Do(ipc.Request{Cmd: ipc.CmdShow, Window: window}, 5*time.Second); err != nil {
		slog.Warn("show window", "window", window, "err", err)
	}
}

func (v *statusView) openSVC() {
	v.mu.Lock()
	u := v.status.Settings.URL
	v.mu.Unlock()
	if u == "" {
		u = probe.DefaultURL
	}
	openURL(v.app, u)
}

// DiagnosticsText is the current diagnostics report.
func (v *statusView) DiagnosticsText() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return Diagnostics(v.tr, v.status, v.connected, v.recs, v.stats, time.Now())
}

func (v *statusView) copyDiagnostics() {
	v.app.Clipboard().SetContent(v.DiagnosticsText())
	v.checkInfo.SetText(v.tr.T("win.copied"))
}

func (v *statusView) exportCSV() {
	win := v.app.Driver().AllWindows()
	if len(win) == 0 {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		v.saveCSV(w, win[0])
	}, win[0])
	d.SetFileName(probe.ExportFileName(time.Now(), ".csv"))
	// Fyne's default leaves room for two folders side by side: use the window.
	size := win[0].Canvas().Size()
	d.Resize(fyne.NewSize(size.Width-40, size.Height-80))
	d.Show()
}

// saveCSV writes the loaded checks to w (the file the user chose) and says
// how it went: a line under the buttons, or a dialog on win in the user's
// words when the disk is full or the folder read-only.
func (v *statusView) saveCSV(w fyne.URIWriteCloser, win fyne.Window) {
	v.mu.Lock()
	recs := append([]probe.Record(nil), v.recs...)
	v.mu.Unlock()
	err := probe.WriteCSV(w, recs, csvSeparator(v.tr))
	// The close can be where a full disk shows: it is part of the export.
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		slog.Error("export csv", "path", w.URI().Path(), "err", err)
		dialog.ShowError(errors.New(v.tr.T("export.failed", map[string]any{"Why": v.tr.FileProblem(err)})), win)
		return
	}
	v.checkInfo.SetText(v.tr.T("export.done", map[string]any{"Count": len(recs), "Path": w.URI().Path()}))
}

// csvSeparator: a spreadsheet set to Indonesian expects ";" (the comma is
// its decimal separator).
func csvSeparator(tr *i18n.Translator) rune {
	if tr.Lang() == "id" {
		return ';'
	}
	return ','
}

func toColor(c [4]uint8) color.NRGBA { return color.NRGBA{R: c[0], G: c[1], B: c[2], A: c[3]} }
