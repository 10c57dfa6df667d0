package main

import (
	"bufio"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/internal/testbin"
)

// watchLine is the part of a `watch` JSON line the test looks at.
type watchLine struct {
	Type     string `json:"type"`
	At       string `json:"at"`
	Target   string `json:"target"`
	Level    string `json:"level"`
	Previous string `json:"previous"`
	Reason   string `json:"reason"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Body     string `json:"body"`
	OutageS  *int64 `json:"outage_s"`
	Recheck  bool   `json:"rechecking"`
	Unsteady bool   `json:"unsteady"`
	Recent   struct {
		Checks, Failures int
	} `json:"recent"`
}

// watchRun is `pantau-efaktur watch` running against a fake SVC, its JSON
// lines read as they come.
type watchRun struct {
	t        *testing.T
	cmd      *exec.Cmd
	lines    chan watchLine
	stderr   strings.Builder
	deadline <-chan time.Time
	seen     []watchLine
}

// startWatch runs the real binary against srv with sub-second loopback
// intervals (300 ms up, 100 ms re-check, 150 ms down), for e-Faktur alone
// unless services say otherwise.
func startWatch(t *testing.T, srv *httptest.Server, services ...string) *watchRun {
	t.Helper()
	bin := testbin.Build(t)
	home := t.TempDir()
	w := &watchRun{t: t, lines: make(chan watchLine, 1000), deadline: time.After(60 * time.Second)}
	w.cmd = exec.Command(bin, "watch", "--url", srv.URL+"/svc/MasterFakturService?wsdl",
		"--reference", srv.URL+"/_fake/generate_204", "--interval", "300ms", "--recheck", "100ms",
		"--down-interval", "150ms", "--timeout", "2s", "--slow", "1s", "--lang", "en",
		"--config", filepath.Join(home, "config.json"), "--services", "efaktur")
	w.cmd.Args = append(w.cmd.Args, services...)
	w.cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home, "LANG=en_US.UTF-8")
	stdout, err := w.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	w.cmd.Stderr = &w.stderr
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.cmd.Process.Kill() })
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var l watchLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				l = watchLine{Type: "NOT JSON: " + sc.Text()}
			}
			w.lines <- l
		}
		close(w.lines)
	}()
	return w
}

func (w *watchRun) next() watchLine {
	w.t.Helper()
	select {
	case l, ok := <-w.lines:
		if !ok {
			w.t.Fatalf("watch ended early; stderr: %s", w.stderr.String())
		}
		w.seen = append(w.seen, l)
		return l
	case <-w.deadline:
		w.t.Fatalf("timed out; events so far: %+v", w.seen)
	}
	return watchLine{}
}

func (w *watchRun) waitFor(match func(watchLine) bool) watchLine {
	w.t.Helper()
	for {
		if l := w.next(); match(l) {
			return l
		}
	}
}

// stop interrupts watch: it must exit cleanly, having said nothing on
// stderr. The lines it wrote till then are in seen.
func (w *watchRun) stop() {
	w.t.Helper()
	_ = w.cmd.Process.Signal(syscall.SIGINT)
	for l := range w.lines {
		w.seen = append(w.seen, l)
	}
	if err := w.cmd.Wait(); err != nil {
		w.t.Fatalf("watch exit: %v; stderr %s", err, w.stderr.String())
	}
	if w.stderr.Len() != 0 {
		w.t.Errorf("stderr: %s", w.stderr.String())
	}
	for _, l := range w.seen {
		if _, err := time.Parse("2006-01-02T15:04:05.000Z07:00", l.At); err != nil || len(l.At) < 23 {
			w.t.Errorf("bad at %q in %+v", l.At, l)
		}
		switch l.Type {
		case "check", "state", "notify":
		default:
			w.t.Errorf("unexpected line type %q", l.Type)
		}
	}
}

// The real binary against the fake SVC, with sub-second loopback
// intervals, through a scripted outage: the JSON event sequence is the
// contract scripts rely on.
func TestWatchScriptedOutage(t *testing.T) {
	svc := fakesvc.New(fakesvc.OK)
	srv := httptest.NewServer(svc)
	defer srv.Close()
	w := startWatch(t, srv)
	next, waitFor := w.next, w.waitFor

	// 1. Up.
	waitFor(func(l watchLine) bool { return l.Type == "state" && l.Level == "up" })
	// 2. DJP goes down: confirmed, notified once.
	svc.Set(fakesvc.Down)
	down := waitFor(func(l watchLine) bool { return l.Type == "notify" })
	if down.Kind != "down" || !strings.Contains(down.Title, "DOWN") {
		t.Fatalf("first notification %+v", down)
	}
	// 3. A few more failed checks, then maintenance: still one notification.
	for n := 0; n < 3; {
		if l := next(); l.Type == "check" {
			n++
		}
	}
	svc.Set(fakesvc.Maintenance)
	waitFor(func(l watchLine) bool { return l.Type == "check" && l.Reason == "maintenance" })
	// 4. Back: recovered, with the outage length.
	svc.Set(fakesvc.OK)
	rec := waitFor(func(l watchLine) bool { return l.Type == "notify" })
	if rec.Kind != "recovered" || rec.OutageS == nil || !strings.Contains(rec.Body, "back online after") {
		t.Fatalf("second notification %+v", rec)
	}
	waitFor(func(l watchLine) bool { return l.Type == "check" })

	w.stop()

	// The whole sequence: exactly one down and one recovered notification,
	// levels up → down → up, re-checking before down.
	var notifies, states []string
	for _, l := range w.seen {
		switch l.Type {
		case "notify":
			notifies = append(notifies, l.Kind)
		case "state":
			s := l.Level
			if l.Recheck {
				s += "?"
			}
			states = append(states, s)
		}
	}
	if strings.Join(notifies, ",") != "down,recovered" {
		t.Errorf("notifications %v", notifies)
	}
	want := "up,up?,down,down?,up"
	if got := strings.Join(dedupe(states), ","); !strings.HasPrefix(got, want) {
		t.Errorf("states %s, want %s", got, want)
	}
}

// A server failing every other check: green by policy, never "down", no
// notification; a state line says "unsteady" with the numbers, and another
// takes it back once the checks are clean again.
func TestWatchUnsteadyServer(t *testing.T) {
	svc := fakesvc.New(fakesvc.OK)
	srv := httptest.NewServer(svc)
	defer srv.Close()
	w := startWatch(t, srv)
	w.waitFor(func(l watchLine) bool { return l.Type == "state" && l.Level == "up" })
	svc.Set(fakesvc.Flaky)
	shaky := w.waitFor(func(l watchLine) bool { return l.Type == "state" && l.Unsteady })
	if shaky.Level != "up" || shaky.Recent.Failures < 3 || shaky.Recent.Checks > 10 || shaky.Recent.Checks < shaky.Recent.Failures {
		t.Fatalf("unsteady line %+v", shaky)
	}
	svc.Set(fakesvc.OK)
	w.waitFor(func(l watchLine) bool { return l.Type == "state" && !l.Unsteady && !l.Recheck })
	w.stop()
	for _, l := range w.seen {
		if l.Type == "notify" || (l.Type == "state" && l.Level == "down") {
			t.Errorf("an unsteady server was told as down: %+v", l)
		}
	}
}

// With both services in use, every line names its service, and an outage
// of Coretax alone is told once, by name; e-Faktur says nothing.
func TestWatchTwoServices(t *testing.T) {
	svc, coretax := fakesvc.New(fakesvc.OK), fakesvc.New(fakesvc.OK)
	srv, coretaxSrv := httptest.NewServer(svc), httptest.NewServer(coretax)
	defer srv.Close()
	defer coretaxSrv.Close()
	w := startWatch(t, srv, "--services", "efaktur,coretax", "--coretax-url", coretaxSrv.URL+fakesvc.CoretaxPath)
	up := map[string]bool{}
	w.waitFor(func(l watchLine) bool {
		if l.Type == "state" && l.Level == "up" {
			up[l.Target] = true
		}
		return up["efaktur"] && up["coretax"]
	})
	coretax.Set(fakesvc.BadGateway)
	down := w.waitFor(func(l watchLine) bool { return l.Type == "notify" })
	if down.Target != "coretax" || down.Kind != "down" || down.Title != "Coretax is DOWN" || !strings.Contains(down.Body, "502") {
		t.Fatalf("notification %+v", down)
	}
	coretax.Set(fakesvc.OK)
	back := w.waitFor(func(l watchLine) bool { return l.Type == "notify" })
	if back.Target != "coretax" || back.Kind != "recovered" || !strings.HasPrefix(back.Title, "Coretax") {
		t.Fatalf("notification %+v", back)
	}
	w.stop()
	for _, l := range w.seen {
		if l.Target != "efaktur" && l.Target != "coretax" {
			t.Errorf("a line without its service: %+v", l)
		}
		if l.Type == "notify" && l.Target == "efaktur" {
			t.Errorf("e-Faktur told while up: %+v", l)
		}
	}
}

func dedupe(s []string) []string {
	var out []string
	for _, x := range s {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}

func TestMain(m *testing.M) { testbin.Main(m) }
