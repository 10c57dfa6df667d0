package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of a check (ARCHITECTURE.md §4).
const (
	DefaultTimeout   = 15 * time.Second
	DefaultSlow      = 5 * time.Second
	DefaultMaxBody   = 1 << 20 // 1 MiB: the WSDL is a few tens of KB
	DefaultReference = "http://connectivitycheck.gstatic.com/generate_204"
	// SecondReference is asked when the default reference fails: an office
	// network that blocks Google's check address must not turn a DJP outage
	// into "this PC is offline" (which never notifies). Cloudflare's
	// captive-portal check, also a 204.
	SecondReference = "http://cp.cloudflare.com/generate_204"
	// MaxRedirects bounds redirect chains (loops end as http_status).
	MaxRedirects = 5
	// referenceTimeout bounds the "is it me or them?" check: it only has to
	// tell a working connection from a dead one.
	referenceTimeout = 5 * time.Second
)

// The services a user may use (ARCHITECTURE.md §1). PrimaryTargetID, the
// e-Faktur SVC, is the one records without a target are about.
const (
	PrimaryTargetID = "efaktur"
	CoretaxTargetID = "coretax"
)

// Target is one address to watch.
type Target struct {
	ID     string // stable identifier: "efaktur", "enofa", "coretax", "djponline"
	URL    string
	Expect Expect
	Slow   time.Duration // its own slow threshold (0: the checker's)
}

// Options tune a Checker. Zero values mean the defaults.
type Options struct {
	Timeout   time.Duration // whole check, body included (default 15 s)
	Slow      time.Duration // "slow" threshold (default 5 s; negative = never)
	MaxBody   int64         // read limit (default 1 MiB)
	Proxy     ProxySetting  // system, none or a manual URL
	Reference string        // reference URL; "" or "off" disables it
	// Reference2 is asked when Reference fails; offline needs both to fail.
	// Default: SecondReference with DefaultReference, none with an address
	// of the user's own (they chose it; "off" disables it).
	Reference2 string
	UserAgent  string
	// Namespace is the expected WSDL targetNamespace (default ServiceNamespace).
	Namespace string
	// RootCAs replaces the system roots (tests).
	RootCAs *x509.CertPool
	// Now is the wall clock (tests); default time.Now.
	Now func() time.Time
	// ProxySignIn answers proxies that ask for the Windows sign-in
	// (default PlatformProxySignIn; tests give a fake).
	ProxySignIn ProxySignIn
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Slow == 0 {
		o.Slow = DefaultSlow
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.Reference == "off" {
		o.Reference = ""
	}
	if o.Reference2 == "" && o.Reference == DefaultReference {
		o.Reference2 = SecondReference
	}
	if o.Reference2 == "off" || o.Reference == "" {
		o.Reference2 = ""
	}
	if o.Namespace == "" {
		o.Namespace = ServiceNamespace
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// HTTPChecker runs checks with one set of options. It is safe for concurrent use.
type HTTPChecker struct {
	opts      Options
	transport *http.Transport
	proxyFunc func(*http.Request) (*url.URL, error)
	dialer    *net.Dialer

	mu sync.Mutex
	// signingIn holds, by proxy URL, the transport that signs in to a proxy
	// found to ask for the Windows sign-in, and its dialer.
	signingIn map[string]signingTransport
	// viaValidation holds, by WSDL address, when that address last
	// answered 404 while the validation service answered for the SVC.
	viaValidation map[string]time.Time
}

// NewHTTPChecker builds an HTTPChecker. Every check opens a fresh connection
// (keep-alives off) so that DNS, connect and TLS are really exercised and
// timed each time; at one check a minute that costs nothing.
func NewHTTPChecker(opts Options) *HTTPChecker {
	opts = opts.withDefaults()
	if opts.ProxySignIn == nil {
		opts.ProxySignIn = PlatformProxySignIn
	}
	c := &HTTPChecker{opts: opts, proxyFunc: opts.Proxy.Func(), signingIn: map[string]signingTransport{},
		viaValidation: map[string]time.Time{}}
	c.dialer = &net.Dialer{Timeout: opts.Timeout, KeepAlive: -1}
	c.transport = &http.Transport{
		Proxy:                  c.proxyFunc,
		DialContext:            c.dialer.DialContext,
		DisableKeepAlives:      true,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    opts.Timeout,
		ResponseHeaderTimeout:  opts.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
		TLSClientConfig:        &tls.Config{RootCAs: opts.RootCAs, MinVersion: tls.VersionTLS12},
		OnProxyConnectResponse: func(_ context.Context, _ *url.URL, _ *http.Request, resp *http.Response) error {
			if resp.StatusCode != http.StatusOK {
				return &ProxyConnectError{Status: resp.StatusCode, Challenges: proxyChallenges(resp.Header)}
			}
			return nil
		},
	}
	return c
}

// Close releases idle resources.
func (c *HTTPChecker) Close() {
	c.transport.CloseIdleConnections()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range c.signingIn {
		t.CloseIdleConnections()
	}
}

// Check runs one check of target with opts: a convenience for one-shot use.
func Check(ctx context.Context, target Target, opts Options) Result {
	c := NewHTTPChecker(opts)
	defer c.Close()
	return c.Check(ctx, target)
}

// phaseClock records phase boundaries from httptrace callbacks, which may
// arrive on other goroutines.
type phaseClock struct {
	mu                            sync.Mutex
	start                         time.Time
	dnsStart, connStart, tlsStart time.Time
	dns, connect, tlsDur, ttfb    time.Duration
	wrote                         time.Time
	proxyAddr                     string
}

func (p *phaseClock) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { p.mark(&p.dnsStart) },
		DNSDone: func(httptrace.DNSDoneInfo) {
			p.mu.Lock()
			if !p.dnsStart.IsZero() {
				p.dns += time.Since(p.dnsStart)
			}
			p.mu.Unlock()
		},
		ConnectStart: func(_, _ string) { p.mark(&p.connStart) },
		ConnectDone: func(_, _ string, _ error) {
			p.mu.Lock()
			if !p.connStart.IsZero() {
				p.connect += time.Since(p.connStart)
			}
			p.mu.Unlock()
		},
		TLSHandshakeStart: func() { p.mark(&p.tlsStart) },
		TLSHandshakeDone: func(tls.ConnectionState, error) {
			p.mu.Lock()
			if !p.tlsStart.IsZero() {
				p.tlsDur += time.Since(p.tlsStart)
			}
			p.mu.Unlock()
		},
		WroteRequest: func(httptrace.WroteRequestInfo) { p.mark(&p.wrote) },
		GotFirstResponseByte: func() {
			p.mu.Lock()
			if !p.wrote.IsZero() {
				p.ttfb = time.Since(p.wrote)
			}
			p.mu.Unlock()
		},
	}
}

func (p *phaseClock) mark(t *time.Time) {
	p.mu.Lock()
	*t = time.Now()
	p.mu.Unlock()
}

func (p *phaseClock) phases(total time.Duration) Phases {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Phases{DNS: p.dns, Connect: p.connect, TLS: p.tlsDur, TTFB: p.ttfb, Total: total}
}

// Check runs one check: a GET with phase timing, a total timeout that also
// bounds the body, a bounded read, classification, and — after a
// network-level failure — the reference check.
func (c *HTTPChecker) Check(ctx context.Context, target Target) (res Result) {
	if target.Expect == ExpectWSDL {
		res = c.checkSVC(ctx, target)
	} else {
		res = c.get(ctx, target.URL, target.Expect, target.Slow, c.opts.Timeout)
	}
	res.Target = target.ID
	if c.opts.Proxy.IsSystem() && (res.Reason.NetworkLevel() || res.Reason == ReasonProxy) {
		defer SystemProxyStale() // after the reference check, which uses the same proxy
	}
	if res.Reason == ReasonCanceled || !res.Reason.NetworkLevel() || c.opts.Reference == "" {
		return res
	}
	ref := c.reference(ctx, c.opts.Reference)
	if !ref.OK && c.opts.Reference2 != "" && ctx.Err() == nil {
		second := c.reference(ctx, c.opts.Reference2)
		if second.OK {
			ref = second
		} else {
			ref.Error += "; " + second.URL + ": " + second.Error
		}
	}
	res.Reference = &ref
	if !ref.OK && ctx.Err() == nil {
		res.Cause = res.Reason
		res.Level, res.Reason = LevelOffline, ReasonOffline
	}
	return res
}

// get performs the request and classifies it; slow 0 is the checker's threshold.
func (c *HTTPChecker) get(parent context.Context, rawURL string, expect Expect, slow, timeout time.Duration) Result {
	start := c.opts.Now()
	res := Result{URL: rawURL, CheckedAt: start, Level: LevelUnknown}

	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	pc := &phaseClock{start: time.Now()}
	ctx = httptrace.WithClientTrace(ctx, pc.trace())

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		res.Level, res.Reason, res.Error = LevelDegraded, ReasonHTTPStatus, fmt.Sprintf("bad address: %v", err)
		return res
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "text/xml, application/xml, */*;q=0.5")
	req.Header.Set("Cache-Control", "no-cache")
	// The proxy is chosen here once (the transport asks again, and a PAC
	// answer is remembered): a choice that fails (a PAC script that did not
	// answer in time) ends the check as a proxy problem, not a timeout.
	p, perr := c.proxyFunc(req)
	if perr == nil && p != nil {
		res.Proxy = redactProxy(p)
	}

	var transport http.RoundTripper = c.transport
	signing, signingIn := c.signing(p)
	signingIn = signingIn && req.URL.Scheme == "https"
	if signingIn {
		transport = signing.Transport
	}

	tooManyRedirects, offWeb := false, ""
	contentType := ""
	client := &http.Client{
		Transport: transport,
		CheckRedirect: func(next *http.Request, via []*http.Request) error {
			if u := next.URL.Redacted(); len(u) <= maxRedirectNote {
				res.RedirectedTo = u
			} else {
				res.RedirectedTo = strings.ToValidUTF8(u[:maxRedirectNote], "") + "…"
			}
			if len(via) > MaxRedirects {
				tooManyRedirects = true
				return http.ErrUseLastResponse
			}
			// A redirect off the web (file:, ftp:, a custom scheme) came
			// from a host that answered: the redirect is the answer, not a
			// connection failure that would paint the icon red.
			if s := next.URL.Scheme; s != "http" && s != "https" {
				offWeb = s[:min(len(s), 16)] // a note, not a place for a hostile 60 KB scheme
				return http.ErrUseLastResponse
			}
			return nil
		},
	}

	if slow == 0 {
		slow = c.opts.Slow
	}
	ev := Evidence{Expect: expect, Namespace: c.opts.Namespace, Slow: slow, ProxyUsed: res.Proxy != ""}
	var resp *http.Response
	if perr != nil {
		err = fmt.Errorf("%w: %w", ErrProxyChoice, perr)
	} else {
		resp, err = client.Do(req)
	}
	if signingIn {
		res.ProxySignIn = signing.dialer.told(err)
	}
	if err != nil && !signingIn && req.URL.Scheme == "https" && c.learnSignIn(err, p) {
		// Asked again at once, signing in, within what is left of the time.
		if left := timeout - time.Since(pc.start); left > 0 && ctx.Err() == nil {
			return c.get(parent, rawURL, expect, slow, left)
		}
	}
	if err == nil {
		res.HTTPStatus = resp.StatusCode
		ev.Status = resp.StatusCode
		if d, derr := http.ParseTime(resp.Header.Get("Date")); derr == nil {
			res.ServerDate = d
			res.ClockSkew = c.opts.Now().Sub(d).Round(time.Second)
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			res.RetryAfter = RetryAfter(resp.Header.Get("Retry-After"), res.ServerDate, c.opts.Now())
		}
		contentType = resp.Header.Get("Content-Type")
		ev.Body, ev.Truncated, err = ReadBounded(resp.Body, c.opts.MaxBody)
		resp.Body.Close()
		if err != nil {
			err = fmt.Errorf("read the answer after HTTP %d: %w", resp.StatusCode, err)
		}
		res.Bytes = int64(len(ev.Body))
	}
	total := time.Since(pc.start)
	res.Phases = pc.phases(total)
	ev.Total, ev.Err, ev.Redirects, ev.OffWebRedirect = total, err, tooManyRedirects, offWeb
	if err != nil {
		res.Error = err.Error()
		if ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			res.Reason = ReasonCanceled
			return res
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, ErrProxyChoice) {
			// The deadline is ours; whatever the transport made of it, it is a timeout.
			ev.Err = context.DeadlineExceeded
		}
	}
	res.Level, res.Reason, res.Detail = Classify(ev)
	if answeredInItsPlace(res.Reason) && len(ev.Body) > 0 {
		res.PageTitle = PageTitle(ev.Body, contentType)
	}
	return res
}

// maxRedirectNote bounds the redirect address kept for the diagnostics: a
// hostile Location header may be 60 KB.
const maxRedirectNote = 300

// answeredInItsPlace: the reasons where something other than the service
// answered with a page of its own (a portal, a proxy, a firewall, a web
// server without the service), whose title is worth showing.
func answeredInItsPlace(r Reason) bool {
	switch r {
	case ReasonUnexpectedContent, ReasonHTTPStatus, ReasonNotFound, ReasonProxy:
		return true
	}
	return false
}

// maxRetryAfter bounds what a server can ask for: a typo'd or hostile
// header must not park the monitor for days.
const maxRetryAfter = 24 * time.Hour

// RetryAfter reads a Retry-After header: delay-seconds, or an HTTP date
// taken on the server's clock (its Date header) when it sent one, so a
// wrong PC clock does not stretch or cancel the pause. 0 when absent,
// unreadable or in the past.
func RetryAfter(header string, serverDate, now time.Time) time.Duration {
	header = strings.TrimSpace(header)
	if header == "" {
		return 0
	}
	if n, err := strconv.ParseInt(header, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, int64(maxRetryAfter/time.Second))) * time.Second
	}
	at, err := http.ParseTime(header)
	if err != nil {
		return 0
	}
	if !serverDate.IsZero() {
		now = serverDate
	}
	return min(max(at.Sub(now), 0), maxRetryAfter)
}

// reference runs the "is it me or them?" check through the same proxy.
func (c *HTTPChecker) reference(ctx context.Context, address string) Reference {
	address = c.referenceAddress(address)
	timeout := min(referenceTimeout, c.opts.Timeout)
	r := c.get(ctx, address, ExpectPage, 0, timeout)
	ref := Reference{URL: address}
	switch {
	case r.Error != "":
		ref.Error = r.Error
	case referenceAnswerOK(address, r.HTTPStatus):
		ref.OK = true
	default:
		ref.Error = fmt.Sprintf("unexpected HTTP %d", r.HTTPStatus)
	}
	return ref
}

// referenceAddress is address, or the https form of a built-in reference
// when its proxy asks for the Windows sign-in: that is given to CONNECT
// tunnels only, and asked over http the proxy's 407 would make a DJP
// outage look like "this PC is offline". Both answer over https too.
func (c *HTTPChecker) referenceAddress(address string) string {
	if address != DefaultReference && address != SecondReference {
		return address
	}
	req, err := http.NewRequest(http.MethodGet, address, nil)
	if err != nil {
		return address
	}
	if p, err := c.proxyFunc(req); err != nil {
		return address
	} else if _, ok := c.signing(p); !ok {
		return address
	}
	return "https://" + strings.TrimPrefix(address, "http://")
}

// referenceAnswerOK: a generate_204 address must answer exactly 204 (a
// captive portal answers 200 with its login page); any other reference
// address only has to answer 2xx.
func referenceAnswerOK(ref string, status int) bool {
	if u, err := url.Parse(ref); err == nil && len(u.Path) >= 13 && u.Path[len(u.Path)-13:] == "/generate_204" {
		return status == http.StatusNoContent
	}
	return status >= 200 && status <= 299
}

// ReadBounded reads at most limit bytes of r. truncated reports that r had
// more; it never reads more than limit+1 bytes.
func ReadBounded(r io.Reader, limit int64) (body []byte, truncated bool, err error) {
	body, err = io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(body)) > limit {
		return body[:limit], true, err
	}
	return body, false, err
}

// redactProxy drops credentials from a proxy URL before it is shown or logged.
func redactProxy(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}

// IsLoopbackURL reports whether raw points at this machine (tests, demo).
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
