package agent

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/internal/probetest"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
)

// demoChecker is the real HTTP checker against the fake server, with the
// server playing the demo timeline on the fake clock and the results
// stamped with it.
type demoChecker struct {
	real *probe.HTTPChecker
	clk  *probetest.Clock
	d    *demo
}

func (c *demoChecker) Check(ctx context.Context, t probe.Target) probe.Result {
	c.d.svc.Set(fakesvc.At(DemoSteps, c.clk.Monotonic()))
	c.d.coretax.Set(fakesvc.At(CoretaxSteps, c.clk.Monotonic()))
	r := c.real.Check(ctx, t)
	r.CheckedAt = c.clk.Now()
	return r
}

// demoView is what the tray shows of the primary: its icon and reason, and
// whether the status line calls the server unsteady.
type demoView struct {
	icon     string
	reason   probe.Reason
	unsteady bool
}

// demoSeen is a view and when it began, in fake time since the demo began.
type demoSeen struct {
	demoView
	at time.Duration
}

// playDemo runs the --demo timeline for d of fake time through the real
// checker and monitor with the demo's settings, and returns what the tray
// showed (each change once) and the notifications.
func playDemo(t *testing.T, d time.Duration, jitter float64) ([]demoSeen, []monitor.Notification) {
	t.Helper()
	dm := &demo{svc: fakesvc.New(fakesvc.OK), coretax: fakesvc.New(fakesvc.OK)}
	srv := httptest.NewServer(dm.handler())
	t.Cleanup(srv.Close)
	dm.url = srv.URL
	s := settings.Default()
	dm.apply(&s)
	clk := probetest.NewClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600)))
	real := probe.NewHTTPChecker(s.CheckOptions("pantau-efaktur-test"))
	t.Cleanup(real.Close)

	events := make(chan monitor.Event, 10000)
	m, err := monitor.New(s.MonitorConfig(&demoChecker{real: real, clk: clk, d: dm}), func(e monitor.Event) { events <- e },
		monitor.WithClock(clk), monitor.WithRand(func() float64 { return jitter }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	var seen []demoSeen
	var notes []monitor.Notification
	pacer := probetest.NewPacer(clk, 2) // e-Faktur and Coretax
	end := clk.Now().Add(d)
	safety := time.After(30 * time.Second) // a safety net, never a synchroniser
	for !pacer.Advance(end) {
		select {
		case e := <-events:
			switch {
			case e.Kind == monitor.EventState && e.Target == "efaktur":
				now := demoView{string(monitor.ShownLevel(e.State.Level, e.State.Rechecking)), e.State.Reason, monitor.Unsteady(e.State.Level, e.State.Recent)}
				if len(seen) == 0 || seen[len(seen)-1].demoView != now {
					seen = append(seen, demoSeen{now, clk.Monotonic()})
				}
			case e.Kind == monitor.EventNotify:
				notes = append(notes, *e.Notification)
			case e.Kind == monitor.EventCheck:
				pacer.Checked(e.Target)
			case e.Kind == monitor.EventWait:
				pacer.Waits(e.Target, e.State.NextCheck)
			}
		case <-safety:
			t.Fatalf("the demo stalled at %v of fake time; seen so far %v", clk.Monotonic(), seen)
		}
	}
	return seen, notes
}

// The demo exists so anyone can see every colour and both notifications
// without waiting for DJP: one round of its timeline, played through the
// real checker and monitor with the demo's own settings, must show each
// of them, whatever the jitter draws.
func TestDemoShowsEveryColourAndBothNotifications(t *testing.T) {
	round := fakesvc.Round(DemoSteps)
	if round > 3*time.Minute {
		t.Errorf("one demo round takes %v; nobody watches that long", round)
	}
	for _, jitter := range []float64{0, 0.5, 0.999} {
		seen, notes := playDemo(t, round+20*time.Second, jitter)
		var icons []string
		for _, s := range seen {
			if len(icons) == 0 || icons[len(icons)-1] != s.icon {
				icons = append(icons, s.icon)
			}
		}
		// Green, yellow while a failure is re-checked, red, green again,
		// grey when this PC is offline, and green once more.
		want := []string{"up", "degraded", "down", "up", "offline", "up"}
		if !isSubsequence(want, icons) {
			t.Errorf("jitter %v: icons %v, want %v among them in order", jitter, icons, want)
		}
		if !slices.ContainsFunc(seen, func(s demoSeen) bool { return s.icon == "down" && s.reason == probe.ReasonMaintenance }) {
			t.Errorf("jitter %v: maintenance never shown: %v", jitter, seen)
		}
		// The unsteady remark comes and goes with the server's answers;
		// it must stay long enough for someone to read it.
		first := slices.IndexFunc(seen, func(s demoSeen) bool { return s.icon == "up" && s.unsteady })
		if first < 0 {
			t.Errorf("jitter %v: the unsteady server never shown: %v", jitter, seen)
		} else if last := first + slices.IndexFunc(seen[first:], func(s demoSeen) bool { return !s.unsteady }); last < first {
			t.Errorf("jitter %v: the unsteady remark never went away: %v", jitter, seen)
		} else if span := seen[last].at - seen[first].at; span < 15*time.Second {
			t.Errorf("jitter %v: the unsteady remark shown for %v, want at least 15s: %v", jitter, span, seen)
		}
		// Each service: one "down" and one "back online", by name.
		for _, service := range []string{probe.PrimaryTargetID, probe.CoretaxTargetID} {
			var kinds []monitor.NotifyKind
			for _, n := range notes {
				if n.Target == service {
					kinds = append(kinds, n.Kind)
				}
			}
			if !slices.Equal(kinds, []monitor.NotifyKind{monitor.NotifyDown, monitor.NotifyRecovered}) {
				t.Errorf("jitter %v: %s notifications %v, want exactly one down and one recovered", jitter, service, kinds)
			}
		}
	}
}

// isSubsequence reports whether want appears in got in order, maybe with
// other items between.
func isSubsequence(want, got []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// The demo listens at the same address run after run, so its kept history
// is of one address; with that address taken, it still starts, elsewhere.
func TestDemoKeepsItsAddressAcrossRuns(t *testing.T) {
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	demoAddr = free.Addr().String()
	free.Close()
	t.Cleanup(func() { demoAddr = "127.0.0.1:47815" })

	first, err := startDemo()
	if err != nil {
		t.Fatal(err)
	}
	// Taken by the first: the second runs on another port, and answers.
	second, err := startDemo()
	if err != nil {
		t.Fatal(err)
	}
	if second.url == first.url {
		t.Fatalf("two demos on one address %s", first.url)
	}
	resp, err := http.Get(second.url + "/_fake/generate_204")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("second demo answers %d", resp.StatusCode)
	}
	second.stop()
	firstURL := first.url
	first.stop()

	again, err := startDemo()
	if err != nil {
		t.Fatal(err)
	}
	defer again.stop()
	if again.url != firstURL || again.url != "http://"+demoAddr {
		t.Fatalf("next run at %s, want %s", again.url, "http://"+demoAddr)
	}
}
