// Package cmdline is how every part of Pantau e-Faktur reads its command
// line: quiet flag sets, --lang read first so that even errors speak it,
// --help pages, localised one-line usage errors and their exit code, and
// the flags the agent shares with check and watch. The commands (package
// cli), the agent and the windows all use it; none of them uses another.
package cmdline

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
)

// ExitUsage is the exit code for a bad flag or value (sysexits EX_USAGE).
const ExitUsage = 64

// ExitNoAgent is the exit code of status and quit when no agent runs
// (sysexits EX_UNAVAILABLE).
const ExitNoAgent = 69

// IO is where a command reads and writes; tests substitute buffers.
type IO struct {
	Stdout, Stderr io.Writer
}

// usageError is a localised one-line message for a bad command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// UsageError is a bad command line told in msg, already localised.
func UsageError(msg string) error { return &usageError{msg} }

// UsageExit prints a usage error (or nothing after --help) and returns the
// exit code.
func UsageExit(err error, io IO) int {
	if err == errHelp {
		return 0
	}
	fmt.Fprintln(io.Stderr, err.Error())
	return ExitUsage
}

// LangFromArgs finds --lang early so that even flag errors speak the
// user's language.
func LangFromArgs(args []string, fallback string) string {
	for i, a := range args {
		a = strings.TrimLeft(a, "-")
		if v, ok := strings.CutPrefix(a, "lang="); ok {
			if l, ok := i18n.NormalizeLang(v); ok {
				return l
			}
		}
		if a == "lang" && i+1 < len(args) {
			if l, ok := i18n.NormalizeLang(args[i+1]); ok {
				return l
			}
		}
	}
	return fallback
}

// flagErrors are the flag package's error texts (unchanged since Go 1) and
// the message each becomes. The flag is named as people type it, "--url",
// where the flag package writes "-url".
var flagErrors = []struct {
	re         *regexp.Regexp
	key        string
	flag, vals int // submatch of the flag's name and of the value (0: none)
}{
	{regexp.MustCompile(`^flag provided but not defined: -+(.*)$`), "usage.unknown_flag", 1, 0},
	{regexp.MustCompile(`^flag needs an argument: -+(.*)$`), "usage.flag_needs_value", 1, 0},
	{regexp.MustCompile(`^invalid boolean value "(.*)" for -+([^:]*):`), "usage.flag_not_bool", 2, 1},
	{regexp.MustCompile(`^invalid value "(.*)" for flag -+([^:]*):`), "usage.flag_bad_value", 2, 1},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "usage.flag_syntax", 0, 1},
}

// translateFlagError turns the flag package's English error into the
// user's language.
func translateFlagError(tr *i18n.Translator, cmd string, err error) error {
	msg := err.Error()
	for _, fe := range flagErrors {
		m := fe.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		data := map[string]any{}
		if fe.flag > 0 {
			data["Flag"] = m[fe.flag]
		}
		if fe.vals > 0 {
			data["Value"] = m[fe.vals]
		}
		msg = tr.T(fe.key, data)
		break
	}
	return &usageError{tr.T("usage.bad_flag", map[string]any{"Cmd": cmd, "Err": msg})}
}

// NewFlagSet returns a quiet FlagSet: ParseCommandLine reports its errors.
func NewFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// ParseCommandLine parses args the way every command (and the agent) does:
// --lang is read first so that errors speak it, -h/--help prints the help
// page named usage (assets/usage) and exit 0, a bad flag or value (an
// unknown --lang too) is one localised line on stderr and ExitUsage. When
// ok is false the command returns code; otherwise tr speaks --lang.
func ParseCommandLine(fs *flag.FlagSet, args []string, cmd, usage string, io IO) (tr *i18n.Translator, code int, ok bool) {
	tr = i18n.New(LangFromArgs(args, i18n.DefaultLang))
	if err := parseFlags(fs, args, tr, cmd, io.Stdout, usage); err != nil {
		return tr, UsageExit(err, io), false
	}
	return tr, 0, true
}

// ParseLangOnly is ParseCommandLine for a command that takes no flag but
// --lang (help, version, quit).
func ParseLangOnly(args []string, cmd, usage string, io IO) (tr *i18n.Translator, code int, ok bool) {
	var lang string
	fs := NewFlagSet(cmd)
	fs.StringVar(&lang, "lang", "", "")
	return ParseCommandLine(fs, args, cmd, usage, io)
}

// parseFlags parses args; -h/--help prints the help page named usage in
// tr's language and returns errHelp.
func parseFlags(fs *flag.FlagSet, args []string, tr *i18n.Translator, cmd string, out io.Writer, usage string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(out, tr.Usage(usage))
			return errHelp
		}
		return translateFlagError(tr, cmd, err)
	}
	if fs.NArg() > 0 {
		return &usageError{tr.T("usage.extra_args", map[string]any{"Cmd": cmd, "Args": strings.Join(fs.Args(), " ")})}
	}
	if f := fs.Lookup("lang"); f != nil && f.Value.String() != "" {
		if _, known := i18n.NormalizeLang(f.Value.String()); !known {
			return &usageError{tr.T("usage.bad_lang", map[string]any{"Cmd": cmd, "Value": f.Value.String()})}
		}
	}
	return nil
}

var errHelp = errors.New("help shown")

// ValidateCheckURL accepts only absolute http(s) addresses with a host (the
// settings file's rule, settings.ValidateURL) and returns it trimmed.
func ValidateCheckURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if err := settings.ValidateURL(raw); err != nil {
		return "", fmt.Errorf("invalid check address %q: %w", raw, err)
	}
	return raw, nil
}

// ParseDurationFlag parses a Go duration that must be positive.
func ParseDurationFlag(tr *i18n.Translator, cmd, flagName, v string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d <= 0 {
		return 0, &usageError{tr.T("usage.bad_duration", map[string]any{"Cmd": cmd, "Flag": flagName, "Value": v})}
	}
	return d, nil
}

// parseReference accepts an http(s) address or "off".
func parseReference(tr *i18n.Translator, cmd, v string) (string, error) {
	v = strings.TrimSpace(v)
	if strings.EqualFold(v, "off") || strings.EqualFold(v, "none") {
		return "off", nil
	}
	if _, err := ValidateCheckURL(v); err != nil {
		return "", &usageError{tr.T("usage.bad_reference", map[string]any{"Cmd": cmd, "Value": v, "Why": tr.URLProblem(settings.ProblemOf(err))})}
	}
	return v, nil
}

// parseProxy validates --proxy.
func parseProxy(tr *i18n.Translator, cmd, v string) (probe.ProxySetting, error) {
	p, err := probe.ParseProxySetting(v)
	if errors.Is(err, probe.ErrProxyNoPort) {
		return "", &usageError{tr.T("usage.proxy_no_port", map[string]any{"Cmd": cmd, "Value": strings.TrimSpace(v)})}
	}
	if err != nil {
		return "", &usageError{tr.T("usage.bad_proxy", map[string]any{"Cmd": cmd, "Value": v})}
	}
	return p, nil
}
