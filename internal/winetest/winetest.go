//go:build linux

// Package winetest runs the Windows program and Windows test binaries
// under Wine (Debian's wine64, 8.x), each in a Wine prefix of its own, so
// that the Windows side is tested on the Linux machines CI has.
//
// Two gaps of Wine 8 are bridged here, for tests only: Go ≥ 1.22 needs
// ProcessPrng from bcryptprimitives.dll (a shim built from testdata/processprng.c
// is copied into the prefix), and Wine answers the file-deletion call of
// Go 1.26's os.RemoveAll with "not implemented", which Go does not take as
// "unsupported" (test binaries use Go's own fallback, see TestBinary).
package winetest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pantau-efaktur/internal/desktoptest"
	"pantau-efaktur/internal/testbin"
)

const mingw = "x86_64-w64-mingw32-gcc"

// Need skips the test (fails it under `make test`) without Wine and mingw.
func Need(t testing.TB) {
	t.Helper()
	desktoptest.Need(t, "wine", "wineboot", "wineserver", mingw)
}

// Root is the repository's top directory.
func Root() string { return testbin.Root() }

var shim testbin.Artifact

// shimDLL builds bcryptprimitives.dll once per test process.
func shimDLL(t testing.TB) string {
	t.Helper()
	return shim.Get(t, "the ProcessPrng shim", func(dir string) (string, []byte, error) {
		path := filepath.Join(dir, "bcryptprimitives.dll")
		src := filepath.Join(Root(), "internal", "winetest", "testdata", "processprng.c")
		out, err := exec.Command(mingw, "-shared", "-O2", "-o", path, src, "-ladvapi32").CombinedOutput()
		return path, out, err
	})
}

// Prefix is a Wine prefix: a Windows user profile and registry of its own.
type Prefix struct {
	Dir string
	env []string
}

// NewPrefix makes a fresh prefix (about ten seconds); env is added to the
// environment of every Wine process (DISPLAY, for a desktop).
func NewPrefix(t testing.TB, env ...string) *Prefix {
	t.Helper()
	Need(t)
	dll := shimDLL(t)
	p := &Prefix{Dir: t.TempDir()}
	p.env = append(os.Environ(), "WINEPREFIX="+p.Dir, "WINEDEBUG=-all",
		// No Mono or Gecko: nothing here needs them, and their installers ask.
		"WINEDLLOVERRIDES=mscoree,mshtml=")
	p.env = append(p.env, env...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	boot := exec.CommandContext(ctx, "wineboot", "-i")
	boot.Env = p.env
	if out, err := boot.CombinedOutput(); err != nil {
		t.Fatalf("wineboot: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		kill := exec.Command("wineserver", "-k")
		kill.Env = p.env
		kill.Run()
	})
	p.Wait()
	data, err := os.ReadFile(dll)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p.Dir, "drive_c", "windows", "system32", "bcryptprimitives.dll"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Env is the environment of the prefix's Wine processes.
func (p *Prefix) Env() []string { return p.env }

// Command runs a Windows program in the prefix.
func (p *Prefix) Command(ctx context.Context, exe string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "wine", append([]string{exe}, args...)...)
	cmd.Env = p.env
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// Wait waits until every process of the prefix has ended (wineserver
// lingers a few seconds after the last one, or ends with them).
func (p *Prefix) Wait() {
	w := exec.Command("wineserver", "-w")
	w.Env = p.env
	w.Run()
}

// User is the prefix's Windows user: Wine names it after the Linux one.
func (p *Prefix) User() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "root"
}

// AppData is %APPDATA% of the prefix's user, as a Linux path.
func (p *Prefix) AppData() string {
	return filepath.Join(p.Dir, "drive_c", "users", p.User(), "AppData", "Roaming")
}

// LocalAppData is %LOCALAPPDATA% of the prefix's user.
func (p *Prefix) LocalAppData() string {
	return filepath.Join(filepath.Dir(p.AppData()), "Local")
}

// RegValue reads a string value from the prefix's registry with Wine's
// reg.exe; ok is false when there is no such value.
func (p *Prefix) RegValue(t testing.TB, key, name string) (value string, ok bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := p.Command(ctx, "reg", "query", key, "/v", name).CombinedOutput()
	if err != nil {
		return "", false
	}
	// "    <name>    REG_SZ    <value>"; the name may hold spaces.
	for _, line := range strings.Split(strings.ReplaceAll(string(out), "\r", ""), "\n") {
		before, after, ok := strings.Cut(line, "    REG_")
		if !ok || !strings.EqualFold(strings.TrimSpace(before), name) {
			continue
		}
		if _, value, ok := strings.Cut(after, "    "); ok {
			return value, true
		}
		return "", true
	}
	return "", false
}

// TestBinary builds the Windows test binary of the package in dir (name:
// its package name), without cgo, with Go's own fallback for deleting a
// file under Wine: a test file laid over the package at build time sets
// internal/syscall/windows.TestDeleteatFallback, which t.TempDir's cleanup
// needs under Wine.
func TestBinary(t testing.TB, dir, name, out string) error {
	t.Helper()
	fallback := filepath.Join(t.TempDir(), "wine_fallback_test.go")
	src := fmt.Sprintf(`package %s

import _ "unsafe"

//go:linkname wineDeleteatFallback internal/syscall/windows.TestDeleteatFallback
var wineDeleteatFallback bool

func init() { wineDeleteatFallback = true }
`, name)
	if err := os.WriteFile(fallback, []byte(src), 0o644); err != nil {
		return err
	}
	overlay := filepath.Join(t.TempDir(), "overlay.json")
	laid := filepath.Join(dir, "zz_wine_fallback_windows_test.go")
	if err := os.WriteFile(overlay, []byte(fmt.Sprintf(`{"Replace":{%q:%q}}`, laid, fallback)), 0o644); err != nil {
		return err
	}
	cmd := exec.Command("go", "test", "-c", "-o", out, "-overlay", overlay, "-ldflags=-checklinkname=0", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go test -c: %w\n%s", err, b.String())
	}
	return nil
}
