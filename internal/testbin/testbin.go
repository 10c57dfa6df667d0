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

type build struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

var (
	raced   build
	unraced build
)

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

func get(t testing.TB, b *build, race, windows bool) string {
	t.Helper()
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "pantau-efaktur-testbin-")
		if err != nil {
			b.err = err
			return
		}
		b.dir = dir
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		b.path = filepath.Join(dir, "pantau-efaktur")
		if runtime.GOOS == "windows" {
			b.path += ".exe"
		}
		args := []string{"build", "-o", b.path}
		if race {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, ".")...)
		cmd.Dir = root
		b.out, b.err = cmd.CombinedOutput()
		if b.err != nil || !windows || runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
			return
		}
		win := exec.Command("go", "build", "-o", filepath.Join(dir, "pantau-efaktur-window"), "./cmd/pantau-efaktur-window")
		win.Dir = root
		b.out, b.err = win.CombinedOutput()
	})
	if b.err != nil {
		t.Fatalf("build pantau-efaktur: %v\n%s", b.err, b.out)
	}
	return b.path
}

// Main runs the tests of a package that builds the binary, then removes
// the builds: use it as `func TestMain(m *testing.M) { testbin.Main(m) }`.
func Main(m *testing.M) {
	code := m.Run()
	for _, b := range []*build{&raced, &unraced} {
		if b.dir != "" {
			os.RemoveAll(b.dir)
		}
	}
	os.Exit(code)
}
