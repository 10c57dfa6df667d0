package probe_test

import (
	"context"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattn/go-ieproxy"

	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/probe"
)

func TestIEProxyFunc(t *testing.T) {
	static := func(protocols map[string]string, noProxy string) ieproxy.ProxyConf {
		return ieproxy.ProxyConf{Static: ieproxy.StaticProxyConf{Active: true, Protocols: protocols, NoProxy: noProxy}}
	}
	pacConf := ieproxy.ProxyConf{Automatic: ieproxy.ProxyScriptConf{Active: true, PreConfiguredURL: "http://wpad/wpad.dat"},
		Static: ieproxy.StaticProxyConf{Active: true, Protocols: map[string]string{"": "fallback:3128"}}}
	svc := "https://svc.efaktur.pajak.go.id/svc/MasterFakturService?wsdl"
	tests := []struct {
		name string
		conf ieproxy.ProxyConf
		pac  func(string) string
		url  string
		want string // "" = direct
	}{
		{"nothing configured", ieproxy.ProxyConf{}, nil, svc, ""},
		{"static for all", static(map[string]string{"": "proxy.kantor:8080"}, ""), nil, svc, "http://proxy.kantor:8080"},
		{"static with scheme", static(map[string]string{"": "http://proxy.kantor:8080"}, ""), nil, svc, "http://proxy.kantor:8080"},
		{"static off", ieproxy.ProxyConf{Static: ieproxy.StaticProxyConf{Active: false, Protocols: map[string]string{"": "p:1"}}}, nil, svc, ""},
		{"per protocol https", static(map[string]string{"http": "a:80", "https": "b:443"}, ""), nil, svc, "http://b:443"},
		{"per protocol, https not listed: direct", static(map[string]string{"http": "a:80"}, ""), nil, svc, ""},
		{"per protocol, socks for the rest", static(map[string]string{"http": "a:80", "socks": "s:1080"}, ""), nil, svc, "socks5://s:1080"},
		{"bypass exact", static(map[string]string{"": "p:8080"}, "svc.efaktur.pajak.go.id"), nil, svc, ""},
		{"bypass wildcard", static(map[string]string{"": "p:8080"}, "*.pajak.go.id,<local>"), nil, svc, ""},
		{"bypass other domain", static(map[string]string{"": "p:8080"}, "*.kantor.local"), nil, svc, "http://p:8080"},
		{"bypass <local> for a plain name", static(map[string]string{"": "p:8080"}, "<local>"), nil, "http://intranet/x", ""},
		{"<local> is not a dotted name", static(map[string]string{"": "p:8080"}, "<local>"), nil, svc, "http://p:8080"},
		{"loopback always direct", static(map[string]string{"": "p:8080"}, ""), nil, "http://127.0.0.1:8080/svc", ""},
		{"pac answer host:port", pacConf, func(string) string { return "pac.kantor:8080" }, svc, "http://pac.kantor:8080"},
		{"pac answer PROXY list", pacConf, func(string) string { return "PROXY pac1:80; PROXY pac2:80; DIRECT" }, svc, "http://pac1:80"},
		{"pac answer DIRECT", pacConf, func(string) string { return "DIRECT" }, svc, ""},
		{"pac answer SOCKS", pacConf, func(string) string { return "SOCKS s:1080" }, svc, "socks5://s:1080"},
		{"pac answer with scheme=", pacConf, func(string) string { return "https=pac3:443" }, svc, "http://pac3:443"},
		// Only what the user types must carry a port; the PC's own
		// settings and PAC answers keep the usual port 80.
		{"static without port", static(map[string]string{"": "proxy.kantor"}, ""), nil, svc, "http://proxy.kantor"},
		{"pac answer PROXY without port", pacConf, func(string) string { return "PROXY pac4" }, svc, "http://pac4"},
		{"pac gives nothing: static", pacConf, func(string) string { return "" }, svc, "http://fallback:3128"},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest(http.MethodGet, tc.url, nil)
		u, err := probe.IEProxyFunc(tc.conf, tc.pac)(req)
		got := ""
		if u != nil {
			got = u.String()
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: got %q (%v), want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestProxySettingChoice(t *testing.T) {
	req, _ := http.NewRequest(http.MethodGet, "https://svc.efaktur.pajak.go.id/svc", nil)
	// none: direct even when the system has a proxy.
	old := probe.SystemProxy
	defer func() { probe.SystemProxy = old }()
	probe.SystemProxy = func() func(*http.Request) (*url.URL, error) {
		return func(*http.Request) (*url.URL, error) { return url.Parse("http://system-proxy:3128") }
	}
	for _, tc := range []struct {
		setting probe.ProxySetting
		want    string
	}{
		{probe.ProxyNone, ""},
		{probe.ProxySystem, "http://system-proxy:3128"},
		{"http://manual:8080", "http://manual:8080"},
		{"manual-no-scheme:8080", "http://manual-no-scheme:8080"},
	} {
		u, err := tc.setting.Func()(req)
		got := ""
		if u != nil {
			got = u.String()
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %q %v, want %q", tc.setting, got, err, tc.want)
		}
	}
}

// A PAC script or WPAD detection that takes longer than the check may wait
// ends the check as a proxy problem at its timeout, not later; its late
// answer is remembered and used by the next check without asking again.
func TestSlowPACEndsAtTheTimeoutAndIsRemembered(t *testing.T) {
	_, svcURL := serve(t, fakesvc.OK)
	release := make(chan struct{})
	var asked atomic.Int32
	slowPAC := func(string) string {
		asked.Add(1)
		<-release
		return "DIRECT"
	}
	conf := ieproxy.ProxyConf{Automatic: ieproxy.ProxyScriptConf{Active: true}}
	fn := probe.IEProxyFunc(conf, slowPAC)
	old := probe.SystemProxy
	t.Cleanup(func() { probe.SystemProxy = old })
	probe.SystemProxy = func() func(*http.Request) (*url.URL, error) { return fn }

	check := func(timeout time.Duration) probe.Result {
		t.Helper()
		done := make(chan probe.Result, 1)
		go func() {
			done <- probe.Check(context.Background(), wsdlTarget(svcURL),
				probe.Options{Proxy: probe.ProxySystem, Timeout: timeout, Reference: "off"})
		}()
		select {
		case res := <-done:
			return res
		case <-time.After(10 * time.Second):
			close(release) // let the stuck check end before the test does
			t.Fatal("the check waited for the PAC script past its timeout")
		}
		return probe.Result{}
	}

	res := check(300 * time.Millisecond)
	if res.Level != probe.LevelDegraded || res.Reason != probe.ReasonProxy {
		t.Fatalf("slow PAC: %s/%s (%s), want degraded/proxy", res.Level, res.Reason, res.Error)
	}
	close(release)
	res = check(5 * time.Second)
	if res.Reason != probe.ReasonOK {
		t.Fatalf("after the PAC answered: %s (%s), want ok", res.Reason, res.Error)
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("PAC asked %d times for one address, want 1 (its answer is remembered)", n)
	}
}
