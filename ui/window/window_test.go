package window

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"math"
	"net/http/httptest"
	"os"
	"pantau-efaktur/history"
	"pantau-efaktur/monitor"
	"pantau-efaktur/settings"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/internal/filewatch"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/probe"
)

var now = time.Date(2026, 3, 31, 10, 42, 5, 0, time.Local)

func target(level probe.Level, reason probe.Reason, rechecking bool) ipc.TargetState {
	last := probe.Result{Target: "efaktur", Level: reason.Level(), Reason: reason, CheckedAt: now,
		Phases: probe.Phases{DNS: 10 * time.Millisecond, Connect: 20 * time.Millisecond, TLS: 40 * time.Millisecond,
			TTFB: 100 * time.Millisecond, Total: 180 * time.Millisecond}, HTTPStatus: 200}
	return ipc.TargetState{Target: "efaktur", Level: level, Reason: reason, Rechecking: rechecking,
		Since: now.Add(-23 * time.Minute), Last: &last, Message: "msg"}
}

func TestBadgeForEachLevel(t *testing.T) {
	test.NewTempApp(t)
	for _, lang := range []string{"id", "en"} {
		tr := i18n.New(lang)
		tests := []struct {
			t         ipc.TargetState
			connected bool
			word      string
			fill      color.NRGBA
			icon      string
		}{
			{target(probe.LevelUp, probe.ReasonOK, false), true, tr.Level(probe.LevelUp), colUp, "up"},
			{target(probe.LevelUp, probe.ReasonOK, true), true, tr.T("win.rechecking_word"), colDegraded, "degraded"},
			{target(probe.LevelDegraded, probe.ReasonSlow, false), true, tr.Level(probe.LevelDegraded), colDegraded, "degraded"},
			{target(probe.LevelDown, probe.ReasonMaintenance, false), true, tr.Level(probe.LevelDown), colDown, "down"},
			{target(probe.LevelDown, probe.ReasonConnect, true), true, tr.Level(probe.LevelDown), colDown, "down"},
			{target(probe.LevelOffline, probe.ReasonOffline, false), true, tr.Level(probe.LevelOffline), colOffline, "offline"},
			{ipc.TargetState{Level: probe.LevelUnknown}, true, tr.Level(probe.LevelUnknown), colOffline, "unknown"},
			{target(probe.LevelUp, probe.ReasonOK, false), false, tr.T("win.agent_away_short"), colOffline, "unknown"},
		}
		for _, tc := range tests {
			look := LookFor(tr, tc.t, tc.connected)
			b := newBadge()
			b.set(look, "sejak 10:19")
			if b.word.Text != tc.word || b.bg.FillColor != color.Color(tc.fill) || look.Icon != tc.icon {
				t.Errorf("%s %s rechecking=%v connected=%v: word %q fill %v icon %s; want %q %v %s",
					lang, tc.t.Level, tc.t.Rechecking, tc.connected, b.word.Text, b.bg.FillColor, look.Icon, tc.word, tc.fill, tc.icon)
			}
			// Dark text on yellow, white elsewhere: always readable.
			wantInk := colWhite
			if tc.fill == colDegraded {
				wantInk = colInk
			}
			if b.word.Color != color.Color(wantInk) || b.icon.Resource == nil {
				t.Errorf("%s %s: ink %v icon %v", lang, tc.t.Level, b.word.Color, b.icon.Resource)
			}
		}
	}
	// The words themselves.
	id := i18n.New("id")
	for l, want := range map[probe.Level]string{probe.LevelUp: "ONLINE", probe.LevelDegraded: "TERGANGGU", probe.LevelDown: "DOWN", probe.LevelOffline: "PC OFFLINE"} {
		if got := LookFor(id, target(l, "", false), true).Word; got != want {
			t.Errorf("%s: %q want %q", l, got, want)
		}
	}
}

func TestHelpAdvicePerReason(t *testing.T) {
	test.NewTempApp(t)
	for _, lang := range []string{"id", "en"} {
		tr := i18n.New(lang)
		seen := map[string]probe.Reason{}
		for _, r := range probe.AllReasons {
			title, body := AdviceFor(tr, target(r.Level(), r, false), true)
			if body == "" || strings.Contains(body, "advice.") || title == "" || strings.Contains(title, "<no value>") {
				t.Errorf("%s %s: %q / %q", lang, r, title, body)
			}
			if other, dup := seen[body]; dup {
				t.Errorf("%s: %s and %s share the same advice", lang, r, other)
			}
			seen[body] = r
		}
		// In the window, the advice for the current reason comes first.
		v := newHelpView(tr, test.NewTempApp(t))
		v.update(ipc.Status{Targets: []ipc.TargetState{target(probe.LevelDegraded, probe.ReasonTLSClock, false)}}, true)
		if adviceShown(v, 0) != tr.Advice(probe.ReasonTLSClock) {
			t.Errorf("%s: help shows %q", lang, adviceShown(v, 0))
		}
		// A page that answered in the service's place is named first.
		last := probe.Result{Target: "efaktur", Level: probe.LevelDegraded, Reason: probe.ReasonUnexpectedContent, PageTitle: "Login Hotspot"}
		captive := target(probe.LevelDegraded, probe.ReasonUnexpectedContent, false)
		captive.Last = &last
		v.update(ipc.Status{Targets: []ipc.TargetState{captive}}, true)
		if want := tr.T("message.page_title", map[string]any{"Title": "Login Hotspot"}) + " " + tr.Advice(probe.ReasonUnexpectedContent); adviceShown(v, 0) != want {
			t.Errorf("%s: help shows %q, want %q", lang, adviceShown(v, 0), want)
		}
		// A proxy that refused the Windows account: IT must let the account
		// through; "set the proxy" would send the user the wrong way.
		refused := probe.Result{Target: "efaktur", Level: probe.LevelDegraded, Reason: probe.ReasonProxy, Proxy: "http://proxy.kantor:8080", ProxySignIn: "NTLM"}
		signIn := target(probe.LevelDegraded, probe.ReasonProxy, false)
		signIn.Last = &refused
		v.update(ipc.Status{Targets: []ipc.TargetState{signIn}}, true)
		if body := adviceShown(v, 0); body == tr.Advice(probe.ReasonProxy) || !strings.Contains(body, "(NTLM)") || !strings.Contains(body, "svc.efaktur.pajak.go.id") {
			t.Errorf("%s: help for a refused sign-in: %q", lang, body)
		}
		v.update(ipc.Status{}, false)
		if adviceShown(v, 0) != tr.T("advice.agent_away") {
			t.Errorf("%s: without agent: %q", lang, adviceShown(v, 0))
		}
	}
	// Two services in use: the advice for each, by name.
	v := newHelpView(i18n.New("id"), test.NewTempApp(t))
	coretax := target(probe.LevelDown, probe.ReasonServerError, false)
	coretax.Target = "coretax"
	v.update(ipc.Status{Services: 2, Targets: []ipc.TargetState{target(probe.LevelUp, probe.ReasonOK, false), coretax}}, true)
	if len(v.now.Objects) != 4 || !strings.HasPrefix(v.now.Objects[0].(*widget.Label).Text, "Server e-Faktur — ") ||
		!strings.HasPrefix(v.now.Objects[2].(*widget.Label).Text, "Coretax — DOWN") || adviceShown(v, 1) != i18n.New("id").Advice(probe.ReasonServerError) {
		t.Errorf("two services: %d objects", len(v.now.Objects))
	}
	id := i18n.New("id")
	for r, want := range map[probe.Reason]string{
		probe.ReasonTLSClock:    "jam",
		probe.ReasonProxy:       "proxy yang sama dengan aplikasi e-Faktur",
		probe.ReasonOffline:     "koneksi Anda",
		probe.ReasonMaintenance: "kami akan memberi tahu",
	} {
		if _, body := AdviceFor(id, target(r.Level(), r, false), true); !strings.Contains(body, want) {
			t.Errorf("%s: %q lacks %q", r, body, want)
		}
	}
	// A redirect: its own heading and advice (open the address in a
	// browser), not "blocked, ask IT".
	moved := target(probe.LevelDegraded, probe.ReasonHTTPStatus, false)
	moved.Last.HTTPStatus = 302
	if title, body := AdviceFor(id, moved, true); title != "TERGANGGU: dialihkan, HTTP 302" || body != id.T("advice.redirects") {
		t.Errorf("redirect: %q / %q", title, body)
	}
	// Online but failing now and then: retry the upload, not "look at
	// this PC" (the advice for a server that simply works).
	shaky := target(probe.LevelUp, probe.ReasonOK, false)
	shaky.Recent = monitor.Tally{Checks: 10, Failures: 4, Episodes: 3}
	if title, body := AdviceFor(id, shaky, true); title != "ONLINE: tidak stabil" || !strings.Contains(body, "4 dari 10") ||
		strings.Contains(body, id.Advice(probe.ReasonOK)) {
		t.Errorf("unsteady: %q / %q", title, body)
	}
	slowShaky := target(probe.LevelDegraded, probe.ReasonSlow, false)
	slowShaky.Recent = shaky.Recent
	if title, body := AdviceFor(id, slowShaky, true); title != "TERGANGGU: lambat" || !strings.HasPrefix(body, id.Advice(probe.ReasonSlow)) ||
		!strings.Contains(body, "4 dari 10") {
		t.Errorf("slow and unsteady: %q / %q", title, body)
	}
}

func TestETAXSearch(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		tr := i18n.New(lang)
		all := ETAXTable(tr)
		if len(all) != len(ETAXCodes) {
			t.Fatal(len(all))
		}
		for _, e := range all {
			if e.Code == "" || e.Message == "" || e.Cause == "" || e.Fix == "" || strings.HasPrefix(e.Code, "etax.") {
				t.Errorf("%s: incomplete %+v", lang, e)
			}
		}
		if got := FilterETAX(all, ""); len(got) != len(all) {
			t.Errorf("%s: empty query filters", lang)
		}
		if got := FilterETAX(all, "40001"); len(got) != 1 || got[0].Code != "ETAX-40001" {
			t.Errorf("%s: 40001 → %+v", lang, got)
		}
		if got := FilterETAX(all, "zzzz"); len(got) != 0 {
			t.Errorf("%s: nonsense found %+v", lang, got)
		}
	}
	id := ETAXTable(i18n.New("id"))
	if got := FilterETAX(id, "40001 JAM"); len(got) != 1 {
		t.Errorf("words and case: %+v", got)
	}
	if got := FilterETAX(id, "coretax"); len(got) != 1 || got[0].Code != "ETAX-API-10056" {
		t.Errorf("coretax → %+v", got)
	}
	// The help window filters as one types.
	v := newHelpView(i18n.New("id"), test.NewTempApp(t))
	test.Type(v.search, "passphrase")
	if n := len(v.etax.Objects); n != 2 {
		t.Errorf("passphrase: %d cards", n)
	}
}

// ---- settings ----

func openSettings(t *testing.T, lang string, content string) (*settingsView, string) {
	t.Helper()
	v, path, _ := openSettingsUI(t, lang, content)
	return v, path
}

// openSettingsUI also returns what the window's background work (the file
// watch) hands to the UI goroutine: the test runs it, when it chooses.
func openSettingsUI(t *testing.T, lang string, content string) (*settingsView, string, <-chan func()) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("PANTAU_EFAKTUR_HOME", home)
	path := filepath.Join(home, "config.json")
	if content != "" {
		os.WriteFile(path, []byte(content), 0o600)
	}
	a := test.NewTempApp(t)
	w := a.NewWindow("settings")
	ui := make(chan func(), 64)
	v := newSettingsView(i18n.New(lang), NewLink(filepath.Join(home, "agent.sock"), Settings), w, func(f func()) { ui <- f })
	t.Cleanup(v.close)
	w.SetContent(v.content)
	return v, path, ui
}

// Every settings field, with a bad value: the reason shows at the field and
// nothing can be saved; a good value clears it.
func TestSettingsValidationMessages(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		v, path := openSettings(t, lang, "")
		tr := i18n.New(lang)
		if v.saveBtn.Disabled() {
			t.Fatalf("%s: defaults not savable: %v", lang, v.fields)
		}
		tests := []struct {
			field, bad string
			want       settings.FieldError
		}{
			{"url", "svc.efaktur.pajak.go.id", settings.FieldError{Field: "url", Code: "url", Value: "svc.efaktur.pajak.go.id"}},
			{"url", "https://svc.efaktur.pajak.go.id:99999/svc", settings.FieldError{Field: "url", Code: "url", Value: "https://svc.efaktur.pajak.go.id:99999/svc", Problem: settings.URLBadPort}},
			{"url", "https://svc.efaktur.pajak.go.id/svc?wsdl kopi", settings.FieldError{Field: "url", Code: "url", Value: "https://svc.efaktur.pajak.go.id/svc?wsdl kopi", Problem: settings.URLBadChars}},
			{"interval", "5", settings.FieldError{Field: "interval", Code: "range", Value: "5s", Min: "10s", Max: "1h0m0s"}},
			{"interval", "soon", settings.FieldError{Field: "interval", Code: "unreadable", Value: "soon"}},
			{"recheck", "1", settings.FieldError{Field: "recheck", Code: "range", Value: "1s", Min: "10s", Max: "10m0s"}},
			{"down_interval", "7200", settings.FieldError{Field: "down_interval", Code: "range", Value: "2h0m0s", Min: "10s", Max: "1h0m0s"}},
			{"fail_threshold", "1", settings.FieldError{Field: "fail_threshold", Code: "range", Value: "1", Min: "2", Max: "10"}},
			{"fail_threshold", "tiga", settings.FieldError{Field: "fail_threshold", Code: "unreadable", Value: "tiga"}},
			{"recover_threshold", "0", settings.FieldError{Field: "recover_threshold", Code: "range", Value: "0", Min: "1", Max: "10"}},
			{"timeout", "0,5", settings.FieldError{Field: "timeout", Code: "range", Value: "500ms", Min: "1s", Max: "2m0s"}},
			{"slow", "20", settings.FieldError{Field: "slow", Code: "slow_vs_timeout", Value: "20s", Max: "15s"}},
			{"coretax_url", "coretaxdjp.pajak.go.id", settings.FieldError{Field: "coretax_url", Code: "url", Value: "coretaxdjp.pajak.go.id"}},
			{"coretax_slow", "15", settings.FieldError{Field: "coretax_slow", Code: "slow_vs_timeout", Value: "15s", Max: "15s"}},
		}
		for _, tc := range tests {
			f := v.fields[tc.field]
			good := f.entry.Text
			f.entry.SetText(tc.bad)
			want := tr.FieldError(tc.want)
			if got := v.FieldErrorText(tc.field); got != want {
				t.Errorf("%s %s=%q: shows %q, want %q", lang, tc.field, tc.bad, got, want)
			}
			if !v.saveBtn.Disabled() {
				t.Errorf("%s %s=%q: save allowed", lang, tc.field, tc.bad)
			}
			f.entry.SetText(good)
			if got := v.FieldErrorText(tc.field); got != "" || v.saveBtn.Disabled() {
				t.Errorf("%s %s: error %q stays after fixing", lang, tc.field, got)
			}
		}
		// Services: at least one, said under the boxes.
		v.checks["services.efaktur"].SetChecked(false)
		v.checks["services.coretax"].SetChecked(false)
		if got := v.FieldErrorText("services"); got != tr.FieldError(settings.FieldError{Field: "services", Code: settings.CodeNoService}) || !v.saveBtn.Disabled() {
			t.Errorf("%s no service: %q", lang, got)
		}
		v.checks["services.coretax"].SetChecked(true)
		if got := v.FieldErrorText("services"); got != "" || v.saveBtn.Disabled() {
			t.Errorf("%s Coretax alone: %q", lang, got)
		}
		v.checks["services.efaktur"].SetChecked(true)
		// Proxy: manual needs a valid address.
		v.proxyMode.SetSelected(tr.T("win.proxy_manual"))
		v.fields["proxy"].entry.SetText("ftp://proxy:21")
		if got := v.FieldErrorText("proxy"); got != tr.FieldError(settings.FieldError{Field: "proxy", Code: "proxy", Value: "ftp://proxy:21"}) {
			t.Errorf("%s proxy: %q", lang, got)
		}
		v.fields["proxy"].entry.SetText("http://proxy.kantor:8080")
		if v.FieldErrorText("proxy") != "" {
			t.Errorf("%s: good proxy refused", lang)
		}
		// Reference: on needs an address; off needs none.
		v.fields["reference"].entry.SetText("maybe")
		if v.FieldErrorText("reference") == "" {
			t.Errorf("%s: bad reference accepted", lang)
		}
		v.refOn.SetChecked(false)
		if v.FieldErrorText("reference") != "" || v.saveBtn.Disabled() {
			t.Errorf("%s: reference off still invalid", lang)
		}
		// Nothing was saved while invalid.
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s: a file was written before saving", lang)
		}
	}
}

// A value in the file that cannot be used is shown as written, with its
// reason, for the user to mend: the form must not put the default in its
// place unseen, where one Save would lose what the user wrote. What the form
// cannot show (a wrong JSON type, a language it does not offer) stays at the
// default and is told as ignored.
func TestSettingsShowsTheFilesUnusableValueToMend(t *testing.T) {
	for _, tc := range []struct {
		name, file   string
		field, shown string // the entry holding the file's value
		want         settings.FieldError
		mend         string // typed to correct it
		saved        string // the file's JSON value after saving
	}{
		{"proxy without a port", `{"version":1,"proxy":"proxy.kantor"}`, "proxy", "proxy.kantor",
			settings.FieldError{Field: "proxy", Code: "proxy_port", Value: "proxy.kantor"}, "proxy.kantor:8080", `"proxy.kantor:8080"`},
		{"proxy mistyped", `{"version":1,"proxy":"sytem"}`, "proxy", "sytem",
			settings.FieldError{Field: "proxy", Code: "proxy_port", Value: "sytem"}, "proxy.kantor:3128", `"proxy.kantor:3128"`},
		{"interval too short", `{"version":1,"interval":"5s"}`, "interval", "5",
			settings.FieldError{Field: "interval", Code: "range", Value: "5s", Min: "10s", Max: "1h0m0s"}, "30", `"30s"`},
		{"address without scheme", `{"version":1,"url":"svc.efaktur.pajak.go.id/svc"}`, "url", "svc.efaktur.pajak.go.id/svc",
			settings.FieldError{Field: "url", Code: "url", Value: "svc.efaktur.pajak.go.id/svc"}, "https://svc.efaktur.pajak.go.id/svc", `"https://svc.efaktur.pajak.go.id/svc"`},
	} {
		for _, lang := range []string{"id", "en"} {
			t.Run(tc.name+"/"+lang, func(t *testing.T) {
				v, path := openSettings(t, lang, tc.file)
				f := v.fields[tc.field]
				if f.entry.Text != tc.shown || f.entry.Disabled() {
					t.Fatalf("%s shows %q (disabled %v), want the file's %q", tc.field, f.entry.Text, f.entry.Disabled(), tc.shown)
				}
				if got, want := v.FieldErrorText(tc.field), v.tr.FieldError(tc.want); got != want {
					t.Errorf("reason %q, want %q", got, want)
				}
				wantNote := v.tr.T("win.file_value_marked", map[string]any{"Fields": v.tr.FieldName(tc.field)})
				if v.status.Text != wantNote {
					t.Errorf("status %q, want %q", v.status.Text, wantNote)
				}
				if !v.saveBtn.Disabled() {
					t.Error("the unusable value can be saved")
				}
				if v.edited() {
					t.Error("the form counts as edited before any typing: a hand edit of the file would not be taken up")
				}
				f.entry.SetText(tc.mend)
				test.Tap(v.saveBtn)
				var m map[string]json.RawMessage
				data, _ := os.ReadFile(path)
				if err := json.Unmarshal(data, &m); err != nil || string(m[tc.field]) != tc.saved {
					t.Fatalf("saved %s = %s, want %s (%v)\n%s", tc.field, m[tc.field], tc.saved, err, data)
				}
			})
		}
	}

	// Not showable: the default is in the form, the value told as ignored.
	for _, file := range []string{`{"version":1,"interval":"soon"}`, `{"version":1,"language":"fr"}`} {
		v, _ := openSettings(t, "en", file)
		_, rep, _ := settings.Read(v.path)
		if want := strings.Join(v.tr.LoadNotice(rep), "\n"); len(rep.Invalid) != 1 || v.status.Text != want {
			t.Errorf("%s: status %q, want %q", file, v.status.Text, want)
		}
		if v.saveBtn.Disabled() || v.fields["interval"].entry.Text != "60" || v.language.Selected != langName(settings.Default().Language) {
			t.Errorf("%s: form not at the defaults, or not savable", file)
		}
	}
}

func TestSettingsSaveKeepsUnknownKeysAndTellsWhenAgentIsAway(t *testing.T) {
	v, path := openSettings(t, "id", `{"version":1,"interval":"2m","future":{"x":1},"language":"id"}`)
	if v.fields["interval"].entry.Text != "120" {
		t.Fatalf("interval shown as %q", v.fields["interval"].entry.Text)
	}
	v.fields["interval"].entry.SetText("90")
	v.checks["secondary.enofa"].SetChecked(true)
	v.proxyMode.SetSelected(v.tr.T("win.proxy_manual"))
	v.fields["proxy"].entry.SetText("http://proxy.kantor:8080")
	test.Tap(v.saveBtn)
	if v.status.Text != v.tr.T("win.saved_agent_away") {
		t.Errorf("status %q", v.status.Text)
	}
	data, _ := os.ReadFile(path)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if string(m["interval"]) != `"1m30s"` || string(m["proxy"]) != `"http://proxy.kantor:8080"` || m["future"] == nil {
		t.Fatalf("saved:\n%s", data)
	}
	s, rep, _ := settings.Load(path, now)
	if !s.Secondary.Enofa || rep.HasNotice() {
		t.Fatalf("%+v %+v", s, rep)
	}
}

// A settings file that cannot be written is explained without the system's
// text, and the user is told the previous settings still apply.
func TestSettingsSaveFailureIsExplained(t *testing.T) {
	v, path := openSettings(t, "id", "")
	if err := os.Mkdir(path, 0o700); err != nil { // config.json is a folder: no file can replace it
		t.Fatal(err)
	}
	test.Tap(v.saveBtn)
	got := v.status.Text
	if !strings.HasPrefix(got, "Gagal menyimpan: ") || !strings.Contains(got, "Pengaturan sebelumnya tetap berlaku.") ||
		strings.Contains(got, path) || strings.Contains(got, "rename") {
		t.Errorf("status %q", got)
	}
}

// A save that meets a file edited by hand while the window stood open asks
// before replacing it; each answer keeps what the user chose and only that.
func TestSettingsSaveOverAHandEditAsks(t *testing.T) {
	const handEdit = `{"version": 1, "interval": "5m", "note": "from Notepad"}`
	for _, answer := range []string{"win.btn_back", "win.btn_load_file", "win.btn_replace"} {
		t.Run(answer, func(t *testing.T) {
			v, path := openSettings(t, "id", `{"version": 1, "interval": "2m"}`)
			os.WriteFile(path, []byte(handEdit), 0o600) // Notepad, meanwhile
			v.fields["interval"].entry.SetText("90")
			test.Tap(v.saveBtn)
			if v.replace == nil {
				t.Fatal("saved without asking")
			}
			if data, _ := os.ReadFile(path); string(data) != handEdit {
				t.Fatalf("the hand edit was replaced before the user answered:\n%s", data)
			}
			overlay := v.win.Canvas().Overlays().Top()
			if overlay == nil || !strings.Contains(texts(overlay), "diubah di luar jendela ini") {
				t.Fatalf("no question shown: %q", texts(overlay))
			}
			btn := buttonIn(overlay, v.tr.T(answer))
			if btn == nil {
				t.Fatalf("no %q button in %q", v.tr.T(answer), texts(overlay))
			}
			test.Tap(btn)
			if v.replace != nil {
				t.Error("the question stayed open")
			}
			data, _ := os.ReadFile(path)
			saved, _, _ := settings.Load(path, now)
			form := v.fields["interval"].entry.Text
			switch answer {
			case "win.btn_back": // nothing changes: the form keeps the user's 90 s
				if string(data) != handEdit || form != "90" {
					t.Errorf("file %q, form %q", data, form)
				}
			case "win.btn_load_file":
				if string(data) != handEdit || form != "300" || v.status.Text != v.tr.T("win.loaded_file") {
					t.Errorf("file %q, form %q, status %q", data, form, v.status.Text)
				}
				// The loaded file is now what the window read: saving needs no question.
				test.Tap(v.saveBtn)
				if v.replace != nil {
					t.Error("asked again about the file just loaded")
				}
			case "win.btn_replace":
				if saved.Interval.D() != 90*time.Second || form != "90" || v.status.Text != v.tr.T("win.saved_agent_away") {
					t.Errorf("saved %v, form %q, status %q", saved.Interval, form, v.status.Text)
				}
				// Its own save is not mistaken for another hand edit.
				v.fields["interval"].entry.SetText("120")
				test.Tap(v.saveBtn)
				if again, _, _ := settings.Load(path, now); v.replace != nil || again.Interval.D() != 2*time.Minute {
					t.Errorf("second save: asked %v, saved %v", v.replace != nil, again.Interval)
				}
			}
		})
	}
}

func TestEscapeClosesTheWindowButNotUnderADialog(t *testing.T) {
	v, _ := openSettings(t, "en", "")
	closed := false
	v.win.SetOnClosed(func() { closed = true })
	escape := closeOnEscape(v.win)
	v.askReplace([32]byte{})
	escape(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if closed {
		t.Fatal("Escape closed the window under an open question")
	}
	v.replace.Hide()
	escape(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if closed {
		t.Fatal("Return closed the window")
	}
	escape(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !closed {
		t.Fatal("Escape did not close the window")
	}
}

// A hand edit of the settings file while the window is open: an untouched
// form shows it; a form with the user's own changes keeps them and says
// so; a half-saved file and the window's own save change nothing.
func TestSettingsWindowTakesUpHandEdits(t *testing.T) {
	const start = `{"version": 1, "interval": "2m"}`
	for _, tc := range []struct {
		name     string
		typed    string // typed into the interval field first ("" none)
		edit     string // written to the file meanwhile ("" the window saves instead)
		form     string // interval shown afterwards
		status   string
		fileKept bool // the file still holds edit, untouched
	}{
		{"untouched form", "", `{"version": 1, "interval": "5m"}`, "300", "win.loaded_changes", true},
		{"form with changes", "90", `{"version": 1, "interval": "5m"}`, "90", "win.changed_meanwhile", true},
		{"half-saved file", "", `{"version": 1, "interval": "5m",`, "120", "", true},
		{"own save", "90", "", "90", "win.saved_agent_away", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, path, ui := openSettingsUI(t, "en", start)
			waitWatching(t, path, ui)
			if tc.typed != "" {
				v.fields["interval"].entry.SetText(tc.typed)
			}
			if tc.edit != "" {
				os.WriteFile(path, []byte(tc.edit), 0o600)
			} else {
				test.Tap(v.saveBtn)
			}
			select {
			case f := <-ui:
				f()
			case <-time.After(10 * time.Second):
				t.Fatal("the change of the file was not seen")
			}
			if got := v.fields["interval"].entry.Text; got != tc.form {
				t.Errorf("interval shown %q, want %q", got, tc.form)
			}
			want := ""
			if tc.status != "" {
				want = v.tr.T(tc.status)
			}
			if v.status.Text != want {
				t.Errorf("status %q, want %q", v.status.Text, want)
			}
			if data, err := os.ReadFile(path); tc.fileKept && string(data) != tc.edit {
				t.Errorf("the edited file became %q (%v)", data, err)
			}
			if tc.name == "form with changes" {
				test.Tap(v.saveBtn)
				if v.replace == nil {
					t.Error("saved over the hand edit without asking")
				}
			}
		})
	}
}

// "Load the file" on a hand edit left damaged changes no file: the damaged
// one stays in place (it may be open in Notepad), the form shows the
// defaults and says why. Saving then replaces it, keeping a copy.
func TestSettingsLoadingADamagedHandEditLeavesItAndSavingKeepsACopy(t *testing.T) {
	const damaged = `{"version": 1, "interval": "5m",`
	v, path := openSettings(t, "id", `{"version": 1, "interval": "2m"}`)
	os.WriteFile(path, []byte(damaged), 0o600)
	v.fields["interval"].entry.SetText("90")
	test.Tap(v.saveBtn)
	if v.replace == nil {
		t.Fatal("saved without asking")
	}
	test.Tap(buttonIn(v.win.Canvas().Overlays().Top(), v.tr.T("win.btn_load_file")))
	if data, _ := os.ReadFile(path); string(data) != damaged {
		t.Fatalf("loading changed the file: %q", data)
	}
	if kept, _ := filepath.Glob(path + ".broken-*"); len(kept) != 0 {
		t.Fatalf("loading moved the file aside: %v", kept)
	}
	if got := v.status.Text; !strings.HasPrefix(got, v.tr.T("win.loaded_file")+"\n") || !strings.Contains(got, "tidak dapat dibaca") || !strings.Contains(got, path) {
		t.Errorf("status %q", got)
	}
	if got := v.fields["interval"].entry.Text; got != "60" {
		t.Errorf("interval shown %q, want the default 60", got)
	}

	v.fields["interval"].entry.SetText("90")
	test.Tap(v.saveBtn)
	if v.replace != nil {
		t.Fatal("asked again about the file the user was shown")
	}
	kept, _ := filepath.Glob(path + ".broken-*")
	if len(kept) != 1 {
		t.Fatalf("damaged edit kept as %v", kept)
	}
	if data, _ := os.ReadFile(kept[0]); string(data) != damaged {
		t.Errorf("the copy holds %q", data)
	}
	if s, rep, _ := settings.Read(path); rep.Unreadable || s.Interval.D() != 90*time.Second {
		t.Errorf("saved file: %+v %+v", s, rep)
	}
	if got := v.status.Text; !strings.Contains(got, filepath.Base(kept[0])) {
		t.Errorf("status %q does not say where the old file went", got)
	}
}

// A save over a damaged file that then fails (a full disk, a virus scanner
// holding the file) leaves the damaged file where the user left it; when
// even that cannot be, the message says where the copy is.
func TestSettingsFailedSaveOverADamagedFileChangesNothing(t *testing.T) {
	const damaged = `{"version": 1, "interval": "5m",`
	for _, tc := range []struct {
		name     string
		takePath bool // something takes the path before the file can go back
	}{{"put back", false}, {"path taken", true}} {
		t.Run(tc.name, func(t *testing.T) {
			v, path := openSettings(t, "id", damaged)
			v.write = func(p string, _ settings.Settings, seen [sha256.Size]byte) ([sha256.Size]byte, error) {
				if tc.takePath {
					os.WriteFile(p, []byte(`{"version": 1}`), 0o600)
				}
				return seen, fmt.Errorf("write %s: %w", p, syscall.ENOSPC)
			}
			v.fields["interval"].entry.SetText("90")
			test.Tap(v.saveBtn)
			got := v.status.Text
			if !strings.HasPrefix(got, "Gagal menyimpan: ") {
				t.Fatalf("status %q", got)
			}
			kept, _ := filepath.Glob(path + ".broken-*")
			if !tc.takePath {
				if data, _ := os.ReadFile(path); string(data) != damaged || len(kept) != 0 {
					t.Errorf("file %q, copies %v: want the damaged file back in place", data, kept)
				}
				if strings.Contains(got, ".broken-") {
					t.Errorf("status %q names a copy that is gone", got)
				}
				return
			}
			if len(kept) != 1 {
				t.Fatalf("copies %v", kept)
			}
			if data, _ := os.ReadFile(kept[0]); string(data) != damaged {
				t.Errorf("the copy holds %q", data)
			}
			if !strings.Contains(got, filepath.Base(kept[0])) {
				t.Errorf("status %q does not say where the damaged file is", got)
			}
		})
	}
}

// Opened on a file left damaged in Notepad, the window touches nothing and
// says why it shows the defaults; mended there, the file is loaded.
func TestSettingsOpenedOnADamagedFileLoadsItWhenMended(t *testing.T) {
	const damaged = `{"version": 1, "interval": "5m",`
	v, path, ui := openSettingsUI(t, "en", damaged)
	waitWatching(t, path, ui)
	if data, _ := os.ReadFile(path); string(data) != damaged {
		t.Fatalf("opening changed the file: %q", data)
	}
	if kept, _ := filepath.Glob(path + ".broken-*"); len(kept) != 0 {
		t.Fatalf("opening moved the file aside: %v", kept)
	}
	if !strings.Contains(v.status.Text, "cannot be read") || v.fields["interval"].entry.Text != "60" {
		t.Fatalf("status %q, interval %q", v.status.Text, v.fields["interval"].entry.Text)
	}
	os.WriteFile(path, []byte(`{"version": 1, "interval": "5m"}`), 0o600)
	select {
	case f := <-ui:
		f()
	case <-time.After(10 * time.Second):
		t.Fatal("the mended file was not seen")
	}
	if v.fields["interval"].entry.Text != "300" || v.status.Text != v.tr.T("win.loaded_changes") {
		t.Errorf("after mending: interval %q, status %q", v.fields["interval"].entry.Text, v.status.Text)
	}
}

// A form just loaded counts as untouched whatever the file holds, or a
// hand edit would never be shown; one change anywhere counts.
func TestFreshFormIsNotEdited(t *testing.T) {
	for _, content := range []string{
		"",
		`{"version": 1}`,
		`{"version": 1, "interval": "1m30s", "timeout": "7.5s", "slow": "2500ms", "proxy": "http://proxy.kantor:8080",
		  "reference": "off", "language": "en", "notify": {"offline": true, "sound": false}, "secondary": {"coretax": true},
		  "autostart": true, "future": {"x": 1}}`,
		`{"version": 1, "proxy": "none", "reference": "http://192.168.1.1/ok", "fail_threshold": 5, "recover_threshold": 1}`,
		`{"version": 1, "interval": "x", "language": "fr"}`, // invalid values fall back to defaults
	} {
		for _, lang := range []string{"id", "en"} {
			v, _ := openSettings(t, lang, content)
			if v.edited() {
				s, bad := v.Collect()
				t.Errorf("%s %s: fresh form counts as edited:\nform %+v %v\nfile %+v", lang, content, s, bad, v.base)
			}
			v.checks["notify.sound"].SetChecked(!v.checks["notify.sound"].Checked)
			if !v.edited() {
				t.Errorf("%s %s: a change is not seen", lang, content)
			}
		}
	}
}

// waitWatching returns once the window's file watch is live: the file is
// written again unchanged until the watch reports it (which changes nothing),
// less often than the watch's settle time, which each write restarts.
func waitWatching(t *testing.T, path string, ui <-chan func()) {
	t.Helper()
	data, _ := os.ReadFile(path)
	tick := time.NewTicker(3 * filewatch.Settle)
	defer tick.Stop()
	timeout := time.After(10 * time.Second)
	for {
		os.WriteFile(path, data, 0o600)
		select {
		case f := <-ui:
			f()
			return
		case <-tick.C:
		case <-timeout:
			t.Fatal("the settings file is not watched")
		}
	}
}

// texts is every label's and button's text under o, for assertions.
func texts(o fyne.CanvasObject) string {
	var out []string
	walk(o, func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		}
	})
	return strings.Join(out, " | ")
}

func buttonIn(o fyne.CanvasObject, label string) *widget.Button {
	var found *widget.Button
	walk(o, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == label {
			found = b
		}
	})
	return found
}

func walk(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	visit(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			walk(child, visit)
		}
	case fyne.Widget:
		for _, child := range test.WidgetRenderer(c).Objects() {
			walk(child, visit)
		}
	}
}

func TestSettingsSaveAsksTheAgentToReload(t *testing.T) {
	v, _ := openSettings(t, "en", "")
	sock := filepath.Join(os.Getenv("PANTAU_EFAKTUR_HOME"), "agent.sock")
	reloaded := make(chan struct{}, 1)
	ln, err := ipc.Listen(sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := ipc.NewServer(ln, StubAgent{OnReload: func() { reloaded <- struct{}{} }})
	go srv.Serve()
	defer srv.Close()
	test.Tap(v.saveBtn)
	select {
	case <-reloaded:
	default:
		t.Fatal("agent not asked to reload")
	}
	if v.status.Text != "Saved. The new settings are in use." {
		t.Errorf("status %q", v.status.Text)
	}
}

// StubAgent answers a window's requests as the agent would, with a fixed
// status; OnReload, if set, is told of a reload. (Exported for the screen
// tests of package window_test.)
type StubAgent struct {
	St       ipc.Status
	OnReload func()
	OnSnooze func(until time.Time)
}

func (s StubAgent) Status() ipc.Status { return s.St }
func (s StubAgent) CheckNow(context.Context) (probe.Result, error) {
	return probe.Result{}, errors.New("a stub agent does not check")
}
func (s StubAgent) Reload() error {
	if s.OnReload != nil {
		s.OnReload()
	}
	return nil
}
func (s StubAgent) Show(string) error { return nil }
func (s StubAgent) Snooze(until time.Time) {
	if s.OnSnooze != nil {
		s.OnSnooze(until)
	}
}
func (s StubAgent) Quit() {}

func TestParseSeconds(t *testing.T) {
	for in, want := range map[string]time.Duration{"60": time.Minute, "1,5": 1500 * time.Millisecond, "2.5": 2500 * time.Millisecond, "90s": 90 * time.Second, "2m": 2 * time.Minute} {
		if got, ok := parseSeconds(in); !ok || got != want {
			t.Errorf("%q: %v %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "soon", "1 menit"} {
		if _, ok := parseSeconds(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

// ---- diagnostics and charts ----

func TestDiagnosticsReport(t *testing.T) {
	skew := int64(-420)
	last := probe.Result{Target: "efaktur", Level: probe.LevelDegraded, Reason: probe.ReasonTLSClock, CheckedAt: now,
		ServerDate: now.Add(7 * time.Minute), ClockSkew: -7 * time.Minute, Proxy: "http://proxy.kantor:8080", ProxySignIn: "Negotiate",
		Phases: probe.Phases{Total: 230 * time.Millisecond}, Detail: "certificate expired or not yet valid for this PC's clock"}
	coretax := probe.Result{Target: "coretax", Level: probe.LevelDown, Reason: probe.ReasonServerError, HTTPStatus: 503, RetryAfter: 2 * time.Minute,
		RedirectedTo: "https://coretaxdjp.pajak.go.id/maintenance"}
	st := ipc.Status{PID: 4242, StartedAt: now.Add(-time.Hour), Tray: true, ConfigPath: "/home/u/.config/pantau-efaktur/config.json",
		PreviousCrash: "/home/u/.cache/pantau-efaktur/logs/agent-crash-20260330-171502.log",
		HistoryDir:    "/home/u/.config/pantau-efaktur/history", LogPath: "/home/u/.cache/pantau-efaktur/logs/agent.log",
		Settings: settings.Default(),
		Targets: []ipc.TargetState{
			{Target: "efaktur", Level: probe.LevelDegraded, Reason: probe.ReasonTLSClock, Since: now.Add(-10 * time.Minute), Last: &last, Message: "Sertifikat keamanan dianggap kedaluwarsa",
				Recent: monitor.Tally{Checks: 9, Failures: 3, Episodes: 2}},
			{Target: "coretax", Level: probe.LevelDown, Reason: probe.ReasonServerError, Last: &coretax},
		}}
	st.Settings.Proxy = "http://proxy.kantor:8080"
	st.SignInUnavailable = []string{"NTLM: sign-in unavailable on this PC: the Windows security package NTLM: …"}
	st.SnoozedUntil = time.Date(now.Year(), now.Month(), now.Day()+1, 8, 0, 0, 0, now.Location())
	recs := []history.Record{
		{At: now.Add(-2 * time.Minute), Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK, Status: 200, MS: [5]int64{3, 20, 45, 110, 180}},
		{At: now.Add(-time.Minute), Target: "efaktur", Level: probe.LevelDegraded, Reason: probe.ReasonTLSClock, MS: [5]int64{3, 20, 0, 0, 25}, Skew: &skew, Error: "x509: certificate has expired or is not yet valid"},
		{At: now.Add(-time.Minute), Target: "coretax", Level: probe.LevelDown, Reason: probe.ReasonServerError, Status: 503},
	}
	// Checks of an address the user has since corrected, and of the one used now.
	recs = append([]history.Record{
		{At: now.Add(-4 * time.Minute), Target: "efaktur", Level: probe.LevelDegraded, Reason: probe.ReasonNotFound, Status: 404, Addr: history.AddressTag(settings.DefaultURL + "x")},
		{At: now.Add(-3 * time.Minute), Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK, Status: 200, Addr: history.AddressTag(settings.DefaultURL)},
	}, recs...)
	stats := history.Stats{Uptime24h: 99.5, Uptime7d: 98.25, Uptime30d: math.NaN(), P50: 180 * time.Millisecond, P95: 400 * time.Millisecond,
		Outages: []history.Outage{{Start: now.Add(-20 * time.Minute), Reason: probe.ReasonTimeout, Ongoing: true},
			{Start: now.Add(-48 * time.Hour), End: now.Add(-47 * time.Hour), Reason: probe.ReasonMaintenance},
			{Start: now.Add(-72 * time.Hour), End: now.Add(-72*time.Hour + 9*time.Minute), Reason: probe.ReasonServerError, Unseen: true}}}
	id := Diagnostics(i18n.New("id"), st, true, recs, stats, now)
	for _, want := range []string{
		"laporan diagnosa", "Versi:", "PID 4242", "tray: ya",
		"! Agen sebelumnya berhenti karena galat (crash); laporannya: /home/u/.cache/pantau-efaktur/logs/agent-crash-20260330-171502.log",
		"Alamat e-Faktur (SVC): " + settings.DefaultURL, "Alamat Coretax: " + settings.DefaultCoretaxURL + " (Ambang lambat Coretax 10s)", "Proxy: http://proxy.kantor:8080", "1m0s / 10s / 30s",
		"! Masuk ke proxy dengan akun Windows tidak tersedia di PC ini: NTLM: ",
		"Notifikasi: down, recovered, sound; dibisukan sampai besok 08:00",
		"Server e-Faktur: TERGANGGU (tls_clock)", "! Tidak stabil: 3 dari 9 pemeriksaan terakhir gagal.", "Rincian teknis: certificate expired or not yet valid for this PC's clock", "Jam PC ini berbeda 7 menit", "lewat proxy http://proxy.kantor:8080, masuk dengan akun Windows (Negotiate)",
		"Coretax: DOWN (server_error)", "Dialihkan ke: https://coretaxdjp.pajak.go.id/maintenance", "Server meminta jeda 2 menit (Retry-After)",
		"24 jam 99,50 %", "7 hari 98,25 %", "30 hari –", "p50 180 ms, p95 400 ms",
		"1 jam  maintenance DJP", "masih berlangsung, 20 menit  ", "setidaknya 9 menit (pemantauan berhenti)  ",
		"degraded  tls_clock", "x509: certificate has expired", "skew -420s", "up        ok",
		"config.json", "agent.log",
	} {
		if !strings.Contains(id, want) {
			t.Errorf("report lacks %q:\n%s", want, id)
		}
	}
	for _, l := range strings.Split(id, "\n") {
		if marked := strings.Contains(l, "[alamat sebelumnya]"); marked != strings.Contains(l, "HTTP 404") {
			t.Errorf("only the check of the earlier address is to be marked; line %q", l)
		}
	}
	if strings.Contains(id, "coretax  ") || strings.Contains(id, "HTTP 503  ") {
		t.Errorf("secondary checks listed among the e-Faktur checks:\n%s", id)
	}
	// Newest first.
	if strings.Index(id, "tls_clock          HTTP") > strings.Index(id, "ok                 HTTP") {
		t.Errorf("not newest first:\n%s", id)
	}
	en := Diagnostics(i18n.New("en"), ipc.Status{}, false, nil, history.Stats{Uptime24h: math.NaN(), Uptime7d: math.NaN(), Uptime30d: math.NaN()}, now)
	for _, want := range []string{"diagnostics report", "Agent: not running", "none yet"} {
		if !strings.Contains(en, want) {
			t.Errorf("report lacks %q:\n%s", want, en)
		}
	}
}

func TestPhaseParts(t *testing.T) {
	ph := probe.Phases{DNS: 10 * time.Millisecond, Connect: 20 * time.Millisecond, TLS: 30 * time.Millisecond, TTFB: 40 * time.Millisecond, Total: 200 * time.Millisecond}
	for _, c := range []struct {
		name   string
		status int
		want   []float32
	}{
		{"answered: the rest is the download", 200, []float32{0.05, 0.1, 0.15, 0.2, 0.5}},
		{"no answer: the rest was waiting for one", 0, []float32{0.05, 0.1, 0.15, 0.7, 0}},
	} {
		p := PhaseParts(probe.Result{HTTPStatus: c.status, Phases: ph})
		var sum float32
		for i := range p {
			sum += p[i]
			if math.Abs(float64(p[i]-c.want[i])) > 1e-6 {
				t.Errorf("%s: part %d: %v want %v", c.name, i, p[i], c.want[i])
			}
		}
		if math.Abs(float64(sum-1)) > 1e-6 {
			t.Errorf("%s: sum %v", c.name, sum)
		}
	}
	for _, x := range PhaseParts(probe.Result{}) {
		if x != 0 {
			t.Error("no total, but parts")
		}
	}
}

func TestPhaseLegend(t *testing.T) {
	ms := time.Millisecond
	for _, c := range []struct {
		name string
		lang string
		r    probe.Result
		want string
	}{
		{"answered over https", "id", probe.Result{HTTPStatus: 200, Phases: probe.Phases{DNS: 4 * ms, Connect: 18 * ms, TLS: 42 * ms, TTFB: 131 * ms, Total: 231 * ms}},
			"DNS 4 ms · Koneksi 18 ms · TLS 42 ms · Server 131 ms · Unduh 36 ms · Total 231 ms"},
		{"answered over http, address cached", "en", probe.Result{HTTPStatus: 200, Phases: probe.Phases{Connect: 18 * ms, TTFB: 131 * ms, Total: 149 * ms}},
			"Connect 18 ms · Server 131 ms · Total 149 ms"},
		{"name lookup failed", "id", probe.Result{Reason: probe.ReasonDNS, Phases: probe.Phases{DNS: 12 * ms, Total: 12 * ms}},
			"DNS 12 ms · Total 12 ms"},
		{"no answer before the timeout", "en", probe.Result{Reason: probe.ReasonTimeout, Phases: probe.Phases{DNS: 4 * ms, Connect: 18 * ms, TLS: 42 * ms, Total: 15000 * ms}},
			"DNS 4 ms · Connect 18 ms · TLS 42 ms · Waiting for an answer 14936 ms · Total 15000 ms"},
		{"no answer", "id", probe.Result{Reason: probe.ReasonTimeout, Phases: probe.Phases{Total: 15000 * ms}},
			"Menunggu jawaban 15000 ms · Total 15000 ms"},
	} {
		if got := PhaseLegend(i18n.New(c.lang), c.r); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// The outage list names the day as the since line does: this morning's
// outage is not "26/11 08:10" beside "sejak kemarin 16:05". One whose end
// the app did not see (it stopped) says so.
func TestOutageLinesNameTheDay(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.Local)
	outs := []history.Outage{
		{Start: at.Add(-20 * time.Minute), Reason: probe.ReasonMaintenance, Ongoing: true},
		{Start: at.Add(-17 * time.Hour), End: at.Add(-17*time.Hour + 35*time.Minute), Reason: probe.ReasonServerError},
		{Start: at.Add(-5 * 24 * time.Hour), End: at.Add(-5*24*time.Hour + 4*time.Minute), Reason: probe.ReasonTimeout},
		{Start: at.Add(-6 * 24 * time.Hour), End: at.Add(-6*24*time.Hour + 30*time.Minute), Reason: probe.ReasonTimeout, Unseen: true},
	}
	want := strings.Join([]string{
		"09:40 · masih berlangsung (20 menit) · maintenance DJP",
		"kemarin 17:00 · 35 menit · " + i18n.New("id").Cause(probe.ReasonServerError),
		"21/11 10:00 · 4 menit · " + i18n.New("id").Cause(probe.ReasonTimeout),
		"20/11 10:00 · setidaknya 30 menit (pemantauan berhenti) · " + i18n.New("id").Cause(probe.ReasonTimeout),
	}, "\n")
	if got := outageLines(i18n.New("id"), outs, at); got != want {
		t.Errorf("outage lines:\n%s\nwant\n%s", got, want)
	}
}

func TestBuckets(t *testing.T) {
	ok := func(at time.Duration, ms int64) history.Record {
		return history.Record{At: now.Add(at), Level: probe.LevelUp, Reason: probe.ReasonOK, MS: [5]int64{0, 0, 0, 0, ms}}
	}
	recs := []history.Record{
		{At: now.Add(-25 * time.Hour), Level: probe.LevelDown, Reason: probe.ReasonTimeout}, // too old
		ok(-23*time.Hour-50*time.Minute, 100),
		ok(-23*time.Hour-49*time.Minute, 120),
		ok(-23*time.Hour-48*time.Minute, 900),
		{At: now.Add(-23*time.Hour - 46*time.Minute), Level: probe.LevelDown, Reason: probe.ReasonTimeout, MS: [5]int64{0, 0, 0, 0, 15000}},
		ok(-time.Minute, 250),
	}
	bs := Buckets(recs, now)
	// A timeout colours the quarter red but does not count as an answer time.
	if len(bs) != 96 || bs[0].N != 4 || bs[0].Worst != probe.LevelDown || bs[0].Median != 120*time.Millisecond {
		t.Fatalf("first bucket %+v", bs[0])
	}
	if bs[95].N != 1 || bs[95].Median != 250*time.Millisecond || bs[95].Worst != probe.LevelUp {
		t.Fatalf("last bucket %+v", bs[95])
	}
}

// redColumns counts the 24-hour chart's columns drawn as down.
func redColumns(v *statusView) int {
	n := 0
	for _, r := range v.panes[0].chart.rects {
		if r.FillColor == color.Color(LevelColour(probe.LevelDown)) {
			n++
		}
	}
	return n
}

// After the check address was mended, the hour of failures at the typo is
// neither an outage nor downtime in the status window, and it says what it
// left out; the figures stay so while the agent is away.
func TestStatusFiguresAreOfTheAddressCheckedNow(t *testing.T) {
	const typo, mended = "https://svc.efaktur.pajak.go.idd/svc?wsdl", "https://svc.efaktur.pajak.go.id/svc?wsdl"
	home, h := userHistory(t)
	start := time.Now().Add(-3 * time.Hour)
	for m := range 120 {
		r := history.Record{At: start.Add(time.Duration(m) * time.Minute), Target: probe.PrimaryTargetID,
			Level: probe.LevelUp, Reason: probe.ReasonOK, MS: [5]int64{4: 150}, Addr: history.AddressTag(mended)}
		if m < 60 {
			r.Level, r.Reason, r.MS, r.Addr = probe.LevelDown, probe.ReasonDNS, [5]int64{}, history.AddressTag(typo)
		}
		if err := h.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	test.NewTempApp(t)
	tr := i18n.New("en")
	v := newStatusView(tr, NewLink(filepath.Join(home, "agent.sock"), Status), fyne.CurrentApp(), func(f func()) { f() })
	test.NewTempWindow(t, v.content)
	p := target(probe.LevelUp, probe.ReasonOK, false)
	p.URL = mended
	v.update(ipc.Status{Targets: []ipc.TargetState{p}}, true)
	if !strings.HasPrefix(v.panes[0].uptime.Text, "24 h: 100") || !strings.Contains(v.panes[0].uptime.Text, "Not counting 60 checks of an earlier address") ||
		v.panes[0].outages.Text != tr.T("win.no_outages") {
		t.Errorf("mended address: uptime %q, outages %q", v.panes[0].uptime.Text, v.panes[0].outages.Text)
	}
	if diag := v.DiagnosticsText(); !strings.Contains(diag, "Not counting 60 checks") {
		t.Errorf("diagnostics do not say what the figures leave out:\n%s", diag)
	}
	if n := redColumns(v); n != 0 {
		t.Errorf("mended address: the 24-hour chart shows %d red columns of the typo's hour", n)
	}
	figures := v.panes[0].uptime.Text
	v.update(ipc.Status{}, false)
	if v.panes[0].uptime.Text != figures || v.panes[0].outages.Text != tr.T("win.no_outages") {
		t.Errorf("agent away: uptime %q, outages %q", v.panes[0].uptime.Text, v.panes[0].outages.Text)
	}
	// The address the agent checks is the typo again: its hour counts.
	p.URL = typo
	v.update(ipc.Status{Targets: []ipc.TargetState{p}}, true)
	if strings.HasPrefix(v.panes[0].uptime.Text, "24 h: 100") || v.panes[0].outages.Text == tr.T("win.no_outages") {
		t.Errorf("typo address: uptime %q, outages %q", v.panes[0].uptime.Text, v.panes[0].outages.Text)
	}
	// The strip of the last 60 checks is the typo's hour, not the mended
	// address's later hour.
	for i, r := range v.panes[0].beat.rects {
		if r.FillColor != color.Color(LevelColour(probe.LevelDown)) {
			t.Fatalf("typo address: heartbeat cell %d is %v, want red", i, r.FillColor)
		}
	}
	if redColumns(v) == 0 {
		t.Error("typo address: the 24-hour chart shows no red column for its hour")
	}
}

// The line under the badge word says since when the level holds; under
// "re-checking" it names the level, or 23 minutes of being online would
// read as 23 minutes of re-checking.
func TestSinceLineNamesTheLevelUnderRechecking(t *testing.T) {
	for _, tc := range []struct {
		lang      string
		t         ipc.TargetState
		connected bool
		want      string
	}{
		{"id", target(probe.LevelUp, probe.ReasonOK, false), true, "sejak 10:19 (23 menit)"},
		{"id", target(probe.LevelUp, probe.ReasonOK, true), true, "ONLINE sejak 10:19 (23 menit)"},
		{"en", target(probe.LevelUp, probe.ReasonOK, true), true, "ONLINE since 10:19 (23 minutes)"},
		// Red stays red while a recovery is confirmed: the word is the level.
		{"id", target(probe.LevelDown, probe.ReasonConnect, true), true, "sejak 10:19 (23 menit)"},
		{"id", target(probe.LevelDegraded, probe.ReasonSlow, true), true, "sejak 10:19 (23 menit)"},
		{"id", ipc.TargetState{Level: probe.LevelUnknown, Rechecking: true}, true, ""},
		{"id", target(probe.LevelUp, probe.ReasonOK, true), false, ""},
	} {
		tr := i18n.New(tc.lang)
		if got := sinceLine(tr, tc.t, LookFor(tr, tc.t, tc.connected), tc.connected, now); got != tc.want {
			t.Errorf("%s %s rechecking=%v connected=%v: %q, want %q", tc.lang, tc.t.Level, tc.t.Rechecking, tc.connected, got, tc.want)
		}
	}
}

func TestStatusViewShowsAgentAwayAndState(t *testing.T) {
	home := t.TempDir()
	t.Setenv("PANTAU_EFAKTUR_HOME", home)
	a := test.NewTempApp(t)
	tr := i18n.New("id")
	v := newStatusView(tr, NewLink(filepath.Join(home, "agent.sock"), Status), a, func(f func()) { f() })
	test.NewTempWindow(t, v.content)
	if v.panes[0].badge.word.Text != "MENGHUBUNGI…" || v.banner.Text != tr.T("win.connecting") || !v.checkBtn.Disabled() {
		t.Fatalf("before the agent answers: word %q banner %q", v.panes[0].badge.word.Text, v.banner.Text)
	}
	v.update(ipc.Status{}, false)
	if !v.banner.Visible() || v.panes[0].badge.word.Text != "AGEN TIDAK BERJALAN" || !v.checkBtn.Disabled() {
		t.Fatalf("without agent: banner %v word %q", v.banner.Visible(), v.panes[0].badge.word.Text)
	}
	p := target(probe.LevelDown, probe.ReasonMaintenance, false)
	p.Last.ClockSkew, p.Last.ServerDate = 10*time.Minute, now
	v.update(ipc.Status{Version: "1.2.3", Targets: []ipc.TargetState{p}}, true)
	if v.about.Text != "Pantau e-Faktur 1.2.3" {
		t.Errorf("version line %q", v.about.Text)
	}
	if v.banner.Visible() || v.panes[0].badge.word.Text != "DOWN" || !strings.HasPrefix(v.panes[0].badge.since.Text, "sejak ") || v.checkBtn.Disabled() {
		t.Fatalf("down: banner %v word %q since %q", v.banner.Visible(), v.panes[0].badge.word.Text, v.panes[0].badge.since.Text)
	}
	if !v.panes[0].advice.Visible() || v.panes[0].advice.Text != tr.Advice(probe.ReasonMaintenance) {
		t.Errorf("advice %v %q", v.panes[0].advice.Visible(), v.panes[0].advice.Text)
	}
	// Under a refused Windows sign-in, the advice is the one that goes with
	// it, not "set the proxy" under "the proxy refused your account".
	refused := target(probe.LevelDegraded, probe.ReasonProxy, false)
	refused.Last.Proxy, refused.Last.ProxySignIn = "http://proxy.kantor:8080", "NTLM"
	v.update(ipc.Status{Targets: []ipc.TargetState{refused}}, true)
	if !v.panes[0].advice.Visible() || v.panes[0].advice.Text == tr.Advice(probe.ReasonProxy) || !strings.Contains(v.panes[0].advice.Text, "(NTLM)") {
		t.Errorf("advice under a refused sign-in: %q", v.panes[0].advice.Text)
	}
	// Green by policy but failing now and then: the badge stays ONLINE,
	// the advice under it says so; a steady server has none.
	shaky := target(probe.LevelUp, probe.ReasonOK, false)
	shaky.Recent = monitor.Tally{Checks: 10, Failures: 4, Episodes: 3}
	v.update(ipc.Status{Targets: []ipc.TargetState{shaky}}, true)
	if v.panes[0].badge.word.Text != "ONLINE" || !v.panes[0].advice.Visible() || !strings.Contains(v.panes[0].advice.Text, "4 dari 10") {
		t.Errorf("unsteady: word %q advice %v %q", v.panes[0].badge.word.Text, v.panes[0].advice.Visible(), v.panes[0].advice.Text)
	}
	v.update(ipc.Status{Targets: []ipc.TargetState{target(probe.LevelUp, probe.ReasonOK, false)}}, true)
	if v.panes[0].advice.Visible() {
		t.Errorf("steady server with advice %q", v.panes[0].advice.Text)
	}
	v.update(ipc.Status{Version: "1.2.3", Targets: []ipc.TargetState{p}}, true)
	if !v.skewCard.Visible() || !strings.Contains(v.skew.Text, "10 menit") {
		t.Errorf("clock warning %v %q", v.skewCard.Visible(), v.skew.Text)
	}
	if !strings.Contains(v.panes[0].phases.legend.Text, "Total 180 ms") {
		t.Errorf("phases %q", v.panes[0].phases.legend.Text)
	}
	// The sentence is in the window's language, whatever the agent's.
	if v.panes[0].message.Text != tr.Message(*p.Last) || v.panes[0].message.Text == p.Message {
		t.Errorf("message %q", v.panes[0].message.Text)
	}
	if !strings.Contains(v.DiagnosticsText(), "DOWN (maintenance)") {
		t.Errorf("diagnostics: %s", v.DiagnosticsText())
	}
}

// A mute chosen in the tray shows in the status window, where one looks
// when no notification came, with the tray's "Nyalakan lagi" beside it.
func TestStatusShowsTheMuteAndEndsIt(t *testing.T) {
	home := t.TempDir()
	t.Setenv("PANTAU_EFAKTUR_HOME", home)
	sock := filepath.Join(home, "agent.sock")
	ended := make(chan time.Time, 1)
	ln, err := ipc.Listen(sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := ipc.NewServer(ln, StubAgent{OnSnooze: func(until time.Time) { ended <- until }})
	go srv.Serve()
	defer srv.Close()

	a := test.NewTempApp(t)
	v := newStatusView(i18n.New("id"), NewLink(sock, Status), a, func(f func()) { f() })
	test.NewTempWindow(t, v.content)
	up := target(probe.LevelUp, probe.ReasonOK, false)
	v.update(ipc.Status{Targets: []ipc.TargetState{up}}, true)
	if v.mutedRow.Visible() {
		t.Fatal("a mute shows without one")
	}
	n := time.Now()
	tomorrow8 := time.Date(n.Year(), n.Month(), n.Day()+1, 8, 0, 0, 0, time.Local)
	v.update(ipc.Status{Targets: []ipc.TargetState{up}, SnoozedUntil: tomorrow8}, true)
	if !v.mutedRow.Visible() || v.muted.Text != "Notifikasi dibisukan sampai besok 08:00" {
		t.Fatalf("muted until tomorrow: shown %v, %q", v.mutedRow.Visible(), v.muted.Text)
	}
	var off *widget.Button
	for _, o := range v.mutedRow.Objects {
		if b, ok := o.(*widget.Button); ok {
			off = b
		}
	}
	if off == nil || off.Text != "Nyalakan lagi" {
		t.Fatalf("no Nyalakan lagi button: %v", off)
	}
	test.Tap(off)
	select {
	case until := <-ended:
		if !until.IsZero() {
			t.Fatalf("the agent was asked to mute until %v, want the mute ended", until)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the agent was not asked to end the mute")
	}
	v.update(ipc.Status{Targets: []ipc.TargetState{up}, SnoozedUntil: n.Add(-time.Minute)}, true)
	if v.mutedRow.Visible() {
		t.Error("a mute that is over still shows")
	}
	v.update(ipc.Status{}, false)
	if v.mutedRow.Visible() {
		t.Error("a mute shows while the agent is away")
	}
}

// Tes runs one check of the address in the form, not the saved one, and
// says the result under it; a bad address is told without a request; the
// button stays off for testGap after a click, so hurried clicks on a fast
// answer are not a stream of requests.
func TestSettingsTestButton(t *testing.T) {
	svc := fakesvc.New(fakesvc.OK)
	srv := httptest.NewServer(svc)
	defer srv.Close()
	v, path, ui := openSettingsUI(t, "id", `{"version": 1, "url": "https://svc.efaktur.pajak.go.id/svc", "reference": "off",
		"services": {"efaktur": true, "coretax": false}}`)
	saved, _ := os.ReadFile(path)
	next := func() {
		t.Helper()
		select {
		case f := <-ui:
			f()
		case <-time.After(20 * time.Second):
			t.Fatal("the check of Tes did not end")
		}
	}
	v.testGap = 0

	v.fields["url"].entry.SetText("ftp://example.com/svc")
	test.Tap(v.testBtn)
	if !strings.Contains(v.testOut.Text, "http://") || v.testBtn.Disabled() || svc.Requests() != 0 {
		t.Fatalf("bad address: %q, button off %v, requests %d", v.testOut.Text, v.testBtn.Disabled(), svc.Requests())
	}

	v.fields["url"].entry.SetText(srv.URL + "/svc?wsdl")
	for _, tc := range []struct {
		b    fakesvc.Behaviour
		word string
	}{{fakesvc.OK, "ONLINE"}, {fakesvc.Maintenance, "DOWN"}} {
		svc.Set(tc.b)
		before := svc.Requests()
		test.Tap(v.testBtn)
		if !v.testBtn.Disabled() {
			t.Fatalf("%s: the button is on while its check runs", tc.b)
		}
		next()
		if !strings.HasPrefix(v.testOut.Text, tc.word) || svc.Requests() != before+1 {
			t.Errorf("%s: result %q, %d requests", tc.b, v.testOut.Text, svc.Requests()-before)
		}
		if v.testBtn.Disabled() {
			t.Errorf("%s: the button stays off", tc.b)
		}
	}
	// With Coretax in use too, Tes checks both, a line each.
	v.checks["services.coretax"].SetChecked(true)
	v.fields["coretax_url"].entry.SetText(srv.URL + fakesvc.CoretaxPath)
	before := svc.Requests()
	test.Tap(v.testBtn)
	next()
	if lines := strings.Split(v.testOut.Text, "\n"); len(lines) != 2 || !strings.HasPrefix(lines[0], "Server e-Faktur: DOWN") ||
		!strings.HasPrefix(lines[1], "Coretax: DOWN") || svc.Requests() != before+2 {
		t.Errorf("both services: %q, %d requests", v.testOut.Text, svc.Requests()-before)
	}
	v.checks["services.coretax"].SetChecked(false)

	v.testGap = time.Hour
	test.Tap(v.testBtn)
	next()
	if !v.testBtn.Disabled() || !strings.HasPrefix(v.testOut.Text, "DOWN") {
		t.Errorf("right after a fast answer (%q) the button is on again", v.testOut.Text)
	}
	test.Tap(v.testBtn)
	if !strings.HasPrefix(v.testOut.Text, "DOWN") {
		t.Errorf("a click on the resting button started a check: %q", v.testOut.Text)
	}
	if now, _ := os.ReadFile(path); string(now) != string(saved) {
		t.Errorf("Tes changed the settings file:\n%s", now)
	}
}

// failingFile is a chosen file whose close fails as on a full disk.
type failingFile struct {
	bytes.Buffer
	uri fyne.URI
}

func (f *failingFile) Close() error {
	return &os.PathError{Op: "close", Path: f.uri.Path(), Err: syscall.ENOSPC}
}
func (f *failingFile) URI() fyne.URI { return f.uri }

// Ekspor CSV writes every loaded check to the chosen file, with ";" for a
// spreadsheet set to Indonesian, and says so; a full disk is told in a
// dialog in the user's words.
func TestStatusExportCSV(t *testing.T) {
	test.NewTempApp(t)
	v := newStatusView(i18n.New("id"), NewLink(filepath.Join(t.TempDir(), "agent.sock"), Status), fyne.CurrentApp(), func(f func()) { f() })
	w := test.NewTempWindow(t, v.content)
	at := time.Date(2026, 11, 26, 9, 0, 0, 0, time.Local)
	v.recs = []history.Record{
		{At: at, Target: probe.PrimaryTargetID, Level: probe.LevelUp, Reason: probe.ReasonOK, Status: 200, MS: [5]int64{4: 180}},
		{At: at.Add(time.Minute), Target: "coretax", Level: probe.LevelDown, Reason: probe.ReasonTimeout, MS: [5]int64{4: 15000}},
	}

	path := filepath.Join(t.TempDir(), "riwayat.csv")
	f, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	v.saveCSV(f, w)
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "checked_at;target;") || !strings.Contains(lines[2], ";coretax;down;timeout;") {
		t.Errorf("exported:\n%s", data)
	}
	if want := "2 pemeriksaan diekspor ke " + path; !strings.HasPrefix(v.checkInfo.Text, want) {
		t.Errorf("said %q, want %q", v.checkInfo.Text, want)
	}

	v.checkInfo.SetText("")
	v.saveCSV(&failingFile{uri: storage.NewFileURI(filepath.Join(t.TempDir(), "penuh.csv"))}, w)
	top := w.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(texts(top), "Ekspor gagal: disk penuh") || v.checkInfo.Text != "" {
		t.Errorf("full disk: dialog %v, line %q", top != nil, v.checkInfo.Text)
	}
}

// Salin diagnosa puts the report on the clipboard and says where to paste it.
func TestStatusCopyDiagnostics(t *testing.T) {
	test.NewTempApp(t)
	tr := i18n.New("en")
	v := newStatusView(tr, NewLink(filepath.Join(t.TempDir(), "agent.sock"), Status), fyne.CurrentApp(), func(f func()) { f() })
	test.NewTempWindow(t, v.content)
	v.update(ipc.Status{Targets: []ipc.TargetState{target(probe.LevelDown, probe.ReasonMaintenance, false)}}, true)
	btn := buttonIn(v.content, tr.T("win.btn_copy_diag"))
	if btn == nil {
		t.Fatalf("no %q button", tr.T("win.btn_copy_diag"))
	}
	test.Tap(btn)
	got := fyne.CurrentApp().Clipboard().Content()
	if got == "" || got != v.DiagnosticsText() || !strings.Contains(got, "maintenance") {
		t.Errorf("clipboard:\n%s", got)
	}
	if v.checkInfo.Text != tr.T("win.copied") {
		t.Errorf("said %q", v.checkInfo.Text)
	}
}

// What the window program says before any window (here: no display) is
// in the settings' language unless --lang forces one.
func TestMainSpeaksTheSettingsLanguage(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the display check is Linux's")
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	for _, tc := range []struct {
		name, file string
		args       []string
		want       string
	}{
		{"settings in English", `{"version":1,"language":"en"}`, []string{"help"}, "there is no graphical display"},
		{"forced over the settings", `{"version":1,"language":"en"}`, []string{"help", "--lang", "id"}, "tidak ada layar grafis"},
		{"no settings file", "", []string{"status"}, "tidak ada layar grafis"},
		{"broken settings file", `{"language":`, []string{"settings"}, "tidak ada layar grafis"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			t.Setenv(paths.HomeEnv, home)
			if tc.file != "" {
				if err := os.WriteFile(filepath.Join(home, "config.json"), []byte(tc.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			var stdout, stderr bytes.Buffer
			if code := Main(tc.args, cmdline.IO{Stdout: &stdout, Stderr: &stderr}); code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("said %q, want %q", stderr.String(), tc.want)
			}
			if tc.file != "" {
				if b, _ := os.ReadFile(filepath.Join(home, "config.json")); string(b) != tc.file {
					t.Errorf("settings file changed to %q", b)
				}
			}
		})
	}
}

// A raised window is restored by its Windows handle; other platforms'
// contexts carry none that Restore could use.
func TestNativeHandleIsTheWindowsHWND(t *testing.T) {
	for _, tc := range []struct {
		ctx  any
		want uintptr
	}{
		{driver.WindowsWindowContext{HWND: 0x4a2}, 0x4a2},
		{driver.X11WindowContext{WindowHandle: 77}, 0},
		{driver.UnknownContext{}, 0},
		{nil, 0},
	} {
		if got := nativeHandle(tc.ctx); got != tc.want {
			t.Errorf("nativeHandle(%#v) = %#x, want %#x", tc.ctx, got, tc.want)
		}
	}
}

// adviceShown is the advice the help window shows for the i-th service in use.
func adviceShown(v *helpView, i int) string { return v.now.Objects[2*i+1].(*widget.Label).Text }

// Two services in use: a tab each, opened on the one in trouble, each tab
// with its service's state and figures; back to one service, no tabs.
func TestStatusWindowTabPerService(t *testing.T) {
	home, h := userHistory(t)
	start := time.Now().Add(-time.Hour)
	for m := range 60 {
		at := start.Add(time.Duration(m) * time.Minute)
		h.Append(history.Record{At: at, Target: probe.PrimaryTargetID, Level: probe.LevelUp, Reason: probe.ReasonOK, MS: [5]int64{4: 150}})
		h.Append(history.Record{At: at, Target: probe.CoretaxTargetID, Level: probe.LevelDown, Reason: probe.ReasonServerError, Status: 502})
	}
	h.Close()
	test.NewTempApp(t)
	tr := i18n.New("id")
	v := newStatusView(tr, NewLink(filepath.Join(home, "agent.sock"), Status), fyne.CurrentApp(), func(f func()) { f() })
	test.NewTempWindow(t, v.content)
	coretax := target(probe.LevelDown, probe.ReasonServerError, false)
	coretax.Target = probe.CoretaxTargetID
	v.update(ipc.Status{Services: 2, Targets: []ipc.TargetState{target(probe.LevelUp, probe.ReasonOK, false), coretax}}, true)
	if v.tabs == nil || len(v.tabs.Items) != 2 || v.tabs.Items[0].Text != "Server e-Faktur" || v.tabs.Items[1].Text != "Coretax" {
		t.Fatalf("tabs %+v", v.tabs)
	}
	if v.tabs.SelectedIndex() != 1 || v.panes[1].icon != "down" || v.panes[0].icon != "up" {
		t.Errorf("opened on tab %d; icons %s, %s", v.tabs.SelectedIndex(), v.panes[0].icon, v.panes[1].icon)
	}
	if v.panes[1].badge.word.Text != "DOWN" || v.panes[0].badge.word.Text != "ONLINE" ||
		!strings.HasPrefix(v.panes[0].uptime.Text, "24 jam: 100") || !strings.HasPrefix(v.panes[1].uptime.Text, "24 jam: 0") {
		t.Errorf("badges %q %q, uptime %q / %q", v.panes[0].badge.word.Text, v.panes[1].badge.word.Text, v.panes[0].uptime.Text, v.panes[1].uptime.Text)
	}
	// The agent away: both tabs stay, with their figures, and say so.
	v.update(ipc.Status{}, false)
	if v.tabs == nil || len(v.panes) != 2 || v.panes[1].badge.word.Text != tr.T("win.agent_away_short") ||
		!strings.HasPrefix(v.panes[1].uptime.Text, "24 jam: 0") {
		t.Errorf("agent away: tabs %v, panes %d, Coretax badge %q", v.tabs, len(v.panes), v.panes[1].badge.word.Text)
	}
	v.update(ipc.Status{Services: 1, Targets: []ipc.TargetState{target(probe.LevelUp, probe.ReasonOK, false)}}, true)
	if v.tabs != nil || len(v.panes) != 1 || v.panes[0].target != probe.PrimaryTargetID {
		t.Errorf("one service again: tabs %v, panes %d", v.tabs, len(v.panes))
	}
}

// userHistory moves the app's files to a new home and opens its history.
func userHistory(t *testing.T) (home string, h *history.History) {
	t.Helper()
	home = t.TempDir()
	t.Setenv("PANTAU_EFAKTUR_HOME", home)
	dir, err := paths.HistoryDir()
	if err != nil {
		t.Fatal(err)
	}
	if h, err = history.Open(dir); err != nil {
		t.Fatal(err)
	}
	return home, h
}
