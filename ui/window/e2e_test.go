//go:build linux

package window_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"pantau-efaktur/history"
	"pantau-efaktur/settings"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"pantau-efaktur/internal/dbustest"
	"pantau-efaktur/internal/desktoptest"
	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/testbin"
	"pantau-efaktur/probe"
)

func need(t *testing.T, tools ...string) { desktoptest.Need(t, tools...) }

func startXvfb(t *testing.T) string { return desktoptest.StartXvfb(t) }

// desktop runs the agent on a virtual screen with a tray host.
type desktop struct {
	t       *testing.T
	display string
	home    string
	env     []string
	bin     string
	svc     *fakesvc.Service
	bus     *dbustest.Bus
	item    dbustest.Item
}

func newDesktop(t *testing.T) *desktop {
	need(t, "Xvfb", "openbox", "wmctrl", "xdotool", "import", "dbus-daemon")
	d := &desktop{t: t, display: startXvfb(t), home: t.TempDir()}
	d.bus = dbustest.StartBus(t)
	watcher := d.bus.StartWatcher(t)
	d.bus.StartNotifier(t)
	d.svc = fakesvc.New(fakesvc.OK)
	srv := httptest.NewServer(d.svc)
	t.Cleanup(srv.Close)
	d.bin = testbin.BuildNoRace(t)
	d.env = append(os.Environ(), d.bus.Env(), "PANTAU_EFAKTUR_HOME="+d.home, "DISPLAY="+d.display,
		"LANG=en_US.UTF-8", "FYNE_THEME=light", "FYNE_SCALE=1", "XDG_CONFIG_HOME="+filepath.Join(d.home, "xdg"))
	cfg := map[string]any{"version": 1, "url": srv.URL + "/svc/MasterFakturService?wsdl",
		"reference": srv.URL + "/_fake/generate_204", "interval": "2s", "recheck": "300ms", "down_interval": "500ms",
		"timeout": "2s", "slow": "1s", "proxy": "none", "language": "id"}
	b, _ := json.Marshal(cfg)
	os.WriteFile(filepath.Join(d.home, "config.json"), b, 0o600)
	writeHistory(t, filepath.Join(d.home, "history"), time.Now(), probe.Result{}, 0)

	// Address, reference, proxy, schedule and services on the command line: they win
	// over the file, which the agent takes up whenever it changes (the test
	// writes the defaults into it for the settings window's picture).
	agent := exec.Command(d.bin, "--url", srv.URL+"/svc/MasterFakturService?wsdl", "--reference", srv.URL+"/_fake/generate_204",
		"--proxy", "none", "--interval", "2s", "--recheck", "300ms", "--down-interval", "500ms", "--services", "efaktur")
	agent.Env = d.env
	agent.Stderr = os.Stderr
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, name := range []string{"agent.log", "window.log"} {
				log, _ := os.ReadFile(filepath.Join(d.home, "cache", "logs", name))
				t.Logf("%s:\n%s", name, log)
			}
			if out, err := d.xdotool("search", "--name", "."); err == nil {
				for _, id := range strings.Fields(out) {
					name, _ := d.xdotool("getwindowname", id)
					t.Logf("X window %s %q", id, name)
				}
			}
		}
		d.ipc(ipc.Request{Cmd: ipc.CmdQuit})
		done := make(chan struct{})
		go func() { agent.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			agent.Process.Kill()
		}
	})
	select {
	case d.item = <-watcher.Items:
	case <-time.After(30 * time.Second):
		log, _ := os.ReadFile(filepath.Join(d.home, "cache", "logs", "agent.log"))
		t.Fatalf("agent did not register its tray icon; log:\n%s", log)
	}
	d.waitLevel(probe.LevelUp)
	return d
}

// writeHistory gives the charts two days to show, up to now: answers of
// 120–400 ms, a 35-minute maintenance yesterday, a 4-minute blip five hours
// ago, and, for its last tailFor, checks like tail (the state the agent is
// in; with failing, each of those checks fails first and its re-check is
// tail). Checks are a minute apart, as with the default schedule.
func writeHistory(t *testing.T, dir string, now time.Time, tail probe.Result, tailFor time.Duration, failing ...probe.Result) {
	h, err := history.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	start := now.Add(-48 * time.Hour).Truncate(time.Minute)
	for m := 0; start.Add(time.Duration(m) * time.Minute).Before(now.Add(-time.Minute)); m++ {
		at := start.Add(time.Duration(m) * time.Minute)
		ms := int64(140 + 90*math.Sin(float64(m)/40) + float64(m%7)*25)
		r := history.Record{At: at, Target: cmp.Or(tail.Target, probe.PrimaryTargetID), Level: probe.LevelUp, Reason: probe.ReasonOK, Status: 200,
			MS: [5]int64{4, 18, 42, ms - 90, ms}}
		age := now.Sub(at)
		switch {
		case age < tailFor && len(failing) > 0:
			// A flaky server: each minute's check fails, its re-check
			// 10 s later answers.
			failing[0].CheckedAt = at
			if err := h.Append(history.RecordOf(failing[0])); err != nil {
				t.Fatal(err)
			}
			tail.CheckedAt = at.Add(10 * time.Second)
			r = history.RecordOf(tail)
		case age < tailFor:
			tail.CheckedAt = at
			r = history.RecordOf(tail)
		case age > 26*time.Hour && age < 26*time.Hour+35*time.Minute:
			r.Level, r.Reason, r.Status, r.MS = probe.LevelDown, probe.ReasonMaintenance, 503, [5]int64{4, 18, 42, 30, 95}
		case age > 5*time.Hour && age < 5*time.Hour+4*time.Minute:
			r.Level, r.Reason, r.Status, r.MS = probe.LevelDown, probe.ReasonTimeout, 0, [5]int64{4, 0, 0, 0, 15000}
		case m%97 == 0:
			r.Level, r.Reason, r.MS[4] = probe.LevelDegraded, probe.ReasonSlow, 5600
		}
		if err := h.Append(r); err != nil {
			t.Fatal(err)
		}
	}
}

func (d *desktop) ipc(req ipc.Request) (ipc.Response, error) {
	return ipc.Do(filepath.Join(d.home, "agent.sock"), req, 5*time.Second)
}

func (d *desktop) waitLevel(want probe.Level) {
	d.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		r, err := d.ipc(ipc.Request{Cmd: ipc.CmdStatus})
		if err == nil && r.Status.Primary().Level == want && !r.Status.Primary().Rechecking {
			return
		}
		time.Sleep(100 * time.Millisecond) // polling another process's state
	}
	d.t.Fatalf("agent never reached %s", want)
}

func (d *desktop) xdotool(args ...string) (string, error) {
	cmd := exec.Command("xdotool", args...)
	cmd.Env = d.env
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// findWindow waits for a window whose title is name. (xdotool matches with
// a byte regexp: the em dash of the titles becomes ".*".)
func (d *desktop) findWindow(name string, within time.Duration) (string, time.Duration) {
	d.t.Helper()
	pattern := "^" + strings.ReplaceAll(name, " — ", ".*") + "$"
	start := time.Now()
	for time.Since(start) < within {
		if out, err := d.xdotool("search", "--onlyvisible", "--name", pattern); err == nil && out != "" {
			return strings.Fields(out)[0], time.Since(start)
		}
		time.Sleep(20 * time.Millisecond)
	}
	d.t.Fatalf("no window %q within %v", name, within)
	return "", 0
}

func (d *desktop) shot(win string) image.Image {
	d.t.Helper()
	cmd := exec.Command("import", "-window", win, "png:-")
	cmd.Env = d.env
	out, err := cmd.Output()
	if err != nil {
		d.t.Fatalf("screenshot: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		d.t.Fatal(err)
	}
	return img
}

// waitBadge waits until the badge in the top part of the status window
// shows colour want (a large block of it), then returns the screenshot.
func (d *desktop) waitBadge(win string, want [3]uint8) image.Image {
	d.t.Helper()
	return d.waitColour(win, want, 200, 20000)
}

// waitState is waitBadge for a badge at the very top, with no banner above
// it: the window is connected and shows the agent's state (the grey of an
// offline PC is also the grey of "connecting…" and "agent not running",
// which have a banner).
func (d *desktop) waitState(win string, want [3]uint8) image.Image {
	d.t.Helper()
	return d.waitColour(win, want, 45, 15000)
}

// waitColour waits until the top rows of the window hold more than n
// pixels of colour want, then returns the screenshot.
func (d *desktop) waitColour(win string, want [3]uint8, rows, n int) image.Image {
	d.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var img image.Image
	got := 0
	for time.Now().Before(deadline) {
		img = d.shot(win)
		if got = countColour(img, want, rows); got > n {
			return img
		}
		time.Sleep(100 * time.Millisecond)
	}
	d.t.Fatalf("the top %d rows never held %x (%d pixels of it)", rows, want, got)
	return nil
}

// countColour counts pixels close to want in the top rows of img.
func countColour(img image.Image, want [3]uint8, rows int) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < min(b.Max.Y, b.Min.Y+rows); y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if closeTo(img.At(x, y), want) {
				n++
			}
		}
	}
	return n
}

func closeTo(c interface{ RGBA() (r, g, b, a uint32) }, want [3]uint8) bool {
	r, g, b, _ := c.RGBA()
	diff := func(x uint32, y uint8) int { return max(int(x>>8)-int(y), int(y)-int(x>>8)) }
	return diff(r, want[0])+diff(g, want[1])+diff(b, want[2]) < 30
}

// save keeps a screenshot: a README picture in docs/ with
// UPDATE_SCREENSHOTS=1, any other in the test's temporary directory.
func save(t *testing.T, img image.Image, name string, readme bool) {
	t.Helper()
	dir := t.TempDir()
	if readme && os.Getenv("UPDATE_SCREENSHOTS") != "" {
		dir = filepath.Join("..", "..", "docs")
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", filepath.Join(dir, name))
}

func pidOf(d *desktop, win string) int {
	out, err := d.xdotool("getwindowpid", win)
	if err != nil {
		d.t.Fatalf("window pid: %v", err)
	}
	pid, _ := strconv.Atoi(out)
	return pid
}

func rssMB(pid int) float64 {
	data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// closeAndWait closes a window as a user does (the close button: the
// window manager sends WM_DELETE_WINDOW; or, with key, Ctrl+W) and waits for
// its process to end.
func (d *desktop) closeAndWait(win string, pid int, key bool) {
	d.t.Helper()
	var err error
	if key {
		_, err = d.xdotool("windowactivate", "--sync", win, "key", "ctrl+w")
	} else {
		cmd := exec.Command("wmctrl", "-i", "-c", win)
		cmd.Env = d.env
		err = cmd.Run()
	}
	if err != nil {
		d.t.Fatalf("close window %s: %v", win, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); os.IsNotExist(err) {
			return
		}
		if data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); strings.Contains(string(data), ") Z ") {
			return // exited, waiting for its parent to reap it
		}
		time.Sleep(50 * time.Millisecond)
	}
	d.t.Fatalf("window process %d still running after its window closed", pid)
}

var (
	green  = [3]uint8{0x1E, 0x9E, 0x4A}
	yellow = [3]uint8{0xF4, 0xB4, 0x00}
	red    = [3]uint8{0xD9, 0x30, 0x25}
	grey   = [3]uint8{0x80, 0x86, 0x8B}
)

// The windows, opened by the agent as users open them, on a virtual screen.
func TestWindowsUnderXvfb(t *testing.T) {
	d := newDesktop(t)

	// Status, from the tray menu: the time from the click to the window.
	m, err := d.bus.Menu(d.item)
	if err != nil {
		t.Fatal(err)
	}
	item, ok := dbustest.Find(m, "Lihat status…")
	if !ok {
		t.Fatalf("menu %+v", m)
	}
	clicked := time.Now()
	if err := d.bus.Click(d.item, item.ID); err != nil {
		t.Fatal(err)
	}
	win, visible := d.findWindow("Pantau e-Faktur — Status", 20*time.Second)
	t.Logf("status window: visible %v after the click", visible.Round(time.Millisecond))
	img := d.waitBadge(win, green)
	t.Logf("status window: badge drawn green %v after the click", time.Since(clicked).Round(time.Millisecond))
	pid := pidOf(d, win)
	t.Logf("status window process RSS %.1f MB", rssMB(pid))
	save(t, img, "agent-status-up.png", false)

	// A second request raises the same window instead of opening another.
	if _, err := d.ipc(ipc.Request{Cmd: ipc.CmdShow, Window: "status"}); err != nil {
		t.Fatal(err)
	}
	if out, _ := d.xdotool("search", "--onlyvisible", "--name", "^Pantau e-Faktur.*Status$"); len(strings.Fields(out)) != 1 {
		t.Fatalf("windows: %q", out)
	}

	// Down: the window follows the agent live.
	d.svc.Set(fakesvc.Maintenance)
	d.waitLevel(probe.LevelDown)
	save(t, d.waitBadge(win, red), "agent-status-down.png", false)
	d.svc.Set(fakesvc.OK)
	d.waitLevel(probe.LevelUp)
	d.waitBadge(win, green)

	// Closing the window ends its process.
	d.closeAndWait(win, pid, false)

	// A left click on the tray icon opens it again.
	if err := d.bus.Activate(d.item); err != nil {
		t.Fatal(err)
	}
	win, _ = d.findWindow("Pantau e-Faktur — Status", 20*time.Second)
	d.closeAndWait(win, pidOf(d, win), true) // Ctrl+W closes it too

	// Help and settings. The settings window reads the file: for the
	// pictures in the README it holds what a user starts with (the agent
	// takes it up, but keeps the address and fast schedule of its flags).
	if err := settings.Save(filepath.Join(d.home, "config.json"), settings.Default()); err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct{ name, title, file string }{
		{"help", "Pantau e-Faktur — Bantuan", "help.png"},
		{"settings", "Pantau e-Faktur — Pengaturan", "settings.png"},
	} {
		if _, err := d.ipc(ipc.Request{Cmd: ipc.CmdShow, Window: w.name}); err != nil {
			t.Fatal(err)
		}
		win, _ := d.findWindow(w.title, 20*time.Second)
		time.Sleep(500 * time.Millisecond) // let the first frame be drawn before the picture
		save(t, d.shot(win), w.file, true)
		d.closeAndWait(win, pidOf(d, win), false)
	}

	// The same windows in English (the language of a window can be forced).
	for _, w := range []struct{ name, title, file string }{
		{"status", "Pantau e-Faktur — Status", "agent-status-up-en.png"},
		{"help", "Pantau e-Faktur — Help", "help-en.png"},
		{"settings", "Pantau e-Faktur — Settings", "settings-en.png"},
	} {
		cmd := exec.Command(d.bin, "window", w.name, "--lang", "en")
		cmd.Env = d.env
		// A file, not a buffer: a failing test reads it while the window may
		// still be writing.
		stderrPath := filepath.Join(t.TempDir(), w.name+".stderr")
		stderr, err := os.Create(stderrPath)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		stderr.Close() // the child has its own copy
		defer func() {
			if t.Failed() {
				b, _ := os.ReadFile(stderrPath)
				t.Logf("%s window stderr:\n%s", w.name, b)
			}
		}()
		win, _ := d.findWindow(w.title, 20*time.Second)
		var img image.Image
		if w.name == "status" {
			img = d.waitBadge(win, green) // drawn from the agent's state: subscribed
			// Opened by hand a second time: the open one comes forward,
			// also from the taskbar, and the second program ends at once
			// and opens nothing.
			if _, err := d.xdotool("windowminimize", "--sync", win); err != nil {
				t.Fatal(err)
			}
			if out, _ := d.xdotool("search", "--onlyvisible", "--name", "^Pantau e-Faktur.*Status$"); out != "" {
				t.Fatalf("still shown after minimising: %q", out)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			again := exec.CommandContext(ctx, d.bin, "window", w.name, "--lang", "en")
			again.Env = d.env
			out, err := again.Output()
			if err != nil || !strings.Contains(string(out), "already open") {
				t.Fatalf("second `window status`: %v, %q", err, out)
			}
			if out, _ := d.xdotool("search", "--name", "^Pantau e-Faktur.*Status$"); len(strings.Fields(out)) != 1 {
				t.Fatalf("status windows after a second launch: %q", out)
			}
			if again, _ := d.findWindow(w.title, 10*time.Second); again != win {
				t.Fatalf("a different window %s came forward, not %s", again, win)
			}
			// The tray's "Lihat status…" finds it too, though the agent
			// did not start it.
			if _, err := d.ipc(ipc.Request{Cmd: ipc.CmdShow, Window: w.name}); err != nil {
				t.Fatal(err)
			}
			if log, _ := os.ReadFile(filepath.Join(d.home, "cache", "logs", "agent.log")); !strings.Contains(string(log), "window open from elsewhere: raised it") {
				t.Fatal("the agent did not raise the window opened by hand")
			}
		} else {
			time.Sleep(500 * time.Millisecond)
			img = d.shot(win)
		}
		save(t, img, w.file, w.name != "status")
		d.closeAndWait(win, cmd.Process.Pid, false)
		cmd.Wait()
	}
}

// Without an agent the window says so, and connects once the agent starts.
func TestWindowSurvivesMissingAgent(t *testing.T) {
	need(t, "Xvfb", "openbox", "wmctrl", "xdotool", "import", "dbus-daemon")
	display := startXvfb(t)
	home := t.TempDir()
	bin := testbin.BuildNoRace(t)
	env := append(os.Environ(), "PANTAU_EFAKTUR_HOME="+home, "DISPLAY="+display, "LANG=en_US.UTF-8", "FYNE_THEME=light",
		"XDG_CONFIG_HOME="+filepath.Join(home, "xdg"))
	d := &desktop{t: t, env: env, home: home}
	cmd := exec.Command(bin, "window", "status")
	cmd.Env = env
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	win, _ := d.findWindow("Pantau e-Faktur — Status", 20*time.Second)
	save(t, d.waitBadge(win, grey), "status-no-agent.png", true)

	// Now an agent appears (with a tray host, so it does not open a status
	// window of its own), and the window finds it.
	bus := dbustest.StartBus(t)
	bus.StartWatcher(t)
	svc := httptest.NewServer(fakesvc.New(fakesvc.OK))
	defer svc.Close()
	cfg, _ := json.Marshal(map[string]any{"url": svc.URL + "/svc?wsdl", "reference": "off", "proxy": "none", "services": map[string]bool{"efaktur": true, "coretax": false}})
	os.WriteFile(filepath.Join(home, "config.json"), cfg, 0o600)
	agent := exec.Command(bin)
	agent.Env = append(env, bus.Env())
	agent.Stderr = os.Stderr
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		ipc.Do(filepath.Join(home, "agent.sock"), ipc.Request{Cmd: ipc.CmdQuit}, time.Second)
		agent.Wait()
	}()
	defer func() {
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(home, "cache", "logs", "agent.log"))
			wlog, _ := os.ReadFile(filepath.Join(home, "cache", "logs", "window.log"))
			t.Logf("agent log:\n%s\nwindow log:\n%s", log, wlog)
		}
	}()
	d.waitBadge(win, green)
}
