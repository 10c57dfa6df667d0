// Package probe is the domain core of Pantau e-Faktur: one honest check of a
// DJP web service, its classification into a Level and a Reason, the monitor
// policy built on top, the check history and the settings file. It never
// imports UI code; texts for people are made from its stable words elsewhere.
package probe

import (
	"encoding/json"
	"math"
	"time"
)

// Level is what the tray icon shows.
type Level string

const (
	LevelUnknown  Level = "unknown"  // before the first check
	LevelUp       Level = "up"       // green: uploads should work
	LevelDegraded Level = "degraded" // yellow: something is off, maybe on this network
	LevelDown     Level = "down"     // red: DJP is down or in maintenance
	LevelOffline  Level = "offline"  // grey: this PC has no working connection
)

// ExitCode is the process exit code of `check` and `status` for a level.
func (l Level) ExitCode() int {
	switch l {
	case LevelUp:
		return 0
	case LevelDegraded:
		return 1
	case LevelDown:
		return 2
	case LevelOffline:
		return 3
	}
	return 2 // unknown: nothing proves the server works, so do not say "up"
}

// Valid reports whether l is one of the known levels.
func (l Level) Valid() bool {
	switch l {
	case LevelUnknown, LevelUp, LevelDegraded, LevelDown, LevelOffline:
		return true
	}
	return false
}

// Reason says why a check got its level, in a stable machine word.
type Reason string

const (
	ReasonOK                Reason = "ok"
	ReasonSlow              Reason = "slow"
	ReasonMaintenance       Reason = "maintenance"
	ReasonServerError       Reason = "server_error"
	ReasonNotFound          Reason = "not_found"
	ReasonUnexpectedContent Reason = "unexpected_content"
	ReasonHTTPStatus        Reason = "http_status"
	ReasonProxy             Reason = "proxy"
	ReasonTLSUntrusted      Reason = "tls_untrusted"
	ReasonTLSClock          Reason = "tls_clock"
	ReasonTLS               Reason = "tls"
	ReasonDNS               Reason = "dns"
	ReasonConnect           Reason = "connect"
	ReasonTimeout           Reason = "timeout"
	ReasonOffline           Reason = "offline"
	// ReasonCanceled marks a check abandoned because the caller gave up
	// (the app is quitting). It is never recorded nor shown.
	ReasonCanceled Reason = "canceled"
)

// AllReasons lists every reason a check can produce, in the order of
// ARCHITECTURE.md §5 (and the README): ties between reasons go to the first.
var AllReasons = []Reason{
	ReasonOK, ReasonSlow, ReasonMaintenance, ReasonServerError, ReasonNotFound,
	ReasonUnexpectedContent, ReasonHTTPStatus, ReasonProxy, ReasonTLSUntrusted,
	ReasonTLSClock, ReasonTLS, ReasonDNS, ReasonConnect, ReasonTimeout, ReasonOffline,
}

// Level is the level a reason stands for (offline-capable network reasons
// return down; the reference check turns them into offline).
func (r Reason) Level() Level {
	switch r {
	case ReasonOK:
		return LevelUp
	case ReasonSlow, ReasonNotFound, ReasonUnexpectedContent, ReasonHTTPStatus,
		ReasonProxy, ReasonTLSUntrusted, ReasonTLSClock:
		return LevelDegraded
	case ReasonMaintenance, ReasonServerError, ReasonTLS, ReasonDNS, ReasonConnect, ReasonTimeout:
		return LevelDown
	case ReasonOffline:
		return LevelOffline
	}
	return LevelUnknown
}

// NetworkLevel reports whether the reason is a failure to reach the server at
// all, the only kind after which "is it me or them?" is asked.
func (r Reason) NetworkLevel() bool {
	return r == ReasonDNS || r == ReasonConnect || r == ReasonTimeout
}

// Phases are the times of one request, each measured from the start of the
// check; zero when the phase did not happen (reused connection, no TLS, error).
type Phases struct {
	DNS     time.Duration // name lookup
	Connect time.Duration // TCP connect
	TLS     time.Duration // TLS handshake
	TTFB    time.Duration // request written → first response byte
	Total   time.Duration // whole check, body included
}

// MarshalJSON writes the phases as whole milliseconds (ARCHITECTURE.md §7).
func (p Phases) MarshalJSON() ([]byte, error) {
	return json.Marshal(phasesJSON{Millis(p.DNS), Millis(p.Connect), Millis(p.TLS), Millis(p.TTFB), Millis(p.Total)})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (p *Phases) UnmarshalJSON(b []byte) error {
	var j phasesJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*p = Phases{FromMillis(j.DNS), FromMillis(j.Connect), FromMillis(j.TLS), FromMillis(j.TTFB), FromMillis(j.Total)}
	return nil
}

type phasesJSON struct {
	DNS     int64 `json:"dns_ms"`
	Connect int64 `json:"connect_ms"`
	TLS     int64 `json:"tls_ms"`
	TTFB    int64 `json:"ttfb_ms"`
	Total   int64 `json:"total_ms"`
}

// Millis is d in whole milliseconds, as the JSON and the history write it.
func Millis(d time.Duration) int64 { return int64(math.Round(float64(d) / float64(time.Millisecond))) }

// FromMillis reads Millis back.
func FromMillis(v int64) time.Duration { return time.Duration(v) * time.Millisecond }

// Reference is the outcome of the "is it me or them?" check.
type Reference struct {
	URL   string `json:"url"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// Result is everything one check learned.
type Result struct {
	Target     string        // target ID, e.g. "efaktur"
	URL        string        // address checked
	Level      Level         // what the icon would show for this check alone
	Reason     Reason        // why
	Cause      Reason        // for offline: the target's own failure (dns, connect, timeout)
	HTTPStatus int           // 0 when no response arrived
	Phases     Phases        // timings
	Bytes      int64         // body bytes read (after decompression)
	ServerDate time.Time     // the server's Date header, zero if none
	ClockSkew  time.Duration // this PC's clock minus the server's; 0 if unknown
	RetryAfter time.Duration // the pause a 429/503 asked for (Retry-After); 0 if none
	Proxy      string        // proxy used ("" = direct)
	// ProxySignIn is the scheme ("Negotiate", "NTLM") of the Windows sign-in
	// given to the proxy ("" if none).
	ProxySignIn string
	Error       string     // raw error text, for logs and the diagnostics report
	Detail      string     // short machine detail (e.g. "root element html"), for diagnostics
	PageTitle   string     // the <title> of an HTML page answered in the service's place (PageTitle)
	Reference   *Reference // set when the reference check ran
	Message     string     // localised sentence, filled in by the presentation layer
	CheckedAt   time.Time  // when the check started
	// RedirectedTo is where the last redirect pointed (credentials removed;
	// "" when there was none): the host that failed may not be URL's.
	RedirectedTo string
	// Via is ViaValidation when the SVC answered through its invoice
	// validation service, its WSDL address not being found.
	Via string
}

// Latency is the total time of the check.
func (r Result) Latency() time.Duration { return r.Phases.Total }

// SkewWarnThreshold is the clock difference from which the PC's clock is
// called wrong: e-Faktur's own TLS and signatures fail well before the clock
// is a day off, and |skew| ≥ 5 min is a classic cause of ETAX-40001/40002.
const SkewWarnThreshold = 5 * time.Minute

// ClockSkewSuspicious reports whether the PC clock looks wrong.
func (r Result) ClockSkewSuspicious() bool {
	return !r.ServerDate.IsZero() && (r.ClockSkew >= SkewWarnThreshold || r.ClockSkew <= -SkewWarnThreshold)
}

// resultJSON is the wire form of ARCHITECTURE.md §7; field names are a contract.
type resultJSON struct {
	Target     string     `json:"target,omitempty"`
	Level      Level      `json:"level"`
	Reason     Reason     `json:"reason"`
	Cause      Reason     `json:"cause,omitempty"`
	URL        string     `json:"url"`
	HTTPStatus int        `json:"http_status"`
	LatencyMS  int64      `json:"latency_ms"`
	Phases     Phases     `json:"phases"`
	Bytes      int64      `json:"bytes"`
	ClockSkewS *int64     `json:"clock_skew_s"`
	ServerDate string     `json:"server_date,omitempty"`
	RetryAfter int64      `json:"retry_after_s,omitempty"`
	Proxy      string     `json:"proxy,omitempty"`
	SignIn     string     `json:"proxy_sign_in,omitempty"`
	Message    string     `json:"message,omitempty"`
	Error      string     `json:"error,omitempty"`
	Detail     string     `json:"detail,omitempty"`
	PageTitle  string     `json:"page_title,omitempty"`
	Redirected string     `json:"redirected_to,omitempty"`
	Reference  *Reference `json:"reference,omitempty"`
	Via        string     `json:"via,omitempty"`
	CheckedAt  string     `json:"checked_at"`
}

// MarshalJSON writes the ARCHITECTURE.md §7 object. clock_skew_s is null when the
// server sent no usable Date header.
func (r Result) MarshalJSON() ([]byte, error) {
	j := resultJSON{
		Target: r.Target, Level: r.Level, Reason: r.Reason, Cause: r.Cause, URL: r.URL,
		HTTPStatus: r.HTTPStatus, LatencyMS: Millis(r.Phases.Total), Phases: r.Phases,
		Bytes: r.Bytes, Proxy: r.Proxy, SignIn: r.ProxySignIn, Message: r.Message, Error: r.Error,
		Detail: r.Detail, PageTitle: r.PageTitle, Redirected: r.RedirectedTo, Reference: r.Reference,
		RetryAfter: int64(math.Ceil(r.RetryAfter.Seconds())), Via: r.Via,
	}
	if !r.ServerDate.IsZero() {
		s := int64(math.Round(r.ClockSkew.Seconds()))
		j.ClockSkewS = &s
		j.ServerDate = r.ServerDate.UTC().Format(time.RFC3339)
	}
	if !r.CheckedAt.IsZero() {
		j.CheckedAt = r.CheckedAt.Format(time.RFC3339Nano)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON wrote (used by `status` and windows).
func (r *Result) UnmarshalJSON(b []byte) error {
	var j resultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = Result{
		Target: j.Target, URL: j.URL, Level: j.Level, Reason: j.Reason, Cause: j.Cause,
		HTTPStatus: j.HTTPStatus, Phases: j.Phases, Bytes: j.Bytes, Proxy: j.Proxy, ProxySignIn: j.SignIn,
		Error: j.Error, Detail: j.Detail, PageTitle: j.PageTitle, RedirectedTo: j.Redirected, Reference: j.Reference, Message: j.Message,
		RetryAfter: time.Duration(j.RetryAfter) * time.Second, Via: j.Via,
	}
	if r.Phases.Total == 0 && j.LatencyMS != 0 {
		r.Phases.Total = FromMillis(j.LatencyMS)
	}
	if j.ClockSkewS != nil {
		r.ClockSkew = time.Duration(*j.ClockSkewS) * time.Second
	}
	if j.ServerDate != "" {
		r.ServerDate, _ = time.Parse(time.RFC3339, j.ServerDate)
	}
	if j.CheckedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, j.CheckedAt)
		if err != nil {
			return err
		}
		r.CheckedAt = t
	}
	return nil
}
