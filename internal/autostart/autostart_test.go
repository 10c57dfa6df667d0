package autostart

import (
	"encoding/xml"
	"os"
	"pantau-efaktur/settings"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestDesktopEntry(t *testing.T) {
	e := DesktopEntry("/opt/pantau efaktur/bin/pantau-efaktur")
	for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", "Name=Pantau e-Faktur\n",
		`Exec="/opt/pantau efaktur/bin/pantau-efaktur"` + "\n", "X-GNOME-Autostart-enabled=true\n", "Terminal=false\n"} {
		if !strings.Contains(e, want) {
			t.Errorf("entry lacks %q:\n%s", want, e)
		}
	}
	if got := desktopQuote("/usr/bin/pantau-efaktur"); got != "/usr/bin/pantau-efaktur" {
		t.Errorf("plain path quoted: %s", got)
	}
	if got := desktopQuote(`/home/budi/$HOME "x"/app`); got != `"/home/budi/\\$HOME \\"x\\"/app"` {
		t.Errorf("special characters: %s", got)
	}
}

func TestRunCommand(t *testing.T) {
	if got := RunCommand(`C:\Program Files\Pantau e-Faktur\pantau-efaktur.exe`); got != `"C:\Program Files\Pantau e-Faktur\pantau-efaktur.exe"` {
		t.Fatal(got)
	}
	if RunKey != `Software\Microsoft\Windows\CurrentVersion\Run` {
		t.Fatal(RunKey)
	}
}

func TestLaunchAgentPlist(t *testing.T) {
	p := LaunchAgentPlist("/Applications/Pantau e-Faktur.app/Contents/MacOS/pantau&efaktur")
	var v struct {
		Dict struct {
			Keys    []string `xml:"key"`
			Strings []string `xml:"string"`
		} `xml:"dict"`
	}
	if err := xml.Unmarshal([]byte(p), &v); err != nil {
		t.Fatalf("not valid XML: %v\n%s", err, p)
	}
	if !strings.Contains(p, "<string>id.pantau.efaktur</string>") || !strings.Contains(p, "pantau&amp;efaktur") || !strings.Contains(p, "<key>RunAtLoad</key>\n\t<true/>") {
		t.Fatalf("plist:\n%s", p)
	}
}

func TestSetOnThisPlatform(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the XDG entry is tested on Linux")
	}
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	path := filepath.Join(home, "autostart", "id.pantau.efaktur.desktop")
	if on, err := Enabled(); on || err != nil {
		t.Fatalf("enabled before: %v %v", on, err)
	}
	if err := Set(true, "/usr/local/bin/pantau-efaktur"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), "Exec=/usr/local/bin/pantau-efaktur\n") {
		t.Fatalf("file: %v\n%s", err, data)
	}
	if on, _ := Enabled(); !on {
		t.Fatal("not enabled")
	}
	// The program moved: the entry follows.
	if err := Set(true, "/opt/pe/pantau-efaktur"); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), "Exec=/opt/pe/pantau-efaktur\n") {
		t.Fatalf("not updated:\n%s", data)
	}
	if err := Set(false, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("entry left behind")
	}
	if err := Set(false, ""); err != nil {
		t.Fatalf("turning off twice: %v", err)
	}
}

// A settings file that does not say (as after the Windows installer wrote
// the login entry) takes the entry as it is, so starting the agent keeps
// it and the settings window shows it ticked; a file that says wins.
func TestAdoptKeepsTheEntryTheFileDoesNotMention(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the XDG entry is tested on Linux")
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if err := Set(true, "/usr/bin/pantau-efaktur"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		file string // "" for none
		want bool
	}{{"", true}, {`{"url": "https://svc.efaktur.pajak.go.id/svc?wsdl"}`, true}, {`{"autostart": false}`, false}} {
		path := filepath.Join(dir, "config.json")
		os.Remove(path)
		if tc.file != "" {
			os.WriteFile(path, []byte(tc.file), 0o600)
		}
		s, rep, err := settings.Read(path)
		if err != nil {
			t.Fatal(err)
		}
		Adopt(&s, rep)
		if s.Autostart != tc.want {
			t.Errorf("file %q: autostart %v, want %v", tc.file, s.Autostart, tc.want)
		}
	}
}
