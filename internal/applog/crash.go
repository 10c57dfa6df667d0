package applog

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"time"

	"pantau-efaktur/internal/paths"
)

// keptCrashes is how many earlier crash reports of a process kind are kept.
const keptCrashes = 3

// CaptureCrashes sends what the Go runtime prints when this process dies
// (an unrecovered panic or a fatal error, with every goroutine's stack) to
// <cache>/pantau-efaktur/logs/<name>-crash.log. The tray agent and the
// windows run without a console on Windows, so without this a crash would
// leave no trace for the helpdesk.
//
// With moveAside (the agent, of which one runs at a time), a report the
// previous process left is first moved to <name>-crash-<time>.log (the
// newest keptCrashes are kept) and its path returned, so the agent can say
// that its previous run crashed. Errors only cost the capture: logging must
// never stop the app.
func CaptureCrashes(name string, moveAside bool) (previous string) {
	path := CrashFile(name)
	if path == "" {
		return ""
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		slog.Warn("crash reports not captured", "err", err)
		return ""
	}
	if moveAside {
		previous = moveCrashAside(dir, name, path)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		slog.Warn("crash reports not captured", "err", err)
		return previous
	}
	defer f.Close() // the runtime keeps its own duplicate
	if err := debug.SetCrashOutput(f, debug.CrashOptions{}); err != nil {
		slog.Warn("crash reports not captured", "err", err)
	}
	return previous
}

// CrashFile is where a process of kind name reports its crash ("" if
// there is no cache directory).
func CrashFile(name string) string {
	dir, err := paths.CacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "logs", name+"-crash.log")
}

// Crashed reports whether a process of kind name left a crash report.
func Crashed(name string) bool {
	fi, err := os.Stat(CrashFile(name))
	return err == nil && fi.Size() > 0
}

// moveCrashAside renames a non-empty report to a dated name and prunes the
// oldest dated ones.
func moveCrashAside(dir, name, path string) string {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() == 0 {
		return ""
	}
	aside := filepath.Join(dir, fmt.Sprintf("%s-crash-%s.log", name, fi.ModTime().Format("20060102-150405")))
	if err := os.Rename(path, aside); err != nil {
		slog.Warn("crash report of the previous run left in place", "file", path, "err", err)
		return path
	}
	old, _ := filepath.Glob(filepath.Join(dir, name+"-crash-*.log"))
	slices.Sort(old) // dated names sort by time
	for len(old) > keptCrashes {
		if err := os.Remove(old[0]); err != nil && !os.IsNotExist(err) {
			slog.Warn("old crash report not removed", "file", old[0], "err", err)
		}
		old = old[1:]
	}
	slog.Warn("the previous run crashed", "report", aside, "at", fi.ModTime().Format(time.RFC3339))
	return aside
}
