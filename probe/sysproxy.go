package probe

import (
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/mattn/go-ieproxy"
)

// IEProxyFunc chooses the proxy for a request from the Windows Internet
// Options ("Setelan proxy") configuration, as read by go-ieproxy: a PAC
// script or automatic detection first (pac gives its answer for a URL, ""
// for none), then the static proxy with its bypass list. It lives here,
// not in a Windows-only file, so its rules are tested on every platform.
func IEProxyFunc(conf ieproxy.ProxyConf, pac func(string) string) func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) {
		if conf.Automatic.Active && pac != nil {
			if ans := strings.TrimSpace(pac(req.URL.String())); ans != "" {
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
