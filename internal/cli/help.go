package cli

import (
	"fmt"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/i18n"
)

// Help runs `pantau-efaktur help [--lang id|en]`: the overview of the
// commands, in Bahasa Indonesia unless asked otherwise.
func Help(args []string, io cmdline.IO) int {
	tr, code, ok := cmdline.ParseLangOnly(args, "pantau-efaktur help", "main", io)
	if !ok {
		return code
	}
	fmt.Fprint(io.Stdout, tr.Usage("main"))
	return 0
}

// Version prints the version line. It takes no options but --lang (for
// its errors): anything else is a usage error, as for every command.
func Version(args []string, line string, io cmdline.IO) int {
	if _, code, ok := cmdline.ParseLangOnly(args, "pantau-efaktur version", "main", io); !ok {
		return code
	}
	fmt.Fprintln(io.Stdout, line)
	return 0
}

// UnknownCommand answers `pantau-efaktur <typo> ...` with one line naming
// the commands there are, in the --lang the rest of the line asks for, and
// the usage exit code: a typo in a script never starts a second agent.
func UnknownCommand(args []string, io cmdline.IO) int {
	tr := i18n.New(cmdline.LangFromArgs(args[1:], i18n.DefaultLang))
	fmt.Fprintln(io.Stderr, tr.T("usage.unknown_command", map[string]any{"Cmd": args[0]}))
	return cmdline.ExitUsage
}
