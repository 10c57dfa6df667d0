package cmdline

import (
	"errors"
	"flag"
	"strconv"
	"strings"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
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
func (f *CheckFlags) Apply(tr *i18n.Translator, cmd string, s *settings.Settings) error {
	if f.Lang != "" {
		s.Language, _ = i18n.NormalizeLang(f.Lang) // refused by ParseCommandLine when unknown
	}
	if f.URL != "" {
		u, err := ValidateCheckURL(f.URL)
		if err != nil {
			return &usageError{tr.T("usage.bad_url", map[string]any{"Cmd": cmd, "URL": f.URL, "Why": tr.URLProblem(settings.ProblemOf(err))})}
		}
		s.URL = u
	}
	for _, d := range [][2]string{{"timeout", f.Timeout}, {"slow", f.Slow}} {
		if err := applyFlag(tr, cmd, s, d[0], d[1]); err != nil {
			return err
		}
	}
	// "--timeout 3s" alone means a shorter check, not a mistake against
	// the slow threshold the user never set: that one follows, as it does
	// when the settings file's timeout is repaired.
	if f.Timeout != "" && f.Slow == "" && s.Slow >= s.Timeout {
		s.Slow = s.Timeout / 2
	}
	if f.Timeout != "" && s.CoretaxSlow >= s.Timeout {
		s.CoretaxSlow = s.Timeout / 2
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

// monitorFields are the settings the monitor flags of watch and the agent
// set (ARCHITECTURE.md §7); each flag is its field's name with "-" for "_".
var monitorFields = []string{"interval", "recheck", "down_interval", "fail_threshold", "recover_threshold"}

// MonitorFlags are the values given to the monitor flags, by field, and
// --services and --coretax-url.
type MonitorFlags struct {
	vals                 map[string]*string
	services, coretaxURL string
}

// Register adds the flags to fs.
func (f *MonitorFlags) Register(fs *flag.FlagSet) {
	f.vals = map[string]*string{}
	for _, name := range monitorFields {
		f.vals[name] = fs.String(strings.ReplaceAll(name, "_", "-"), "", "")
	}
	fs.StringVar(&f.services, "services", "", "")
	fs.StringVar(&f.coretaxURL, "coretax-url", "", "")
}

// Apply lays the flags over s (range checks come with s.Validate).
func (f *MonitorFlags) Apply(tr *i18n.Translator, cmd string, s *settings.Settings) error {
	if f.services != "" {
		s.Services = settings.Services{}
		for _, name := range strings.Split(f.services, ",") {
			switch strings.ToLower(strings.TrimSpace(name)) {
			case probe.PrimaryTargetID:
				s.Services.Efaktur = true
			case probe.CoretaxTargetID:
				s.Services.Coretax = true
			default:
				return &usageError{tr.T("usage.bad_service", map[string]any{"Cmd": cmd, "Flag": "--services", "Value": name})}
			}
		}
	}
	if f.coretaxURL != "" {
		u, err := ValidateCheckURL(f.coretaxURL)
		if err != nil {
			return &usageError{tr.T("usage.bad_url", map[string]any{"Cmd": cmd, "URL": f.coretaxURL, "Why": tr.URLProblem(settings.ProblemOf(err))})}
		}
		s.CoretaxURL = u
	}
	for _, name := range monitorFields {
		if val := f.vals[name]; val != nil {
			if err := applyFlag(tr, cmd, s, name, *val); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyFlag lays a duration or number flag, if given, over its settings field.
func applyFlag(tr *i18n.Translator, cmd string, s *settings.Settings, field, val string) error {
	if val == "" {
		return nil
	}
	name := strings.ReplaceAll(field, "_", "-")
	fd, _ := settings.FieldNamed(field)
	switch p := fd.Of(s).(type) {
	case *settings.Duration:
		v, err := ParseDurationFlag(tr, cmd, name, val)
		if err != nil {
			return err
		}
		*p = settings.Duration(v)
	case *int:
		v, err := strconv.Atoi(strings.TrimSpace(val))
		if err != nil {
			return &usageError{tr.T("usage.bad_number", map[string]any{"Cmd": cmd, "Flag": name, "Value": val})}
		}
		*p = v
	}
	return nil
}

// ValidateForCommand turns settings problems into one localised usage line.
func ValidateForCommand(tr *i18n.Translator, cmd string, s settings.Settings) error {
	var verr settings.ValidationError
	if err := s.Validate(); errors.As(err, &verr) {
		parts := make([]string, len(verr))
		for i, fe := range verr {
			parts[i] = tr.FieldError(fe)
		}
		return &usageError{cmd + ": " + strings.Join(parts, " ")}
	}
	return nil
}
