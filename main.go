// Command pantau-efaktur watches DJP's e-Faktur service from the tray.
//
// main only dispatches subcommands (ARCHITECTURE.md §7); each lives in its package.
package main

import (
	_ "embed"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pantau-efaktur/internal/agent"
	"pantau-efaktur/internal/applog"
	"pantau-efaktur/internal/cli"
	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/foreground"
	"pantau-efaktur/internal/supervise"
	"pantau-efaktur/internal/version"
)

// fyneApp is FyneApp.toml: the version of every build comes from it.
//
//go:embed FyneApp.toml
var fyneApp []byte

func main() {
	version.FromFyneApp(fyneApp)
	os.Exit(run(os.Args[1:], cmdline.IO{Stdout: os.Stdout, Stderr: os.Stderr}))
}

func run(args []string, io cmdline.IO) int {
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		args = []string{"version"}
	}
	name := "agent"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name = args[0]
	}
	if name == "agent" && os.Getenv(supervise.Env) == "" {
		return superviseAgent(args, io)
	}
	logPath, closer := applog.Setup(logName(name), slog.LevelInfo)
	defer closer.Close()
	previousCrash := ""
	switch logName(name) {
	case "agent":
		previousCrash = applog.CaptureCrashes(crashName(args), true)
	case "window", "watch":
		applog.CaptureCrashes(name, false) // several may run at once
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return runAgent(args, io, agent.Logs{Path: logPath, PreviousCrash: previousCrash})
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
	case "quit":
		return cli.Quit(args[1:], io)
	case "window":
		// Help and usage errors are answered here, without starting the
		// graphics (nor, on Linux, the window program).
		if _, _, code, ok := cmdline.ParseWindowArgs(args[1:], io); !ok {
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

// superviseAgent runs the agent as a child process and starts it again if
// it crashes (see package supervise). Without a path to this program it
// runs the agent itself, unsupervised.
func superviseAgent(args []string, io cmdline.IO) int {
	_, closer := applog.Setup("supervisor", slog.LevelInfo)
	defer closer.Close()
	exe, err := os.Executable()
	if err != nil {
		slog.Warn("agent runs unsupervised", "err", err)
		os.Setenv(supervise.Env, "0")
		return run(args, io)
	}
	// A second launch (a double-click while the agent runs) ends in the
	// child asking for the status window: hand it the foreground right
	// this process got from the click, so that window comes to the front.
	foreground.Allow()
	child := &supervise.Process{Path: exe, Args: args, Env: os.Environ(), Stdout: io.Stdout, Stderr: io.Stderr}
	name := crashName(args)
	code, gaveUp := supervise.Loop(child, func() bool { return applog.Crashed(name) }, supervise.DefaultPolicy(), time.Now, time.Sleep)
	if gaveUp {
		if err := agent.TellStopped(agent.StoppedNotifier(), filepath.Dir(applog.CrashFile(name))); err != nil {
			slog.Error("the user was not told that the agent stopped", "err", err)
		}
	}
	return code
}

// crashName names the agent's crash report: the demo has its own, so that
// a crash of a demo run beside the real agent is never taken for one of
// the real agent (which its supervisor would then start again).
func crashName(args []string) string {
	for _, a := range args {
		if a == "--demo" || a == "-demo" || strings.HasPrefix(a, "--demo=") || strings.HasPrefix(a, "-demo=") {
			return "demo-agent"
		}
	}
	return "agent"
}
