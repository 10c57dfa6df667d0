package i18n

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
)

// Level is the short capitalised word of a level: ONLINE, TERGANGGU, DOWN,
// PC OFFLINE.
func (t *Translator) Level(l probe.Level) string {
	if !l.Valid() {
		l = probe.LevelUnknown
	}
	return t.T("level." + string(l))
}

// ServiceName is the display name of a target ID.
func (t *Translator) ServiceName(targetID string) string {
	switch targetID {
	case "", "efaktur":
		return t.T("service.efaktur")
	case "enofa", "coretax", "djponline":
		return t.T("service." + targetID)
	}
	return targetID
}

// ServiceNameMid is the name of a target inside a sentence ("Tidak dapat
// terhubung ke server e-Faktur", "Cannot connect to the e-Faktur server"),
// where the title form would read "ke Server e-Faktur" / "to The …".
func (t *Translator) ServiceNameMid(targetID string) string {
	if targetID == "" {
		targetID = "efaktur"
	}
	id := "service." + targetID + ".mid"
	if s := t.T(id); s != id {
		return s
	}
	return t.ServiceName(targetID)
}

// Message is the one-sentence explanation of a result, for people.
func (t *Translator) Message(r probe.Result) string {
	reason := r.Reason
	known := false
	for _, k := range probe.AllReasons {
		known = known || k == reason
	}
	if !known {
		reason = "unknown"
	}
	// The host is named where it helps the user (a name that does not
	// resolve: a typo in Settings, or the office DNS); without one, the
	// service. After a redirect, the host that failed is the one it
	// pointed to, not the one in Settings.
	mid := t.ServiceNameMid(r.Target)
	host := mid
	for _, a := range []string{r.URL, r.RedirectedTo} {
		if u, err := url.Parse(a); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
	}
	id := "reason." + string(reason)
	// A redirect as the final answer means the check stopped following it
	// (the limit is 5): a loop, usually a network or proxy login page, or a
	// wrong address. "Unexpected code 302" would tell the user nothing.
	if reason == probe.ReasonHTTPStatus && isRedirect(r.HTTPStatus) {
		id = "reason.redirects"
	}
	// The proxy was given the Windows sign-in and still refused: the
	// account, not the proxy address, is what IT has to look at.
	if reason == probe.ReasonProxy && r.ProxySignIn != "" {
		id = "reason.proxy_signin"
	}
	msg := t.T(id, map[string]any{
		"Service":    t.ServiceName(r.Target),
		"ServiceMid": mid,
		"Host":       host,
		"Status":     r.HTTPStatus,
		"Seconds":    t.Seconds(r.Phases.Total),
		"Scheme":     r.ProxySignIn,
	})
	// The title of the page that answered in the service's place tells the
	// user who stood in the way ("Wi-Fi Login", "Access Denied").
	if r.PageTitle != "" {
		msg += " " + t.T("message.page_title", map[string]any{"Title": r.PageTitle})
	}
	if r.Via == probe.ViaValidation {
		msg += " " + t.T("message.via_validation")
	}
	return msg
}

// redirectedOn: the state's reason is an unexpected status, and its last
// check (that reason's own) ended on a redirect.
func redirectedOn(reason probe.Reason, last *probe.Result) bool {
	return reason == probe.ReasonHTTPStatus && last != nil && last.Reason == reason && isRedirect(last.HTTPStatus)
}

// isRedirect: the statuses an HTTP client follows.
func isRedirect(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// Advice is what the user can do about a reason (one or two sentences).
func (t *Translator) Advice(reason probe.Reason) string {
	id := "advice." + string(reason)
	if s := t.T(id); s != id {
		return s
	}
	return ""
}

// AdviceOn is Advice for a target's reason with what its last check adds:
// a proxy that refused the Windows sign-in needs IT to let the account
// through, not another proxy address; a redirect needs the address opened
// in a browser (a login page) or corrected, not "ask IT to allow it".
// last may be nil.
func (t *Translator) AdviceOn(reason probe.Reason, last *probe.Result) string {
	if reason == probe.ReasonProxy && last != nil && last.ProxySignIn != "" {
		return t.T("advice.proxy_signin", map[string]any{"Scheme": last.ProxySignIn})
	}
	if redirectedOn(reason, last) {
		return t.T("advice.redirects")
	}
	return t.Advice(reason)
}

// Duration renders a length of time the way people say it: "45 detik",
// "23 menit", "2 jam 5 menit", "3 hari 4 jam".
func (t *Translator) Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	switch {
	case d < time.Minute:
		return t.N("dur.seconds", int(math.Round(d.Seconds())), nil)
	case d < time.Hour:
		return t.N("dur.minutes", int(math.Round(d.Minutes())), nil)
	case d < 24*time.Hour:
		h := int(d / time.Hour)
		m := int(math.Round(float64(d%time.Hour) / float64(time.Minute)))
		if m == 60 {
			h, m = h+1, 0
		}
		return joinParts(t.N("dur.hours", h, nil), m, t, "dur.minutes")
	default:
		days := int(d / (24 * time.Hour))
		h := int(math.Round(float64(d%(24*time.Hour)) / float64(time.Hour)))
		if h == 24 {
			days, h = days+1, 0
		}
		return joinParts(t.N("dur.days", days, nil), h, t, "dur.hours")
	}
}

// Clock renders a moment near now the way the tray and the windows show
// it: "16:05" today, "kemarin 16:05" / "besok 08:00" a day either side, and
// "24/11 16:05" further away. A bare time of day alone would let an outage
// that began yesterday afternoon read "sejak 16:05" the next morning, as if
// it were later today. Days are counted in now's time zone.
func (t *Translator) Clock(at, now time.Time) string {
	at = at.In(now.Location())
	hm := at.Format("15:04")
	ay, am, ad := at.Date()
	ny, nm, nd := now.Date()
	// Calendar days between the two dates, counted in UTC where every day
	// has 24 hours (month and year ends included).
	days := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC).Sub(time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour)
	switch days {
	case 0:
		return hm
	case -1:
		return t.T("clock.yesterday", map[string]any{"Time": hm})
	case 1:
		return t.T("clock.tomorrow", map[string]any{"Time": hm})
	}
	if ay != ny {
		return at.Format("02/01/2006 15:04")
	}
	return at.Format("02/01 15:04")
}

func joinParts(first string, n int, t *Translator, id string) string {
	if n == 0 {
		return first
	}
	return first + " " + t.N(id, n, nil)
}

// Seconds renders a duration in seconds, one decimal under 10 s, with the
// language's decimal separator ("1,5" in Indonesian, "1.5" in English).
func (t *Translator) Seconds(d time.Duration) string {
	s := d.Seconds()
	var out string
	if s < 10 {
		out = strconv.FormatFloat(math.Round(s*10)/10, 'f', -1, 64)
	} else {
		out = strconv.Itoa(int(math.Round(s)))
	}
	if t.lang == "id" {
		out = strings.Replace(out, ".", ",", 1)
	}
	return out
}

// ViaProxy says which proxy a check went through, and whether the Windows
// sign-in was given to it ("" for a direct check).
func (t *Translator) ViaProxy(r probe.Result) string {
	switch {
	case r.Proxy == "":
		return ""
	case r.ProxySignIn != "":
		return t.T("check.via_proxy_signin", map[string]any{"Proxy": r.Proxy, "Scheme": r.ProxySignIn})
	}
	return t.T("check.via_proxy", map[string]any{"Proxy": r.Proxy})
}

// UnsteadyNote is "Tidak stabil: 3 dari 10 pemeriksaan terakhir gagal."
// for a server that answers but failed now and then lately (monitor.Unsteady),
// "" otherwise.
func (t *Translator) UnsteadyNote(level probe.Level, recent monitor.Tally) string {
	return t.unsteady("unsteady.note", level, recent)
}

// UnsteadyAdvice is what to do about an unsteady server: retry a failed
// upload after a moment ("" when the server is steady).
func (t *Translator) UnsteadyAdvice(level probe.Level, recent monitor.Tally) string {
	return t.unsteady("advice.unsteady", level, recent)
}

func (t *Translator) unsteady(id string, level probe.Level, recent monitor.Tally) string {
	if !monitor.Unsteady(level, recent) {
		return ""
	}
	return t.T(id, map[string]any{"Failures": recent.Failures, "Checks": recent.Checks})
}
