package cli

import "fmt"

// Help runs `pantau-efaktur help [--lang id|en]`: the overview of the
// commands, in Bahasa Indonesia unless asked otherwise.
func Help(args []string, io IO) int {
	var lang string
	fs := NewFlagSet("help")
	fs.StringVar(&lang, "lang", "", "")
	tr, code, ok := ParseCommandLine(fs, args, "pantau-efaktur help", "main", io)
	if !ok {
		return code
	}
	fmt.Fprint(io.Stdout, tr.Usage("main"))
	return 0
}
