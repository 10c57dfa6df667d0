package window

import (
	"pantau-efaktur/settings"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/probe"
)

// KringPajak is DJP's contact centre number.
const KringPajak = "1500200"

// ETAXCodes are the error codes of the help table, in the order shown;
// texts are i18n messages etax.<id>.{code,msg,cause,fix}.
var ETAXCodes = []string{"40001", "40002", "40004", "40005", "40006", "40010", "wsdl", "api10001", "api10056"}

// ETAXEntry is one row of the error code table.
type ETAXEntry struct{ Code, Message, Cause, Fix string }

// ETAXTable is the table in the translator's language.
func ETAXTable(tr *i18n.Translator) []ETAXEntry {
	out := make([]ETAXEntry, len(ETAXCodes))
	for i, id := range ETAXCodes {
		out[i] = ETAXEntry{tr.T("etax." + id + ".code"), tr.T("etax." + id + ".msg"), tr.T("etax." + id + ".cause"), tr.T("etax." + id + ".fix")}
	}
	return out
}

// FilterETAX keeps the entries that contain every word of query
// (case-insensitive), so "40001 jam" finds the clock advice of ETAX-40001.
func FilterETAX(all []ETAXEntry, query string) []ETAXEntry {
	words := strings.Fields(strings.ToLower(query))
	var out []ETAXEntry
	for _, e := range all {
		hay := strings.ToLower(e.Code + " " + e.Message + " " + e.Cause + " " + e.Fix)
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(hay, w)
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}

// AdviceFor is what the help window puts first: what to do about the
// current state.
func AdviceFor(tr *i18n.Translator, t ipc.TargetState, connected bool) (title, body string) {
	if !connected {
		return tr.T("help.now_title_away"), tr.T("advice.agent_away")
	}
	reason := t.Reason
	if t.Level == probe.LevelUnknown || reason == "" {
		reason = "unknown"
	}
	title = tr.T("help.now_title", map[string]any{"Level": tr.Level(t.Level), "Cause": tr.CauseOn(t.Reason, t.Last)})
	if t.Level == probe.LevelUnknown {
		title = tr.T("help.now_title_unknown")
	}
	body = tr.AdviceOn(reason, t.Last)
	if body == "" {
		body = tr.T("advice.unknown")
	}
	// Online but failing now and then: "if uploads still fail, look at
	// this PC" would send the user the wrong way.
	if shaky := tr.UnsteadyAdvice(t.Level, t.Recent); shaky != "" {
		if t.Level == probe.LevelUp {
			title = tr.T("help.now_title", map[string]any{"Level": tr.Level(t.Level), "Cause": tr.T("unsteady.word")})
			body = shaky
		} else {
			body += "\n\n" + shaky
		}
	}
	// What stood in the way, when it named itself: the advice's "maybe a
	// Wi-Fi login, maybe the office proxy" then has an answer.
	if t.Last != nil && t.Last.PageTitle != "" {
		body = tr.T("message.page_title", map[string]any{"Title": t.Last.PageTitle}) + " " + body
	}
	return title, body
}

// helpView is the help window.
type helpView struct {
	tr         *i18n.Translator
	app        fyne.App
	content    fyne.CanvasObject
	now        *fyne.Container // advice for each service in use
	svcURL     string
	coretaxURL string
	etax       *fyne.Container
	search     *widget.Entry
	info       *widget.Label
}

func newHelpView(tr *i18n.Translator, a fyne.App) *helpView {
	v := &helpView{tr: tr, app: a, svcURL: settings.DefaultURL, coretaxURL: settings.DefaultCoretaxURL}
	v.now = container.NewVBox()
	v.info = widget.NewLabel("")
	wrap := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	link := func(text, raw string) fyne.CanvasObject {
		return widget.NewHyperlink(text, mustURL(raw))
	}
	step := func(n int, body fyne.CanvasObject) fyne.CanvasObject {
		return widget.NewCard("", tr.T("help.step_title", map[string]any{"N": n, "Title": tr.T(stepTitles[n-1])}), body)
	}
	steps := container.NewVBox(
		step(1, container.NewVBox(wrap(tr.T("help.step1")), container.NewHBox(
			link("X @kring_pajak", "https://x.com/kring_pajak"),
			link("X @DitjenPajakRI", "https://x.com/DitjenPajakRI"),
			link("Instagram @kringpajak1500200", "https://www.instagram.com/kringpajak1500200/")))),
		step(2, container.NewVBox(wrap(tr.T("help.step2")), container.NewHBox(
			widget.NewButtonWithIcon(tr.T("help.copy_number"), theme.ContentCopyIcon(), func() {
				a.Clipboard().SetContent(KringPajak)
				v.info.SetText(tr.T("help.number_copied"))
			}), v.info))),
		step(3, container.NewVBox(wrap(tr.T("help.step3")), container.NewHBox(
			widget.NewButtonWithIcon(tr.T("tray.open_svc"), theme.ComputerIcon(), func() { openURL(a, v.svcURL) })))),
		step(4, container.NewVBox(wrap(tr.T("help.step4")), container.NewHBox(
			link("efaktur.pajak.go.id", "https://efaktur.pajak.go.id"),
			link("installer-efaktur.pajak.go.id", "https://installer-efaktur.pajak.go.id")))),
		step(5, wrap(tr.T("help.step5"))),
	)
	checklist := widget.NewRichTextFromMarkdown(tr.T("help.checklist"))
	checklist.Wrapping = fyne.TextWrapWord
	v.etax = container.NewVBox()
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder(tr.T("help.etax_search"))
	all := ETAXTable(tr)
	v.search.OnChanged = func(q string) { v.showETAX(FilterETAX(all, q)) }
	v.showETAX(all)
	contact := container.NewHBox(link("www.pajak.go.id", "https://www.pajak.go.id"),
		widget.NewLabel("· informasi@pajak.go.id · Kring Pajak "+KringPajak))
	coretax := container.NewVBox(wrap(tr.T("help.coretax_body")), container.NewHBox(
		widget.NewButtonWithIcon(tr.T("help.open_coretax"), theme.ComputerIcon(), func() { openURL(a, v.coretaxURL) }),
		link("X @kring_pajak", "https://x.com/kring_pajak"),
		link("TikTok @kring_pajak", "https://www.tiktok.com/@kring_pajak"),
		link("pajak.go.id/id/pengumuman", "https://www.pajak.go.id/id/pengumuman")))
	body := container.NewVBox(
		widget.NewCard(tr.T("help.now_heading"), "", v.now),
		widget.NewLabelWithStyle(tr.T("help.steps_title"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		steps,
		widget.NewCard(tr.T("help.checklist_title"), "", checklist),
		widget.NewCard(tr.T("help.coretax_title"), tr.T("help.coretax_subtitle"), coretax),
		widget.NewCard(tr.T("help.etax_title"), tr.T("help.etax_subtitle"), container.NewVBox(v.search, v.etax)),
		widget.NewCard(tr.T("help.contact_title"), "", contact),
	)
	v.content = container.NewVScroll(container.NewPadded(body))
	v.update(ipc.Status{}, false)
	return v
}

var stepTitles = []string{"help.step1_title", "help.step2_title", "help.step3_title", "help.step4_title", "help.step5_title"}

func (v *helpView) showETAX(entries []ETAXEntry) {
	v.etax.RemoveAll()
	if len(entries) == 0 {
		v.etax.Add(widget.NewLabel(v.tr.T("help.etax_none")))
	}
	for _, e := range entries {
		l := widget.NewLabel(v.tr.T("help.etax_row", map[string]any{"Cause": e.Cause, "Fix": e.Fix}))
		l.Wrapping = fyne.TextWrapWord
		v.etax.Add(widget.NewCard(e.Code, e.Message, l))
	}
	v.etax.Refresh()
}

// update shows the advice for each service in use, named when there are
// two.
func (v *helpView) update(st ipc.Status, connected bool) {
	inUse := st.InUse()
	v.now.RemoveAll()
	for _, t := range inUse {
		title, body := AdviceFor(v.tr, t, connected)
		if len(inUse) > 1 {
			title = v.tr.ServiceName(t.Target) + " — " + title
		}
		head := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Wrapping = fyne.TextWrapWord
		text := widget.NewLabel(body)
		text.Wrapping = fyne.TextWrapWord
		v.now.Add(head)
		v.now.Add(text)
		if !connected {
			break // "the agent is not running" is said once
		}
	}
	if st.Settings.URL != "" {
		v.svcURL = st.Settings.URL
	}
	if st.Settings.CoretaxURL != "" {
		v.coretaxURL = st.Settings.CoretaxURL
	}
}
