package settings_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"pantau-efaktur/settings"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 31, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))

func TestDefaultSettingsAreValid(t *testing.T) {
	s := settings.Default()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	p := s.Policy()
	if p.Interval != time.Minute || p.Recheck != 10*time.Second || p.DownInterval != 30*time.Second ||
		p.FailThreshold != 3 || p.RecoverThreshold != 2 {
		t.Fatalf("policy %+v", p)
	}
}

// Every field, with a bad value: the error names that field (and the range
// where there is one).
func TestValidateEveryField(t *testing.T) {
	tests := []struct {
		field  string
		mutate func(*settings.Settings)
		code   settings.FieldCode
	}{
		{"url", func(s *settings.Settings) { s.URL = "svc.efaktur.pajak.go.id" }, "url"},
		{"url", func(s *settings.Settings) { s.URL = "ftp://svc.efaktur.pajak.go.id/" }, "url"},
		{"url", func(s *settings.Settings) { s.URL = "https://user:pw@svc.efaktur.pajak.go.id/" }, "url"},
		{"interval", func(s *settings.Settings) { s.Interval = settings.Duration(5 * time.Second) }, "range"},
		{"interval", func(s *settings.Settings) { s.Interval = settings.Duration(2 * time.Hour) }, "range"},
		{"recheck", func(s *settings.Settings) { s.Recheck = settings.Duration(time.Second) }, "range"},
		{"recheck", func(s *settings.Settings) { s.Recheck = settings.Duration(time.Hour) }, "range"},
		{"down_interval", func(s *settings.Settings) { s.DownInterval = 0 }, "range"},
		{"fail_threshold", func(s *settings.Settings) { s.FailThreshold = 1 }, "range"},
		{"fail_threshold", func(s *settings.Settings) { s.FailThreshold = 11 }, "range"},
		{"recover_threshold", func(s *settings.Settings) { s.RecoverThreshold = 0 }, "range"},
		{"recover_threshold", func(s *settings.Settings) { s.RecoverThreshold = 99 }, "range"},
		{"timeout", func(s *settings.Settings) { s.Timeout = settings.Duration(100 * time.Millisecond) }, "range"},
		{"timeout", func(s *settings.Settings) { s.Timeout = settings.Duration(10 * time.Minute) }, "range"},
		{"slow", func(s *settings.Settings) { s.Slow = settings.Duration(20 * time.Second) }, "slow_vs_timeout"},
		{"slow", func(s *settings.Settings) { s.Slow = 0 }, "range"},
		{"proxy", func(s *settings.Settings) { s.Proxy = "ftp://proxy:21" }, "proxy"},
		{"proxy", func(s *settings.Settings) { s.Proxy = "http://proxy:99999" }, "proxy"},
		// Typed without its port: the message asks for the port.
		{"proxy", func(s *settings.Settings) { s.Proxy = "proxy.kantor" }, "proxy_port"},
		{"reference", func(s *settings.Settings) { s.Reference = "maybe" }, "reference"},
		{"language", func(s *settings.Settings) { s.Language = "fr" }, "language"},
		{"services", func(s *settings.Settings) { s.Services = settings.Services{} }, "no_service"},
		{"coretax_url", func(s *settings.Settings) { s.CoretaxURL = "coretaxdjp.pajak.go.id" }, "url"},
		{"coretax_slow", func(s *settings.Settings) { s.CoretaxSlow = settings.Duration(15 * time.Second) }, "slow_vs_timeout"},
		{"coretax_slow", func(s *settings.Settings) { s.CoretaxSlow = 0 }, "range"},
	}
	for _, tc := range tests {
		s := settings.Default()
		tc.mutate(&s)
		var verr settings.ValidationError
		if err := s.Validate(); !errors.As(err, &verr) {
			t.Errorf("%s: accepted %+v", tc.field, s)
			continue
		}
		found := false
		for _, fe := range verr {
			if fe.Field == tc.field && fe.Code == tc.code {
				found = true
				if tc.code == "range" && (fe.Min == "" || fe.Max == "") {
					t.Errorf("%s: range error without the range: %+v", tc.field, fe)
				}
			}
		}
		if !found {
			t.Errorf("%s: errors %v do not name the field with code %s", tc.field, verr, tc.code)
		}
	}
}

// The address is checked for what the user can fix, each problem named.
func TestValidateURL(t *testing.T) {
	tests := []struct {
		url  string
		want settings.URLProblem
	}{
		{settings.DefaultURL, ""},
		{"  https://svc.efaktur.pajak.go.id/svc  ", ""},
		{"HTTPS://SVC.EFAKTUR.PAJAK.GO.ID/svc", ""},
		{"http://127.0.0.1:8080/svc?wsdl", ""},
		{"http://[::1]:65535/", ""},
		{"https://svc.efaktur.pajak.go.id:1/", ""},
		{"", settings.URLNotHTTP},
		{"svc.efaktur.pajak.go.id", settings.URLNotHTTP},
		{"ftp://svc.efaktur.pajak.go.id/", settings.URLNotHTTP},
		{"https://", settings.URLNotHTTP},
		{"https:///svc", settings.URLNotHTTP},
		{"https://svc.efaktur.pajak .go.id/", settings.URLBadChars},
		{"https://svc.efaktur.pajak.go.id/svc\tx", settings.URLBadChars},
		{"https://svc.efaktur.pajak.go.id/s vc", settings.URLBadChars},
		{"https://svc.efaktur.pajak.go.id/\x7f", settings.URLBadChars},
		{"http://[::1/", settings.URLBadChars},
		{"https://user:pw@svc.efaktur.pajak.go.id/", settings.URLCredentials},
		{"https://user@svc.efaktur.pajak.go.id/", settings.URLCredentials},
		{"https://svc.efaktur.pajak.go.id:99999/", settings.URLBadPort},
		{"https://svc.efaktur.pajak.go.id:0/", settings.URLBadPort},
		{"https://svc.efaktur.pajak.go.id:80a/", settings.URLBadPort},
		{"http://[::1]:65536/", settings.URLBadPort},
	}
	for _, tc := range tests {
		err := settings.ValidateURL(tc.url)
		if got := settings.ProblemOf(err); got != tc.want {
			t.Errorf("%q: problem %q (%v), want %q", tc.url, got, err, tc.want)
		}
	}
	// The settings name the problem too, for the address and the reference.
	s := settings.Default()
	s.URL, s.Reference = "https://svc.efaktur.pajak.go.id:99999/", "https://u:p@example.com/"
	var verr settings.ValidationError
	if !errors.As(s.Validate(), &verr) || len(verr) != 2 || verr[0].Problem != settings.URLBadPort || verr[1].Problem != settings.URLCredentials {
		t.Errorf("settings: %+v", verr)
	}
}

func TestShortIntervalsOnlyForLoopback(t *testing.T) {
	s := settings.Default()
	s.Interval, s.Recheck, s.DownInterval = settings.Duration(time.Second), settings.Duration(time.Second), settings.Duration(time.Second)
	if s.Validate() == nil {
		t.Fatal("1 s interval accepted for DJP")
	}
	s.URL = "http://127.0.0.1:8080/svc?wsdl"
	if err := s.Validate(); err != nil {
		t.Fatalf("loopback refused: %v", err)
	}
}

func TestSettingsSaveLoadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.json")
	s := settings.Default()
	s.URL = "https://svc.efaktur.pajak.go.id/svc/Other?wsdl"
	s.Interval = settings.Duration(2 * time.Minute)
	s.Proxy = "http://proxy.kantor:8080"
	s.Services.Efaktur = false
	s.Secondary.Enofa = true
	s.Notify.Offline = true
	s.Language = "en"
	if err := settings.Save(path, s); err != nil {
		t.Fatal(err)
	}
	got, rep, err := settings.Load(path, t0)
	if err != nil || rep.HasNotice() || rep.Missing {
		t.Fatalf("load: %v %+v", err, rep)
	}
	if got.URL != s.URL || got.Interval != s.Interval || got.Proxy != s.Proxy || got.Services.Efaktur || !got.Secondary.Enofa ||
		!got.Notify.Offline || got.Language != "en" || got.Version != settings.Version {
		t.Fatalf("round trip: %+v", got)
	}
	if targets, services := got.Monitored(); len(targets) != 2 || services != 1 || targets[0].ID != "coretax" || targets[1].ID != "enofa" {
		t.Fatalf("targets %+v, %d services", targets, services)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" { // Windows: the ACL of %APPDATA%
		t.Errorf("mode %v", fi.Mode())
	}
	// The file is readable by people: durations as text.
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"interval": "2m0s"`) {
		t.Errorf("file:\n%s", data)
	}
}

func TestSaveRefusesInvalidAndKeepsTheOldFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	good := settings.Default()
	if err := settings.Save(path, good); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	bad := good
	bad.Interval = settings.Duration(time.Second)
	if err := settings.Save(path, bad); err == nil {
		t.Fatal("invalid settings saved")
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Fatal("a refused save changed the file")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("left-over files: %v", entries)
	}
}

// Both services are in use unless the file says otherwise; none at all is
// refused (and the default used, with a notice); a file from before
// Coretax's threshold with a short timeout loads without a word.
func TestServicesInUse(t *testing.T) {
	load := func(content string) (settings.Settings, settings.LoadReport) {
		path := filepath.Join(t.TempDir(), "config.json")
		os.WriteFile(path, []byte(content), 0o600)
		s, rep, err := settings.Load(path, t0)
		if err != nil {
			t.Fatal(err)
		}
		return s, rep
	}
	s, rep := load(`{"version": 1, "timeout": "6s"}`)
	if targets, n := s.Monitored(); n != 2 || targets[0].ID != "efaktur" || targets[1].ID != "coretax" ||
		targets[1].URL != settings.DefaultCoretaxURL || targets[1].Slow != 3*time.Second || rep.HasNotice() {
		t.Errorf("an old file: %+v, %d services, %+v", targets, n, rep)
	}
	s, rep = load(`{"version": 1, "services": {"efaktur": false}, "coretax_url": "http://127.0.0.1:9/login"}`)
	if targets, n := s.Monitored(); n != 1 || len(targets) != 1 || targets[0].URL != "http://127.0.0.1:9/login" || rep.HasNotice() {
		t.Errorf("Coretax alone: %+v, %d services, %+v", targets, n, rep)
	}
	s, rep = load(`{"version": 1, "services": {"efaktur": false, "coretax": false}}`)
	if !s.Services.Efaktur || !s.Services.Coretax || len(rep.Invalid) != 1 || rep.Invalid[0].Code != settings.CodeNoService {
		t.Errorf("no service: %+v, %+v", s.Services, rep)
	}
}

func TestLoadMissingFileGivesDefaults(t *testing.T) {
	s, rep, err := settings.Load(filepath.Join(t.TempDir(), "config.json"), t0)
	if err != nil || !rep.Missing || rep.HasNotice() || s.URL != settings.DefaultURL {
		t.Fatalf("%v %+v %+v", err, rep, s)
	}
}

func TestBrokenFileIsKeptAsideAndDefaultsUsed(t *testing.T) {
	for _, content := range []string{`{"url": "https://x", "interval": `, "\x00\x01garbage", `["a list"]`, `null`, ``} {
		dir := t.TempDir()
		path := filepath.Join(dir, "config.json")
		os.WriteFile(path, []byte(content), 0o600)
		s, rep, err := settings.Load(path, t0)
		if err != nil {
			t.Fatalf("%q: %v", content, err)
		}
		if rep.BrokenKeptAs == "" || !rep.HasNotice() {
			t.Fatalf("%q: no notice: %+v", content, rep)
		}
		kept, err := os.ReadFile(rep.BrokenKeptAs)
		if err != nil || string(kept) != content {
			t.Fatalf("%q: the broken file was not kept intact: %v", content, err)
		}
		if !strings.HasPrefix(filepath.Base(rep.BrokenKeptAs), "config.json.broken-20260331-") {
			t.Errorf("kept as %s", rep.BrokenKeptAs)
		}
		if s.URL != settings.DefaultURL {
			t.Errorf("defaults not used: %+v", s)
		}
		// Told once: the next load finds no file and says nothing.
		if _, rep2, _ := settings.Load(path, t0.Add(time.Minute)); rep2.HasNotice() {
			t.Errorf("%q: told twice", content)
		}
		// Saving now does not touch the kept file.
		settings.Save(path, s)
		if again, _ := os.ReadFile(rep.BrokenKeptAs); string(again) != content {
			t.Errorf("kept file changed by a save")
		}
	}
}

// Windows Notepad saves "UTF-8" with a byte-order mark (before Windows 10
// 1903) and "Unicode" as UTF-16 with one; the README tells users to edit the
// address by hand, so such a file must load, not be moved aside as broken.
func TestFileSavedByNotepadLoads(t *testing.T) {
	text := "{\r\n  \"url\": \"https://svc.example.go.id/svc?wsdl\",\r\n  \"fail_threshold\": 4\r\n}\r\n"
	utf16 := func(bigEndian bool) []byte {
		var b []byte
		if bigEndian {
			b = []byte{0xFE, 0xFF}
		} else {
			b = []byte{0xFF, 0xFE}
		}
		for _, r := range text { // ASCII only: one 16-bit unit each
			if bigEndian {
				b = append(b, 0, byte(r))
			} else {
				b = append(b, byte(r), 0)
			}
		}
		return b
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"utf-8, crlf", []byte(text)},
		{"utf-8 with bom", append([]byte{0xEF, 0xBB, 0xBF}, text...)},
		{"utf-16le with bom", utf16(false)},
		{"utf-16be with bom", utf16(true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.json")
			os.WriteFile(path, tc.data, 0o600)
			s, rep, err := settings.Load(path, t0)
			if err != nil || rep.HasNotice() {
				t.Fatalf("not loaded: %v %+v", err, rep)
			}
			if s.URL != "https://svc.example.go.id/svc?wsdl" || s.FailThreshold != 4 {
				t.Errorf("values not read: url %q, fail_threshold %d", s.URL, s.FailThreshold)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, tc.data) {
				t.Errorf("the file was changed by loading")
			}
		})
	}
}

// Two broken files met within one second (a restart loop, the agent and a
// window starting together) must not overwrite each other's kept copy.
func TestBrokenFilesInTheSameSecondAreAllKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	var kept []string
	for _, content := range []string{"first {", "second {", "third {"} {
		os.WriteFile(path, []byte(content), 0o600)
		_, rep, err := settings.Load(path, t0)
		if err != nil || rep.BrokenKeptAs == "" {
			t.Fatalf("%q: %v %+v", content, err, rep)
		}
		kept = append(kept, rep.BrokenKeptAs)
		if got, _ := os.ReadFile(rep.BrokenKeptAs); string(got) != content {
			t.Fatalf("%q kept as %s holds %q", content, rep.BrokenKeptAs, got)
		}
	}
	for i, k := range kept {
		if got, _ := os.ReadFile(k); !strings.HasPrefix(string(got), []string{"first", "second", "third"}[i]) {
			t.Errorf("%s was overwritten: %q", k, got)
		}
	}
}

func TestInvalidFieldFallsBackAloneAndFileIsUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	content := `{"version":1,"url":"https://svc.efaktur.pajak.go.id/svc/X?wsdl","interval":"5s","recheck":20,
"fail_threshold":"three","language":"EN","notify":{"down":false,"sound":"yes"},"future_option":{"a":1}}`
	os.WriteFile(path, []byte(content), 0o600)
	s, rep, err := settings.Load(path, t0)
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, fe := range rep.Invalid {
		fields[fe.Field] = true
	}
	for _, f := range []string{"interval", "fail_threshold", "notify.sound"} {
		if !fields[f] {
			t.Errorf("%s not reported: %+v", f, rep.Invalid)
		}
	}
	if s.URL != "https://svc.efaktur.pajak.go.id/svc/X?wsdl" || s.Interval != settings.Duration(time.Minute) ||
		s.Recheck != settings.Duration(20*time.Second) || s.FailThreshold != 3 || s.Language != "en" || s.Notify.Down {
		t.Fatalf("settings %+v", s)
	}
	if data, _ := os.ReadFile(path); string(data) != content {
		t.Fatal("loading changed the file")
	}
	// What the file says is kept for the settings window to show: the
	// invalid values as written, the unreadable ones at their defaults.
	if w := rep.Written; w.Interval != settings.Duration(5*time.Second) || w.FailThreshold != 3 || w.Recheck != s.Recheck || w.URL != s.URL {
		t.Errorf("as written: %+v", w)
	}
	// A save keeps what this version does not know.
	if err := settings.Save(path, s); err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	data, _ := os.ReadFile(path)
	var compact bytes.Buffer
	if err := json.Unmarshal(data, &m); err != nil || json.Compact(&compact, m["future_option"]) != nil || compact.String() != `{"a":1}` {
		t.Fatalf("unknown key lost:\n%s", data)
	}
}

func TestChangedURLMakesLoopbackIntervalsInvalid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(path, []byte(`{"url":"not a url","interval":"1s","recheck":"1s","down_interval":"1s"}`), 0o600)
	s, rep, _ := settings.Load(path, t0)
	if err := s.Validate(); err != nil {
		t.Fatalf("loaded settings are invalid: %v (report %+v)", err, rep.Invalid)
	}
	if s.Interval != settings.Duration(time.Minute) {
		t.Fatalf("1 s kept for DJP: %+v", s)
	}
}

func TestSettingsReadableAndDigest(t *testing.T) {
	for _, tc := range []struct {
		data string
		want bool
	}{
		{`{"url": "https://x"}`, true},
		{"\xef\xbb\xbf{}", true},
		{`{"url": "https://x",`, false}, // saved mid-edit
		{`null`, false},
		{`["a list"]`, false},
		{``, false},
	} {
		if got := settings.Readable([]byte(tc.data)); got != tc.want {
			t.Errorf("%q: readable %v, want %v", tc.data, got, tc.want)
		}
	}
	// The digest a load reports is that of the content it read.
	path := filepath.Join(t.TempDir(), "config.json")
	content := []byte(`{"fail_threshold": 4}`)
	os.WriteFile(path, content, 0o600)
	_, rep, _ := settings.Load(path, t0)
	if rep.Digest != settings.Digest(content) || rep.Digest == settings.Digest([]byte(`{"fail_threshold": 5}`)) {
		t.Errorf("digest does not identify the content read")
	}
}

// A save from a settings window replaces only the content the window read:
// an edit made in Notepad while the window stood open is not lost unasked.
func TestReplaceSettingsOnlyOverWhatWasRead(t *testing.T) {
	mine := settings.Default()
	mine.FailThreshold = 4
	edited := []byte(`{"version": 1, "fail_threshold": 5}`)
	for _, tc := range []struct {
		name    string
		before  []byte // nil: no file at load
		between []byte // written after the load; nil: none, "-": removed
		want    error
	}{
		{"unchanged", edited, nil, nil},
		{"first save, no file", nil, nil, nil},
		{"edited meanwhile", []byte(`{"version": 1}`), edited, settings.ErrChanged},
		{"created meanwhile", nil, edited, settings.ErrChanged},
		{"removed meanwhile", edited, []byte("-"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.json")
			if tc.before != nil {
				os.WriteFile(path, tc.before, 0o600)
			}
			_, rep, _ := settings.Load(path, t0)
			switch {
			case string(tc.between) == "-":
				os.Remove(path)
			case tc.between != nil:
				os.WriteFile(path, tc.between, 0o600)
			}
			onDisk, _ := os.ReadFile(path)
			now, err := settings.Replace(path, mine, rep.Digest)
			after, _ := os.ReadFile(path)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if now != settings.Digest(after) {
				t.Errorf("the digest returned is not that of the file as it is")
			}
			if tc.want != nil {
				if !bytes.Equal(after, onDisk) {
					t.Fatalf("the other edit was replaced:\n%s", after)
				}
				// Asked and confirmed: the digest returned replaces it.
				if _, err := settings.Replace(path, mine, now); err != nil {
					t.Fatal(err)
				}
			}
			got, _, _ := settings.Load(path, t0)
			if got.FailThreshold != 4 {
				t.Errorf("saved fail_threshold %d, want 4", got.FailThreshold)
			}
		})
	}
	// Invalid settings are refused before the file is even looked at.
	path := filepath.Join(t.TempDir(), "config.json")
	bad := mine
	bad.FailThreshold = 0
	if _, err := settings.Replace(path, bad, [32]byte{}); err == nil {
		t.Error("invalid settings saved")
	}
}

// A process that only needs to speak reads the language and touches
// nothing: a broken file stays where it is, for the agent to report.
func TestSettingsLanguage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content, want string
	}{
		{"missing", "", "id"},
		{"english", `{"version": 1, "language": "en"}`, "en"},
		{"hand-typed", `{"language": " EN "}`, "en"},
		{"notepad BOM", "\ufeff{\"language\": \"en\"}", "en"},
		{"unsupported", `{"language": "fr"}`, "id"},
		{"not a string", `{"language": 5}`, "id"},
		{"broken", `{"language": "en", `, "id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".json")
			if tc.content != "" {
				if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if got := settings.Language(path); got != tc.want {
				t.Errorf("language %q, want %q", got, tc.want)
			}
			if tc.content == "" {
				return
			}
			if b, err := os.ReadFile(path); err != nil || string(b) != tc.content {
				t.Errorf("the file was touched: %q %v", b, err)
			}
			if kept, _ := filepath.Glob(path + ".broken-*"); len(kept) > 0 {
				t.Errorf("moved aside: %v", kept)
			}
		})
	}
}

// Whatever the settings file holds (a half-saved edit, another program's
// junk, a hand edit with a wrong type), reading it gives settings the
// monitor accepts, and saving them writes a file that reads back the same,
// with nothing to report: the app never runs on, nor saves, invalid values.
func FuzzParseSettings(f *testing.F) {
	def, _ := json.Marshal(settings.Default())
	for _, s := range []string{string(def), `{}`, `{"url":"http://127.0.0.1:1/x","interval":"1s"}`,
		`{"slow":"20s","timeout":"5s"}`, `{"interval":"0s","recheck":-1,"fail_threshold":1e9}`,
		`{"notify":{"down":"yes"},"secondary":[],"future":{"a":[1,2]}}`, "\ufeff{\"language\":\" EN \"}", `[1]`, `{"url":`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, rep := settings.Parse(data)
		if err := s.Validate(); err != nil {
			t.Fatalf("read settings are invalid (%v): %+v", err, s)
		}
		if rep.Unreadable {
			return
		}
		saved, err := s.Encode()
		if err != nil {
			t.Fatalf("save what was read: %v", err)
		}
		again, rep := settings.Parse(saved)
		if rep.HasNotice() || rep.Unreadable {
			t.Fatalf("read back: %+v\n%s", rep, saved)
		}
		if resaved, err := again.Encode(); err != nil || !bytes.Equal(saved, resaved) {
			t.Fatalf("not stable (%v):\n%s\nthen\n%s", err, saved, resaved)
		}
	})
}
