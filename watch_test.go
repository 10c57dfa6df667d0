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

	"pantau-efaktur/internal/testbin"
	"pantau-efaktur/probe/fakesvc"
)

// watchLine is the part of a `watch` JSON line the test looks at.
type watchLine struct {
	Type     string `json:"type"`
	At       string `json:"at"`
	Level    string `json:"level"`
	Previous string `json:"previous"`
	Reason   string `json:"reason"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Body     string `json:"body"`
	OutageS  *int64 `json:"outage_s"`
	Recheck  bool   `json:"rechecking"`
}

// The real binary against the fake SVC, with sub-second loopback
// intervals, through a scripted outage: the JSON event sequence is the
// contract scripts rely on.
func TestWatchScriptedOutage(t *testing.T) {
	bin := testbin.Build(t)
	svc := fakesvc.New(fakesvc.OK)
	srv := httptest.NewServer(svc)
	defer srv.Close()

	home := t.TempDir()
	cmd := exec.Command(bin, "watch", "--url", srv.URL+"/svc/MasterFakturService?wsdl",
		"--reference", srv.URL+"/_fake/generate_204", "--interval", "300ms", "--recheck", "100ms",
		"--down-interval", "150ms", "--timeout", "2s", "--slow", "1s", "--lang", "en",
		"--config", filepath.Join(home, "config.json"))
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home, "LANG=en_US.UTF-8")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	lines := make(chan watchLine, 1000)
	raw := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var l watchLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				raw <- "NOT JSON: " + sc.Text()
				continue
			}
			raw <- sc.Text()
			lines <- l
		}
		close(lines)
	}()
	deadline := time.After(60 * time.Second)
	var seen []watchLine
	next := func() watchLine {
		t.Helper()
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("watch ended early; stderr: %s", stderr.String())
			}
			seen = append(seen, l)
			return l
		case <-deadline:
			t.Fatalf("timed out; events so far: %+v", seen)
		}
		return watchLine{}
	}
	waitFor := func(match func(watchLine) bool) watchLine {
		t.Helper()
		for {
			if l := next(); match(l) {
				return l
			}
		}
	}

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

	// Interrupt: clean exit.
	cmd.Process.Signal(syscall.SIGINT)
	for range lines {
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("watch exit: %v; stderr %s", err, stderr.String())
	}

	// The whole sequence: exactly one down and one recovered notification,
	// levels up → down → up, re-checking before down, and every line stamped.
	var notifies, states []string
	for _, l := range seen {
		if _, err := time.Parse("2006-01-02T15:04:05.000Z07:00", l.At); err != nil || len(l.At) < 23 {
			t.Errorf("bad at %q in %+v", l.At, l)
		}
		switch l.Type {
		case "notify":
			notifies = append(notifies, l.Kind)
		case "state":
			s := l.Level
			if l.Recheck {
				s += "?"
			}
			states = append(states, s)
		case "check":
		default:
			t.Errorf("unexpected line type %q", l.Type)
		}
	}
	if strings.Join(notifies, ",") != "down,recovered" {
		t.Errorf("notifications %v", notifies)
	}
	want := "up,up?,down,down?,up"
	if got := strings.Join(dedupe(states), ","); !strings.HasPrefix(got, want) {
		t.Errorf("states %s, want %s", got, want)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr: %s", stderr.String())
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
