package probe_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/probe"
)

// serve starts a fake SVC playing b and returns its URL.
func serve(t *testing.T, b fakesvc.Behaviour) (*fakesvc.Service, string) {
	t.Helper()
	svc := fakesvc.New(b)
	svc.SlowDelay = 300 * time.Millisecond
	svc.DripEvery = 200 * time.Millisecond
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	return svc, srv.URL + "/svc/MasterFakturService?wsdl"
}

func wsdlTarget(u string) probe.Target {
	return probe.Target{ID: "efaktur", URL: u, Expect: probe.ExpectWSDL}
}

// closedPort returns an address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestCheckAgainstFakeService(t *testing.T) {
	t.Parallel()
	tests := []struct {
		behaviour  fakesvc.Behaviour
		opts       probe.Options
		wantLevel  probe.Level
		wantReason probe.Reason
		wantStatus int
		wantTitle  string // the page's title, kept where something else answered
	}{
		{fakesvc.OK, probe.Options{}, probe.LevelUp, probe.ReasonOK, 200, ""},
		{fakesvc.Gzip, probe.Options{}, probe.LevelUp, probe.ReasonOK, 200, ""},
		{fakesvc.WrongType, probe.Options{}, probe.LevelUp, probe.ReasonOK, 200, ""},
		{fakesvc.Slow, probe.Options{Slow: 100 * time.Millisecond}, probe.LevelDegraded, probe.ReasonSlow, 200, ""},
		{fakesvc.Maintenance, probe.Options{}, probe.LevelDown, probe.ReasonMaintenance, 200, ""},
		{fakesvc.Maintenance503, probe.Options{}, probe.LevelDown, probe.ReasonMaintenance, 503, ""},
		{fakesvc.ServerError, probe.Options{}, probe.LevelDown, probe.ReasonServerError, 500, ""},
		{fakesvc.BadGateway, probe.Options{}, probe.LevelDown, probe.ReasonServerError, 502, ""},
		{fakesvc.NotFound, probe.Options{}, probe.LevelDegraded, probe.ReasonNotFound, 404, "404 Not Found"},
		{fakesvc.Captive, probe.Options{}, probe.LevelDegraded, probe.ReasonUnexpectedContent, 200, "Wi-Fi Login"},
		{fakesvc.ProxyBlock, probe.Options{}, probe.LevelDegraded, probe.ReasonUnexpectedContent, 200, "Access Denied"},
		{fakesvc.Forbidden, probe.Options{}, probe.LevelDegraded, probe.ReasonHTTPStatus, 403, "Request Rejected"},
		{fakesvc.TooMany, probe.Options{}, probe.LevelDegraded, probe.ReasonHTTPStatus, 429, ""},
		{fakesvc.Empty, probe.Options{}, probe.LevelDegraded, probe.ReasonUnexpectedContent, 200, ""},
		{fakesvc.Truncated, probe.Options{}, probe.LevelDegraded, probe.ReasonUnexpectedContent, 200, ""},
		{fakesvc.InvalidXML, probe.Options{}, probe.LevelDegraded, probe.ReasonUnexpectedContent, 200, ""},
		{fakesvc.Foreign, probe.Options{}, probe.LevelDegraded, probe.ReasonUnexpectedContent, 200, ""},
		{fakesvc.Huge, probe.Options{}, probe.LevelDegraded, probe.ReasonUnexpectedContent, 200, ""},
		{fakesvc.RedirectLoop, probe.Options{}, probe.LevelDegraded, probe.ReasonHTTPStatus, 302, ""},
		// A host that answers with a redirect off the web has answered: not "cannot connect".
		{fakesvc.RedirectOffWeb, probe.Options{Reference: "off"}, probe.LevelDegraded, probe.ReasonHTTPStatus, 302, ""},
		{fakesvc.Down, probe.Options{Reference: "off"}, probe.LevelDown, probe.ReasonConnect, 0, ""},
		{fakesvc.Hang, probe.Options{Timeout: 300 * time.Millisecond, Reference: "off"}, probe.LevelDown, probe.ReasonTimeout, 0, ""},
	}
	for _, tc := range tests {
		t.Run(string(tc.behaviour), func(t *testing.T) {
			t.Parallel()
			_, u := serve(t, tc.behaviour)
			res := probe.Check(context.Background(), wsdlTarget(u), tc.opts)
			if res.Level != tc.wantLevel || res.Reason != tc.wantReason || res.HTTPStatus != tc.wantStatus {
				t.Fatalf("got %s/%s HTTP %d (err %q, detail %q), want %s/%s HTTP %d",
					res.Level, res.Reason, res.HTTPStatus, res.Error, res.Detail, tc.wantLevel, tc.wantReason, tc.wantStatus)
			}
			if res.Level != res.Reason.Level() {
				t.Errorf("level %s does not match reason %s", res.Level, res.Reason)
			}
			if res.PageTitle != tc.wantTitle {
				t.Errorf("page title %q, want %q", res.PageTitle, tc.wantTitle)
			}
			if res.Target != "efaktur" || res.URL != u || res.CheckedAt.IsZero() || res.Phases.Total <= 0 {
				t.Errorf("result lacks identity or timing: %+v", res)
			}
		})
	}
}

// A redirect off the web is not followed and not an error: the diagnostics
// name where it pointed, and no reference check is spent on it.
func TestCheckRedirectOffWebIsTheAnswer(t *testing.T) {
	t.Parallel()
	_, u := serve(t, fakesvc.RedirectOffWeb)
	res := probe.Check(context.Background(), wsdlTarget(u), probe.Options{})
	if res.Error != "" || !strings.Contains(res.Detail, "file:") || res.Reference != nil || !strings.HasPrefix(res.RedirectedTo, "file:") {
		t.Fatalf("error %q, detail %q, reference %+v, redirected to %q: want no error, a detail naming file:, no reference check",
			res.Error, res.Detail, res.Reference, res.RedirectedTo)
	}
}

// A redirect to another host is kept (without the password a hostile
// Location may carry, and cut to a note's length): when that host fails, it
// is the one to name.
func TestCheckKeepsWhereTheRedirectPointed(t *testing.T) {
	t.Parallel()
	long := "http://user:rahasia@svc.efaktur.invalid/" + strings.Repeat("a", 10_000)
	for _, tc := range []struct{ location, want string }{
		{"http://user:rahasia@svc.efaktur.invalid/svc", "http://user:xxxxx@svc.efaktur.invalid/svc"},
		{long, "http://user:xxxxx@svc.efaktur.invalid/" + strings.Repeat("a", 300-len("http://user:xxxxx@svc.efaktur.invalid/")) + "…"},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", tc.location)
			w.WriteHeader(http.StatusFound)
		}))
		res := probe.Check(context.Background(), wsdlTarget(srv.URL+"/svc"), probe.Options{Reference: "off"})
		srv.Close()
		if res.Reason != probe.ReasonDNS || res.RedirectedTo != tc.want {
			t.Errorf("%s, redirected to %q; want dns, %q", res.Reason, res.RedirectedTo, tc.want)
		}
	}
	_, u := serve(t, fakesvc.OK)
	if res := probe.Check(context.Background(), wsdlTarget(u), probe.Options{}); res.RedirectedTo != "" {
		t.Errorf("no redirect, yet redirected to %q", res.RedirectedTo)
	}
}

func TestCheckRecordsPhasesBytesAndUserAgent(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var ua string
	svc := fakesvc.New(fakesvc.OK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ua = r.UserAgent()
		mu.Unlock()
		svc.ServeHTTP(w, r)
	}))
	defer srv.Close()
	// "localhost" makes the resolver run, so the DNS phase is timed.
	u := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/svc/MasterFakturService?wsdl"
	res := probe.Check(context.Background(), wsdlTarget(u), probe.Options{UserAgent: "PantauEFaktur/test"})
	if res.Reason != probe.ReasonOK {
		t.Fatalf("reason %s (%s)", res.Reason, res.Error)
	}
	if res.Bytes != int64(len(fakesvc.WSDL())) {
		t.Errorf("bytes %d, want %d", res.Bytes, len(fakesvc.WSDL()))
	}
	p := res.Phases
	if p.Total <= 0 || p.Total < p.TTFB || p.Total < p.Connect || p.DNS < 0 || p.Connect < 0 || p.TTFB < 0 {
		t.Errorf("phases not plausible: %+v", p)
	}
	// Windows' clock advances by timer ticks (about a millisecond or more):
	// a phase on this PC's own loopback may take less than one.
	if runtime.GOOS != "windows" && (p.DNS <= 0 || p.Connect <= 0 || p.TTFB <= 0) {
		t.Errorf("a phase not timed: %+v", p)
	}
	mu.Lock()
	defer mu.Unlock()
	if ua != "PantauEFaktur/test" {
		t.Errorf("User-Agent %q", ua)
	}
}

func TestCheckNetworkFailures(t *testing.T) {
	t.Parallel()
	refUp := httptest.NewServer(fakesvc.New(fakesvc.OK))
	t.Cleanup(refUp.Close)
	refUpURL := refUp.URL + "/_fake/generate_204"
	refDown := "http://" + closedPort(t) + "/generate_204"

	tests := []struct {
		name       string
		url        string
		reference  string
		second     string // asked when reference fails
		wantLevel  probe.Level
		wantReason probe.Reason
		wantCause  probe.Reason
	}{
		{"refused, no reference", "http://" + closedPort(t) + "/svc", "off", "", probe.LevelDown, probe.ReasonConnect, ""},
		{"refused, reference up", "http://" + closedPort(t) + "/svc", refUpURL, "", probe.LevelDown, probe.ReasonConnect, ""},
		{"refused, reference down", "http://" + closedPort(t) + "/svc", refDown, "", probe.LevelOffline, probe.ReasonOffline, probe.ReasonConnect},
		{"dns, reference up", "http://svc.efaktur.invalid/svc", refUpURL, "", probe.LevelDown, probe.ReasonDNS, ""},
		{"dns, reference down", "http://svc.efaktur.invalid/svc", refDown, "", probe.LevelOffline, probe.ReasonOffline, probe.ReasonDNS},
		// The office blocks the first reference but the internet works:
		// DJP is down, not this PC.
		{"refused, reference blocked, second up", "http://" + closedPort(t) + "/svc", refDown, refUpURL, probe.LevelDown, probe.ReasonConnect, ""},
		{"refused, both references down", "http://" + closedPort(t) + "/svc", refDown, refDown, probe.LevelOffline, probe.ReasonOffline, probe.ReasonConnect},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := probe.Check(context.Background(), wsdlTarget(tc.url), probe.Options{Reference: tc.reference, Reference2: tc.second, Timeout: 5 * time.Second})
			if res.Level != tc.wantLevel || res.Reason != tc.wantReason || res.Cause != tc.wantCause {
				t.Fatalf("got %s/%s cause %q (err %q), want %s/%s cause %q", res.Level, res.Reason, res.Cause, res.Error, tc.wantLevel, tc.wantReason, tc.wantCause)
			}
			if tc.reference != "off" && res.Reference == nil {
				t.Errorf("reference check did not run")
			}
			if tc.reference == "off" && res.Reference != nil {
				t.Errorf("reference check ran although off")
			}
		})
	}
}

func TestReferenceNotAskedAfterAnAnswer(t *testing.T) {
	t.Parallel()
	_, u := serve(t, fakesvc.ServerError)
	refHits := 0
	ref := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { refHits++; w.WriteHeader(204) }))
	defer ref.Close()
	res := probe.Check(context.Background(), wsdlTarget(u), probe.Options{Reference: ref.URL + "/generate_204"})
	if res.Reason != probe.ReasonServerError || res.Reference != nil || refHits != 0 {
		t.Fatalf("reason %s, reference %+v, hits %d: the server answered, so no reference check", res.Reason, res.Reference, refHits)
	}
}

func TestCaptivePortalReferenceMeansOffline(t *testing.T) {
	t.Parallel()
	// A hotel Wi-Fi answers every address with its login page, 200: a
	// generate_204 reference must not count that as "the internet works".
	portal := httptest.NewServer(fakesvc.New(fakesvc.Captive))
	defer portal.Close()
	res := probe.Check(context.Background(), wsdlTarget("http://"+closedPort(t)+"/svc"),
		probe.Options{Reference: portal.URL + "/generate_204"})
	if res.Level != probe.LevelOffline {
		t.Fatalf("got %s/%s, want offline", res.Level, res.Reason)
	}
}

// Drip: one byte per interval must end at the timeout, as a timeout, not later.
func TestCheckDripEndsAtTimeout(t *testing.T) {
	t.Parallel()
	svc, u := serve(t, fakesvc.Drip)
	svc.DripEvery = time.Second
	const timeout = 1500 * time.Millisecond
	start := time.Now()
	res := probe.Check(context.Background(), wsdlTarget(u), probe.Options{Timeout: timeout, Reference: "off"})
	elapsed := time.Since(start)
	if res.Reason != probe.ReasonTimeout || res.Level != probe.LevelDown {
		t.Fatalf("got %s/%s (%s), want down/timeout", res.Level, res.Reason, res.Error)
	}
	if elapsed < timeout || elapsed > timeout+time.Second {
		t.Fatalf("check took %v, want the timeout %v (not later)", elapsed, timeout)
	}
	if res.HTTPStatus != 200 || res.Bytes == 0 {
		t.Errorf("drip should have delivered headers and a few bytes: status %d bytes %d", res.HTTPStatus, res.Bytes)
	}
}

// An endless body is cut at the limit: the checker reads limit+1 bytes and hangs up.
func TestCheckEndlessBodyCutAtLimit(t *testing.T) {
	t.Parallel()
	_, u := serve(t, fakesvc.Huge)
	cpuBefore := processCPU(t)
	res := probe.Check(context.Background(), wsdlTarget(u), probe.Options{})
	cpu := processCPU(t) - cpuBefore
	if res.Reason != probe.ReasonUnexpectedContent {
		t.Fatalf("reason %s (%s)", res.Reason, res.Error)
	}
	if res.Bytes != probe.DefaultMaxBody {
		t.Errorf("kept %d bytes, want exactly the limit %d", res.Bytes, probe.DefaultMaxBody)
	}
	// Generous bound: reading 1 MiB costs milliseconds; reading the endless
	// body until the 15 s timeout would cost many seconds of CPU.
	if cpu > time.Second {
		t.Errorf("cutting the body cost %v of CPU", cpu)
	}
}

func TestCheckClockSkew(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		serverOffset time.Duration
		wantSkew     time.Duration
		suspicious   bool
	}{
		{0, 0, false},
		{-10 * time.Minute, 10 * time.Minute, true}, // server behind: the PC is ahead
		{2 * time.Hour, -2 * time.Hour, true},
		{-4 * time.Minute, 4 * time.Minute, false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Date", now.Add(tc.serverOffset).Format(http.TimeFormat))
			w.Write(fakesvc.WSDL())
		}))
		res := probe.Check(context.Background(), wsdlTarget(srv.URL), probe.Options{Now: func() time.Time { return now }})
		srv.Close()
		if res.ClockSkew != tc.wantSkew || res.ClockSkewSuspicious() != tc.suspicious {
			t.Errorf("offset %v: skew %v suspicious %v, want %v %v", tc.serverOffset, res.ClockSkew, res.ClockSkewSuspicious(), tc.wantSkew, tc.suspicious)
		}
	}
}

// Retry-After is read from 429 and 503 answers only, as seconds or as a
// date on the server's clock (the PC clock may be wrong).
func TestCheckRetryAfter(t *testing.T) {
	t.Parallel()
	pcNow := time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC)
	server := pcNow.Add(-3 * time.Hour) // this PC's clock is three hours ahead
	for _, tc := range []struct {
		status int
		header string
		want   time.Duration
	}{
		{429, "120", 2 * time.Minute},
		{503, " 30 ", 30 * time.Second},
		{503, server.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{503, server.Add(-time.Minute).Format(http.TimeFormat), 0}, // already past
		{429, "999999999999", 24 * time.Hour},                      // bounded
		{429, "-5", 0},
		{429, "soon", 0},
		{429, "", 0},
		{200, "120", 0}, // only a refusal asks for a pause
		{500, "120", 0},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Date", server.Format(http.TimeFormat))
			if tc.header != "" {
				w.Header().Set("Retry-After", tc.header)
			}
			w.WriteHeader(tc.status)
			w.Write(fakesvc.WSDL())
		}))
		res := probe.Check(context.Background(), wsdlTarget(srv.URL), probe.Options{Now: func() time.Time { return pcNow }})
		srv.Close()
		if res.RetryAfter != tc.want {
			t.Errorf("HTTP %d Retry-After %q: %v, want %v", tc.status, tc.header, res.RetryAfter, tc.want)
		}
	}
	// Without a Date header, an HTTP date is taken on this PC's clock.
	if got := probe.RetryAfter(pcNow.Add(time.Minute).Format(http.TimeFormat), time.Time{}, pcNow); got != time.Minute {
		t.Errorf("no server date: %v", got)
	}
	// The fake service's 429 asks for two minutes, and --json says so.
	_, u := serve(t, fakesvc.TooMany)
	res := probe.Check(context.Background(), wsdlTarget(u), probe.Options{})
	if b, _ := res.MarshalJSON(); res.RetryAfter != 2*time.Minute || !strings.Contains(string(b), `"retry_after_s":120`) {
		t.Errorf("fakesvc 429: %v %s", res.RetryAfter, b)
	}
}

func TestCheckCanceledIsNotAResult(t *testing.T) {
	t.Parallel()
	// Cancel once the server holds the request, so the check is canceled
	// mid-flight rather than before it starts.
	ctx, cancel := context.WithCancel(context.Background())
	hang := fakesvc.New(fakesvc.Hang)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel()
		hang.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	res := probe.Check(ctx, wsdlTarget(srv.URL+"/svc/MasterFakturService?wsdl"), probe.Options{})
	if res.Reason != probe.ReasonCanceled {
		t.Fatalf("reason %s, want canceled", res.Reason)
	}
}

// --- TLS ---

type testPKI struct {
	caPool *x509.CertPool
	caCert *x509.Certificate
	caKey  *ecdsa.PrivateKey
}

func newPKI(t *testing.T) *testPKI {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testPKI{caPool: pool, caCert: cert, caKey: key}
}

func (p *testPKI) leaf(t *testing.T, notBefore, notAfter time.Time, names ...string) tls.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: notBefore, NotAfter: notAfter, DNSNames: names,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if names[0] != "localhost" {
		tmpl.IPAddresses = nil
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.caCert, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func tlsServer(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(fakesvc.New(fakesvc.OK))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestCheckTLS(t *testing.T) {
	t.Parallel()
	pki := newPKI(t)
	now := time.Now()
	good := pki.leaf(t, now.Add(-time.Hour), now.Add(time.Hour), "localhost")
	expired := pki.leaf(t, now.Add(-48*time.Hour), now.Add(-24*time.Hour), "localhost")
	future := pki.leaf(t, now.Add(24*time.Hour), now.Add(48*time.Hour), "localhost")
	otherName := pki.leaf(t, now.Add(-time.Hour), now.Add(time.Hour), "intercept.kantor.local")

	plain := httptest.NewServer(fakesvc.New(fakesvc.OK)) // speaks HTTP, not TLS
	t.Cleanup(plain.Close)
	resetter := resetDuringHandshake(t)

	tests := []struct {
		name   string
		url    string
		roots  *x509.CertPool
		reason probe.Reason
		level  probe.Level
	}{
		{"trusted", tlsServer(t, good), pki.caPool, probe.ReasonOK, probe.LevelUp},
		{"unknown authority", tlsServer(t, good), x509.NewCertPool(), probe.ReasonTLSUntrusted, probe.LevelDegraded},
		{"expired for this clock", tlsServer(t, expired), pki.caPool, probe.ReasonTLSClock, probe.LevelDegraded},
		{"not yet valid for this clock", tlsServer(t, future), pki.caPool, probe.ReasonTLSClock, probe.LevelDegraded},
		{"certificate for another name", tlsServer(t, otherName), pki.caPool, probe.ReasonTLSUntrusted, probe.LevelDegraded},
		{"not TLS at all", strings.Replace(plain.URL, "http://", "https://", 1), pki.caPool, probe.ReasonTLS, probe.LevelDown},
		{"reset during handshake", "https://" + resetter, pki.caPool, probe.ReasonConnect, probe.LevelDown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := probe.Check(context.Background(), wsdlTarget(tc.url+"/svc?wsdl"), probe.Options{RootCAs: tc.roots, Reference: "off"})
			if res.Reason != tc.reason || res.Level != tc.level {
				t.Fatalf("got %s/%s (%s), want %s/%s", res.Level, res.Reason, res.Error, tc.level, tc.reason)
			}
			if tc.reason == probe.ReasonOK && res.Phases.TLS <= 0 {
				t.Errorf("TLS phase not timed: %+v", res.Phases)
			}
		})
	}
}

// tcpServer runs handle for every connection on a loopback port (each in
// its own goroutine) and returns the address.
func tcpServer(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
	return l.Addr().String()
}

// resetDuringHandshake accepts connections and resets them after reading
// the ClientHello, like a firewall blocking a host by its SNI.
func resetDuringHandshake(t *testing.T) string {
	return tcpServer(t, func(c net.Conn) {
		buf := make([]byte, 512)
		_, _ = c.Read(buf)
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // RST instead of FIN
		}
		c.Close()
	})
}

// --- proxies ---

// fakeProxy answers CONNECT with connectStatus (200 tunnels for real) and
// plain proxied requests with plainStatus (0 forwards them).
func fakeProxy(t *testing.T, connectStatus, plainStatus int) (addr string, hits *int64) {
	t.Helper()
	var mu sync.Mutex
	var n int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
		if r.Method == http.MethodConnect {
			if connectStatus != 200 {
				if connectStatus == 407 {
					w.Header().Set("Proxy-Authenticate", `Basic realm="kantor"`)
				}
				w.WriteHeader(connectStatus)
				return
			}
			upstream, err := net.Dial("tcp", r.Host)
			if err != nil {
				w.WriteHeader(502)
				return
			}
			w.WriteHeader(200)
			conn, brw, _ := w.(http.Hijacker).Hijack()
			go func() { io.Copy(upstream, brw); upstream.Close() }()
			io.Copy(conn, upstream)
			conn.Close()
			return
		}
		if plainStatus != 0 {
			w.WriteHeader(plainStatus)
			return
		}
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			w.WriteHeader(502)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

func TestCheckThroughProxy(t *testing.T) {
	t.Parallel()
	pki := newPKI(t)
	now := time.Now()
	httpsURL := tlsServer(t, pki.leaf(t, now.Add(-time.Hour), now.Add(time.Hour), "localhost")) + "/svc?wsdl"
	_, httpURL := serve(t, fakesvc.OK)

	tunnel, tunnelHits := fakeProxy(t, 200, 0)
	auth, _ := fakeProxy(t, 407, 407)
	badGateway, _ := fakeProxy(t, 502, 0)

	tests := []struct {
		name   string
		proxy  string
		url    string
		reason probe.Reason
		hits   *int64
	}{
		{"https via working proxy", tunnel, httpsURL, probe.ReasonOK, tunnelHits},
		{"https, proxy wants auth", auth, httpsURL, probe.ReasonProxy, nil},
		{"http, proxy wants auth", auth, httpURL, probe.ReasonProxy, nil},
		{"proxy unreachable", "http://" + closedPort(t), httpsURL, probe.ReasonProxy, nil},
		{"proxy host unknown", "http://proxy.kantor.invalid:8080", httpsURL, probe.ReasonProxy, nil},
		// The proxy could not reach DJP: that is a connect failure, so outages
		// behind a proxy are still noticed.
		{"proxy cannot reach the server", badGateway, httpsURL, probe.ReasonConnect, nil},
		{"none bypasses a dead proxy", "none", httpsURL, probe.ReasonOK, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := probe.ParseProxySetting(tc.proxy)
			if err != nil {
				t.Fatal(err)
			}
			res := probe.Check(context.Background(), wsdlTarget(tc.url), probe.Options{Proxy: p, RootCAs: pki.caPool, Reference: "off"})
			if res.Reason != tc.reason {
				t.Fatalf("got %s (%s, %s), want %s", res.Reason, res.Error, res.Detail, tc.reason)
			}
			if p.IsManual() && res.Proxy == "" {
				t.Errorf("result does not name the proxy used")
			}
			if tc.hits != nil && *tc.hits == 0 {
				t.Errorf("the request did not go through the proxy")
			}
		})
	}
}

func TestParseProxySetting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want probe.ProxySetting
		ok   bool
	}{
		{"", probe.ProxySystem, true},
		{"system", probe.ProxySystem, true},
		{"SYSTEM", probe.ProxySystem, true},
		{"none", probe.ProxyNone, true},
		{"direct", probe.ProxyNone, true},
		{"http://proxy.kantor:8080", "http://proxy.kantor:8080", true},
		{"proxy.kantor:3128", "proxy.kantor:3128", true},
		{"socks5://127.0.0.1:1080", "socks5://127.0.0.1:1080", true},
		{"http://proxy.kantor", "http://proxy.kantor", true}, // a URL: port 80 is its own
		{"sytem", "", false},                                 // a typo, not a proxy host
		{"non", "", false},                                   // same
		{"proxy.kantor", "", false},                          // copied without its port
		{"ftp://proxy:21", "", false},
		{"http://", "", false},
		{"http://proxy:99999", "", false},
		{"http://proxy:abc", "", false},
	}
	for _, tc := range tests {
		got, err := probe.ParseProxySetting(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseProxySetting(%q) = %q, %v; want %q ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && !errors.Is(err, probe.ErrProxyURL) {
			t.Errorf("ParseProxySetting(%q): %v does not wrap ErrProxyURL", tc.in, err)
		}
		// Only a scheme-less host without a port is told to add the port;
		// a wrong scheme or port is a different mistake.
		noPort := tc.in == "sytem" || tc.in == "non" || tc.in == "proxy.kantor"
		if errors.Is(err, probe.ErrProxyNoPort) != noPort {
			t.Errorf("ParseProxySetting(%q): %v; want ErrProxyNoPort %v", tc.in, err, noPort)
		}
	}
}

func TestManualProxyCredentialsAreNotShown(t *testing.T) {
	t.Parallel()
	addr, _ := fakeProxy(t, 200, 0)
	withCreds := strings.Replace(addr, "http://", "http://budi:rahasia@", 1)
	_, u := serve(t, fakesvc.OK)
	res := probe.Check(context.Background(), wsdlTarget(u), probe.Options{Proxy: probe.ProxySetting(withCreds)})
	if strings.Contains(res.Proxy, "rahasia") || res.Proxy == "" {
		t.Fatalf("proxy shown as %q", res.Proxy)
	}
}

func TestProxyRedacted(t *testing.T) {
	for in, want := range map[probe.ProxySetting]string{
		"system": "system", "none": "none",
		"http://proxy:8080":              "http://proxy:8080",
		"http://budi:rahasia@proxy:8080": "http://budi:xxxxx@proxy:8080",
		"budi:rahasia@proxy:3128":        "http://budi:xxxxx@proxy:3128",
	} {
		if got := in.Redacted(); got != want || strings.Contains(got, "rahasia") {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

// rawServer answers every connection with answer, then hangs up: a server
// or a device in the way that does not speak HTTP, or breaks off.
func rawServer(t *testing.T, answer string) string {
	return "http://" + tcpServer(t, func(c net.Conn) {
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 4096)
		c.Read(buf) // the request
		io.WriteString(c, answer)
	}) + "/svc/MasterFakturService?wsdl"
}

// An answer that is not HTTP, or that breaks off after its status, stays
// "down" (nothing can be uploaded through it) but says what happened, for
// the diagnostics; a maintenance notice that arrived before the break is
// still the maintenance notice.
func TestCheckAnswerNotHTTPOrBrokenOff(t *testing.T) {
	t.Parallel()
	hugeHeaders := "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-Junk: "+strings.Repeat("a", 500)+"\r\n", 300) + "\r\n"
	tests := []struct {
		name       string
		answer     string
		wantReason probe.Reason
		wantStatus int
		wantDetail string
	}{
		{"ssh banner", "SSH-2.0-OpenSSH_8.9\r\n", probe.ReasonConnect, 0, "not HTTP"},
		{"bad status line", "HTTP/1.1 abc OK\r\n\r\n", probe.ReasonConnect, 0, "not HTTP"},
		{"huge headers", hugeHeaders, probe.ReasonConnect, 0, "not HTTP"},
		{"wsdl broken off", "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n<?xml version=\"1.0\"?><wsdl:definitions",
			probe.ReasonConnect, 200, "broke off after HTTP 200"},
		{"gzip that is not gzip", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 23\r\n\r\nthis is not gzip at all",
			probe.ReasonConnect, 200, "not valid gzip"},
		{"gzip garbled inside", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 20\r\n\r\n\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
			probe.ReasonConnect, 200, "not valid gzip"},
		{"maintenance broken off", "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100000\r\n\r\n<html><body><h1>Service e-Faktur sedang dalam perbaikan",
			probe.ReasonMaintenance, 503, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := probe.Check(context.Background(), wsdlTarget(rawServer(t, tc.answer)), probe.Options{Reference: "off", Timeout: 5 * time.Second})
			if res.Level != probe.LevelDown || res.Reason != tc.wantReason || res.HTTPStatus != tc.wantStatus {
				t.Fatalf("got %s/%s HTTP %d (err %q), want down/%s HTTP %d", res.Level, res.Reason, res.HTTPStatus, res.Error, tc.wantReason, tc.wantStatus)
			}
			if !strings.Contains(res.Detail, tc.wantDetail) {
				t.Errorf("detail %q, want it to say %q", res.Detail, tc.wantDetail)
			}
			if res.Error == "" {
				t.Errorf("no error text for the log")
			}
		})
	}
}
