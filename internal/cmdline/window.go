package cmdline

import (
	"fmt"
	"slices"
	"strings"

	"pantau-efaktur/internal/i18n"
)

// WindowNames are the windows `pantau-efaktur window NAME` opens.
var WindowNames = []string{"status", "help", "settings"}

// ParseWindowArgs reads `pantau-efaktur window NAME [--lang id|en]` as
// every command reads its line: -h/--help anywhere prints the window help
// page (exit 0), a missing or unknown window name, a bad flag or an unknown
// language is one localised line on stderr and ExitUsage. It runs before
// any graphics start, so these answers come fast and without a display.
func ParseWindowArgs(args []string, io IO) (name, lang string, code int, ok bool) {
	tr := i18n.New(LangFromArgs(args, i18n.DefaultLang))
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fmt.Fprint(io.Stdout, tr.Usage("window"))
			return "", "", 0, false
		}
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") || !slices.Contains(WindowNames, args[0]) {
		fmt.Fprintln(io.Stderr, tr.T("usage.window"))
		return "", "", ExitUsage, false
	}
	fs := NewFlagSet("window")
	fs.StringVar(&lang, "lang", "", "")
	if err := parseFlags(fs, args[1:], tr, "pantau-efaktur window", io.Stdout, "window"); err != nil {
		return "", "", UsageExit(err, io), false
	}
	if lang != "" {
		lang, _ = i18n.NormalizeLang(lang)
	}
	return args[0], lang, 0, true
}
