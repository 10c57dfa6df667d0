//go:build linux

package winetest

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pantau-efaktur/internal/autostart"
	"pantau-efaktur/internal/desktoptest"
	"pantau-efaktur/internal/fakesvc"
)

// buildMSI packages exe as version with the repository's WiX source, as
// scripts/package-msi.sh does, and gives the package and its ProductCode.
func buildMSI(t *testing.T, exe, version string) (msi, productCode string) {
	t.Helper()
	desktoptest.Need(t, "wixl")
	cmd := exec.Command("go", "run", "./internal/tools/msicheck", "-product-code", version)
	cmd.Dir = Root()
	code, err := cmd.Output()
	if err != nil {
		t.Fatalf("product code: %v", err)
	}
	out := filepath.Join(t.TempDir(), "pantau-efaktur-"+version+".msi")
	rel := func(p string) string { // wixl takes paths relative to where it runs
		r, err := filepath.Rel(Root(), p)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	cmd = exec.Command("wixl", "--arch", "x64", "-D", "Version="+version, "-D", "ProductCode="+strings.TrimSpace(string(code)),
		"-D", "Exe="+rel(exe), "-D", "Icon=assets/icons/app.ico", "-o", out, "packaging/windows/pantau-efaktur.wxs")
	cmd.Dir = Root()
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wixl: %v\n%s", err, b)
	}
	return out, "{" + strings.TrimSpace(string(code)) + "}"
}

// The installer as an office deploys it (msiexec /qn), under Wine:
// per user, no administrator; the program, its Start-menu shortcut and
// the login entry; the agent started; a newer version replacing it while
// it runs; and removal, with the agent running, of all of it but the
// user's settings and history.
func TestInstallerUnderWine(t *testing.T) {
	Need(t)
	exe := windowsProgram(t)
	display := desktoptest.StartXvfb(t)
	d := &winDesktop{t: t, prefix: NewPrefix(t, "DISPLAY="+display, "LANG=en_US.UTF-8")}
	svc := fakesvc.New(fakesvc.OK)
	srv := httptest.NewServer(svc)
	defer srv.Close()
	// Settings written beforehand keep the installed agent on this PC
	// (the test talks to no real host) and leave start at login unsaid.
	appDir := filepath.Join(d.prefix.AppData(), "pantau-efaktur")
	settings := `{"url": "` + srv.URL + `/svc/MasterFakturService?wsdl", "reference": "off", "proxy": "none",
		"services": {"efaktur": true, "coretax": false}}`
	if err := os.MkdirAll(appDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(appDir, "config.json"), []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}
	installed := filepath.Join(d.prefix.LocalAppData(), "Programs", "Pantau e-Faktur", "pantau-efaktur.exe")
	shortcut := filepath.Join(d.prefix.AppData(), "Microsoft", "Windows", "Start Menu", "Programs", "Pantau e-Faktur.lnk")
	runKey := `HKCU\` + autostart.RunKey
	d.exe = installed
	defer func() {
		if t.Failed() {
			for _, name := range []string{"agent.log", "cli.log", "supervisor.log"} {
				log, _ := os.ReadFile(filepath.Join(d.prefix.LocalAppData(), "pantau-efaktur", "logs", name))
				t.Logf("%s:\n%s", name, tail(string(log), 30))
			}
		}
	}()
	msiexec := func(args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		// Output to a file, not a pipe: the agent the installer starts
		// inherits it and would hold a pipe open.
		log := filepath.Join(t.TempDir(), "msiexec.out")
		f, err := os.Create(log)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		msiLog := filepath.Join(t.TempDir(), "msi.log")
		cmd := d.prefix.Command(ctx, "msiexec", append(args, "/qn", "/l*v", "Z:"+msiLog)...)
		cmd.Stdout, cmd.Stderr = f, f
		if err := cmd.Run(); err != nil {
			out, _ := os.ReadFile(log)
			verbose, _ := os.ReadFile(msiLog)
			t.Fatalf("msiexec %v: %v\n%s\n%s", args, err, out, tail(string(verbose), 60))
		}
	}
	agentUp := func() {
		t.Helper()
		waitFor(t, "the installed agent checking", func() bool {
			out, code := d.run("status", "--json")
			var st struct{ Targets []struct{ Level string } }
			return code == 0 && json.Unmarshal([]byte(out), &st) == nil && len(st.Targets) > 0 && st.Targets[0].Level == "up"
		})
	}

	first, _ := buildMSI(t, exe, "1.0.0")
	msiexec("/i", first)
	for _, f := range []string{installed, shortcut} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("not installed: %v", err)
		}
	}
	if v, ok := d.prefix.RegValue(t, runKey, autostart.Name); !ok || v != `"C:\users\`+d.prefix.User()+`\AppData\Local\Programs\Pantau e-Faktur\pantau-efaktur.exe"` {
		t.Fatalf("login entry %q (%v)", v, ok)
	}
	agentUp() // started by the installer; the settings file's address
	before := svc.Requests()

	// A newer version replaces it in place, the agent quit and started again.
	newer, code := buildMSI(t, exe, "1.0.1")
	msiexec("/i", newer)
	agentUp()
	if svc.Requests() <= before {
		t.Fatal("no check after the upgrade")
	}
	if _, ok := d.prefix.RegValue(t, runKey, autostart.Name); !ok {
		t.Error("the login entry is gone after the upgrade")
	}

	// Removed while the agent runs: it is asked to quit first.
	msiexec("/x", code)
	waitFor(t, "every process ended", func() bool { return len(d.processes()) == 0 })
	for _, f := range []string{installed, shortcut} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s left after removal: %v", f, err)
		}
	}
	if _, ok := d.prefix.RegValue(t, runKey, autostart.Name); ok {
		t.Error("the login entry is left after removal")
	}
	if b, err := os.ReadFile(filepath.Join(appDir, "config.json")); err != nil || string(b) != settings {
		t.Errorf("the user's settings were not kept: %q %v", b, err)
	}
	if days, _ := filepath.Glob(filepath.Join(appDir, "history", "*.jsonl")); len(days) == 0 {
		t.Error("the user's history was not kept")
	}
}
