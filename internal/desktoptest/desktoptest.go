// Package desktoptest gives end-to-end tests a desktop of their own: a
// virtual screen (Xvfb) with a window manager, and the rule for a missing
// tool (skipped, but a failure under `make test`, which installs them).
package desktoptest

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// RequireEnv turns "tool missing, skipped" into a failure; `make test`
// sets it, as it has just installed the tools.
const RequireEnv = "PANTAU_REQUIRE_E2E"

// Need skips the test (or, under RequireEnv, fails it) when a tool is
// missing.
func Need(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv(RequireEnv) != "" {
				t.Fatalf("%s is missing (make test installs it)", tool)
			}
			t.Skipf("%s not installed", tool)
		}
	}
}

// StartXvfb starts a virtual screen with a window manager (openbox: focus,
// keys and the close button behave as on a desktop) and returns its
// DISPLAY.
func StartXvfb(t testing.TB) string {
	t.Helper()
	Need(t, "Xvfb", "openbox", "wmctrl")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb gave no display: %v", err)
	}
	display := ":" + strings.TrimSpace(line)
	wm := exec.Command("openbox", "--sm-disable")
	wm.Env = append(os.Environ(), "DISPLAY="+display)
	if err := wm.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wm.Process.Kill(); wm.Wait() })
	for deadline := time.Now().Add(30 * time.Second); ; {
		check := exec.Command("wmctrl", "-m")
		check.Env = wm.Env
		if check.Run() == nil {
			break // the window manager answers
		}
		if time.Now().After(deadline) {
			t.Fatal("openbox did not start")
		}
		time.Sleep(50 * time.Millisecond) // polling another process
	}
	return display
}
