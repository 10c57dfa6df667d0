package applog

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"pantau-efaktur/internal/paths"
)

// crashEnv makes the test binary play a process that captures its crashes
// and then panics in a goroutine, as a library's would.
const crashEnv = "APPLOG_TEST_CRASH"

func TestMain(m *testing.M) {
	if os.Getenv(crashEnv) != "" {
		CaptureCrashes("agent", true)
		go panic("boom " + os.Getenv(crashEnv))
		select {} // the panic ends the process (a deferred signal back could let main exit 0 first)
	}
	os.Exit(m.Run())
}

// release lets go of this process's report file, as a process that ends
// does (Windows renames no file another handle holds open).
func release() {
	if err := debug.SetCrashOutput(nil, debug.CrashOptions{}); err != nil {
		panic(err)
	}
}

// crash runs the test binary as a crashing agent, which must say so on
// stderr too (a console, where there is one, still shows the crash).
func crash(t *testing.T, home, label string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashEnv+"="+label, paths.HomeEnv+"="+home)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the crashing process exited 0: %s", out)
	}
	if !strings.Contains(string(out), "panic: boom "+label) {
		t.Fatalf("the crash is no longer on stderr (a console still shows it): %s", out)
	}
}

// A panic of the agent, which has no console on Windows, is kept for the
// helpdesk: the next start moves the report aside, says where it is, and
// keeps only the newest few.
func TestCrashesAreKeptForTheNextStart(t *testing.T) {
	home := t.TempDir()
	t.Setenv(paths.HomeEnv, home)
	t.Cleanup(release)
	logs := filepath.Join(home, "cache", "logs")

	if prev := CaptureCrashes("agent", true); prev != "" {
		t.Fatalf("a first start reports an earlier crash: %s", prev)
	}
	release() // the crashing process comes next
	crash(t, home, "one")
	report, err := os.ReadFile(filepath.Join(logs, "agent-crash.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"panic: boom one", "goroutine ", "crash_test.go"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("crash report lacks %q:\n%s", want, report)
		}
	}

	prev := CaptureCrashes("agent", true)
	release()
	moved, err := os.ReadFile(prev)
	if err != nil || !strings.Contains(string(moved), "panic: boom one") || !strings.HasPrefix(filepath.Base(prev), "agent-crash-") {
		t.Fatalf("previous crash reported as %q (%v): %s", prev, err, moved)
	}
	if fi, err := os.Stat(filepath.Join(logs, "agent-crash.log")); err != nil || fi.Size() != 0 {
		t.Fatalf("the new run's report file: %v %v", fi, err)
	}
	if again := CaptureCrashes("agent", true); again != "" {
		t.Fatalf("a clean run reported as a crash: %s", again)
	}
	release()

	// Old reports are pruned to the newest keptCrashes.
	for i := range 5 {
		name := filepath.Join(logs, fmt.Sprintf("agent-crash-2020010%d-120000.log", i+1))
		if err := os.WriteFile(name, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	crash(t, home, "two")
	prev = CaptureCrashes("agent", true)
	kept, _ := filepath.Glob(filepath.Join(logs, "agent-crash-*.log"))
	if len(kept) != keptCrashes || !strings.Contains(strings.Join(kept, " "), prev) {
		t.Fatalf("kept %v, want the newest %d with %s", kept, keptCrashes, prev)
	}
	if _, err := os.Stat(filepath.Join(logs, "agent-crash-20200101-120000.log")); !os.IsNotExist(err) {
		t.Errorf("the oldest report was kept: %v", err)
	}
}
