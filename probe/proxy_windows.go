//go:build windows

package probe

import (
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/mattn/go-ieproxy"
	"golang.org/x/net/http/httpproxy"
)

// On Windows the system proxy is the one of Internet Options (static, PAC
// script or automatic detection), the same the e-Faktur app and browsers
// use. It is read again at most once a minute, so a change of network
// (office → home, VPN on) is followed by the next check.
func init() {
	SystemProxy = windowsProxy.current
}

var windowsProxy proxyCache

type proxyCache struct {
	mu     sync.Mutex
	loaded time.Time
	fn     func(*http.Request) (*url.URL, error)
	ask    *pacAsker // kept across reloads so a stuck PAC evaluation is joined, not repeated
}

func (c *proxyCache) current() func(*http.Request) (*url.URL, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fn != nil && time.Since(c.loaded) < time.Minute {
		return c.fn
	}
	env := httpproxy.FromEnvironment()
	if env.HTTPProxy != "" || env.HTTPSProxy != "" {
		c.fn = http.ProxyFromEnvironment // set by hand: it wins, as in go-ieproxy
	} else {
		conf := ieproxy.ReloadConf()
		var ask *pacAsker
		if conf.Automatic.Active {
			c.ask = c.ask.renewed(conf.Automatic.FindProxyForURL)
			ask = c.ask
		}
		c.fn = ieProxyFunc(conf, ask)
	}
	c.loaded = time.Now()
	return c.fn
}
