package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-ieproxy"
)

// IEProxyFunc chooses the proxy for a request from the Windows Internet
// Options ("Setelan proxy") configuration, as read by go-ieproxy: a PAC
// script or automatic detection first (pac gives its answer for a URL, ""
// for none), then the static proxy with its bypass list. It lives here,
// not in a Windows-only file, so its rules are tested on every platform.
//
// The script is asked through a pacAsker: its answer is awaited only as
// long as the request may last, and remembered for the life of the
// returned function (a minute on Windows, see proxy_windows.go).
func IEProxyFunc(conf ieproxy.ProxyConf, pac func(string) string) func(*http.Request) (*url.URL, error) {
	var ask *pacAsker
	if conf.Automatic.Active && pac != nil {
		ask = &pacAsker{pac: pac}
	}
	return ieProxyFunc(conf, ask)
}

// ieProxyFunc is IEProxyFunc with the PAC asker given, so that one kept
// across reloads of the configuration can be used (see pacAsker.renewed).
func ieProxyFunc(conf ieproxy.ProxyConf, ask *pacAsker) func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) {
		if ask != nil {
			ans, err := ask.answer(req.Context(), req.URL.String())
			if err != nil {
				return nil, err
			}
			if ans = strings.TrimSpace(ans); ans != "" {
				return pacProxy(ans)
			}
		}
		if !conf.Static.Active {
			return nil, nil
		}
		host := req.URL.Hostname()
		if bypassed(host, conf.Static.NoProxy) {
			return nil, nil
		}
		p := staticProxyFor(conf.Static.Protocols, req.URL.Scheme)
		if p == "" {
			return nil, nil
		}
		return parseProxyURL(p)
	}
}

// staticProxyFor applies WinINET's rule: one proxy for every protocol, or a
// per-protocol list ("http=a:80;https=b:443") where unlisted protocols go
// direct, except through a SOCKS proxy when one is given.
func staticProxyFor(protocols map[string]string, scheme string) string {
	if p := protocols[""]; p != "" {
		return p
	}
	if p := protocols[scheme]; p != "" {
		return p
	}
	if p := protocols["socks"]; p != "" {
		if !strings.Contains(p, "://") {
			p = "socks5://" + p
		}
		return p
	}
	return ""
}

// pacProxy reads a PAC answer: "PROXY host:port; DIRECT", "host:port",
// "http=host:port" or "DIRECT"; the first entry counts.
func pacProxy(ans string) (*url.URL, error) {
	first := strings.TrimSpace(strings.FieldsFunc(ans, func(r rune) bool { return r == ';' })[0])
	fields := strings.Fields(first)
	switch {
	case len(fields) == 0 || strings.EqualFold(fields[0], "DIRECT"):
		return nil, nil
	case len(fields) == 2 && strings.EqualFold(fields[0], "PROXY"):
		first = fields[1]
	case len(fields) == 2 && strings.EqualFold(fields[0], "HTTPS"):
		first = "https://" + fields[1]
	case len(fields) == 2 && (strings.EqualFold(fields[0], "SOCKS") || strings.EqualFold(fields[0], "SOCKS5")):
		first = "socks5://" + fields[1]
	}
	if _, after, ok := strings.Cut(first, "="); ok && !strings.Contains(first, "://") {
		first = after
	}
	return parseProxyURL(first)
}

// bypassed applies a Windows bypass list ("<local>,*.kantor.local,10.*").
func bypassed(host, list string) bool {
	host = strings.ToLower(host)
	if host == "localhost" || (net.ParseIP(host) != nil && net.ParseIP(host).IsLoopback()) {
		return true
	}
	for _, p := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "<local>" {
			if !strings.Contains(host, ".") {
				return true
			}
			continue
		}
		if i := strings.Index(p, "://"); i >= 0 {
			p = p[i+3:]
		}
		if h, _, err := net.SplitHostPort(p); err == nil {
			p = h
		}
		if ok, _ := path.Match(p, host); ok {
			return true
		}
	}
	return false
}

// ErrPACSlow is returned (wrapped) when the automatic proxy configuration
// (a PAC script or WPAD detection) did not answer while the check could
// still wait. The check is then a proxy problem, not DJP being down.
var ErrPACSlow = errors.New("automatic proxy configuration (PAC/WPAD) did not answer in time")

// pacAsker runs the PAC evaluation in its own goroutine, one per URL at a
// time, and remembers the answers. Windows evaluates a PAC script or WPAD
// automatic detection synchronously, and on a network without WPAD that
// can take tens of seconds; without this, such a wait would hold a check
// past its timeout (and "Check now" with it). A late answer is kept, so the
// re-check a few seconds later uses it at once.
type pacAsker struct {
	pac     func(string) string
	mu      sync.Mutex
	answers map[string]*pacAnswer
}

type pacAnswer struct {
	done chan struct{} // closed when ans is set
	ans  string
}

func (p *pacAnswer) answered() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// maxPACAnswers bounds the memory of answers and the evaluations running at
// once; the app asks for a handful of addresses (the targets, the
// reference, their redirects).
const maxPACAnswers = 64

func (a *pacAsker) answer(ctx context.Context, rawURL string) (string, error) {
	a.mu.Lock()
	p, ok := a.answers[rawURL]
	if !ok {
		if a.answers == nil {
			a.answers = make(map[string]*pacAnswer)
		}
		if len(a.answers) >= maxPACAnswers {
			a.forgetAnswered()
		}
		if len(a.answers) >= maxPACAnswers {
			// Every slot holds an evaluation that has not returned:
			// starting another would only add a stuck goroutine.
			a.mu.Unlock()
			return "", fmt.Errorf("%w: %d evaluations still running", ErrPACSlow, len(a.answers))
		}
		p = &pacAnswer{done: make(chan struct{})}
		a.answers[rawURL] = p
		go func() {
			defer close(p.done)
			p.ans = a.pac(rawURL)
		}()
	}
	a.mu.Unlock()
	select {
	case <-p.done:
		return p.ans, nil
	case <-ctx.Done():
		return "", fmt.Errorf("%w: %w", ErrPACSlow, ctx.Err())
	}
}

// forgetAnswered drops the answers already given, keeping the evaluations
// still running. The caller holds a.mu.
func (a *pacAsker) forgetAnswered() {
	for u, p := range a.answers {
		if p.answered() {
			delete(a.answers, u)
		}
	}
}

// renewed returns the asker for a freshly read proxy configuration: answers
// already given are forgotten (the network may have changed), evaluations
// still running are carried over and joined. So a PAC script or WPAD
// lookup that never returns costs one goroutine per address for the life
// of the app, not one more at every reload. a may be nil.
func (a *pacAsker) renewed(pac func(string) string) *pacAsker {
	n := &pacAsker{pac: pac, answers: make(map[string]*pacAnswer)}
	if a == nil {
		return n
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for u, p := range a.answers {
		if !p.answered() {
			n.answers[u] = p
		}
	}
	return n
}

// reloadingProxy keeps a proxy function read from the system (by load) and
// reads it again when it is maxAge old, or at the next use after a check
// marked it stale: reading the Windows settings at every request would
// re-run PAC/WPAD, reading them once would miss a change of network.
type reloadingProxy struct {
	load   func() func(*http.Request) (*url.URL, error) // called with mu held
	maxAge time.Duration
	now    func() time.Time // time.Now; a fake in tests

	mu     sync.Mutex
	fn     func(*http.Request) (*url.URL, error)
	loaded time.Time
	stale  bool
}

func (c *reloadingProxy) current() func(*http.Request) (*url.URL, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if c.fn == nil || c.stale || now.Sub(c.loaded) >= c.maxAge || now.Before(c.loaded) {
		c.fn, c.loaded, c.stale = c.load(), now, false
	}
	return c.fn
}

func (c *reloadingProxy) markStale() {
	c.mu.Lock()
	c.stale = true
	c.mu.Unlock()
}
