//go:build linux

package winetest

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Packages not run under Wine: those whose tests need cgo on Windows
// (Fyne's OpenGL windows; the Windows end-to-end test runs the program
// they make instead), and the release tools, which run where the release
// is built.
var notOnWindows = map[string]bool{
	"pantau-efaktur":                           true,
	"pantau-efaktur/ui/window":                 true,
	"pantau-efaktur/cmd/pantau-efaktur-window": true,
	"pantau-efaktur/internal/tools/msicheck":   true,
	"pantau-efaktur/internal/tools/pecheck":    true,
}

type goPackage struct {
	ImportPath, Dir, Name     string
	TestGoFiles, XTestGoFiles []string
}

// windowsPackages lists the packages that have tests on Windows.
func windowsPackages(t *testing.T) []goPackage {
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Dir,Name,TestGoFiles,XTestGoFiles", "./...")
	cmd.Dir = Root()
	cmd.Env = append(cmd.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []goPackage
	for dec := json.NewDecoder(strings.NewReader(string(out))); dec.More(); {
		var p goPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if len(p.TestGoFiles)+len(p.XTestGoFiles) > 0 && !notOnWindows[p.ImportPath] {
			pkgs = append(pkgs, p)
		}
	}
	return pkgs
}

// Every package's tests, built for Windows and run under Wine: the
// control pipe, the proxy sign-in, the registry, paths and file rules as
// Windows has them.
func TestPackagesUnderWine(t *testing.T) {
	Need(t)
	prefix := NewPrefix(t)
	bin := t.TempDir()
	pkgs := windowsPackages(t)
	if len(pkgs) < 10 {
		t.Fatalf("only %d packages with Windows tests found", len(pkgs))
	}
	for _, p := range pkgs {
		t.Run(strings.TrimPrefix(p.ImportPath, "pantau-efaktur/"), func(t *testing.T) {
			exe := filepath.Join(bin, strings.ReplaceAll(p.ImportPath, "/", "_")+".test.exe")
			if err := TestBinary(t, p.Dir, p.Name, exe); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			run := prefix.Command(ctx, exe, "-test.count=1", "-test.timeout=4m")
			run.Dir = p.Dir
			out, err := run.CombinedOutput()
			if err != nil {
				t.Fatalf("under Wine: %v\n%s", err, tail(string(out), 80))
			}
			t.Logf("%s", tail(string(out), 1))
		})
	}
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
