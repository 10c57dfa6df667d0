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

var (
	once sync.Once
	path string
	err  error
	out  []byte
)

// Build returns the path of a freshly built binary (with the race detector
// when the tests run with it).
func Build(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		dir, e := os.MkdirTemp("", "pantau-efaktur-testbin-")
		if e != nil {
			err = e
			return
		}
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		path = filepath.Join(dir, "pantau-efaktur")
		if runtime.GOOS == "windows" {
			path += ".exe"
		}
		args := []string{"build", "-o", path}
		if raceEnabled {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, ".")...)
		cmd.Dir = root
		out, err = cmd.CombinedOutput()
	})
	if err != nil {
		t.Fatalf("build pantau-efaktur: %v\n%s", err, out)
	}
	return path
}
