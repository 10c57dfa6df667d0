package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"pantau-efaktur/internal/desktoptest"
)

// root is the repository's top directory.
func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// build makes an MSI of version from the repository's WiX source, edited
// by the replacements given (old, new, ...), around a stand-in program.
func build(t *testing.T, version string, edits ...string) string {
	t.Helper()
	desktoptest.Need(t, "wixl", "msiinfo")
	src, err := os.ReadFile(filepath.Join(root(), "packaging", "windows", "pantau-efaktur.wxs"))
	if err != nil {
		t.Fatal(err)
	}
	wxs := string(src)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(wxs, edits[i]) {
			t.Fatalf("the WiX source no longer holds %q", edits[i])
		}
		wxs = strings.ReplaceAll(wxs, edits[i], edits[i+1])
	}
	dir := t.TempDir()
	for name, data := range map[string]string{"pantau.wxs": wxs, "pantau-efaktur.exe": "MZ stand-in"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	icon, _ := os.ReadFile(filepath.Join(root(), "assets", "icons", "app.ico"))
	os.WriteFile(filepath.Join(dir, "app.ico"), icon, 0o644)
	cmd := exec.Command("wixl", "--arch", "x64", "-D", "Version="+version, "-D", "ProductCode="+ProductCode(version),
		"-D", "Exe=pantau-efaktur.exe", "-D", "Icon=app.ico", "-o", "out.msi", "pantau.wxs")
	cmd.Dir = dir // wixl finds files relative to where it runs
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wixl: %v\n%s", err, out)
	}
	return filepath.Join(dir, "out.msi")
}

func TestThePackageKeepsItsPromises(t *testing.T) {
	problems, err := Check(build(t, "0.1.0"), "0.1.0")
	if err != nil || len(problems) > 0 {
		t.Fatalf("the package as built: %v %q", err, problems)
	}
}

// A package missing any promise fails the check, naming what is missing.
func TestBrokenPackagesFail(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		version    string // the version the check expects
		edits      []string
	}{
		{"another version than FyneApp.toml's", "ProductVersion", "0.2.0", nil},
		{"a new UpgradeCode", "UpgradeCode", "0.1.0",
			[]string{"6F0C1E52-3B7A-4D3E-9C2B-5A8E4B1D7F20", "6F0C1E52-3B7A-4D3E-9C2B-5A8E4B1D7F21"}},
		{"per machine", "per-machine", "0.1.0", []string{`InstallScope="perUser"`, `InstallScope="perMachine"`}},
		{"the program elsewhere", "goes to", "0.1.0", []string{`Name="Programs"`, `Name="Apps"`}},
		{"no Start-menu shortcut", "Start-menu shortcut", "0.1.0", []string{`Directory Id="ProgramMenuFolder"`, `Directory Id="DesktopFolder"`}},
		{"no login entry", "HKCU", "0.1.0", []string{`Name="Pantau e-Faktur"
                         Type="string"`, `Name="Pantau e-Faktur (old)"
                         Type="string"`}},
		{"no major upgrade", "older versions", "0.1.0", []string{`<MajorUpgrade DowngradeErrorMessage="A newer version of Pantau e-Faktur is already installed."/>`, ""}},
		{"no quit on uninstall or upgrade", "quit", "0.1.0", []string{`<Custom Action="QuitAgent" After="SetInstalledExe">REMOVE~="ALL" OR WIX_UPGRADE_DETECTED</Custom>`, ""}},
		{"quit after the files-in-use check", "quit", "0.1.0", []string{`Action="QuitAgent" After="SetInstalledExe"`, `Action="QuitAgent" After="InstallValidate"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			problems, err := Check(build(t, "0.1.0", tc.edits...), tc.version)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(problems, "\n"), tc.want) {
				t.Fatalf("problems %q, want one about %q", problems, tc.want)
			}
		})
	}
}

func TestProductCodeIsOnePerVersion(t *testing.T) {
	a, b := ProductCode("0.1.0"), ProductCode("0.1.1")
	if a == b || a != ProductCode("0.1.0") || len(a) != 36 || a[14] != '5' {
		t.Fatalf("%s, %s", a, b)
	}
	if msiVersion("0.1.0-rc1") || msiVersion("256.0.0") || !msiVersion("1.2.3") {
		t.Fatal("msiVersion")
	}
}
