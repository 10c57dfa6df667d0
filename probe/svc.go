package probe

import (
	"context"
	"net/url"
	"time"
)

// The e-Faktur SVC's second witness (ARCHITECTURE.md §1).

// wsdlRetry is how often the SVC's WSDL address is tried again once the
// validation service answers for it.
const wsdlRetry = time.Hour

// checkSVC checks the e-Faktur SVC at its WSDL address. That path is not
// published, so when it answers 404 or 410 the invoice validation service
// of the same origin is asked as a second witness; once it has answered,
// later checks ask it directly and try the WSDL address again hourly.
func (c *HTTPChecker) checkSVC(ctx context.Context, t Target) Result {
	val := validationURL(t.URL)
	c.mu.Lock()
	tried, known := c.viaValidation[t.URL]
	c.mu.Unlock()
	if known && c.opts.Now().Sub(tried) < wsdlRetry {
		if r, ok := c.validation(ctx, t, val, c.opts.Timeout); ok {
			return r
		}
	}
	start := time.Now()
	res := c.get(ctx, t.URL, ExpectWSDL, t.Slow, c.opts.Timeout)
	c.mu.Lock()
	delete(c.viaValidation, t.URL)
	c.mu.Unlock()
	left := c.opts.Timeout - time.Since(start)
	if res.Reason != ReasonNotFound || val == "" || left <= 0 {
		return res
	}
	if r, ok := c.validation(ctx, t, val, left); ok {
		c.mu.Lock()
		c.viaValidation[t.URL] = res.CheckedAt
		c.mu.Unlock()
		return r
	}
	return res
}

// validation asks the validation service for the SVC at t; ok when the
// SVC answered (also slowly).
func (c *HTTPChecker) validation(ctx context.Context, t Target, val string, timeout time.Duration) (Result, bool) {
	r := c.get(ctx, val, ExpectValidation, t.Slow, timeout)
	if r.Reason != ReasonOK && r.Reason != ReasonSlow {
		return r, false
	}
	r.URL, r.Via = t.URL, ViaValidation
	return r, true
}

// ViaValidation is Result.Via when the SVC answered through its invoice
// validation service.
const ViaValidation = "validation"

// validationURL is the invoice validation service of the SVC's origin,
// asked about an obviously dummy invoice ("" for an address without one).
func validationURL(wsdl string) string {
	u, err := url.Parse(wsdl)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/validasi/faktur/000000000000000/0000000000000/0"
}
