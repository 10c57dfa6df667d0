package probe

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Office proxies on a Windows domain often let through only the signed-in
// user: they answer 407 with "Proxy-Authenticate: Negotiate" (Kerberos, or
// NTLM inside it) or "NTLM", and browsers answer with the Windows
// sign-in, unasked. Go's transport cannot: such a handshake
// takes several round trips on one connection. The checker does it itself
// for the CONNECT tunnel of an https address (every DJP address is one),
// with the platform's ProxySignIn; a proxy URL with a user name and
// password in it is left to the transport (Basic).

// ProxySignIn answers a proxy's sign-in challenges with the signed-in
// user's credentials. nil where there is none (everywhere but Windows).
type ProxySignIn interface {
	// Begin starts a sign-in by scheme ("Negotiate" or "NTLM") to the proxy
	// at host (its name, for Kerberos).
	Begin(scheme, host string) (ProxySignInSteps, error)
	// Unavailable says why this PC cannot sign in with scheme (nil: it
	// can), wrapping ErrSignInUnavailable.
	Unavailable(scheme string) error
}

// ProxySignInSteps is one sign-in in progress.
type ProxySignInSteps interface {
	// Next is the token to send, given the proxy's last challenge (nil at
	// first).
	Next(challenge []byte) ([]byte, error)
	Close()
}

// PlatformProxySignIn is the sign-in of the platform (proxysignin_windows.go).
var PlatformProxySignIn ProxySignIn

// signInSchemes are those a ProxySignIn answers, best first.
var signInSchemes = []string{"Negotiate", "NTLM"}

// maxSignInLegs bounds the exchange: NTLM takes two, Kerberos one.
const maxSignInLegs = 4

// ErrProxySignIn wraps a failed sign-in to the proxy.
var ErrProxySignIn = errors.New("signing in to the proxy")

// ErrSignInUnavailable: this PC cannot give that sign-in (the Windows
// security package is disabled or missing). Such a scheme is not offered
// to the proxy, as if the app had no sign-in for it.
var ErrSignInUnavailable = errors.New("sign-in unavailable on this PC")

// UnavailableSignIns says, for the diagnostics, which sign-ins this PC
// lacks and why ("NTLM: …"); none where there is no sign-in at all.
func UnavailableSignIns(s ProxySignIn) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, scheme := range signInSchemes {
		if err := s.Unavailable(scheme); err != nil {
			out = append(out, scheme+": "+err.Error())
		}
	}
	return out
}

// proxyChallenges reads Proxy-Authenticate headers: scheme (as the proxy
// wrote it, matched without case) → its token, "" when none came.
func proxyChallenges(h http.Header) map[string]string {
	out := map[string]string{}
	for _, v := range h.Values("Proxy-Authenticate") {
		// "Negotiate, NTLM" may share a line; a base64 token has no comma
		// (a Basic realm may, but only the sign-in schemes count here).
		for _, part := range strings.Split(v, ",") {
			f := strings.Fields(part)
			if len(f) == 0 || !isToken(f[0]) {
				continue // a parameter, or the tail of a quoted one
			}
			token := ""
			// A token is base64 (padded with "=" at most); realm="x" is a parameter.
			if len(f) > 1 && !strings.Contains(strings.TrimRight(f[1], "="), "=") {
				token = f[1]
			}
			out[strings.ToLower(f[0])] = token
		}
	}
	return out
}

// isToken reports whether s is an HTTP token (RFC 9110), as a scheme is.
func isToken(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool { return !httpguts.IsTokenRune(r) }) < 0
}

// offeredSignIns are the schemes offered that signIn answers on this PC,
// best first.
func offeredSignIns(offered map[string]string, signIn ProxySignIn) []string {
	var out []string
	for _, s := range signInSchemes {
		if _, ok := offered[strings.ToLower(s)]; ok && signIn.Unavailable(s) == nil {
			out = append(out, s)
		}
	}
	return out
}

// signInDialer opens signed-in tunnels through one proxy. A proxy may offer
// Negotiate and refuse what Windows makes of it (a Kerberos-only proxy gets
// NTLM wrapped in Negotiate when the PC has no ticket for it) while it
// takes NTLM: each scheme offered is tried in turn, as browsers do, and the
// one accepted is tried first from then on.
type signInDialer struct {
	proxy     *url.URL
	schemes   []string // offered, best first
	signIn    ProxySignIn
	dial      func(ctx context.Context, network, addr string) (net.Conn, error)
	userAgent string

	mu       sync.Mutex
	accepted string // the scheme the proxy took last
}

func (d *signInDialer) DialContext(ctx context.Context, _, addr string) (net.Conn, error) {
	d.mu.Lock()
	order := slices.Clone(d.schemes)
	if i := slices.Index(order, d.accepted); i > 0 {
		order = append([]string{d.accepted}, slices.Delete(order, i, i+1)...)
	}
	d.mu.Unlock()
	var tried []string
	for _, scheme := range order {
		conn, err := signInTunnel(ctx, d.dial, d.proxy, addr, scheme, d.signIn, d.userAgent)
		if err == nil {
			d.mu.Lock()
			d.accepted = scheme
			d.mu.Unlock()
			return conn, nil
		}
		tried = append(tried, scheme)
		var pce *ProxyConnectError
		refused := errors.As(err, &pce) && pce.Status == http.StatusProxyAuthRequired
		if !(refused || errors.Is(err, ErrProxySignIn)) || ctx.Err() != nil || len(tried) == len(order) {
			if refused {
				pce.SignIn = strings.Join(tried, ", ")
			}
			return nil, err
		}
		slog.Info("sign-in to the proxy failed; trying the next scheme", "scheme", scheme, "err", err)
	}
	return nil, errors.New("no sign-in scheme") // not reached: schemes is never empty
}

// told is the sign-in to name for a request that ended with err: the
// schemes refused, or the one accepted.
func (d *signInDialer) told(err error) string {
	var pce *ProxyConnectError
	if errors.As(err, &pce) && pce.SignIn != "" {
		return pce.SignIn
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.accepted != "" {
		return d.accepted
	}
	return d.schemes[0]
}

// signInTunnel opens a CONNECT tunnel to addr (host:port) through the
// proxy (an http:// one: learnSignIn takes no other), signing in with
// scheme on the way. dial opens the connection to
// the proxy; ctx's deadline bounds the whole exchange.
func signInTunnel(ctx context.Context, dial func(ctx context.Context, network, addr string) (net.Conn, error),
	proxy *url.URL, addr, scheme string, signIn ProxySignIn, userAgent string) (net.Conn, error) {
	conn, err := dial(ctx, "tcp", proxyHostPort(proxy))
	if err != nil {
		return nil, &net.OpError{Op: "proxyconnect", Net: "tcp", Err: err}
	}
	steps, err := signIn.Begin(scheme, proxy.Hostname())
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("%w (%s): %w", ErrProxySignIn, scheme, err)
	}
	defer steps.Close()
	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	// Each answer of the proxy is bounded, as the transport bounds its own
	// (a proxy that sends an endless header must not fill memory); the
	// tunnel, once open, is not.
	lr := &legLimit{r: conn}
	br := bufio.NewReader(lr)
	var challenge []byte
	for range maxSignInLegs {
		lr.left = maxProxyAnswer
		token, err := steps.Next(challenge)
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("%w (%s): %w", ErrProxySignIn, scheme, err)
		}
		req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: addr}, Host: addr,
			Header: http.Header{"Proxy-Authorization": {scheme + " " + base64.StdEncoding.EncodeToString(token)},
				// The legs must share the connection: said as curl says it,
				// for proxies of HTTP/1.0 habits.
				"Proxy-Connection": {"Keep-Alive"}}}
		if userAgent != "" {
			req.Header.Set("User-Agent", userAgent)
		}
		// A proxy that hangs up in the middle is a proxy problem, as with
		// the transport's own CONNECT ("proxyconnect").
		if err := req.Write(conn); err != nil {
			conn.Close()
			return nil, &net.OpError{Op: "proxyconnect", Net: "tcp", Err: fmt.Errorf("send CONNECT (%s sign-in): %w", scheme, err)}
		}
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			conn.Close()
			return nil, &net.OpError{Op: "proxyconnect", Net: "tcp", Err: fmt.Errorf("read the answer to CONNECT (%s sign-in): %w", scheme, err)}
		}
		if resp.StatusCode == http.StatusOK {
			resp.Body.Close()
			if err := ctx.Err(); err != nil {
				conn.Close()
				return nil, err
			}
			conn.SetDeadline(time.Time{})
			lr.left = -1
			return &bufferedConn{Conn: conn, r: br}, nil
		}
		// The refusal's page, if any, is read so the connection can carry the
		// next leg; a proxy that closes it ends the sign-in.
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		next, ok := proxyChallenges(resp.Header)[strings.ToLower(scheme)]
		if resp.StatusCode != http.StatusProxyAuthRequired || !ok || next == "" || resp.Close {
			conn.Close()
			return nil, &ProxyConnectError{Status: resp.StatusCode, SignIn: scheme}
		}
		if challenge, err = base64.StdEncoding.DecodeString(next); err != nil {
			conn.Close()
			return nil, fmt.Errorf("%w (%s): the proxy's challenge is not base64: %w", ErrProxySignIn, scheme, err)
		}
	}
	conn.Close()
	return nil, &ProxyConnectError{Status: http.StatusProxyAuthRequired, SignIn: scheme}
}

// proxyHostPort is the proxy's address with its default port.
func proxyHostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	return net.JoinHostPort(u.Hostname(), "80")
}

// maxProxyAnswer bounds one answer of the proxy during the sign-in:
// header and the page that comes with a 407.
const maxProxyAnswer = 128 << 10

// ErrProxyAnswerTooLarge ends a sign-in whose proxy answers without end.
var ErrProxyAnswerTooLarge = errors.New("the proxy's answer is too large")

// legLimit reads at most left bytes (no limit when negative).
type legLimit struct {
	r    io.Reader
	left int64
}

func (l *legLimit) Read(p []byte) (int, error) {
	if l.left < 0 {
		return l.r.Read(p)
	}
	if l.left == 0 {
		return 0, ErrProxyAnswerTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// bufferedConn reads what the proxy sent after its 200 (normally nothing:
// the server speaks only after the client's TLS hello) before the socket.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

type signingTransport struct {
	*http.Transport
	dialer *signInDialer
}

// signing is the transport that signs in to proxy, if it was found to ask
// for the Windows sign-in.
func (c *HTTPChecker) signing(proxy *url.URL) (signingTransport, bool) {
	if proxy == nil {
		return signingTransport{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.signingIn[proxy.String()]
	return t, ok
}

// learnSignIn looks at a failed request through proxy: when the proxy
// refused the tunnel asking for a sign-in this PC can give (and the user
// set no password of their own), it remembers to sign in to it from now
// on and says so.
func (c *HTTPChecker) learnSignIn(err error, proxy *url.URL) bool {
	var pce *ProxyConnectError
	if c.opts.ProxySignIn == nil || proxy == nil || proxy.User != nil || proxy.Scheme != "http" ||
		!errors.As(err, &pce) || pce.Status != http.StatusProxyAuthRequired || pce.SignIn != "" {
		return false
	}
	schemes := offeredSignIns(pce.Challenges, c.opts.ProxySignIn)
	if len(schemes) == 0 {
		return false
	}
	d := &signInDialer{proxy: proxy, schemes: schemes, signIn: c.opts.ProxySignIn, dial: c.dialer.DialContext, userAgent: c.opts.UserAgent}
	t := c.transport.Clone()
	t.Proxy, t.OnProxyConnectResponse, t.DialContext = nil, nil, d.DialContext
	c.mu.Lock()
	c.signingIn[proxy.String()] = signingTransport{Transport: t, dialer: d}
	c.mu.Unlock()
	slog.Info("the proxy asks for the Windows sign-in: signing in to it", "proxy", redactProxy(proxy), "schemes", schemes)
	return true
}
