// Package testbin builds the real pantau-efaktur binary once per test
// process, for end-to-end tests that run it as users do.
package testbin

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// Artifact is something a test process builds once, into a directory of
// its own.
type Artifact struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

// Get builds the artifact on first use: make gets a fresh directory and
// gives the built file's path and the tool's output.
func (a *Artifact) Get(t testing.TB, what string, make func(dir string) (string, []byte, error)) string {
	t.Helper()
	a.once.Do(func() {
		if a.dir, a.err = os.MkdirTemp("", "pantau-efaktur-build-"); a.err == nil {
			a.path, a.out, a.err = make(a.dir)
		}
	})
	if a.err != nil {
		t.Fatalf("build %s: %v\n%s", what, a.err, a.out)
	}
	return a.path
}

// Root is the repository's top directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

var raced, unraced Artifact

// Build returns the path of a freshly built pantau-efaktur, with the race
// detector when the tests run with it.
func Build(t testing.TB) string {
	t.Helper()
	return get(t, &raced, raceEnabled, false)
}

// BuildNoRace builds pantau-efaktur and, beside it, the window program
// (pantau-efaktur-window, Linux), without the race detector: the window
// end-to-end test drives Fyne's GL loop on a software renderer, slow enough
// without race instrumentation. (The tray end-to-end test uses Build, with
// the race detector, and filters out fyne.io/systray's own race.)
func BuildNoRace(t testing.TB) string {
	t.Helper()
	return get(t, &unraced, false, true)
}

func get(t testing.TB, b *Artifact, race, windows bool) string {
	t.Helper()
	return b.Get(t, "pantau-efaktur", func(dir string) (string, []byte, error) {
		path := filepath.Join(dir, "pantau-efaktur")
		if runtime.GOOS == "windows" {
			path += ".exe"
		}
		args := []string{"build", "-o", path}
		if race {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, ".")...)
		cmd.Dir = Root()
		out, err := cmd.CombinedOutput()
		if err != nil || !windows || runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
			return path, out, err
		}
		win := exec.Command("go", "build", "-o", filepath.Join(dir, "pantau-efaktur-window"), "./cmd/pantau-efaktur-window")
		win.Dir = Root()
		out, err = win.CombinedOutput()
		return path, out, err
	})
}

// Main runs the tests of a package that builds the binary, then removes
// the builds: use it as `func TestMain(m *testing.M) { testbin.Main(m) }`.
func Main(m *testing.M) {
	code := m.Run()
	for _, b := range []*Artifact{&raced, &unraced} {
		if b.dir != "" {
			os.RemoveAll(b.dir)
		}
	}
	os.Exit(code)
}
