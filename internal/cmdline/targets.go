package cmdline

import (
	"errors"
	"flag"
	"strconv"
	"strings"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/probe"
)

// CheckFlags are the flags shared by check, watch and the agent (which
// takes --url, --proxy and --reference).
type CheckFlags struct {
	URL, Timeout, Slow, Proxy, Reference, Lang, Config string
	JSON                                               bool
}

// FlagSet is the FlagSet of a command taking the check flags.
func (f *CheckFlags) FlagSet(name string) *flag.FlagSet {
	fs := NewFlagSet(name)
	f.RegisterTarget(fs)
	fs.StringVar(&f.Timeout, "timeout", "", "")
	fs.StringVar(&f.Slow, "slow", "", "")
	fs.BoolVar(&f.JSON, "json", false, "")
	return fs
}

// RegisterTarget adds the flags the agent takes too: --url, --proxy,
// --reference, --lang and --config.
func (f *CheckFlags) RegisterTarget(fs *flag.FlagSet) {
	fs.StringVar(&f.URL, "url", "", "")
	fs.StringVar(&f.Proxy, "proxy", "", "")
	fs.StringVar(&f.Reference, "reference", "", "")
	fs.StringVar(&f.Lang, "lang", "", "")
	fs.StringVar(&f.Config, "config", "", "")
}

// Apply validates the flags and lays them over settings s.
func (f *CheckFlags) Apply(tr *i18n.Translator, cmd string, s *probe.Settings) error {
	if f.Lang != "" {
		s.Language, _ = i18n.NormalizeLang(f.Lang) // refused by ParseCommandLine when unknown
	}
	if f.URL != "" {
		u, err := ValidateCheckURL(f.URL)
		if err != nil {
			return &usageError{tr.T("usage.bad_url", map[string]any{"Cmd": cmd, "URL": f.URL, "Why": tr.URLProblem(probe.ProblemOf(err))})}
		}
		s.URL = u
	}
	for _, d := range []struct {
		name, val string
		dst       *probe.Duration
	}{{"timeout", f.Timeout, &s.Timeout}, {"slow", f.Slow, &s.Slow}} {
		if d.val == "" {
			continue
		}
		v, err := ParseDurationFlag(tr, cmd, d.name, d.val)
		if err != nil {
			return err
		}
		*d.dst = probe.Duration(v)
	}
	// "--timeout 3s" alone means a shorter check, not a mistake against
	// the slow threshold the user never set: that one follows, as it does
	// when the settings file's timeout is repaired.
	if f.Timeout != "" && f.Slow == "" && s.Slow >= s.Timeout {
		s.Slow = s.Timeout / 2
	}
	if f.Proxy != "" {
		p, err := parseProxy(tr, cmd, f.Proxy)
		if err != nil {
			return err
		}
		s.Proxy = string(p)
	}
	if f.Reference != "" {
		r, err := parseReference(tr, cmd, f.Reference)
		if err != nil {
			return err
		}
		s.Reference = r
	}
	return nil
}

// MonitorFlags are the monitor flags of watch and the agent (ARCHITECTURE.md §7).
type MonitorFlags struct {
	interval, recheck, downInterval, failThreshold, recoverThreshold string
}

// Register adds the flags to fs.
func (f *MonitorFlags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.interval, "interval", "", "")
	fs.StringVar(&f.recheck, "recheck", "", "")
	fs.StringVar(&f.downInterval, "down-interval", "", "")
	fs.StringVar(&f.failThreshold, "fail-threshold", "", "")
	fs.StringVar(&f.recoverThreshold, "recover-threshold", "", "")
}

// Apply lays the flags over s (range checks come with s.Validate).
func (f *MonitorFlags) Apply(tr *i18n.Translator, cmd string, s *probe.Settings) error {
	for _, d := range []struct {
		name, val string
		dst       *probe.Duration
	}{{"interval", f.interval, &s.Interval}, {"recheck", f.recheck, &s.Recheck}, {"down-interval", f.downInterval, &s.DownInterval}} {
		if d.val == "" {
			continue
		}
		v, err := ParseDurationFlag(tr, cmd, d.name, d.val)
		if err != nil {
			return err
		}
		*d.dst = probe.Duration(v)
	}
	for _, n := range []struct {
		name, val string
		dst       *int
	}{{"fail-threshold", f.failThreshold, &s.FailThreshold}, {"recover-threshold", f.recoverThreshold, &s.RecoverThreshold}} {
		if n.val == "" {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSpace(n.val))
		if err != nil {
			return &usageError{tr.T("usage.bad_number", map[string]any{"Cmd": cmd, "Flag": n.name, "Value": n.val})}
		}
		*n.dst = v
	}
	return nil
}

// ValidateForCommand turns settings problems into one localised usage line.
func ValidateForCommand(tr *i18n.Translator, cmd string, s probe.Settings) error {
	var verr probe.ValidationError
	if err := s.Validate(); errors.As(err, &verr) {
		parts := make([]string, len(verr))
		for i, fe := range verr {
			parts[i] = tr.FieldError(fe)
		}
		return &usageError{cmd + ": " + strings.Join(parts, " ")}
	}
	return nil
}
