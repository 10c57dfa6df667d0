// Command pantau-efaktur watches DJP's e-Faktur service from the tray.
//
// main only dispatches subcommands (DESIGN.md §7); each lives in its package.
package main

import (
	_ "embed"
	"log/slog"
	"os"
	"strings"

	"pantau-efaktur/internal/applog"
	"pantau-efaktur/internal/cli"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/ui/tray"
)

// fyneApp is FyneApp.toml: the version of every build comes from it.
//
//go:embed FyneApp.toml
var fyneApp []byte

func main() {
	version.FromFyneApp(fyneApp)
	os.Exit(run(os.Args[1:], cli.IO{Stdout: os.Stdout, Stderr: os.Stderr}))
}

func run(args []string, io cli.IO) int {
	name := "agent"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name = args[0]
	}
	logPath, closer := applog.Setup(logName(name), slog.LevelInfo)
	defer closer.Close()
	previousCrash := ""
	switch logName(name) {
	case "agent":
		previousCrash = applog.CaptureCrashes("agent", true)
	case "window", "watch":
		applog.CaptureCrashes(name, false) // several may run at once
	}
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		args = []string{"version"}
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return runAgent(args, io, tray.Logs{Path: logPath, PreviousCrash: previousCrash})
	}
	switch args[0] {
	case "check":
		return cli.Check(args[1:], io)
	case "watch":
		return cli.Watch(args[1:], io)
	case "export":
		return cli.Export(args[1:], io)
	case "status":
		return cli.Status(args[1:], io)
	case "window":
		// Help and usage errors are answered here, without starting the
		// graphics (nor, on Linux, the window program).
		if _, _, code, ok := cli.ParseWindowArgs(args[1:], io); !ok {
			return code
		}
		return runWindow(args[1:], io)
	case "version":
		return cli.Version(args[1:], version.String(), io)
	case "help":
		return cli.Help(args[1:], io)
	}
	return cli.UnknownCommand(args, io)
}

// logName keeps one log file per kind of process (and none per typo).
func logName(cmd string) string {
	switch cmd {
	case "agent", "window", "watch":
		return cmd
	}
	return "cli"
}
