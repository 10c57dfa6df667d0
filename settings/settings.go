package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Version is the version written into config.json.
const Version = 1

// Default addresses (ARCHITECTURE.md §1).
const (
	DefaultURL         = "https://svc.efaktur.pajak.go.id/svc/MasterFakturService?wsdl"
	EnofaURL           = "https://efaktur.pajak.go.id"
	DefaultCoretaxURL  = "https://coretaxdjp.pajak.go.id/identityproviderportal/Account/Login" // the portal's sign-in
	DefaultCoretaxSlow = 10 * time.Second                                                      // its sign-in is slow even on a good day
	DJPOnlineURL       = "https://djponline.pajak.go.id"
	minLoopbackWait    = 50 * time.Millisecond
	maxInterval        = time.Hour
	maxRecheck         = 10 * time.Minute
	maxTimeout         = 2 * time.Minute
	minRemoteTimeout   = time.Second
)

// Duration is a time.Duration written as "60s" in JSON. Numbers are read as
// seconds, because that is what people type when editing the file by hand.
type Duration time.Duration

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalJSON writes the Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "60s", "1m30s" or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		*d = Duration(v)
		return nil
	}
	var n float64
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("not a duration")
	}
	*d = Duration(n * float64(time.Second))
	return nil
}

// Services are the DJP services the user uses (ARCHITECTURE.md §1): each
// is monitored, drives the icon and is notified by name. At least one.
type Services struct {
	Efaktur bool `json:"efaktur"`
	Coretax bool `json:"coretax"`
}

// Secondary switches the other DJP services on (off the icon, no
// notifications).
type Secondary struct {
	Enofa     bool `json:"enofa"`
	DJPOnline bool `json:"djponline"`
}

// Settings is the settings file (ARCHITECTURE.md §6).
type Settings struct {
	Version          int                    `json:"version"`
	Services         Services               `json:"services"`
	URL              string                 `json:"url"`
	CoretaxURL       string                 `json:"coretax_url"`
	Interval         Duration               `json:"interval"`
	Recheck          Duration               `json:"recheck"`
	DownInterval     Duration               `json:"down_interval"`
	FailThreshold    int                    `json:"fail_threshold"`
	RecoverThreshold int                    `json:"recover_threshold"`
	Timeout          Duration               `json:"timeout"`
	Slow             Duration               `json:"slow"`
	CoretaxSlow      Duration               `json:"coretax_slow"`
	Proxy            string                 `json:"proxy"`
	Reference        string                 `json:"reference"`
	Secondary        Secondary              `json:"secondary"`
	Notify           monitor.NotifySettings `json:"notify"`
	Language         string                 `json:"language"`
	Autostart        bool                   `json:"autostart"`

	// extra keeps keys this version does not know (written by a newer
	// version), so saving never drops what the user or that version saved.
	extra map[string]json.RawMessage
}

// Default are the defaults of ARCHITECTURE.md §5.
func Default() Settings {
	return Settings{
		Version:          Version,
		Services:         Services{Efaktur: true, Coretax: true},
		URL:              DefaultURL,
		CoretaxURL:       DefaultCoretaxURL,
		Interval:         Duration(60 * time.Second),
		Recheck:          Duration(10 * time.Second),
		DownInterval:     Duration(30 * time.Second),
		FailThreshold:    3,
		RecoverThreshold: 2,
		Timeout:          Duration(probe.DefaultTimeout),
		Slow:             Duration(probe.DefaultSlow),
		CoretaxSlow:      Duration(DefaultCoretaxSlow),
		Proxy:            string(probe.ProxySystem),
		Reference:        probe.DefaultReference,
		Notify:           monitor.NotifySettings{Down: true, Recovered: true, Sound: true},
		Language:         "id",
	}
}

// FieldCode says what is wrong with a field; it selects the message.
type FieldCode string

// The field codes.
const (
	CodeURL           FieldCode = "url"             // not a usable address (Problem says why)
	CodeRange         FieldCode = "range"           // outside Min … Max
	CodeSlowVsTimeout FieldCode = "slow_vs_timeout" // the slow threshold is not shorter than the timeout
	CodeProxy         FieldCode = "proxy"           // not system, none or a proxy address
	CodeProxyPort     FieldCode = "proxy_port"      // a proxy address without its port
	CodeReference     FieldCode = "reference"       // not an address nor "off" (Problem says why)
	CodeLanguage      FieldCode = "language"        // not id nor en
	CodeNoService     FieldCode = "no_service"      // no DJP service in use
	CodeType          FieldCode = "type"            // the wrong JSON type: the value could not be read
	CodeBool          FieldCode = "bool"            // not true or false
	CodeUnreadable    FieldCode = "unreadable"      // the settings window could not read what was typed
)

// FieldError says what is wrong with one field. Min/Max give the allowed
// range where there is one. Error() is English, for logs; people see
// i18n's rendering of the same fields.
type FieldError struct {
	Field string // JSON name, e.g. "interval"
	Code  FieldCode
	Value string // what was given
	Min   string // allowed minimum, when Code is "range"
	Max   string // allowed maximum, when Code is "range"
	// Problem is what is wrong with an address (Code "url" or "reference").
	Problem URLProblem
}

func (e FieldError) Error() string {
	switch e.Code {
	case CodeRange:
		return fmt.Sprintf("%s: %s is outside the allowed range %s … %s", e.Field, e.Value, e.Min, e.Max)
	case CodeSlowVsTimeout:
		return fmt.Sprintf("%s: %s must be shorter than the timeout (%s)", e.Field, e.Value, e.Max)
	}
	return fmt.Sprintf("%s: invalid value %s (%s)", e.Field, e.Value, e.Code)
}

// ValidationError lists every invalid field.
type ValidationError []FieldError

func (v ValidationError) Error() string {
	parts := make([]string, len(v))
	for i, e := range v {
		parts[i] = e.Error()
	}
	return "invalid settings: " + strings.Join(parts, "; ")
}

// URLProblem says what is wrong with an address, so the user is told what
// to fix rather than only "invalid".
type URLProblem string

// The problems an address can have.
const (
	URLNotHTTP     URLProblem = "form"        // not an absolute http(s) address with a host
	URLBadChars    URLProblem = "chars"       // spaces or characters an address cannot hold
	URLCredentials URLProblem = "credentials" // user:password@ in the address
	URLBadPort     URLProblem = "port"        // a port outside 1 … 65535
)

// URLError is an address refused by ValidateURL.
type URLError struct{ Problem URLProblem }

func (e *URLError) Error() string {
	switch e.Problem {
	case URLBadChars:
		return "the address holds spaces or invalid characters"
	case URLCredentials:
		return "the address holds a user name or password"
	case URLBadPort:
		return "the port is outside 1 … 65535"
	}
	return "not an http(s) address"
}

// ProblemOf is the problem of a ValidateURL error ("" for nil).
func ProblemOf(err error) URLProblem {
	var ue *URLError
	if errors.As(err, &ue) {
		return ue.Problem
	}
	if err != nil {
		return URLNotHTTP
	}
	return ""
}

// ValidateURL accepts an absolute http(s) address with a host, a port in
// range if any, and no embedded credentials. A port of 99999 would
// otherwise be checked, fail to connect, and turn the icon red: a typo
// must never look like DJP being down.
func ValidateURL(raw string) error {
	s := strings.TrimSpace(raw)
	scheme, _, _ := strings.Cut(strings.ToLower(s), "://")
	if scheme != "http" && scheme != "https" {
		return &URLError{URLNotHTTP}
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return &URLError{URLBadChars}
	}
	u, err := url.Parse(s)
	if err != nil {
		if strings.Contains(err.Error(), "port") {
			return &URLError{URLBadPort}
		}
		return &URLError{URLBadChars}
	}
	if u.Hostname() == "" {
		return &URLError{URLNotHTTP}
	}
	if u.User != nil {
		return &URLError{URLCredentials}
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return &URLError{URLBadPort}
		}
	}
	return nil
}

// Validate checks every field and returns all problems at once.
func (s Settings) Validate() error {
	var errs ValidationError
	add := func(e FieldError) { errs = append(errs, e) }
	if !s.Services.Efaktur && !s.Services.Coretax {
		add(FieldError{Field: "services", Code: CodeNoService})
	}
	for _, f := range []struct{ field, url string }{{"url", s.URL}, {"coretax_url", s.CoretaxURL}} {
		if err := ValidateURL(f.url); err != nil {
			add(FieldError{Field: f.field, Code: CodeURL, Value: f.url, Problem: ProblemOf(err)})
		}
	}
	// Quick checks only when the first service is on this PC (tests, the
	// demo); the monitor holds any other address to MinRemoteWait.
	targets, _ := s.Monitored()
	loopback := len(targets) > 0 && probe.IsLoopbackURL(targets[0].URL)
	minWait, minTimeout := monitor.MinRemoteWait, minRemoteTimeout
	if loopback {
		minWait, minTimeout = minLoopbackWait, minLoopbackWait
	}
	durs := []struct {
		field    string
		v        Duration
		min, max time.Duration
	}{
		{"interval", s.Interval, minWait, maxInterval},
		{"recheck", s.Recheck, minWait, maxRecheck},
		{"down_interval", s.DownInterval, minWait, maxInterval},
		{"timeout", s.Timeout, minTimeout, maxTimeout},
		{"slow", s.Slow, minTimeout / 2, maxTimeout},
		{"coretax_slow", s.CoretaxSlow, minTimeout / 2, maxTimeout},
	}
	for _, d := range durs {
		if d.v.D() < d.min || d.v.D() > d.max {
			add(FieldError{Field: d.field, Code: CodeRange, Value: d.v.D().String(), Min: d.min.String(), Max: d.max.String()})
		}
	}
	for _, f := range []struct {
		field string
		slow  Duration
	}{{"slow", s.Slow}, {"coretax_slow", s.CoretaxSlow}} {
		if f.slow >= s.Timeout && s.Timeout > 0 && f.slow > 0 {
			add(FieldError{Field: f.field, Code: CodeSlowVsTimeout, Value: f.slow.D().String(), Max: s.Timeout.D().String()})
		}
	}
	if s.FailThreshold < 2 || s.FailThreshold > 10 {
		// 1 would turn a single failed check red: the app must not cry wolf.
		add(FieldError{Field: "fail_threshold", Code: CodeRange, Value: strconv.Itoa(s.FailThreshold), Min: "2", Max: "10"})
	}
	if s.RecoverThreshold < 1 || s.RecoverThreshold > 10 {
		add(FieldError{Field: "recover_threshold", Code: CodeRange, Value: strconv.Itoa(s.RecoverThreshold), Min: "1", Max: "10"})
	}
	if _, err := probe.ParseProxySetting(s.Proxy); err != nil {
		code := CodeProxy
		if errors.Is(err, probe.ErrProxyNoPort) {
			code = CodeProxyPort
		}
		add(FieldError{Field: "proxy", Code: code, Value: s.Proxy})
	}
	if !strings.EqualFold(s.Reference, "off") {
		if err := ValidateURL(s.Reference); err != nil {
			add(FieldError{Field: "reference", Code: CodeReference, Value: s.Reference, Problem: ProblemOf(err)})
		}
	}
	if s.Language != "id" && s.Language != "en" {
		add(FieldError{Field: "language", Code: CodeLanguage, Value: s.Language})
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// PrimaryTarget is the e-Faktur SVC target.
func (s Settings) PrimaryTarget() probe.Target {
	return probe.Target{ID: probe.PrimaryTargetID, URL: s.URL, Expect: probe.ExpectWSDL}
}

// CoretaxTarget is Coretax, checked with its own rules.
func (s Settings) CoretaxTarget() probe.Target {
	return probe.Target{ID: probe.CoretaxTargetID, URL: s.CoretaxURL, Expect: probe.ExpectCoretax, Slow: s.CoretaxSlow.D()}
}

// Monitored lists the targets to check: the services in use first (their
// number is services), then every extra switched on.
func (s Settings) Monitored() (targets []probe.Target, services int) {
	if s.Services.Efaktur {
		targets = append(targets, s.PrimaryTarget())
	}
	if s.Services.Coretax {
		targets = append(targets, s.CoretaxTarget())
	}
	services = len(targets)
	if s.Secondary.Enofa {
		targets = append(targets, probe.Target{ID: "enofa", URL: EnofaURL, Expect: probe.ExpectPage})
	}
	if s.Secondary.DJPOnline {
		targets = append(targets, probe.Target{ID: "djponline", URL: DJPOnlineURL, Expect: probe.ExpectPage})
	}
	return targets, services
}

// MonitorConfig is the monitor these settings stand for.
func (s Settings) MonitorConfig(c monitor.Checker) monitor.Config {
	targets, services := s.Monitored()
	return monitor.Config{Targets: targets, Services: services, Checker: c, Policy: s.Policy(), Notify: s.Notify}
}

// CheckOptions are the checker options these settings stand for.
func (s Settings) CheckOptions(userAgent string) probe.Options {
	ref := s.Reference
	if strings.EqualFold(ref, "off") {
		ref = ""
	}
	return probe.Options{
		Timeout: s.Timeout.D(), Slow: s.Slow.D(), Proxy: probe.ProxySetting(s.Proxy),
		Reference: ref, UserAgent: userAgent,
	}
}

// Policy is the monitor policy these settings stand for.
func (s Settings) Policy() monitor.Policy {
	p := monitor.DefaultPolicy()
	p.Interval, p.Recheck, p.DownInterval = s.Interval.D(), s.Recheck.D(), s.DownInterval.D()
	p.FailThreshold, p.RecoverThreshold = s.FailThreshold, s.RecoverThreshold
	return p
}
