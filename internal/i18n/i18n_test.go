package i18n

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"pantau-efaktur/assets"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
)

func messageIDs(t *testing.T, lang string) map[string]bool {
	t.Helper()
	data, err := fs.ReadFile(assets.I18N, "i18n/"+lang+".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	ids := map[string]bool{}
	for k := range m {
		ids[k] = true
	}
	return ids
}

func TestBundleLoads(t *testing.T) {
	if _, err := loadBundle(); err != nil {
		t.Fatal(err)
	}
}

// Both languages must have exactly the same messages.
func TestLanguagesHaveTheSameMessages(t *testing.T) {
	id, en := messageIDs(t, "id"), messageIDs(t, "en")
	for k := range id {
		if !en[k] {
			t.Errorf("%q is missing in en.json", k)
		}
	}
	for k := range en {
		if !id[k] {
			t.Errorf("%q is missing in id.json", k)
		}
	}
}

// Every command has a help page in every language, each a translation (not
// a copy), and no page exists that no command shows.
func TestUsagePagesInEveryLanguage(t *testing.T) {
	want := map[string]bool{}
	for _, lang := range Languages {
		for _, c := range UsageCommands {
			want[lang+"/"+c+".txt"] = true
		}
	}
	files, err := fs.Glob(assets.Usage, "usage/*/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !want[strings.TrimPrefix(f, "usage/")] {
			t.Errorf("%s is not a command's help page (UsageCommands)", f)
		}
	}
	id, en := New("id"), New("en")
	for _, c := range UsageCommands {
		for _, lang := range Languages {
			if _, err := fs.Stat(assets.Usage, "usage/"+lang+"/"+c+".txt"); err != nil {
				t.Errorf("%s: %v", c, err)
			}
		}
		if id.Usage(c) == en.Usage(c) {
			t.Errorf("%s: the Indonesian help page is the English one", c)
		}
		for _, page := range []string{id.Usage(c), en.Usage(c)} {
			if !strings.HasSuffix(page, "\n") || strings.Contains(page, "\t") {
				t.Errorf("%s: a help page ends with a newline and aligns with spaces", c)
			}
			// An 80-column terminal (or cmd.exe window) shows it unbroken.
			for _, line := range strings.Split(page, "\n") {
				if n := utf8.RuneCountInString(line); n > 80 {
					t.Errorf("%s: line of %d columns: %q", c, n, line)
				}
			}
		}
	}
}

// Every literal message ID passed to T or N anywhere in the code exists.
func TestEveryMessageUsedInCodeExists(t *testing.T) {
	ids := messageIDs(t, "id")
	root := filepath.Join("..", "..")
	var missing []string
	used := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "fyne-cross") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "T" && sel.Sel.Name != "N") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			used++
			if !ids[id] {
				missing = append(missing, path+": "+id)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("message used but not defined: %s", m)
	}
	if used < 20 {
		t.Fatalf("found only %d message uses: the scan is broken", used)
	}
}

func TestEveryReasonAndLevelHasText(t *testing.T) {
	for _, lang := range Languages {
		tr := New(lang)
		for _, r := range probe.AllReasons {
			msg := tr.Message(probe.Result{Reason: r, HTTPStatus: 503, Phases: probe.Phases{Total: 15 * time.Second}})
			if msg == "" || strings.HasPrefix(msg, "reason.") || strings.Contains(msg, "<no value>") {
				t.Errorf("%s: reason %s renders as %q", lang, r, msg)
			}
		}
		for _, l := range []probe.Level{probe.LevelUnknown, probe.LevelUp, probe.LevelDegraded, probe.LevelDown, probe.LevelOffline} {
			if s := tr.Level(l); s == "" || strings.HasPrefix(s, "level.") {
				t.Errorf("%s: level %s renders as %q", lang, l, s)
			}
		}
	}
}

func TestDuration(t *testing.T) {
	id, en := New("id"), New("en")
	tests := []struct {
		d      time.Duration
		id, en string
	}{
		{0, "0 detik", "0 seconds"},
		{time.Second, "1 detik", "1 second"},
		{45 * time.Second, "45 detik", "45 seconds"},
		{time.Minute, "1 menit", "1 minute"},
		{23*time.Minute + 10*time.Second, "23 menit", "23 minutes"},
		{2*time.Hour + 5*time.Minute, "2 jam 5 menit", "2 hours 5 minutes"},
		{time.Hour, "1 jam", "1 hour"},
		{time.Hour + 59*time.Minute + 50*time.Second, "2 jam", "2 hours"},
		{10 * time.Hour, "10 jam", "10 hours"},
		{25 * time.Hour, "1 hari 1 jam", "1 day 1 hour"},
		{-5 * time.Minute, "5 menit", "5 minutes"},
	}
	for _, tc := range tests {
		if got := id.Duration(tc.d); got != tc.id {
			t.Errorf("id %v: %q, want %q", tc.d, got, tc.id)
		}
		if got := en.Duration(tc.d); got != tc.en {
			t.Errorf("en %v: %q, want %q", tc.d, got, tc.en)
		}
	}
}

func TestClockNamesTheDayWhenItIsNotToday(t *testing.T) {
	id, en := New("id"), New("en")
	wib := time.FixedZone("WIB", 7*3600)
	now := time.Date(2026, 11, 26, 9, 15, 0, 0, wib)
	tests := []struct {
		at     time.Time
		id, en string
	}{
		{time.Date(2026, 11, 26, 0, 0, 0, 0, wib), "00:00", "00:00"},
		{time.Date(2026, 11, 26, 23, 59, 0, 0, wib), "23:59", "23:59"},
		{time.Date(2026, 11, 25, 16, 5, 0, 0, wib), "kemarin 16:05", "yesterday 16:05"},
		{time.Date(2026, 11, 25, 23, 59, 0, 0, wib), "kemarin 23:59", "yesterday 23:59"},
		{time.Date(2026, 11, 27, 8, 0, 0, 0, wib), "besok 08:00", "tomorrow 08:00"},
		{time.Date(2026, 11, 24, 16, 5, 0, 0, wib), "24/11 16:05", "24/11 16:05"},
		{time.Date(2025, 12, 31, 16, 5, 0, 0, wib), "31/12/2025 16:05", "31/12/2025 16:05"},
		// The same instant written in UTC is shown in the PC's zone: 20:00
		// UTC on the 25th is 03:00 WIB on the 26th, today.
		{time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC), "03:00", "03:00"},
	}
	for _, tc := range tests {
		if got := id.Clock(tc.at, now); got != tc.id {
			t.Errorf("id %v: %q, want %q", tc.at, got, tc.id)
		}
		if got := en.Clock(tc.at, now); got != tc.en {
			t.Errorf("en %v: %q, want %q", tc.at, got, tc.en)
		}
	}
	// Across a month and a year end "yesterday" is still yesterday.
	if got := id.Clock(time.Date(2026, 12, 31, 22, 0, 0, 0, wib), time.Date(2027, 1, 1, 1, 0, 0, 0, wib)); got != "kemarin 22:00" {
		t.Errorf("new year: %q", got)
	}
}

func TestSecondsUsesTheLanguagesDecimalSeparator(t *testing.T) {
	if got := New("id").Seconds(1500 * time.Millisecond); got != "1,5" {
		t.Errorf("id: %q", got)
	}
	if got := New("en").Seconds(1500 * time.Millisecond); got != "1.5" {
		t.Errorf("en: %q", got)
	}
	if got := New("en").Seconds(15 * time.Second); got != "15" {
		t.Errorf("en 15s: %q", got)
	}
}

func TestNormalizeLang(t *testing.T) {
	for in, want := range map[string]string{"": "id", "id": "id", "ID": "id", "id_ID.UTF-8": "id", "en": "en", "en_US.UTF-8": "en", "english": "en"} {
		if got, ok := NormalizeLang(in); !ok || got != want {
			t.Errorf("%q: %q %v", in, got, ok)
		}
	}
	if _, ok := NormalizeLang("fr"); ok {
		t.Error("fr accepted")
	}
}

func TestFieldErrorNamesFieldAndRange(t *testing.T) {
	fe := settings.FieldError{Field: "interval", Code: "range", Value: "5s", Min: "10s", Max: "1h0m0s"}
	if got := New("id").FieldError(fe); got != "Interval pemeriksaan: 5 detik di luar rentang yang diizinkan (10 detik sampai 1 jam)." {
		t.Errorf("id: %q", got)
	}
	if got := New("en").FieldError(fe); got != "Check interval: 5 seconds is outside the allowed range (10 seconds to 1 hour)." {
		t.Errorf("en: %q", got)
	}
}

// Inside a sentence a service is named in its mid-sentence form ("ke
// server e-Faktur", "to the e-Faktur server"), never "ke Server e-Faktur"
// or "to The e-Faktur server"; a name that does not resolve is named by
// its host, which is what the user can compare with Settings.
func TestServiceNamesReadWellInsideSentences(t *testing.T) {
	for _, lang := range Languages {
		tr := New(lang)
		title := tr.ServiceName("efaktur")
		for _, r := range probe.AllReasons {
			msg := tr.Message(probe.Result{Target: "efaktur", Reason: r, URL: "https://svc.efaktur.pajak.go.id/svc", HTTPStatus: 503})
			for _, sentence := range strings.SplitAfter(msg, ". ") {
				if i := strings.Index(sentence, title); i > 0 {
					t.Errorf("%s %s: title-form name inside a sentence: %q", lang, r, msg)
				}
			}
			if lower := strings.ToLower(msg); strings.Contains(lower, "server server") || strings.Contains(lower, "layanan server") {
				t.Errorf("%s %s: name doubled: %q", lang, r, msg)
			}
		}
		dns := tr.Message(probe.Result{Target: "efaktur", Reason: probe.ReasonDNS, URL: "https://svc.efaktur.pajak.go.id/svc"})
		if !strings.Contains(dns, "svc.efaktur.pajak.go.id") {
			t.Errorf("%s: DNS message does not name the host: %q", lang, dns)
		}
		// Redirected elsewhere, the name that did not resolve is the one
		// the redirect pointed to, not the one in Settings.
		moved := tr.Message(probe.Result{Target: "efaktur", Reason: probe.ReasonDNS, URL: "https://svc.efaktur.pajak.go.id/svc",
			RedirectedTo: "https://pemeliharaan.pajak.invalid/info"})
		if !strings.Contains(moved, "pemeliharaan.pajak.invalid") || strings.Contains(moved, "svc.efaktur") {
			t.Errorf("%s: DNS message after a redirect names the wrong host: %q", lang, moved)
		}
		// A redirect off the web has no host: the address in Settings stays.
		offWeb := tr.Message(probe.Result{Target: "efaktur", Reason: probe.ReasonDNS, URL: "https://svc.efaktur.pajak.go.id/svc",
			RedirectedTo: "file:///C:/x.html"})
		if !strings.Contains(offWeb, "svc.efaktur.pajak.go.id") {
			t.Errorf("%s: DNS message after an off-web redirect lost the host: %q", lang, offWeb)
		}
		if got := tr.ServiceNameMid("coretax"); got != tr.ServiceName("coretax") {
			t.Errorf("%s: coretax inside a sentence: %q", lang, got)
		}
	}
}

func TestEveryFileProblemHasText(t *testing.T) {
	for _, lang := range Languages {
		tr := New(lang)
		for _, err := range []error{fs.ErrPermission, fs.ErrNotExist, syscall.ENOSPC, syscall.EROFS, errors.New("short write")} {
			if got := tr.FileProblem(err); got == "" || strings.HasPrefix(got, "fileerr.") {
				t.Errorf("%s %v: %q", lang, err, got)
			}
		}
	}
}

// A redirect loop is told as one, not as an "unexpected code 302"; other
// unexpected codes keep their sentence.
func TestRedirectLoopIsTold(t *testing.T) {
	for _, tc := range []struct {
		lang     string
		status   int
		redirect bool
	}{
		{"id", 302, true}, {"id", 301, true}, {"id", 307, true}, {"id", 308, true}, {"en", 303, true},
		{"id", 403, false}, {"en", 429, false}, {"id", 300, false}, {"en", 304, false},
	} {
		tr := New(tc.lang)
		msg := tr.Message(probe.Result{Target: "efaktur", Reason: probe.ReasonHTTPStatus, HTTPStatus: tc.status})
		told := strings.Contains(msg, "dialihkan") || strings.Contains(msg, "redirected")
		if told != tc.redirect || !strings.Contains(msg, fmt.Sprint(tc.status)) {
			t.Errorf("%s HTTP %d: %q (redirect told: %v, want %v)", tc.lang, tc.status, msg, told, tc.redirect)
		}
	}
}

// An invalid address is told with what to fix: each problem its own
// sentence, for the check address and the reference alike.
func TestAddressProblemsAreTold(t *testing.T) {
	problems := map[settings.URLProblem][2]string{ // a word the id and en sentences must carry
		settings.URLNotHTTP:     {"http://", "http://"},
		settings.URLBadChars:    {"spasi", "spaces"},
		settings.URLCredentials: {"kata sandi", "password"},
		settings.URLBadPort:     {"65535", "65535"},
	}
	for i, lang := range Languages {
		tr := New(lang)
		seen := map[string]bool{}
		for p, words := range problems {
			for _, field := range []string{"url", "reference"} {
				msg := tr.FieldError(settings.FieldError{Field: field, Code: settings.FieldCode(field), Value: "x", Problem: p})
				if !strings.Contains(msg, words[i]) || !strings.HasPrefix(msg, tr.FieldName(field)) || strings.Contains(msg, "<no value>") {
					t.Errorf("%s %s %s: %q", lang, field, p, msg)
				}
				if seen[msg] {
					t.Errorf("%s: two problems told alike: %q", lang, msg)
				}
				seen[msg] = true
			}
		}
		if tr.URLProblem("") != tr.URLProblem(settings.URLNotHTTP) {
			t.Errorf("%s: no problem named should read as the plain rule", lang)
		}
	}
}

// The title of a page that answered in the service's place is told after
// the reason, in the user's language; no title, no extra sentence.
func TestPageTitleIsTold(t *testing.T) {
	for _, tc := range []struct {
		lang, title, want string
	}{
		{"id", "Wi-Fi Login", "Judul halaman yang diterima: “Wi-Fi Login”."},
		{"en", "Access Denied", "Title of the page received: “Access Denied”."},
		{"id", "", ""},
		{"en", "", ""},
	} {
		tr := New(tc.lang)
		plain := tr.Message(probe.Result{Target: "efaktur", Reason: probe.ReasonUnexpectedContent, HTTPStatus: 200})
		msg := tr.Message(probe.Result{Target: "efaktur", Reason: probe.ReasonUnexpectedContent, HTTPStatus: 200, PageTitle: tc.title})
		want := plain
		if tc.want != "" {
			want = plain + " " + tc.want
		}
		if msg != want {
			t.Errorf("%s %q: %q, want %q", tc.lang, tc.title, msg, want)
		}
	}
}

// A proxy that refused the Windows sign-in is told as such: the account
// is the problem, not the proxy's address.
func TestMessageProxySignInRefused(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"id", "Proxy kantor menolak akun Windows Anda (masuk otomatis dengan Negotiate)."},
		{"en", "The office proxy refused your Windows account (signed in automatically with Negotiate)."},
	} {
		tr := New(tc.lang)
		plain := tr.Message(probe.Result{Target: "efaktur", Reason: probe.ReasonProxy, Proxy: "http://proxy.kantor:8080"})
		refused := tr.Message(probe.Result{Target: "efaktur", Reason: probe.ReasonProxy, Proxy: "http://proxy.kantor:8080", ProxySignIn: "Negotiate"})
		if refused != tc.want || plain == refused {
			t.Errorf("%s: %q (plain %q), want %q", tc.lang, refused, plain, tc.want)
		}
	}
}

// A redirect as the final answer is told as a redirect (sentence, cause and
// advice: open the address in a browser); any other odd status keeps the
// general words and "ask IT".
func TestMessageAndAdviceForARedirect(t *testing.T) {
	for _, lang := range Languages {
		tr := New(lang)
		redirect := probe.Result{Target: "efaktur", Reason: probe.ReasonHTTPStatus, HTTPStatus: 302}
		blocked := probe.Result{Target: "efaktur", Reason: probe.ReasonHTTPStatus, HTTPStatus: 403}
		if msg := tr.Message(redirect); msg == tr.Message(probe.Result{Target: "efaktur", Reason: probe.ReasonHTTPStatus, HTTPStatus: 302 + 100}) ||
			!strings.Contains(msg, "HTTP 302") {
			t.Errorf("%s: redirect told as %q", lang, msg)
		}
		a := tr.AdviceOn(probe.ReasonHTTPStatus, &redirect)
		if a == "" || strings.HasPrefix(a, "advice.") || a == tr.Advice(probe.ReasonHTTPStatus) || !strings.Contains(a, "browser") {
			t.Errorf("%s: advice on a redirect: %q", lang, a)
		}
		if got := tr.AdviceOn(probe.ReasonHTTPStatus, &blocked); got != tr.Advice(probe.ReasonHTTPStatus) {
			t.Errorf("%s: advice on a 403: %q", lang, got)
		}
		if got := tr.AdviceOn(probe.ReasonHTTPStatus, nil); got != tr.Advice(probe.ReasonHTTPStatus) {
			t.Errorf("%s: advice without a last check: %q", lang, got)
		}
		if c := tr.CauseOn(probe.ReasonHTTPStatus, &redirect); c == tr.Cause(probe.ReasonHTTPStatus) || !strings.Contains(c, "HTTP 302") {
			t.Errorf("%s: cause of a redirect: %q", lang, c)
		}
		if c := tr.CauseOn(probe.ReasonHTTPStatus, &blocked); c != tr.Cause(probe.ReasonHTTPStatus) {
			t.Errorf("%s: cause of a 403: %q", lang, c)
		}
		// The last check's status speaks only for its own reason.
		stale := probe.Result{Reason: probe.ReasonOK, HTTPStatus: 302}
		if c := tr.CauseOn(probe.ReasonHTTPStatus, &stale); c != tr.Cause(probe.ReasonHTTPStatus) {
			t.Errorf("%s: cause from another reason's check: %q", lang, c)
		}
		if a := tr.AdviceOn(probe.ReasonHTTPStatus, &stale); a != tr.Advice(probe.ReasonHTTPStatus) {
			t.Errorf("%s: advice from another reason's check: %q", lang, a)
		}
	}
}

// An unsteady server is told with its numbers, and only while it answers:
// down is red already, and a steady server gets no remark.
func TestUnsteadyIsToldWithItsNumbers(t *testing.T) {
	shaky := monitor.Tally{Checks: 10, Failures: 4, Episodes: 3}
	for _, lang := range Languages {
		tr := New(lang)
		for _, level := range []probe.Level{probe.LevelUp, probe.LevelDegraded} {
			note, advice := tr.UnsteadyNote(level, shaky), tr.UnsteadyAdvice(level, shaky)
			for _, s := range []string{note, advice} {
				if !strings.Contains(s, "4") || !strings.Contains(s, "10") || strings.Contains(s, "<no value>") || strings.HasPrefix(s, "unsteady.") || strings.HasPrefix(s, "advice.") {
					t.Errorf("%s %s: %q", lang, level, s)
				}
			}
		}
		for _, c := range []struct {
			level probe.Level
			tally monitor.Tally
		}{
			{probe.LevelDown, shaky},
			{probe.LevelOffline, shaky},
			{probe.LevelUnknown, shaky},
			{probe.LevelUp, monitor.Tally{Checks: 10, Failures: 2, Episodes: 2}},
		} {
			if s := tr.UnsteadyNote(c.level, c.tally) + tr.UnsteadyAdvice(c.level, c.tally); s != "" {
				t.Errorf("%s %s %+v: %q", lang, c.level, c.tally, s)
			}
		}
	}
}

// An SVC that answered through its validation service says so, in words.
func TestMessageSaysViaValidation(t *testing.T) {
	r := probe.Result{Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK, Via: probe.ViaValidation}
	for lang, want := range map[string]string{"id": "SVC menjawab lewat layanan validasi faktur", "en": "through its invoice validation service"} {
		if got := New(lang).Message(r); !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", lang, got, want)
		}
	}
	if got := New("id").Message(probe.Result{Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK}); strings.Contains(got, "validasi") {
		t.Errorf("said for a WSDL answer: %q", got)
	}
}
