//go:build linux

package winetest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"pantau-efaktur/internal/autostart"
	"pantau-efaktur/internal/desktoptest"
	"pantau-efaktur/internal/fakesvc"
)

// ExeEnv names a Windows program already built (`make test` gives the one
// `make windows` packages, the program users get); without it the test
// builds one.
const ExeEnv = "PANTAU_WINDOWS_EXE"

var (
	green = [3]uint8{0x1E, 0x9E, 0x4A} // the "up" icon and badge
	red   = [3]uint8{0xD9, 0x30, 0x25}
	blue  = [3]uint8{0x29, 0x6F, 0xF6} // Fyne's primary button: "Periksa sekarang"
)

// windowsProgram is the Windows pantau-efaktur.exe under test.
func windowsProgram(t *testing.T) string {
	t.Helper()
	if exe := os.Getenv(ExeEnv); exe != "" {
		abs, err := filepath.Abs(exe)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(abs); err != nil {
			t.Fatalf("%s: %v", ExeEnv, err)
		}
		return abs
	}
	exe := filepath.Join(t.TempDir(), "pantau-efaktur.exe")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-H=windowsgui", "-o", exe, ".")
	cmd.Dir = Root()
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=1", "CC="+mingw)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the Windows program: %v\n%s", err, out)
	}
	return exe
}

// pathWithout is $PATH without the folders that hold program.
func pathWithout(program string) string {
	var keep []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(dir, program)); err != nil {
			keep = append(keep, dir)
		}
	}
	return strings.Join(keep, string(filepath.ListSeparator))
}

// winDesktop is a Wine prefix on a virtual screen, with the program.
type winDesktop struct {
	t      *testing.T
	prefix *Prefix
	exe    string
}

func (d *winDesktop) run(args ...string) (string, int) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := d.prefix.Command(ctx, d.exe, args...)
	out, err := cmd.Output()
	code := cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		d.t.Fatalf("%v: %v", args, err)
	}
	return string(out), code
}

func (d *winDesktop) xdotool(args ...string) (string, error) {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = d.prefix.Env()
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// findWindow waits for a visible window titled name (a regexp).
func (d *winDesktop) findWindow(name string) string {
	d.t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		if out, err := d.xdotool("search", "--onlyvisible", "--name", name); err == nil && out != "" {
			return strings.Fields(out)[0]
		}
		time.Sleep(100 * time.Millisecond) // polling another process's windows
	}
	d.t.Fatalf("no window %q", name)
	return ""
}

func (d *winDesktop) shot(win string) image.Image {
	d.t.Helper()
	cmd := exec.Command("import", "-window", win, "png:-")
	cmd.Env = d.prefix.Env()
	out, err := cmd.Output()
	if err != nil {
		d.t.Fatalf("screenshot of %s: %v", win, err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		d.t.Fatal(err)
	}
	return img
}

// waitColour waits until window win shows more than n pixels of colour
// want, and returns where they are.
func (d *winDesktop) waitColour(win string, want [3]uint8, n int) image.Rectangle {
	d.t.Helper()
	var got image.Rectangle
	count := 0
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		if got, count = find(d.shot(win), want); count > n {
			return got
		}
		time.Sleep(200 * time.Millisecond)
	}
	d.t.Fatalf("window %s never showed %x (%d pixels)", win, want, count)
	return got
}

// find counts the pixels close to want and bounds them.
func find(img image.Image, want [3]uint8) (image.Rectangle, int) {
	var box image.Rectangle
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			diff := func(v uint32, w uint8) int { return max(int(v>>8)-int(w), int(w)-int(v>>8)) }
			if diff(r, want[0])+diff(g, want[1])+diff(bl, want[2]) < 30 {
				p := image.Rect(x, y, x+1, y+1)
				if n == 0 {
					box = p
				} else {
					box = box.Union(p)
				}
				n++
			}
		}
	}
	return box, n
}

func (d *winDesktop) click(win string, at image.Point, button string) {
	d.t.Helper()
	if _, err := d.xdotool("windowraise", win, "mousemove", "--window", win, fmt.Sprint(at.X), fmt.Sprint(at.Y), "click", button); err != nil {
		d.t.Fatalf("click %v in %s: %v", at, win, err)
	}
}

// clickUntilRequest clicks "Periksa sekarang" until a request reaches
// the server. The button is disabled while the previous check's answer is
// on its way back, so one click may land on a disabled button.
func (d *winDesktop) clickUntilRequest(win string, at image.Point, svc *fakesvc.Service) {
	d.t.Helper()
	before := svc.Requests()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		d.click(win, at, "1")
		for wait := time.Now().Add(3 * time.Second); time.Now().Before(wait); time.Sleep(100 * time.Millisecond) {
			if svc.Requests() > before {
				return
			}
		}
	}
	d.t.Fatalf("no check reached the server after clicking %v", at)
}

// logRecord is one line of the agent's log.
type logRecord struct {
	Msg   string `json:"msg"`
	Kind  string `json:"kind"`
	State string `json:"state"`
	Err   string `json:"err"`
}

func (d *winDesktop) agentLog() []logRecord {
	f, err := os.Open(filepath.Join(d.prefix.LocalAppData(), "pantau-efaktur", "logs", "agent.log"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var recs []logRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r logRecord
		if json.Unmarshal(sc.Bytes(), &r) == nil {
			recs = append(recs, r)
		}
	}
	return recs
}

// notifications are the kinds of notification the agent decided on and
// tried to show, in order (Wine has no toasts: shown or not, it tried).
func (d *winDesktop) notifications() []string {
	var kinds []string
	for _, r := range d.agentLog() {
		if r.Msg == "notified" || r.Msg == "notification not shown" {
			kinds = append(kinds, r.Kind)
		}
	}
	return kinds
}

func (d *winDesktop) waitNotifications(want ...string) {
	d.t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		if slices.Equal(d.notifications(), want) {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	d.t.Fatalf("notifications %v, want %v", d.notifications(), want)
}

// processes lists the running processes of the program (Wine shows a
// Windows process as one Linux process whose command line names it).
func (d *winDesktop) processes() []string {
	var out []string
	dirs, _ := os.ReadDir("/proc")
	for _, e := range dirs {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && bytes.Contains(cmdline, []byte(filepath.Base(d.exe))) {
			out = append(out, e.Name()+": "+strings.ReplaceAll(string(cmdline), "\x00", " "))
		}
	}
	return out
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		if ok() {
			return
		}
		time.Sleep(200 * time.Millisecond) // polling another process's state
	}
	t.Fatalf("never: %s", what)
}

// The Windows program as a user runs it, under Wine on a virtual screen,
// with no NTLM (Wine without ntlm_auth, as Windows with NTLM disabled):
// one check; the agent's icon in the tray; `status`; a second launch that
// brings up the first agent's status window; "check now" from it; a
// confirmed outage and its recovery, each notified once; its files under
// %APPDATA%; start at login in the registry; quitting from the tray menu.
func TestAgentUnderWine(t *testing.T) {
	Need(t)
	desktoptest.Need(t, "xdotool", "import")
	exe := windowsProgram(t)
	display := desktoptest.StartXvfb(t)
	d := &winDesktop{t: t, exe: exe, prefix: NewPrefix(t, "DISPLAY="+display, "LANG=en_US.UTF-8", "FYNE_SCALE=1",
		"FYNE_THEME=light", "PATH="+pathWithout("ntlm_auth"))}
	svc := fakesvc.New(fakesvc.OK)
	srv := httptest.NewServer(svc)
	defer srv.Close()
	url := srv.URL + "/svc/MasterFakturService?wsdl"
	appDir := filepath.Join(d.prefix.AppData(), "pantau-efaktur")
	defer func() {
		if t.Failed() {
			for _, name := range []string{"agent.log", "window.log", "supervisor.log", "cli.log"} {
				log, _ := os.ReadFile(filepath.Join(d.prefix.LocalAppData(), "pantau-efaktur", "logs", name))
				t.Logf("%s:\n%s", name, tail(string(log), 40))
			}
		}
	}()

	// Without the NTLM package the program still starts and checks.
	out, code := d.run("check", "--url", url, "--proxy", "none", "--reference", "off", "--lang", "en")
	if code != 0 || !strings.HasPrefix(out, "ONLINE") {
		t.Fatalf("check: exit %d, %q", code, out)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	agent := d.prefix.Command(ctx, exe, "--url", url, "--reference", srv.URL+"/_fake/generate_204", "--proxy", "none",
		"--interval", "10m", "--recheck", "300ms", "--down-interval", "500ms", "--services", "efaktur")
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	agentDone := make(chan error, 1)
	go func() { agentDone <- agent.Wait() }()

	// The icon appears in Wine's tray window, green once the first check
	// reached the server.
	tray := d.findWindow("^Wine System Tray$")
	d.waitColour(tray, green, 20)
	if svc.Requests() < 2 { // the one-shot check, and the agent's
		t.Fatalf("%d requests reached the server", svc.Requests())
	}

	// `status` reaches the agent through its pipe.
	out, code = d.run("status", "--json")
	var st struct {
		Targets []struct {
			Target, Level string
		}
		ConfigPath        string   `json:"config_path"`
		SignInUnavailable []string `json:"sign_in_unavailable"`
	}
	if err := json.Unmarshal([]byte(out), &st); code != 0 || err != nil || len(st.Targets) == 0 || st.Targets[0].Level != "up" {
		t.Fatalf("status: exit %d, %v, %s", code, err, out)
	}
	if !strings.Contains(strings.Join(st.SignInUnavailable, " "), "NTLM") {
		t.Errorf("status does not say NTLM is unavailable: %q", st.SignInUnavailable)
	}

	// A second launch finds the first agent, asks it for the status
	// window and ends.
	if out, _ := d.xdotool("search", "--onlyvisible", "--name", "Status$"); out != "" {
		t.Fatalf("a status window before the second launch: %s", out)
	}
	if out, code := d.run(); code != 0 {
		t.Fatalf("second launch: exit %d, %q", code, out)
	}
	win := d.findWindow("^Pantau e-Faktur.*Status$")
	d.waitColour(win, green, 5000)
	// Both come up at the top left: the tray window stays in sight.
	if _, err := d.xdotool("windowmove", "--sync", win, "300", "100"); err != nil {
		t.Fatal(err)
	}

	// "Periksa sekarang" in the status window asks the agent, which asks
	// the server (the next scheduled check is ten minutes away).
	button := d.waitColour(win, blue, 500)
	checkNow := image.Pt((button.Min.X+button.Max.X)/2, (button.Min.Y+button.Max.Y)/2)
	d.clickUntilRequest(win, checkNow, svc)

	// An outage, found by a check now, is confirmed and notified; so is
	// its end.
	svc.Set(fakesvc.Maintenance)
	d.clickUntilRequest(win, checkNow, svc)
	d.waitNotifications("down")
	d.waitColour(win, red, 5000)
	d.waitColour(tray, red, 20)
	svc.Set(fakesvc.OK)
	d.waitNotifications("down", "recovered")
	d.waitColour(win, green, 5000)

	// Its files are the Windows user's: history under %APPDATA%, logs
	// under %LOCALAPPDATA%, settings read from %APPDATA%.
	days, _ := filepath.Glob(filepath.Join(appDir, "history", "*.jsonl"))
	if len(days) == 0 {
		t.Errorf("no history under %%APPDATA%%: %s", appDir)
	}
	if want := `C:\users\`; !strings.HasPrefix(st.ConfigPath, want) || !strings.HasSuffix(st.ConfigPath, `\AppData\Roaming\pantau-efaktur\config.json`) {
		t.Errorf("settings file %q, want it under %%APPDATA%%", st.ConfigPath)
	}

	// Start at login, turned on in the settings file, is the Run value
	// in the registry; turned off, it is gone.
	runKey := `HKCU\` + autostart.RunKey
	for _, on := range []bool{true, false} {
		if err := os.WriteFile(filepath.Join(appDir, "config.json"), []byte(fmt.Sprintf(`{"autostart": %v}`, on)), 0o600); err != nil {
			t.Fatal(err)
		}
		waitFor(t, fmt.Sprintf("start at login %v in the registry", on), func() bool {
			value, ok := d.prefix.RegValue(t, runKey, autostart.Name)
			return ok == on && (!on || strings.Contains(value, filepath.Base(exe)))
		})
	}

	// "Keluar", the last item of the tray menu, ends the agent, its
	// supervisor and the status window.
	windows, _ := d.xdotool("search", "--onlyvisible", "--name", ".*")
	d.click(tray, image.Pt(10, 10), "3")
	var menu string
	waitFor(t, "the tray menu", func() bool {
		now, _ := d.xdotool("search", "--onlyvisible", "--name", ".*")
		for _, w := range strings.Fields(now) {
			if !slices.Contains(strings.Fields(windows), w) {
				menu = w
				return true
			}
		}
		return false
	})
	geo, err := d.xdotool("getwindowgeometry", "--shell", menu)
	if err != nil {
		t.Fatal(err)
	}
	var width, height int
	for _, l := range strings.Split(geo, "\n") {
		fmt.Sscanf(l, "WIDTH=%d", &width)
		fmt.Sscanf(l, "HEIGHT=%d", &height)
	}
	d.click(menu, image.Pt(width/4, height-8), "1")
	select {
	case err := <-agentDone:
		if err != nil {
			t.Fatalf("the program ended with %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("the program did not end after Keluar; running: %v", d.processes())
	}
	waitFor(t, "every process ended", func() bool { return len(d.processes()) == 0 })
	if recs := d.agentLog(); len(recs) == 0 || recs[len(recs)-1].Msg != "agent stopped" {
		t.Errorf("the agent did not stop cleanly: %+v", recs[max(0, len(recs)-3):])
	}
}
