package probe

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// ProxySetting is how checks reach the Internet: "system" (the PC's proxy
// settings: environment on Linux/macOS, Internet Options / PAC on Windows),
// "none" (direct), or a manual proxy URL such as http://proxy.kantor:8080.
type ProxySetting string

const (
	ProxySystem ProxySetting = "system"
	ProxyNone   ProxySetting = "none"
)

// ErrProxyURL is wrapped by every error about a manual proxy address.
var ErrProxyURL = errors.New("invalid proxy address")

// ErrProxyNoPort (which wraps ErrProxyURL) is a proxy typed without scheme
// and port, such as "proxy.kantor": the fix is to add the port, and the
// message says so rather than the general "use system, none or an address".
var ErrProxyNoPort = fmt.Errorf("%w: no port", ErrProxyURL)

// ParseProxySetting validates a setting from a flag or the settings file.
func ParseProxySetting(s string) (ProxySetting, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "", "system":
		return ProxySystem, nil
	case "none", "direct", "off":
		return ProxyNone, nil
	}
	u, err := parseProxyURL(s)
	if err != nil {
		return "", err
	}
	if !strings.Contains(s, "://") && u.Port() == "" {
		// Typed without a scheme, a proxy comes with its port, the way the
		// e-Faktur app and Internet Options show it. A lone word is far
		// more likely a mistyped "system" or "none", or a host copied
		// without its port, than a proxy on port 80: tell the user rather
		// than check through a proxy that is not there. (Only what the
		// user types: the PC's own proxy settings and PAC answers keep
		// the usual port 80.)
		return "", fmt.Errorf("proxy %q: %w", s, ErrProxyNoPort)
	}
	return ProxySetting(s), nil
}

// IsSystem reports whether checks go through the PC's proxy settings (the
// default, also when the setting is empty).
func (p ProxySetting) IsSystem() bool { return p == "" || p == ProxySystem }

// IsManual reports whether the setting is a proxy URL.
func (p ProxySetting) IsManual() bool {
	return p != "" && p != ProxySystem && p != ProxyNone
}

func parseProxyURL(s string) (*url.URL, error) {
	if !strings.Contains(s, "://") {
		s = "http://" + s // "proxy.kantor:8080" is how people write it
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProxyURL, err)
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, fmt.Errorf("%w: scheme %q (use http, https or socks5)", ErrProxyURL, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%w: no host", ErrProxyURL)
	}
	if p := u.Port(); p != "" {
		var n int
		if _, err := fmt.Sscanf(p, "%d", &n); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("%w: port %q", ErrProxyURL, p)
		}
	}
	return u, nil
}

// Func returns the proxy function for an http.Transport.
func (p ProxySetting) Func() func(*http.Request) (*url.URL, error) {
	switch {
	case p == ProxyNone:
		return func(*http.Request) (*url.URL, error) { return nil, nil }
	case p.IsManual():
		u, err := parseProxyURL(string(p))
		return func(*http.Request) (*url.URL, error) { return u, err }
	}
	return func(r *http.Request) (*url.URL, error) { return SystemProxy()(r) }
}

// SystemProxy returns the PC's proxy function. It is a variable so that each
// platform (proxy_windows.go) and tests can provide theirs; the default is the
// environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), which is how Linux desktops
// and macOS terminals pass the proxy to programs.
var SystemProxy = func() func(*http.Request) (*url.URL, error) {
	return http.ProxyFromEnvironment
}

// SystemProxyStale is told that a check through the system proxy failed at
// the network or proxy level: the network, and with it the proxy, may have
// changed (office → home, VPN on or off), so a platform that keeps the
// proxy settings (Windows, see proxy_windows.go) reads them again before
// the next check rather than at its next scheduled reload. The environment
// is read for every request: nothing to do by default.
var SystemProxyStale = func() {}

// Redacted is the setting with any password hidden, for display and logs.
func (p ProxySetting) Redacted() string {
	if !p.IsManual() {
		return string(p)
	}
	u, err := parseProxyURL(string(p))
	if err != nil || u.User == nil {
		return string(p)
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
