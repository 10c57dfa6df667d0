package probe_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/probe"
)

// signInProxy is an office proxy that lets only the signed-in Windows user
// through: a CONNECT without credentials gets 407 with the schemes it
// offers; one leg with the client's first token gets a challenge made for
// that connection; the answer to it, on the same connection, opens the
// tunnel. A tunnel it cannot open (unreachable, or in unreachable) is 502.
type signInProxy struct {
	t           *testing.T
	addr        string
	offers      []string // Proxy-Authenticate lines of the first 407
	closeAfter  bool     // drops the connection after the challenge
	endless     bool     // answers the first leg with a header without end
	refuse      string   // a scheme it offers but never takes
	unreachable map[string]bool

	mu       sync.Mutex
	bare     int      // CONNECTs without credentials
	legs     int      // CONNECTs with credentials
	schemes  []string // the scheme of each first leg
	tunnels  []string // targets tunnelled to (or refused as unreachable)
	requests []string // every request line
}

func newSignInProxy(t *testing.T, offers ...string) *signInProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &signInProxy{t: t, addr: ln.Addr().String(), offers: offers, unreachable: map[string]bool{}}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for n := 0; ; n++ {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c, fmt.Sprintf("challenge-%d", n))
		}
	}()
	return p
}

func (p *signInProxy) count(f func()) {
	p.mu.Lock()
	f()
	p.mu.Unlock()
}

func (p *signInProxy) serve(c net.Conn, challenge string) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		p.count(func() { p.requests = append(p.requests, req.Method+" "+req.RequestURI) })
		auth := req.Header.Get("Proxy-Authorization")
		scheme, token, _ := strings.Cut(auth, " ")
		raw, _ := base64.StdEncoding.DecodeString(token)
		switch {
		case req.Method != http.MethodConnect:
			fmt.Fprint(c, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
		case auth == "":
			p.count(func() { p.bare++ })
			fmt.Fprint(c, "HTTP/1.1 407 Proxy Authentication Required\r\n")
			for _, o := range p.offers {
				fmt.Fprintf(c, "Proxy-Authenticate: %s\r\n", o)
			}
			fmt.Fprint(c, "Content-Type: text/html\r\nContent-Length: 20\r\n\r\n<p>Access denied</p>")
		case string(raw) == "hello" && scheme == p.refuse:
			p.count(func() { p.legs++; p.schemes = append(p.schemes, scheme) })
			fmt.Fprint(c, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			return
		case string(raw) == "hello" && p.endless:
			p.count(func() { p.legs++ })
			fmt.Fprint(c, "HTTP/1.1 407 Proxy Authentication Required\r\nX-Junk: ")
			junk := []byte(strings.Repeat("a", 32<<10))
			for {
				if _, err := c.Write(junk); err != nil {
					return
				}
			}
		case string(raw) == "hello":
			p.count(func() { p.legs++; p.schemes = append(p.schemes, scheme) })
			fmt.Fprintf(c, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: %s %s\r\nContent-Length: 4\r\n\r\nnope",
				scheme, base64.StdEncoding.EncodeToString([]byte(challenge)))
			if p.closeAfter {
				return
			}
		case string(raw) == "answer:"+challenge:
			p.count(func() { p.legs++; p.tunnels = append(p.tunnels, req.Host) })
			if p.unreachable[req.Host] {
				fmt.Fprint(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
				return
			}
			up, err := net.Dial("tcp", req.Host)
			if err != nil {
				fmt.Fprint(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
				return
			}
			fmt.Fprint(c, "HTTP/1.1 200 Connection established\r\n\r\n")
			go func() { io.Copy(up, br); up.Close() }()
			io.Copy(c, up)
			return
		default:
			p.count(func() { p.legs++ })
			fmt.Fprint(c, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			return
		}
	}
}

// fakeSignIn answers the proxy's challenge as the Windows account would.
type fakeSignIn struct {
	wrong   bool   // answers with the wrong token
	fail    bool   // the account has no credentials
	missing string // a scheme whose security package this PC lacks

	mu      sync.Mutex
	begun   []string // scheme@host of each sign-in
	pending int      // sign-ins begun and not closed
}

type fakeSteps struct {
	s     *fakeSignIn
	first bool
}

func (f *fakeSignIn) Begin(scheme, host string) (probe.ProxySignInSteps, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.begun = append(f.begun, scheme+"@"+host)
	if f.fail {
		return nil, errors.New("no logon session")
	}
	f.pending++
	return &fakeSteps{s: f, first: true}, nil
}

func (f *fakeSignIn) Unavailable(scheme string) error {
	if scheme == f.missing {
		return fmt.Errorf("%w: no %s package", probe.ErrSignInUnavailable, scheme)
	}
	return nil
}

func (s *fakeSteps) Next(challenge []byte) ([]byte, error) {
	if s.first {
		s.first = false
		return []byte("hello"), nil
	}
	if s.s.wrong {
		return []byte("answer:guess"), nil
	}
	return []byte("answer:" + string(challenge)), nil
}

func (s *fakeSteps) Close() {
	s.s.mu.Lock()
	s.s.pending--
	s.s.mu.Unlock()
}

// A proxy that asks for the Windows sign-in is answered with it, and
// from then on signed in to at once; one that asks for anything else, or
// for which the user gave a password, is left as it was ("proxy").
func TestCheckSignsInToTheProxy(t *testing.T) {
	t.Parallel()
	pki := newPKI(t)
	now := time.Now()
	target := wsdlTarget(tlsServer(t, pki.leaf(t, now.Add(-time.Hour), now.Add(time.Hour), "localhost")) + "/svc?wsdl")
	negotiateNTLM := []string{"Negotiate", "NTLM", `Basic realm="kantor"`}

	tests := []struct {
		name       string
		offers     []string
		closeAfter bool
		endless    bool
		refuse     string
		signIn     *fakeSignIn // nil: none on this platform
		userInURL  bool
		reason     probe.Reason
		scheme     string // sign-in told in the result, and begun first
		errorHas   string
		legs       string // the schemes of the first legs, over both checks
	}{
		{name: "Negotiate", offers: negotiateNTLM, signIn: &fakeSignIn{}, reason: probe.ReasonOK, scheme: "Negotiate",
			legs: "Negotiate Negotiate"},
		// A Kerberos-only proxy refuses the NTLM that Windows wraps in
		// Negotiate without a ticket; NTLM itself goes through, and is
		// tried first from then on.
		{name: "Negotiate refused, NTLM taken", offers: negotiateNTLM, refuse: "Negotiate", signIn: &fakeSignIn{}, reason: probe.ReasonOK,
			scheme: "NTLM", legs: "Negotiate NTLM NTLM"},
		{name: "NTLM only, on one line with Basic", offers: []string{`NTLM, Basic realm="kantor"`}, signIn: &fakeSignIn{}, reason: probe.ReasonOK, scheme: "NTLM"},
		{name: "no sign-in on this platform", offers: negotiateNTLM, reason: probe.ReasonProxy},
		// Windows without NTLM (disabled by policy, or removed): only what
		// this PC can give is tried, and a proxy that wants only NTLM is
		// "proxy", as without any sign-in.
		{name: "NTLM missing on this PC, Negotiate taken", offers: negotiateNTLM, signIn: &fakeSignIn{missing: "NTLM"}, reason: probe.ReasonOK,
			scheme: "Negotiate", legs: "Negotiate Negotiate"},
		{name: "NTLM missing on this PC, the proxy wants only NTLM", offers: []string{"NTLM"}, signIn: &fakeSignIn{missing: "NTLM"}, reason: probe.ReasonProxy},
		{name: "Basic only: the user's password is needed", offers: []string{`Basic realm="kantor"`}, signIn: &fakeSignIn{}, reason: probe.ReasonProxy},
		{name: "a password in the proxy address is the user's choice", offers: negotiateNTLM, signIn: &fakeSignIn{}, userInURL: true, reason: probe.ReasonProxy},
		{name: "the proxy refuses the account", offers: negotiateNTLM, signIn: &fakeSignIn{wrong: true}, reason: probe.ReasonProxy,
			scheme: "Negotiate, NTLM", errorHas: "after a Negotiate, NTLM sign-in", legs: "Negotiate NTLM Negotiate NTLM"},
		{name: "no credentials", offers: negotiateNTLM, signIn: &fakeSignIn{fail: true}, reason: probe.ReasonProxy,
			scheme: "Negotiate", errorHas: "no logon session"},
		{name: "the proxy hangs up between the legs", offers: negotiateNTLM, closeAfter: true, signIn: &fakeSignIn{}, reason: probe.ReasonProxy,
			scheme: "Negotiate"},
		// Cut at the limit, at once: not a timeout, not memory without end.
		{name: "the proxy answers without end", offers: negotiateNTLM, endless: true, signIn: &fakeSignIn{}, reason: probe.ReasonProxy,
			scheme: "Negotiate", errorHas: "too large"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			proxy := newSignInProxy(t, tc.offers...)
			proxy.closeAfter, proxy.endless, proxy.refuse = tc.closeAfter, tc.endless, tc.refuse
			setting := "http://" + proxy.addr
			if tc.userInURL {
				setting = "http://budi:rahasia@" + proxy.addr
			}
			opts := probe.Options{Proxy: probe.ProxySetting(setting), RootCAs: pki.caPool, Reference: "off", Timeout: 5 * time.Second}
			if tc.signIn != nil {
				opts.ProxySignIn = tc.signIn
			}
			c := probe.NewHTTPChecker(opts)
			defer c.Close()

			for i := range 2 {
				res := c.Check(context.Background(), target)
				if res.Reason != tc.reason {
					t.Fatalf("check %d: %s (%s), want %s", i+1, res.Reason, res.Error, tc.reason)
				}
				if tc.scheme != "" && res.ProxySignIn != tc.scheme {
					t.Fatalf("check %d: signed in with %q, want %q", i+1, res.ProxySignIn, tc.scheme)
				}
				if !strings.Contains(res.Error, tc.errorHas) {
					t.Fatalf("check %d: error %q lacks %q", i+1, res.Error, tc.errorHas)
				}
			}
			var begun []string
			pending := 0
			if tc.signIn != nil {
				tc.signIn.mu.Lock()
				begun, pending = tc.signIn.begun, tc.signIn.pending
				tc.signIn.mu.Unlock()
			}
			if tc.scheme == "" && len(begun) != 0 {
				t.Fatalf("signed in although it should not: %v", begun)
			}
			if tc.scheme != "" && (len(begun) == 0 || begun[0] != strings.Split(tc.offers[0], ",")[0]+"@127.0.0.1") {
				t.Fatalf("sign-ins %v, want the first offered to the proxy's host", begun)
			}
			if pending != 0 {
				t.Fatalf("%d sign-ins left open", pending)
			}
			proxy.mu.Lock()
			defer proxy.mu.Unlock()
			// Learnt once: the second check signs in at once.
			if tc.scheme != "" && proxy.bare != 1 {
				t.Fatalf("%d CONNECTs without credentials, want 1 (requests %v)", proxy.bare, proxy.requests)
			}
			if tc.legs != "" && strings.Join(proxy.schemes, " ") != tc.legs {
				t.Fatalf("first legs %v, want %s", proxy.schemes, tc.legs)
			}
		})
	}
}

// After a failure behind a proxy that wants the Windows sign-in, the
// built-in "is it me or them?" addresses are asked through a signed-in
// tunnel (https): asked over http, the proxy's 407 would turn a DJP outage
// into "this PC is offline", which never notifies.
func TestReferenceBehindASignInProxyUsesHTTPS(t *testing.T) {
	t.Parallel()
	pki := newPKI(t)
	now := time.Now()
	target := wsdlTarget(tlsServer(t, pki.leaf(t, now.Add(-time.Hour), now.Add(time.Hour), "localhost")) + "/svc?wsdl")
	proxy := newSignInProxy(t, "Negotiate")
	c := probe.NewHTTPChecker(probe.Options{Proxy: probe.ProxySetting("http://" + proxy.addr), RootCAs: pki.caPool,
		Reference: probe.DefaultReference, Timeout: 5 * time.Second, ProxySignIn: &fakeSignIn{}})
	defer c.Close()
	if res := c.Check(context.Background(), target); res.Reason != probe.ReasonOK {
		t.Fatalf("first check: %s (%s)", res.Reason, res.Error)
	}
	host := strings.TrimPrefix(strings.Split(target.URL, "/svc")[0], "https://")
	proxy.mu.Lock()
	proxy.unreachable[host] = true
	proxy.unreachable["connectivitycheck.gstatic.com:443"] = true
	proxy.unreachable["cp.cloudflare.com:443"] = true
	proxy.mu.Unlock()

	res := c.Check(context.Background(), target)
	if res.Reference == nil || res.Reference.URL != "https://connectivitycheck.gstatic.com/generate_204" {
		t.Fatalf("reference %+v, want the https form", res.Reference)
	}
	proxy.mu.Lock()
	defer proxy.mu.Unlock()
	for _, r := range proxy.requests {
		if strings.HasPrefix(r, "GET ") {
			t.Errorf("a reference asked over http through the sign-in proxy: %v", proxy.requests)
		}
	}
	want := []string{host, host, "connectivitycheck.gstatic.com:443", "cp.cloudflare.com:443"}
	if strings.Join(proxy.tunnels, " ") != strings.Join(want, " ") {
		t.Errorf("tunnels %v, want %v", proxy.tunnels, want)
	}
}

// Once open, a signed-in tunnel carries the whole answer: the bound on the
// proxy's own answers does not cut the service's.
func TestSignedInTunnelCarriesWholeAnswers(t *testing.T) {
	t.Parallel()
	pki := newPKI(t)
	now := time.Now()
	srv := httptest.NewUnstartedServer(fakesvc.New(fakesvc.Huge))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pki.leaf(t, now.Add(-time.Hour), now.Add(time.Hour), "localhost")}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	proxy := newSignInProxy(t, "NTLM")
	res := probe.Check(context.Background(), wsdlTarget(srv.URL+"/svc?wsdl"), probe.Options{Proxy: probe.ProxySetting("http://" + proxy.addr),
		RootCAs: pki.caPool, Reference: "off", Timeout: 10 * time.Second, ProxySignIn: &fakeSignIn{}})
	if res.ProxySignIn != "NTLM" || res.Reason != probe.ReasonUnexpectedContent || res.Bytes != probe.DefaultMaxBody {
		t.Fatalf("%s (%s, %s), %d bytes, sign-in %q; want the read limit reached through the NTLM tunnel", res.Reason, res.Error, res.Detail, res.Bytes, res.ProxySignIn)
	}
}
