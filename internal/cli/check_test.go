package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/probe"
)

func runCheck(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	args = append([]string{"--config", filepath.Join(t.TempDir(), "config.json")}, args...)
	code = Check(args, cmdline.IO{Stdout: &out, Stderr: &errOut})
	return code, out.String(), errOut.String()
}

func fake(t *testing.T, b fakesvc.Behaviour) string {
	t.Helper()
	srv := httptest.NewServer(fakesvc.New(b))
	t.Cleanup(srv.Close)
	return srv.URL + "/svc/MasterFakturService?wsdl"
}

func TestCheckExitCodes(t *testing.T) {
	t.Parallel()
	ref := fake(t, fakesvc.OK)
	refURL := strings.Replace(ref, "/svc/MasterFakturService?wsdl", "/_fake/generate_204", 1)
	tests := []struct {
		behaviour fakesvc.Behaviour
		reference string
		code      int
		word      string
	}{
		{fakesvc.OK, "off", 0, "ONLINE"},
		{fakesvc.NotFound, "off", 1, "TERGANGGU"},
		{fakesvc.Maintenance, "off", 2, "DOWN"},
		{fakesvc.Down, refURL, 2, "DOWN"},
		{fakesvc.Down, "http://127.0.0.1:1/generate_204", 3, "PC OFFLINE"},
	}
	for _, tc := range tests {
		t.Run(string(tc.behaviour)+"/"+tc.word, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCheck(t, "--url", fake(t, tc.behaviour), "--reference", tc.reference)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; out %q err %q", code, tc.code, out, errOut)
			}
			if !strings.HasPrefix(out, tc.word+" — ") {
				t.Errorf("human line %q does not start with %q", out, tc.word)
			}
			if errOut != "" {
				t.Errorf("unexpected stderr %q", errOut)
			}
		})
	}
}

// A timeout shorter than the default slow threshold (5 s) is a shorter
// check, not a usage error: the slow threshold the user did not set
// follows. (watch lays its flags over the settings with the same code.)
func TestCheckShortTimeoutAlone(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCheck(t, "--url", fake(t, fakesvc.OK), "--reference", "off", "--timeout", "3s")
	if code != 0 || errOut != "" {
		t.Errorf("check --timeout 3s: exit %d, out %q err %q", code, out, errOut)
	}
}

func TestCheckJSONContract(t *testing.T) {
	t.Parallel()
	code, out, _ := runCheck(t, "--url", fake(t, fakesvc.OK), "--json", "--lang", "en")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"level", "reason", "url", "http_status", "latency_ms", "phases", "bytes", "clock_skew_s", "message", "checked_at"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, out)
		}
	}
	phases, _ := m["phases"].(map[string]any)
	for _, k := range []string{"dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "total_ms"} {
		if _, ok := phases[k]; !ok {
			t.Errorf("phases lacks %q", k)
		}
	}
	if m["level"] != "up" || m["reason"] != "ok" || m["http_status"] != float64(200) {
		t.Errorf("wrong values: %s", out)
	}
	if msg, _ := m["message"].(string); !strings.Contains(msg, "online") || strings.Contains(msg, "layanan") {
		t.Errorf("message not in English: %q", msg)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("want exactly one line, got %q", out)
	}
}

// A page answering in the service's place is named by its title, in the
// human line and in --json (page_title), and the title survives the trip
// through JSON the agent's control socket makes.
func TestCheckTellsTheTitleOfThePageInTheWay(t *testing.T) {
	t.Parallel()
	u := fake(t, fakesvc.Captive)
	code, out, _ := runCheck(t, "--url", u, "--reference", "off")
	if code != 1 || !strings.Contains(out, "“Wi-Fi Login”") {
		t.Errorf("exit %d, human line %q: want exit 1 and the title", code, out)
	}
	code, out, _ = runCheck(t, "--url", u, "--reference", "off", "--json")
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != 1 || m["page_title"] != "Wi-Fi Login" {
		t.Fatalf("exit %d, err %v, JSON %s: want page_title", code, err, out)
	}
	var res probe.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.PageTitle != "Wi-Fi Login" {
		t.Errorf("read back: %v, title %q", err, res.PageTitle)
	}
	_, out, _ = runCheck(t, "--url", fake(t, fakesvc.OK), "--json")
	if strings.Contains(out, "page_title") {
		t.Errorf("a healthy answer carries a page title: %s", out)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--url", "ftp://svc.efaktur.pajak.go.id/"}, "http://"},
		{[]string{"--url", "svc.efaktur.pajak.go.id"}, "http://"},
		{[]string{"--url", "https://"}, "http://"},
		// A typo in the port is a bad address, never "cannot connect, down".
		{[]string{"--url", "https://svc.efaktur.pajak.go.id:99999/svc"}, "65535"},
		{[]string{"--url", "https://svc.efaktur.pajak.go.id:0/svc"}, "65535"},
		{[]string{"--url", "https://svc.efaktur.pajak.go.id:80a/svc"}, "65535"},
		{[]string{"--url", "https://svc.efaktur.pajak .go.id/svc"}, "spasi"},
		{[]string{"--url", "https://user:rahasia@svc.efaktur.pajak.go.id/svc"}, "kata sandi"},
		{[]string{"--reference", "http://example.com:70000/"}, "65535"},
		{[]string{"--bogus"}, "-bogus"},
		{[]string{"--timeout", "soon"}, "--timeout"},
		{[]string{"--timeout", "-5s"}, "--timeout"},
		{[]string{"--slow", "0"}, "--slow"},
		{[]string{"--timeout", "10m"}, "2 menit"},
		{[]string{"--slow", "20s"}, "15 detik"},
		{[]string{"--timeout", "3s", "--slow", "4s"}, "3 detik"},
		{[]string{"--proxy", "ftp://proxy:21"}, "--proxy"},
		{[]string{"--proxy", "proxy.kantor"}, "nomor port"},
		{[]string{"--reference", "maybe"}, "--reference"},
		{[]string{"--lang", "fr"}, "--lang"},
		{[]string{"extra"}, "extra"},
		{[]string{"--url"}, "-url"},
	}
	for _, tc := range tests {
		code, out, errOut := runCheck(t, tc.args...)
		if code != cmdline.ExitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, code, cmdline.ExitUsage)
		}
		if out != "" {
			t.Errorf("%v: something was printed on stdout: %q", tc.args, out)
		}
		if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: want one line mentioning %q, got %q", tc.args, tc.want, errOut)
		}
	}
}

func TestCheckUsageErrorsSpeakEnglishWhenAsked(t *testing.T) {
	t.Parallel()
	_, _, id := runCheck(t, "--url", "ftp://x")
	_, _, en := runCheck(t, "--lang", "en", "--url", "ftp://x")
	if !strings.Contains(id, "alamat tidak valid") || !strings.Contains(en, "invalid address") {
		t.Fatalf("id %q en %q", id, en)
	}
	_, _, id = runCheck(t, "--proxy", "proxy.kantor")
	_, _, en = runCheck(t, "--lang", "en", "--proxy", "proxy.kantor")
	if !strings.Contains(id, "tidak memiliki nomor port") || !strings.Contains(en, "has no port number") {
		t.Fatalf("proxy without port: id %q en %q", id, en)
	}
}

// --service coretax checks Coretax with its own rules at --url; the JSON
// names the service, and the exit code is as for e-Faktur.
func TestCheckService(t *testing.T) {
	errorPage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<h2>An error occurred while processing your request.</h2>"))
	}))
	defer errorPage.Close()
	code, out, errOut := runCheck(t, "--service", "coretax", "--url", errorPage.URL+"/identityproviderportal/Account/Login", "--reference", "off", "--json")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 2 {
		t.Fatalf("exit %d, %q %q", code, out, errOut)
	}
	if got["target"] != "coretax" || got["reason"] != "server_error" {
		t.Fatalf("%s", out)
	}
	// Under e-Faktur's rules the same page is not the WSDL: degraded.
	if code, _, _ := runCheck(t, "--service", "efaktur", "--url", errorPage.URL, "--reference", "off"); code != 1 {
		t.Fatalf("e-Faktur's rules on a page: exit %d, want 1", code)
	}
	code, out, errOut = runCheck(t, "--service", "enofa", "--lang", "en")
	if code != cmdline.ExitUsage || out != "" || !strings.Contains(errOut, `--service "enofa" is unknown`) {
		t.Fatalf("unknown service: exit %d, %q %q", code, out, errOut)
	}
}
