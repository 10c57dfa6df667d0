//go:build windows

package probe

import (
	"net/http"
	"net/url"
	"time"

	"github.com/mattn/go-ieproxy"
	"golang.org/x/net/http/httpproxy"
)

// On Windows the system proxy is the one of Internet Options (static, PAC
// script or automatic detection), the same the e-Faktur app and browsers
// use. It is read again at most a minute later, or at the next check after
// one failed at the network or proxy level (a change of network: office →
// home, VPN on), see reloadingProxy.
func init() {
	SystemProxy = windowsProxy.current
	SystemProxyStale = windowsProxy.markStale
}

var windowsProxy = reloadingProxy{load: loadWindowsProxy, maxAge: time.Minute, now: time.Now}

// windowsPAC is kept across reloads so that a stuck PAC evaluation is
// joined, not repeated (pacAsker.renewed). Only loadWindowsProxy uses it,
// under windowsProxy.mu.
var windowsPAC *pacAsker

func loadWindowsProxy() func(*http.Request) (*url.URL, error) {
	env := httpproxy.FromEnvironment()
	if env.HTTPProxy != "" || env.HTTPSProxy != "" {
		return http.ProxyFromEnvironment // set by hand: it wins, as in go-ieproxy
	}
	conf := ieproxy.ReloadConf()
	var ask *pacAsker
	if conf.Automatic.Active {
		windowsPAC = windowsPAC.renewed(conf.Automatic.FindProxyForURL)
		ask = windowsPAC
	}
	return ieProxyFunc(conf, ask)
}
