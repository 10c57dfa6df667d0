//go:build linux || freebsd || openbsd || netbsd

package main

import (
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/i18n"
)

// WindowProgram is the window program, installed next to pantau-efaktur.
const WindowProgram = "pantau-efaktur-window"

// runWindow replaces this process by the window program (same PID, so the
// agent that started it can still tell when the window closes).
func runWindow(args []string, io cmdline.IO) int {
	path := findWindowProgram()
	if path == "" {
		fmt.Fprintln(io.Stderr, i18n.New(i18n.DefaultLang).T("usage.no_window_program", map[string]any{"Program": WindowProgram}))
		return cmdline.ExitNoAgent
	}
	err := syscall.Exec(path, append([]string{path}, args...), os.Environ())
	slog.Error("start the window program", "path", path, "err", err)
	fmt.Fprintln(io.Stderr, i18n.New(i18n.DefaultLang).T("usage.window_program_failed", map[string]any{"Program": path}))
	return 1
}

// findWindowProgram looks next to this executable first, then in PATH.
func findWindowProgram() string {
	if exe, err := os.Executable(); err == nil {
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
		p := filepath.Join(filepath.Dir(exe), WindowProgram)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	if p, err := exec.LookPath(WindowProgram); err == nil {
		return p
	}
	return ""
}
