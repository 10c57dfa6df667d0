// Command msicheck verifies the Windows installer that `make msi` builds:
// it reads the package back with msiinfo (msitools) and checks what an
// office's IT relies on: the product's name and version, the constant
// UpgradeCode, a per-user install, the program in the File table, the
// Start-menu shortcut, the login entry, and an upgrade that replaces older
// versions. `msicheck -product-code V` prints version V's ProductCode.
package main

import (
	"crypto/sha1"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"pantau-efaktur/internal/autostart"
)

// UpgradeCode ties every version of the package together; it never changes
// (packaging/windows/pantau-efaktur.wxs carries the same).
const UpgradeCode = "{6F0C1E52-3B7A-4D3E-9C2B-5A8E4B1D7F20}"

// Exe is the program's file name in the install folder.
const Exe = "pantau-efaktur.exe"

// ProductCode is version's ProductCode: one per version (a name-based
// UUID), so the same version installed twice is refused by Windows
// ("another version of this product is already installed") while another
// version replaces it through the Upgrade table.
func ProductCode(version string) string {
	sum := sha1.Sum([]byte("pantau-efaktur msi " + version))
	sum[6] = sum[6]&0x0f | 0x50 // version 5: name-based, SHA-1
	sum[8] = sum[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%X-%X-%X-%X-%X", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

// table is one table of the package as msiinfo exports it: its rows, by
// column name.
type table []map[string]string

func export(msi, name string) (table, error) {
	out, err := exec.Command("msiinfo", "export", msi, name).Output()
	if err != nil {
		return nil, fmt.Errorf("msiinfo export %s: %w", name, err)
	}
	// The first line names the columns; two lines of types and keys follow.
	lines := strings.Split(strings.ReplaceAll(string(out), "\r", ""), "\n")
	if len(lines) < 3 {
		return nil, nil
	}
	cols := strings.Split(lines[0], "\t")
	var t table
	for _, l := range lines[3:] {
		if l == "" {
			continue
		}
		row := map[string]string{}
		for i, v := range strings.Split(l, "\t") {
			if i < len(cols) {
				row[cols[i]] = v
			}
		}
		t = append(t, row)
	}
	return t, nil
}

// find is the first row whose columns have the values given.
func (t table) find(kv ...string) (map[string]string, bool) {
rows:
	for _, r := range t {
		for i := 0; i+1 < len(kv); i += 2 {
			if r[kv[i]] != kv[i+1] {
				continue rows
			}
		}
		return r, true
	}
	return nil, false
}

// Check returns every way the package at msi falls short of the promise
// (nil: none).
func Check(msi, version string) ([]string, error) {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	tables := map[string]table{}
	for _, name := range []string{"Property", "File", "Component", "Directory", "Shortcut", "Registry", "Upgrade",
		"InstallExecuteSequence", "CustomAction", "LaunchCondition"} {
		t, err := export(msi, name)
		if err != nil {
			return nil, err
		}
		tables[name] = t
	}
	prop := func(name string) string {
		r, _ := tables["Property"].find("Property", name)
		return r["Value"]
	}

	if got := prop("ProductName"); got != "Pantau e-Faktur" {
		fail("ProductName is %q, want \"Pantau e-Faktur\"", got)
	}
	if got := prop("ProductVersion"); got != version {
		fail("ProductVersion is %q, want %q (FyneApp.toml)", got, version)
	}
	if !msiVersion(version) {
		fail("version %q is not one Windows Installer can compare (major.minor.build, at most 255.255.65535)", version)
	}
	if got := prop("UpgradeCode"); got != UpgradeCode {
		fail("UpgradeCode is %q, want the constant %s", got, UpgradeCode)
	}
	if got, want := prop("ProductCode"), "{"+ProductCode(version)+"}"; got != want {
		fail("ProductCode is %q, want %s (one per version)", got, want)
	}

	// Per user: no ALLUSERS, and the summary says no elevation is needed.
	if v := prop("ALLUSERS"); v != "" {
		fail("ALLUSERS is %q: a per-machine install, which asks for an administrator", v)
	}
	out, err := exec.Command("msiinfo", "suminfo", msi).Output()
	if err != nil {
		return nil, fmt.Errorf("msiinfo suminfo: %w", err)
	}
	source := -1
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, "Source: "); ok {
			source, _ = strconv.Atoi(strings.Fields(v)[0])
		}
	}
	if source < 0 || source&8 == 0 {
		fail("the summary's source flags (%d) do not mark a per-user package (no elevation)", source)
	}

	// The program, in %LOCALAPPDATA%\Programs\Pantau e-Faktur.
	file, ok := tables["File"].find("FileName", Exe)
	if !ok {
		fail("the File table has no %s", Exe)
	} else {
		comp, _ := tables["Component"].find("Component", file["Component_"])
		if got := dirPath(tables["Directory"], comp["Directory_"]); got != `LocalAppDataFolder\Programs\Pantau e-Faktur` {
			fail("%s goes to %q, want LocalAppDataFolder\\Programs\\Pantau e-Faktur", Exe, got)
		}
	}

	// The Start-menu shortcut, with the app's icon.
	target := "[INSTALLDIR]" + Exe
	if sc, ok := tables["Shortcut"].find("Directory_", "ProgramMenuFolder", "Target", target); !ok {
		fail("the Shortcut table has no Start-menu shortcut to %s", target)
	} else if sc["Icon_"] == "" {
		fail("the Start-menu shortcut has no icon")
	}

	// Start at login: the very value the app's own setting writes.
	run := autostart.RunCommand(target)
	if _, ok := tables["Registry"].find("Root", "1", "Key", autostart.RunKey, "Name", autostart.Name, "Value", run); !ok {
		fail("the Registry table has no HKCU\\%s value %q = %s", autostart.RunKey, autostart.Name, run)
	}

	// A newer package replaces older ones: an Upgrade row of this
	// UpgradeCode up to this version (exclusive), not detect-only, and the
	// action that removes what it finds.
	upgrade := false
	for _, r := range tables["Upgrade"] {
		attr, _ := strconv.Atoi(r["Attributes"])
		if r["UpgradeCode"] == UpgradeCode && r["VersionMin"] == "" && r["VersionMax"] == version && attr&2 == 0 && attr&512 == 0 && r["ActionProperty"] != "" {
			upgrade = true
		}
	}
	if !upgrade {
		fail("the Upgrade table does not remove older versions (a row up to %s, not detect-only)", version)
	}
	if _, ok := tables["InstallExecuteSequence"].find("Action", "RemoveExistingProducts"); !ok {
		fail("InstallExecuteSequence lacks RemoveExistingProducts: an upgrade would install beside the old version")
	}

	// Removing or replacing the program first asks a running agent to quit:
	// "<program> quit", before InstallValidate looks for files in use.
	if !quitsFirst(tables, target) {
		fail("no custom action runs %s quit before an uninstall or upgrade (before InstallValidate)", Exe)
	}
	return problems, nil
}

// quitsFirst reports whether the package runs "<program> quit", the
// program named by a property set to exe, on uninstall and upgrade, before
// InstallValidate.
func quitsFirst(tables map[string]table, exe string) bool {
	seq := func(action string) (int, string, bool) {
		r, ok := tables["InstallExecuteSequence"].find("Action", action)
		n, _ := strconv.Atoi(r["Sequence"])
		return n, r["Condition"], ok
	}
	validate, _, _ := seq("InstallValidate")
	for _, ca := range tables["CustomAction"] {
		typ, _ := strconv.Atoi(ca["Type"])
		if ca["Target"] != "quit" || typ&0x3f != 50 { // 50: run the program a property names
			continue
		}
		set, ok := tables["CustomAction"].find("Source", ca["Source"], "Target", exe)
		if typ, _ := strconv.Atoi(set["Type"]); !ok || typ&0x3f != 51 { // 51: set a property
			continue
		}
		at, cond, ok := seq(ca["Action"])
		setAt, _, setOK := seq(set["Action"])
		if ok && setOK && setAt < at && at < validate && strings.Contains(cond, "REMOVE") && strings.Contains(cond, "UPGRADE") {
			return true
		}
	}
	return false
}

// dirPath is the Directory table's path to dir, below TARGETDIR.
func dirPath(dirs table, dir string) string {
	var parts []string
	for i := 0; dir != "" && dir != "TARGETDIR" && i < 20; i++ {
		r, ok := dirs.find("Directory", dir)
		if !ok {
			break
		}
		name := r["DefaultDir"]
		if _, long, ok := strings.Cut(name, "|"); ok {
			name = long
		}
		if name == "." {
			name = dir // a standard folder, named by its Id
		}
		parts = append([]string{name}, parts...)
		dir = r["Directory_Parent"]
	}
	return strings.Join(parts, `\`)
}

// msiVersion reports whether v is a ProductVersion Windows Installer
// compares: major.minor.build, at most 255.255.65535.
func msiVersion(v string) bool {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > []int{255, 255, 65535}[i] {
			return false
		}
	}
	return true
}

func main() {
	productCode := flag.String("product-code", "", "print the ProductCode of this version and exit")
	version := flag.String("version", "", "the version the package must carry (FyneApp.toml)")
	flag.Parse()
	if *productCode != "" {
		fmt.Println(ProductCode(*productCode))
		return
	}
	if flag.NArg() != 1 || *version == "" {
		fmt.Fprintln(os.Stderr, "usage: msicheck -version V file.msi | msicheck -product-code V")
		os.Exit(2)
	}
	problems, err := Check(flag.Arg(0), *version)
	if err != nil {
		fmt.Fprintln(os.Stderr, "msicheck:", err)
		os.Exit(1)
	}
	for _, p := range problems {
		fmt.Fprintf(os.Stderr, "%s: %s\n", flag.Arg(0), p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	fmt.Printf("%s: per-user MSI of Pantau e-Faktur %s, upgrades older versions, starts at login\n", flag.Arg(0), *version)
}
