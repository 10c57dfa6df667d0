package window

import (
	"crypto/sha256"
	"errors"
	"log/slog"
	"pantau-efaktur/settings"
	"reflect"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"pantau-efaktur/internal/autostart"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/probe"
)

// field is one validated input of the settings window: the reason it is
// invalid is shown right under it.
type field struct {
	key   string
	entry *widget.Entry
	err   *widget.Label
	row   fyne.CanvasObject
}

// settingsView is the settings window.
type settingsView struct {
	tr      *i18n.Translator
	link    *Link
	win     fyne.Window
	content fyne.CanvasObject

	path   string
	base   settings.Settings // as loaded: keeps keys this version does not know
	fields map[string]*field
	// seen is the digest of the file as this window last read or wrote it:
	// a save over anything else asks first (see askReplace).
	seen    [sha256.Size]byte
	replace dialog.Dialog // the question of askReplace while it is open
	// unreadable: the file read last is not settings (a typo made in
	// Notepad); it is left in place, and a save keeps a copy of it.
	unreadable bool
	// write saves the form over the file (settings.Replace; tests
	// make it fail the way a full disk or a locking virus scanner would).
	write func(path string, s settings.Settings, seen [sha256.Size]byte) ([sha256.Size]byte, error)

	// onUI runs a function on the UI goroutine (fyne.Do; tests pass their
	// own). watched is the file the running watch is for, stopWatch ends it.
	onUI      func(func())
	watched   string
	stopWatch chan struct{}

	proxyMode *widget.RadioGroup
	refOn     *widget.Check
	checks    map[string]*widget.Check // the yes/no fields, by name in the file
	language  *widget.Select
	saveBtn   *widget.Button
	testBtn   *widget.Button
	testOut   *widget.Label
	testGap   time.Duration // least time between two Tes checks
	status    *widget.Label
	banner    *widget.Label
	loaded    bool
}

// secondsHint marks duration fields: their label says "(detik)".
const secondsHint = "\x00seconds"

// Language choices as shown.
var languageNames = []string{"Bahasa Indonesia", "English"}

func langName(code string) string {
	if code == "en" {
		return languageNames[1]
	}
	return languageNames[0]
}

func langCode(name string) string {
	if name == languageNames[1] {
		return "en"
	}
	return "id"
}

func newSettingsView(tr *i18n.Translator, link *Link, w fyne.Window, onUI func(func())) *settingsView {
	v := &settingsView{tr: tr, link: link, win: w, onUI: onUI, fields: map[string]*field{},
		checks: map[string]*widget.Check{}, testGap: minTestGap, write: settings.Replace}
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.banner = widget.NewLabel(tr.T("win.settings_agent_away"))
	v.banner.Wrapping = fyne.TextWrapWord
	v.banner.Importance = widget.WarningImportance
	v.banner.Hide()
	v.testOut = widget.NewLabel("")
	v.testOut.Wrapping = fyne.TextWrapWord

	mk := func(key, hint string) *field {
		f := &field{key: key, entry: widget.NewEntry(), err: widget.NewLabel("")}
		f.err.Importance = widget.DangerImportance
		f.err.Wrapping = fyne.TextWrapWord
		f.err.Hide()
		f.entry.OnChanged = func(string) { v.validate() }
		name := tr.FieldName(key)
		if hint == secondsHint {
			name += " (" + tr.T("win.hint_seconds") + ")"
			hint = ""
		}
		label := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		parts := []fyne.CanvasObject{label, f.entry}
		if hint != "" {
			h := widget.NewLabel(hint)
			h.SizeName = theme.SizeNameCaptionText
			h.Wrapping = fyne.TextWrapWord
			parts = append(parts, h)
		}
		f.row = container.NewVBox(append(parts, f.err)...)
		v.fields[key] = f
		return f
	}
	url := mk("url", tr.T("win.hint_url"))
	v.testBtn = widget.NewButtonWithIcon(tr.T("win.btn_test"), theme.MediaPlayIcon(), v.test)
	url.row = container.NewVBox(url.row, container.NewHBox(v.testBtn), v.testOut)
	mk("coretax_url", tr.T("win.hint_coretax_url"))
	secs := secondsHint
	mk("interval", secs)
	mk("recheck", secs)
	mk("down_interval", secs)
	mk("fail_threshold", "")
	mk("recover_threshold", "")
	mk("timeout", secs)
	mk("slow", secs)
	mk("coretax_slow", secs)
	proxy := mk("proxy", tr.T("win.hint_proxy"))
	v.proxyMode = widget.NewRadioGroup([]string{tr.T("win.proxy_system"), tr.T("win.proxy_none"), tr.T("win.proxy_manual")}, func(string) {
		v.syncProxy()
		v.validate()
	})
	v.proxyMode.Horizontal = true
	proxy.row = container.NewVBox(v.proxyMode, proxy.row)
	ref := mk("reference", tr.T("win.hint_reference"))
	v.refOn = widget.NewCheck(tr.T("win.reference_on"), func(bool) {
		v.syncReference()
		v.validate()
	})
	ref.row = container.NewVBox(v.refOn, ref.row)

	var services, secondary, notify []fyne.CanvasObject
	for _, f := range settings.Fields {
		group, key, _ := strings.Cut(f.Name, ".")
		switch group {
		case "services":
			v.checks[f.Name] = widget.NewCheck(tr.T("win.service_"+key), func(bool) { v.validate() })
			services = append(services, v.checks[f.Name])
		case "secondary":
			v.checks[f.Name] = widget.NewCheck(tr.ServiceName(key), nil)
			secondary = append(secondary, v.checks[f.Name])
		case "notify":
			v.checks[f.Name] = widget.NewCheck(tr.T("win.notify_"+key), nil)
			notify = append(notify, v.checks[f.Name])
		}
	}
	// "At least one" is said under the services' boxes.
	inUse := &field{key: "services", err: widget.NewLabel("")}
	inUse.err.Importance = widget.DangerImportance
	inUse.err.Hide()
	inUse.row = container.NewVBox(append(services, inUse.err)...)
	v.fields["services"] = inUse
	v.checks["autostart"] = widget.NewCheck(tr.T("win.autostart"), nil)
	v.language = widget.NewSelect(languageNames, nil)
	v.saveBtn = widget.NewButtonWithIcon(tr.T("win.btn_save"), theme.DocumentSaveIcon(), v.save)
	v.saveBtn.Importance = widget.HighImportance

	group := func(title string, objs ...fyne.CanvasObject) fyne.CanvasObject {
		head := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.SizeName = theme.SizeNameSubHeadingText
		return container.NewVBox(append([]fyne.CanvasObject{widget.NewSeparator(), head}, objs...)...)
	}
	f := v.fields
	body := container.NewVBox(
		v.banner,
		group(tr.T("win.group_services"), inUse.row),
		group(tr.T("win.group_address"), f["url"].row, f["coretax_url"].row),
		group(tr.T("win.group_schedule"), container.NewGridWithColumns(2,
			f["interval"].row, f["recheck"].row, f["down_interval"].row, f["timeout"].row,
			f["fail_threshold"].row, f["recover_threshold"].row, f["slow"].row, f["coretax_slow"].row)),
		group(tr.T("win.group_network"), f["proxy"].row, f["reference"].row),
		group(tr.T("win.group_others"), secondary...),
		group(tr.T("win.group_notify"), notify...),
		group(tr.T("win.group_general"), container.NewHBox(widget.NewLabel(tr.FieldName("language")), v.language), v.checks["autostart"]),
	)
	cancel := widget.NewButton(tr.T("win.btn_cancel"), func() { w.Close() })
	bottom := container.NewVBox(v.status, container.NewHBox(v.saveBtn, cancel))
	v.content = container.NewBorder(nil, container.NewPadded(bottom), nil, nil, container.NewVScroll(container.NewPadded(body)))
	v.load("")
	return v
}

// load fills the form from the settings file.
func (v *settingsView) load(path string) {
	if path == "" {
		p, err := paths.SettingsFile()
		if err != nil {
			slog.Error("settings file location", "err", err)
			v.status.SetText(v.tr.T("win.no_settings_file"))
			return
		}
		path = p
	}
	// Opening the window changes no file: an unreadable one stays where it
	// is (perhaps still open in Notepad), and the form says so.
	s, rep, err := settings.Read(path)
	autostart.Adopt(&s, rep)
	if err != nil {
		slog.Warn("settings", "err", err)
	}
	// A value in the file that cannot be used is shown as written and
	// marked (validate below), for the user to mend rather than retype:
	// saving the default over it unseen would lose what they wrote. Only
	// what the form can show: a wrong JSON type, or a language it does
	// not offer, stays at its default and is told as ignored.
	var marked []string
	notice := rep
	notice.Invalid = nil
	for _, fe := range rep.Invalid {
		if fe.Code != settings.CodeType && fe.Code != settings.CodeBool && fe.Field != "language" && s.CopyField(rep.Written, fe.Field) {
			marked = append(marked, v.tr.FieldName(fe.Field))
			continue
		}
		notice.Invalid = append(notice.Invalid, fe)
	}
	v.path, v.base, v.seen, v.loaded, v.unreadable = path, s, rep.Digest, true, rep.Unreadable
	v.watch(path)
	v.status.SetText("")
	for _, f := range settings.Fields {
		switch p := f.Of(&s).(type) {
		case *bool:
			v.checks[f.Name].SetChecked(*p)
		case *settings.Duration:
			v.fields[f.Name].entry.SetText(v.tr.Seconds(p.D()))
		case *int:
			if e, ok := v.fields[f.Name]; ok {
				e.entry.SetText(strconv.Itoa(*p))
			}
		}
	}
	v.fields["url"].entry.SetText(s.URL)
	v.fields["coretax_url"].entry.SetText(s.CoretaxURL)
	switch p := probe.ProxySetting(s.Proxy); {
	case p == probe.ProxyNone:
		v.proxyMode.SetSelected(v.tr.T("win.proxy_none"))
	case p.IsManual():
		v.proxyMode.SetSelected(v.tr.T("win.proxy_manual"))
		v.fields["proxy"].entry.SetText(s.Proxy)
	default:
		v.proxyMode.SetSelected(v.tr.T("win.proxy_system"))
	}
	if strings.EqualFold(s.Reference, "off") {
		v.refOn.SetChecked(false)
		v.fields["reference"].entry.SetText(probe.DefaultReference)
	} else {
		v.refOn.SetChecked(true)
		v.fields["reference"].entry.SetText(s.Reference)
	}
	v.language.SetSelected(langName(s.Language))
	v.syncProxy()
	v.syncReference()
	notes := v.tr.LoadNotice(notice)
	if len(marked) > 0 {
		notes = append(notes, v.tr.T("win.file_value_marked", map[string]any{"Fields": strings.Join(marked, ", ")}))
	}
	if rep.Unreadable {
		notes = append(notes, v.tr.T("win.file_unreadable", map[string]any{"Path": path}))
	}
	if len(notes) > 0 {
		v.status.SetText(strings.Join(notes, "\n"))
	}
	v.validate()
}

// edited reports whether the form differs from the settings last loaded or
// saved.
func (v *settingsView) edited() bool {
	s, bad := v.Collect()
	return len(bad) > 0 || !reflect.DeepEqual(s, v.base)
}

// parseSeconds reads "60", "1,5" (Indonesian decimal comma), "90s" or "2m".
func parseSeconds(s string) (time.Duration, bool) {
	s = strings.TrimSpace(strings.Replace(s, ",", ".", 1))
	if s == "" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(f * float64(time.Second)), true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil
}

func (v *settingsView) syncProxy() {
	if v.proxyMode.Selected == v.tr.T("win.proxy_manual") {
		v.fields["proxy"].entry.Enable()
	} else {
		v.fields["proxy"].entry.Disable()
	}
}

func (v *settingsView) syncReference() {
	if v.refOn.Checked {
		v.fields["reference"].entry.Enable()
	} else {
		v.fields["reference"].entry.Disable()
	}
}

// Collect builds settings from the form. Values that cannot even be read
// are reported per field; the rest is left to Settings.Validate.
func (v *settingsView) Collect() (settings.Settings, []settings.FieldError) {
	s := v.base
	var bad []settings.FieldError
	f := v.fields
	s.URL = strings.TrimSpace(f["url"].entry.Text)
	s.CoretaxURL = strings.TrimSpace(f["coretax_url"].entry.Text)
	for _, fd := range settings.Fields {
		ok := true
		switch p := fd.Of(&s).(type) {
		case *bool:
			*p = v.checks[fd.Name].Checked
		case *settings.Duration:
			var d time.Duration
			if d, ok = parseSeconds(f[fd.Name].entry.Text); ok {
				*p = settings.Duration(d)
			}
		case *int:
			if e, shown := f[fd.Name]; shown {
				n, err := strconv.Atoi(strings.TrimSpace(e.entry.Text))
				if ok = err == nil; ok {
					*p = n
				}
			}
		}
		if !ok {
			bad = append(bad, settings.FieldError{Field: fd.Name, Code: settings.CodeUnreadable, Value: f[fd.Name].entry.Text})
		}
	}
	switch v.proxyMode.Selected {
	case v.tr.T("win.proxy_none"):
		s.Proxy = string(probe.ProxyNone)
	case v.tr.T("win.proxy_manual"):
		s.Proxy = strings.TrimSpace(f["proxy"].entry.Text)
		if s.Proxy == "" {
			bad = append(bad, settings.FieldError{Field: "proxy", Code: settings.CodeProxy, Value: ""})
		}
	default:
		s.Proxy = string(probe.ProxySystem)
	}
	if v.refOn.Checked {
		s.Reference = strings.TrimSpace(f["reference"].entry.Text)
	} else {
		s.Reference = "off"
	}
	s.Language = langCode(v.language.Selected)
	return s, bad
}

// validate marks every invalid field with its reason and allows saving only
// when there is none. It returns the settings and whether they are valid.
func (v *settingsView) validate() (settings.Settings, bool) {
	if !v.loaded || v.saveBtn == nil {
		return settings.Settings{}, false
	}
	s, bad := v.Collect()
	msgs := map[string][]string{}
	unreadable := map[string]bool{}
	for _, fe := range bad {
		msgs[fe.Field] = append(msgs[fe.Field], v.tr.FieldError(fe))
		unreadable[fe.Field] = true
	}
	var verr settings.ValidationError
	if err := s.Validate(); errors.As(err, &verr) {
		for _, fe := range verr {
			if !unreadable[fe.Field] {
				msgs[fe.Field] = append(msgs[fe.Field], v.tr.FieldError(fe))
			}
		}
	}
	for key, f := range v.fields {
		if m := msgs[key]; len(m) > 0 {
			f.err.SetText(strings.Join(m, " "))
			f.err.Show()
		} else {
			f.err.SetText("")
			f.err.Hide()
		}
	}
	ok := len(msgs) == 0
	if ok {
		v.saveBtn.Enable()
	} else {
		v.saveBtn.Disable()
	}
	return s, ok
}

// FieldErrorText is the error shown under a field ("" if none).
func (v *settingsView) FieldErrorText(key string) string {
	if f, ok := v.fields[key]; ok && f.err.Visible() {
		return f.err.Text
	}
	return ""
}

func (v *settingsView) update(st ipc.Status, connected bool) {
	if connected {
		v.banner.Hide()
	} else {
		v.banner.Show()
	}
	if connected && st.ConfigPath != "" && st.ConfigPath != v.path {
		v.load(st.ConfigPath)
	}
}
