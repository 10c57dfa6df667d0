package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// build cross-compiles a tiny Windows program (pure Go: no mingw needed).
func build(t *testing.T, gui bool) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	os.WriteFile(src, []byte("package main\nfunc main() {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\ngo 1.26\n"), 0o644)
	out := filepath.Join(dir, "hello.exe")
	args := []string{"build", "-o", out}
	if gui {
		args = append(args, "-ldflags", "-H=windowsgui")
	}
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	return out
}

func TestConsoleAndGUIBuildsAreToldApart(t *testing.T) {
	for _, gui := range []bool{false, true} {
		r, err := Inspect(build(t, gui))
		if err != nil {
			t.Fatal(err)
		}
		if !r.PE32Plus {
			t.Fatal("not PE32+")
		}
		p := strings.Join(Problems(r), "; ")
		if gui == strings.Contains(p, "subsystem") {
			t.Errorf("gui=%v: problems %q", gui, p)
		}
		// A plain go build has no icon nor version: fyne package adds them.
		if !strings.Contains(p, "no icon") || !strings.Contains(p, "no version") {
			t.Errorf("gui=%v: resources not checked: %q", gui, p)
		}
	}
}

func TestProblemsOfAGoodReport(t *testing.T) {
	r := Report{Machine: 0x8664, PE32Plus: true, Subsystem: 2, Resources: map[uint32]bool{rtIcon: true, rtGroupIcon: true, rtVersion: true}}
	if p := Problems(r); len(p) != 0 {
		t.Fatal(p)
	}
	if _, err := Inspect(filepath.Join(t.TempDir(), "missing.exe")); err == nil {
		t.Fatal("missing file accepted")
	}
}
