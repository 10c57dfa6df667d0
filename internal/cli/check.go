package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"

	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
	"pantau-efaktur/ui/i18n"
)

// checkFlags are the flags shared by check and watch.
type checkFlags struct {
	url, timeout, slow, proxy, reference, lang, config string
	json                                               bool
}

// flagSet is the FlagSet of a command taking the check flags.
func (f *checkFlags) flagSet(name string) *flag.FlagSet {
	fs := NewFlagSet(name)
	fs.StringVar(&f.url, "url", "", "")
	fs.StringVar(&f.timeout, "timeout", "", "")
	fs.StringVar(&f.slow, "slow", "", "")
	fs.StringVar(&f.proxy, "proxy", "", "")
	fs.StringVar(&f.reference, "reference", "", "")
	fs.StringVar(&f.lang, "lang", "", "")
	fs.StringVar(&f.config, "config", "", "")
	fs.BoolVar(&f.json, "json", false, "")
	return fs
}

// apply validates the flags and lays them over settings s.
func (f *checkFlags) apply(tr *i18n.Translator, cmd string, s *probe.Settings) error {
	if f.lang != "" {
		s.Language, _ = i18n.NormalizeLang(f.lang) // refused by ParseCommandLine when unknown
	}
	if f.url != "" {
		u, err := ValidateCheckURL(f.url)
		if err != nil {
			return &usageError{tr.T("usage.bad_url", map[string]any{"Cmd": cmd, "URL": f.url, "Why": tr.URLProblem(probe.ProblemOf(err))})}
		}
		s.URL = u
	}
	for _, d := range []struct {
		name, val string
		dst       *probe.Duration
	}{{"timeout", f.timeout, &s.Timeout}, {"slow", f.slow, &s.Slow}} {
		if d.val == "" {
			continue
		}
		v, err := parseDurationFlag(tr, cmd, d.name, d.val)
		if err != nil {
			return err
		}
		*d.dst = probe.Duration(v)
	}
	// "--timeout 3s" alone means a shorter check, not a mistake against
	// the slow threshold the user never set: that one follows, as it does
	// when the settings file's timeout is repaired.
	if f.timeout != "" && f.slow == "" && s.Slow >= s.Timeout {
		s.Slow = s.Timeout / 2
	}
	if f.proxy != "" {
		p, err := parseProxy(tr, cmd, f.proxy)
		if err != nil {
			return err
		}
		s.Proxy = string(p)
	}
	if f.reference != "" {
		r, err := parseReference(tr, cmd, f.reference)
		if err != nil {
			return err
		}
		s.Reference = r
	}
	return nil
}

// Check runs `pantau-efaktur check`.
func Check(args []string, io IO) int {
	var f checkFlags
	if _, code, ok := ParseCommandLine(f.flagSet("check"), args, "pantau-efaktur check", "check", io); !ok {
		return code
	}
	settings, _, tr := loadSettingsForCLI(f.config, f.lang, io)
	if err := f.apply(tr, "pantau-efaktur check", &settings); err != nil {
		return usageExit(err, io)
	}
	// The same ranges as the settings file and watch: a --slow longer than
	// the timeout, or a 10-minute timeout, is a mistake, not a check.
	if err := ValidateForCommand(tr, "pantau-efaktur check", settings); err != nil {
		return usageExit(err, io)
	}
	tr = i18n.New(settings.Language)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res := probe.Check(ctx, settings.PrimaryTarget(), settings.CheckOptions(version.UserAgent()))
	if res.Reason == probe.ReasonCanceled {
		return 130
	}
	res.Message = tr.Message(res)
	slog.Info("check", "url", res.URL, "state", res.Level, "reason", res.Reason, "status", res.HTTPStatus,
		"ms", res.Phases.Total.Milliseconds(), "err", res.Error)
	if f.json {
		b, _ := json.Marshal(res)
		fmt.Fprintln(io.Stdout, string(b))
	} else {
		fmt.Fprint(io.Stdout, HumanResult(tr, res))
	}
	return res.Level.ExitCode()
}

// usageExit prints a usage error (or nothing after --help) and returns the code.
func usageExit(err error, io IO) int {
	if err == errHelp {
		return 0
	}
	fmt.Fprintln(io.Stderr, err.Error())
	return ExitUsage
}

// HumanResult is the sentence form of a result: one line, plus one line per
// warning that matters (PC clock, failed reference check).
func HumanResult(tr *i18n.Translator, res probe.Result) string {
	var b strings.Builder
	b.WriteString(tr.Level(res.Level))
	b.WriteString(" — ")
	if res.Message != "" {
		b.WriteString(res.Message)
	} else {
		b.WriteString(tr.Message(res))
	}
	var facts []string
	facts = append(facts, tr.T("check.latency", map[string]any{"MS": res.Phases.Total.Milliseconds()}))
	if res.HTTPStatus != 0 {
		facts = append(facts, fmt.Sprintf("HTTP %d", res.HTTPStatus))
	}
	if via := tr.ViaProxy(res); via != "" {
		facts = append(facts, via)
	}
	b.WriteString(" (" + strings.Join(facts, ", ") + ")\n")
	if res.ClockSkewSuspicious() {
		b.WriteString("  ! " + tr.T("check.clock_skew", map[string]any{"Diff": tr.Duration(res.ClockSkew.Round(time.Minute))}) + "\n")
	}
	if res.Reason == probe.ReasonOffline && res.Cause != "" {
		// Say what failed first, so a support chat can tell DNS from a firewall.
		cause := res
		cause.Reason = res.Cause
		b.WriteString("  · " + tr.Message(cause) + "\n")
	}
	return b.String()
}

// ApplyTargetFlags validates the agent's --url, --proxy and --reference and
// lays them over s, with the same messages as check and watch.
func ApplyTargetFlags(tr *i18n.Translator, cmd, url, proxy, reference string, s *probe.Settings) error {
	f := checkFlags{url: url, proxy: proxy, reference: reference}
	return f.apply(tr, cmd, s)
}
