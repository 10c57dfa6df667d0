package cli

import (
	"fmt"

	"pantau-efaktur/ui/i18n"
)

// Help runs `pantau-efaktur help [--lang id|en]`: the overview of the
// commands, in Bahasa Indonesia unless asked otherwise.
func Help(args []string, io IO) int {
	var lang string
	fs := newFlagSet("help")
	fs.StringVar(&lang, "lang", "", "")
	if code, ok := parseCommandLine(fs, args, "pantau-efaktur help", "main", io); !ok {
		return code
	}
	fmt.Fprint(io.Stdout, i18n.New(langFromArgs(args, i18n.DefaultLang)).Usage("main"))
	return 0
}
