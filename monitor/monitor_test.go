package monitor_test

import (
	"context"
	"errors"
	"fmt"
	"pantau-efaktur/monitor"
	"pantau-efaktur/settings"
	"slices"
	"testing"
	"time"

	"pantau-efaktur/internal/probetest"
	"pantau-efaktur/probe"
)

var t0 = time.Date(2026, 3, 31, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))

// harness runs a Monitor on a fake clock with a scripted checker. Each
// step advances the clock to the next planned check and returns the events
// that check produced. Nothing sleeps: the monitor's "wait" event says when
// it is idle.
type harness struct {
	t      *testing.T
	clk    *probetest.Clock
	chk    *probetest.Checker
	m      *monitor.Monitor
	events chan monitor.Event
	idle   monitor.Event // last wait event of the primary
	due    time.Duration // monotonic time of the primary's next check
	all    []monitor.Event
	stop   func()
	// secondaryWaits receives every wait a secondary target announces (it
	// is parked, its timer set): untilIdle follows the primary only.
	secondaryWaits chan monitor.Event
}

const primary = "efaktur"

func testPolicy() monitor.Policy {
	p := monitor.DefaultPolicy()
	p.Jitter = 0 // exact timelines; jitter has its own test
	return p
}

func allNotify() monitor.NotifySettings {
	return monitor.NotifySettings{Down: true, Recovered: true, Degraded: true, Offline: true}
}

func defaultNotify() monitor.NotifySettings { return settings.Default().Notify }

func newHarness(t *testing.T, p monitor.Policy, prefs monitor.NotifySettings, targets ...probe.Target) *harness {
	t.Helper()
	return newHarnessWith(t, p, prefs, nil, targets...)
}

// newHarnessWith runs setup before the monitor starts: it may script the
// checker's first answers and returns extra monitor options.
func newHarnessWith(t *testing.T, p monitor.Policy, prefs monitor.NotifySettings, setup func(*harness) []monitor.Option, targets ...probe.Target) *harness {
	t.Helper()
	if len(targets) == 0 {
		targets = []probe.Target{{ID: primary, URL: settings.DefaultURL, Expect: probe.ExpectWSDL}}
	}
	h := &harness{t: t, clk: probetest.NewClock(t0), events: make(chan monitor.Event, 100000),
		secondaryWaits: make(chan monitor.Event, 100000)}
	h.chk = probetest.NewChecker(h.clk)
	opts := []monitor.Option{monitor.WithClock(h.clk), monitor.WithRand(func() float64 { return 0.5 })}
	if setup != nil {
		opts = append(opts, setup(h)...)
	}
	m, err := monitor.New(monitor.Config{Targets: targets, Checker: h.chk, Policy: p, Notify: prefs},
		func(e monitor.Event) {
			h.events <- e
			if e.Kind == monitor.EventWait && e.Target != primary {
				h.secondaryWaits <- e
			}
		}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	h.m = m
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	h.stop = func() { cancel(); <-done }
	t.Cleanup(h.stop)
	return h
}

// untilIdle collects events until the primary announces its next wait.
func (h *harness) untilIdle() []monitor.Event {
	h.t.Helper()
	var got []monitor.Event
	timeout := time.After(10 * time.Second) // a safety net, never a synchroniser
	for {
		select {
		case e := <-h.events:
			h.all = append(h.all, e)
			if e.Kind == monitor.EventWait && e.Target == primary {
				// Only the test moves the clock, so "now" is still the
				// moment the monitor announced its wait.
				h.idle, h.due = e, h.clk.Monotonic()+e.State.NextCheck.Sub(e.At)
				return got
			}
			got = append(got, e)
		case <-timeout:
			h.t.Fatalf("monitor did not become idle; events so far: %v; all %v calls %d", kinds(got), kinds(h.all), h.chk.Calls(primary))
		}
	}
}

// reconfigure applies policy p to the primary (same address) and waits
// until the monitor has re-planned its next check.
func (h *harness) reconfigure(p monitor.Policy) {
	h.t.Helper()
	err := h.m.Reconfigure(monitor.Config{Targets: []probe.Target{{ID: primary, URL: settings.DefaultURL, Expect: probe.ExpectWSDL}},
		Checker: h.chk, Policy: p, Notify: defaultNotify()})
	if err != nil {
		h.t.Fatal(err)
	}
	h.untilIdle()
}

// start runs the first check (at once) and returns its events.
func (h *harness) start() []monitor.Event { h.t.Helper(); return h.untilIdle() }

// snooze sets the snooze deadline and returns what the monitor did about it:
// the change wakes the primary loop, which flushes what it may now tell and
// announces its wait again. Reading up to that wait keeps the harness in
// step with the loop.
func (h *harness) snooze(until time.Time) []monitor.Event {
	h.t.Helper()
	h.m.SetSnooze(until)
	return h.untilIdle()
}

// step advances to the next planned check and returns what it produced.
func (h *harness) step() []monitor.Event {
	h.t.Helper()
	h.clk.Advance(h.due - h.clk.Monotonic())
	return h.untilIdle()
}

// stepUntil runs the planned checks until the clock reaches end and
// returns what they produced.
func (h *harness) stepUntil(end time.Time) []monitor.Event {
	h.t.Helper()
	var out []monitor.Event
	for h.clk.Now().Before(end) {
		out = append(out, h.step()...)
	}
	return out
}

// steps runs n checks answering reason.
func (h *harness) steps(n int, reason probe.Reason) []monitor.Event {
	h.t.Helper()
	h.chk.Set(primary, reason)
	var out []monitor.Event
	for range n {
		out = append(out, h.step()...)
	}
	return out
}

// flap runs n pairs of checks: a timeout, then an answer.
func (h *harness) flap(n int) []monitor.Event {
	h.t.Helper()
	var out []monitor.Event
	for range n {
		out = append(out, h.steps(1, probe.ReasonTimeout)...)
		out = append(out, h.steps(1, probe.ReasonOK)...)
	}
	return out
}

func kinds(evs []monitor.Event) []string {
	var out []string
	for _, e := range evs {
		s := string(e.Kind)
		switch {
		case e.State != nil && e.Kind == monitor.EventState:
			s += ":" + string(e.State.Level)
		case e.Notification != nil:
			s += ":" + string(e.Notification.Kind)
		}
		out = append(out, s)
	}
	return out
}

func notes(evs []monitor.Event) []monitor.Notification {
	var out []monitor.Notification
	for _, e := range evs {
		if e.Kind == monitor.EventNotify {
			out = append(out, *e.Notification)
		}
	}
	return out
}

func noteKinds(ns []monitor.Notification) []monitor.NotifyKind {
	var out []monitor.NotifyKind
	for _, n := range ns {
		out = append(out, n.Kind)
	}
	return out
}

// quietUntil runs the checks planned before end (a snooze's), which, with
// the events given, must tell the user nothing.
func (h *harness) quietUntil(end time.Time, during []monitor.Event) {
	h.t.Helper()
	for h.idle.State.NextCheck.Before(end) {
		during = append(during, h.step()...)
	}
	if ns := notes(during); len(ns) != 0 {
		h.t.Fatalf("told during the snooze: %+v", ns)
	}
}

func levels(evs []monitor.Event) []probe.Level {
	var out []probe.Level
	for _, e := range evs {
		if e.Kind == monitor.EventState && e.Target == primary {
			out = append(out, e.State.Level)
		}
	}
	return out
}

func contains(ls []probe.Level, l probe.Level) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

func TestFirstCheckRunsAtOnceAndSetsUp(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	evs := h.start()
	if len(evs) < 2 || evs[0].Kind != monitor.EventCheck || evs[1].Kind != monitor.EventState || evs[1].State.Level != probe.LevelUp {
		t.Fatalf("events %v", kinds(evs))
	}
	if got := h.idle.State.NextCheck.Sub(t0); got != time.Minute {
		t.Fatalf("next check in %v, want 60s", got)
	}
	if len(notes(evs)) != 0 {
		t.Fatalf("start notified: %v", notes(evs))
	}
}

func TestSingleFailureNeverTurnsRedNorNotifies(t *testing.T) {
	h := newHarness(t, testPolicy(), allNotify())
	h.start()
	evs := h.steps(1, probe.ReasonConnect)
	st := h.m.Primary()
	if st.Level != probe.LevelUp || !st.Rechecking {
		t.Fatalf("after one failure: %s rechecking=%v, want up and re-checking", st.Level, st.Rechecking)
	}
	if got := h.idle.State.NextCheck.Sub(h.clk.Now()); got != 10*time.Second {
		t.Fatalf("re-check in %v, want 10s", got)
	}
	evs = append(evs, h.steps(1, probe.ReasonOK)...)
	if contains(levels(evs), probe.LevelDown) || len(notes(evs)) != 0 {
		t.Fatalf("single failure: %v", kinds(evs))
	}
	if st := h.m.Primary(); st.Level != probe.LevelUp || st.Rechecking {
		t.Fatalf("after recovery: %+v", st)
	}
}

// A server that asks for a pause (429/503 with Retry-After) gets it, up to
// the normal interval; without the header the usual re-check applies.
func TestRetryAfterIsHonouredUpToTheInterval(t *testing.T) {
	tests := []struct {
		name       string
		reason     probe.Reason
		status     int
		retryAfter time.Duration
		want       time.Duration
	}{
		{"429 without Retry-After: the usual re-check", probe.ReasonHTTPStatus, 429, 0, 10 * time.Second},
		{"429 asking 25 s", probe.ReasonHTTPStatus, 429, 25 * time.Second, 25 * time.Second},
		{"429 asking 2 min: capped at the interval", probe.ReasonHTTPStatus, 429, 2 * time.Minute, time.Minute},
		{"503 asking 5 s: the re-check is longer anyway", probe.ReasonServerError, 503, 5 * time.Second, 10 * time.Second},
		{"503 asking 1 h: capped at the interval", probe.ReasonServerError, 503, time.Hour, time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, testPolicy(), defaultNotify())
			h.start()
			h.chk.SetAnswer(primary, tc.reason, tc.status, tc.retryAfter)
			h.step()
			if got := h.idle.State.NextCheck.Sub(h.clk.Now()); got != tc.want {
				t.Fatalf("next check in %v, want %v", got, tc.want)
			}
			// The pause holds for every answer that asks for it, and the
			// failure still counts: three of them confirm "down" for a 503.
			h.step()
			h.step()
			if tc.reason == probe.ReasonServerError && h.m.Primary().Level != probe.LevelDown {
				t.Fatalf("three 503s: %s", h.m.Primary().Level)
			}
		})
	}
}

// A settings change during the pause re-plans with the new intervals, but
// still not sooner than the server asked.
func TestRetryAfterHoldsAcrossReconfigure(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.chk.SetAnswer(primary, probe.ReasonHTTPStatus, 429, 45*time.Second)
	h.step()
	asked := h.clk.Now()
	p := testPolicy()
	p.Recheck = 15 * time.Second
	h.reconfigure(p)
	if got := h.idle.State.NextCheck.Sub(asked); got != 45*time.Second {
		t.Fatalf("after reconfigure, next check %v after the 429, want 45s", got)
	}
}

func TestThreeFailuresConfirmDownOnceAndNotifyOnce(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	evs := h.steps(2, probe.ReasonConnect)
	if contains(levels(evs), probe.LevelDown) {
		t.Fatalf("down after 2 failures: %v", kinds(evs))
	}
	evs = h.steps(1, probe.ReasonConnect)
	if h.m.Primary().Level != probe.LevelDown {
		t.Fatalf("not down after 3 failures: %v", kinds(evs))
	}
	ns := notes(evs)
	if len(ns) != 1 || ns[0].Kind != monitor.NotifyDown || ns[0].Reason != probe.ReasonConnect {
		t.Fatalf("notifications %+v", ns)
	}
	// Down is noticed ~20 s after it started (failures at +60, +70, +80 s).
	if st := h.m.Primary(); st.Since != t0.Add(time.Minute) || st.OutageStart != t0.Add(time.Minute) {
		t.Fatalf("since %v outage %v", st.Since, st.OutageStart)
	}
	if got := h.idle.State.NextCheck.Sub(h.clk.Now()); got != 30*time.Second {
		t.Fatalf("while down, next check in %v, want 30s", got)
	}
	// Staying down, even with a changing cause, notifies nothing more.
	evs = append(h.steps(5, probe.ReasonConnect), h.steps(5, probe.ReasonMaintenance)...)
	if len(notes(evs)) != 0 {
		t.Fatalf("extra notifications while down: %v", kinds(evs))
	}
	if st := h.m.Primary(); st.Reason != probe.ReasonMaintenance {
		t.Fatalf("reason not updated while down: %s", st.Reason)
	}
}

func TestRecoveryNeedsTwoSuccessesAndTellsTheOutageLength(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()                           // t=0 up
	h.steps(3, probe.ReasonMaintenance) // t=60,70,80: down confirmed
	h.steps(2, probe.ReasonMaintenance) // t=110,140
	evs := h.steps(1, probe.ReasonOK)   // t=170: first success
	if st := h.m.Primary(); st.Level != probe.LevelDown || !st.Rechecking || len(notes(evs)) != 0 {
		t.Fatalf("one success recovered: %+v %v", st, kinds(evs))
	}
	if got := h.idle.State.NextCheck.Sub(h.clk.Now()); got != 10*time.Second {
		t.Fatalf("second success planned in %v, want the re-check interval", got)
	}
	evs = h.steps(1, probe.ReasonOK) // t=180: confirmed
	ns := notes(evs)
	if len(ns) != 1 || ns[0].Kind != monitor.NotifyRecovered {
		t.Fatalf("notifications %v", kinds(evs))
	}
	if ns[0].Outage != 110*time.Second || ns[0].Reason != probe.ReasonMaintenance {
		t.Fatalf("outage %v cause %s, want 1m50s (from the first failure at +60s to the first success at +170s) maintenance", ns[0].Outage, ns[0].Reason)
	}
	if st := h.m.Primary(); st.Level != probe.LevelUp || st.Since != t0.Add(170*time.Second) || !st.OutageStart.IsZero() {
		t.Fatalf("after recovery: %+v", st)
	}
	if len(notes(h.steps(10, probe.ReasonOK))) != 0 {
		t.Fatal("notified again while up")
	}
}

// After an outage the answers may first be a proxy's page (not yet the
// service), then the service, slowly: working again, so "back online",
// though the level stays yellow all along.
func TestRecoveryThroughAProxyPageToSlow(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.steps(3, probe.ReasonTimeout) // down confirmed
	evs := h.steps(2, probe.ReasonProxy)
	if st := h.m.Primary(); st.Level != probe.LevelDegraded || st.OutageStart.IsZero() {
		t.Fatalf("after the proxy's pages: %+v %v", st, kinds(evs))
	}
	for _, n := range notes(evs) {
		if n.Kind == monitor.NotifyRecovered {
			t.Fatalf("a proxy's page told as back online: %+v", n)
		}
	}
	evs = h.steps(1, probe.ReasonSlow)
	ns := notes(evs)
	if len(ns) != 1 || ns[0].Kind != monitor.NotifyRecovered {
		t.Fatalf("working slowly after the proxy's pages: %v, want back online", kinds(evs))
	}
	if st := h.m.Primary(); st.Level != probe.LevelDegraded || st.Reason != probe.ReasonSlow || !st.OutageStart.IsZero() {
		t.Fatalf("after the slow answer: %+v", st)
	}
}

func TestFlappingNeverConfirmsDown(t *testing.T) {
	h := newHarness(t, testPolicy(), allNotify())
	h.start()
	evs := h.flap(50)
	if contains(levels(evs), probe.LevelDown) || len(notes(evs)) != 0 {
		t.Fatalf("flapping every other check: %d notifications, levels %v", len(notes(evs)), levels(evs))
	}
}

// A server failing every other check stays green by policy, yet uploads
// fail half the time: the state says "unsteady" (a remark, never a colour
// nor a notification), announced by a state event, and drops it once the
// last checks are clean again.
func TestFlappingIsToldAsUnsteadyWithoutNotifying(t *testing.T) {
	h := newHarness(t, testPolicy(), allNotify())
	h.start()
	evs := h.flap(3)
	st := h.m.Primary()
	if !st.Unsteady() || st.Level != probe.LevelUp || st.Recent != (monitor.Tally{Checks: 7, Failures: 3, Episodes: 3}) {
		t.Fatalf("after 3 failures in 7 checks: %s unsteady=%v %+v", st.Level, st.Unsteady(), st.Recent)
	}
	if len(notes(evs)) != 0 {
		t.Fatalf("unsteady notified: %v", notes(evs))
	}
	became, was := 0, false
	for _, e := range evs {
		if e.Kind == monitor.EventState {
			if e.State.Unsteady() && !was {
				became++
			}
			was = e.State.Unsteady()
		}
	}
	if became != 1 || !was {
		t.Fatalf("became unsteady %d times in the state events, want once: %v", became, kinds(evs))
	}
	// Clean checks push the failures out of the window (checks 2, 4 and 6
	// of the 7 so far) one by one.
	h.steps(monitor.UnsteadyWindow-7+1, probe.ReasonOK)
	if st := h.m.Primary(); !st.Unsteady() {
		t.Fatalf("3 failures still among the last %d checks, yet steady: %+v", monitor.UnsteadyWindow, st.Recent)
	}
	evs = h.steps(1, probe.ReasonOK)
	st = h.m.Primary()
	if st.Unsteady() || st.Recent.Failures != 2 || st.Recent.Checks != monitor.UnsteadyWindow {
		t.Fatalf("after clean checks: %+v", st.Recent)
	}
	if !slices.ContainsFunc(evs, func(e monitor.Event) bool { return e.Kind == monitor.EventState && !e.State.Unsteady() }) {
		t.Fatalf("steady again without a state event: %v", kinds(evs))
	}
}

func TestUnsteadyNeedsRepeatedFailuresOfTheServer(t *testing.T) {
	fiveToConfirm := testPolicy()
	fiveToConfirm.FailThreshold = 5
	for _, tc := range []struct {
		name     string
		p        monitor.Policy
		script   []probe.Reason
		want     monitor.Tally
		unsteady bool
	}{
		{"one blip", testPolicy(), []probe.Reason{probe.ReasonTimeout, probe.ReasonOK, probe.ReasonOK},
			monitor.Tally{Checks: 4, Failures: 1, Episodes: 1}, false},
		{"two failures in one run", testPolicy(), []probe.Reason{probe.ReasonConnect, probe.ReasonConnect, probe.ReasonOK},
			monitor.Tally{Checks: 4, Failures: 2, Episodes: 1}, false},
		{"two blips", testPolicy(), []probe.Reason{probe.ReasonTimeout, probe.ReasonOK, probe.ReasonTimeout, probe.ReasonOK},
			monitor.Tally{Checks: 5, Failures: 2, Episodes: 2}, false},
		// A user who raised the threshold accepts longer blips: one is not
		// unsteadiness, however many checks it took.
		{"one long run under a higher threshold", fiveToConfirm, []probe.Reason{
			probe.ReasonConnect, probe.ReasonConnect, probe.ReasonConnect, probe.ReasonConnect, probe.ReasonOK},
			monitor.Tally{Checks: 6, Failures: 4, Episodes: 1}, false},
		{"this PC offline now and then", testPolicy(), []probe.Reason{
			probe.ReasonOffline, probe.ReasonOK, probe.ReasonOffline, probe.ReasonOK, probe.ReasonOffline, probe.ReasonOK},
			monitor.Tally{Checks: 4, Failures: 0, Episodes: 0}, false},
		{"an outage, then its recovery", testPolicy(), []probe.Reason{
			probe.ReasonConnect, probe.ReasonConnect, probe.ReasonConnect, probe.ReasonTimeout, probe.ReasonOK, probe.ReasonOK},
			monitor.Tally{Checks: 1, Failures: 0, Episodes: 0}, false},
		{"a two-check blip and a one-check blip", testPolicy(), []probe.Reason{
			probe.ReasonConnect, probe.ReasonConnect, probe.ReasonOK, probe.ReasonTimeout, probe.ReasonOK},
			monitor.Tally{Checks: 6, Failures: 3, Episodes: 2}, true},
		{"maintenance pages between answers", testPolicy(), []probe.Reason{
			probe.ReasonMaintenance, probe.ReasonOK, probe.ReasonServerError, probe.ReasonOK, probe.ReasonMaintenance, probe.ReasonOK},
			monitor.Tally{Checks: 7, Failures: 3, Episodes: 3}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.p, allNotify())
			h.start()
			for _, r := range tc.script {
				h.steps(1, r)
			}
			st := h.m.Primary()
			if st.Recent != tc.want {
				t.Fatalf("tally %+v, want %+v", st.Recent, tc.want)
			}
			if st.Unsteady() != tc.unsteady || st.Level != probe.LevelUp {
				t.Fatalf("%s unsteady=%v, want up and unsteady=%v", st.Level, st.Unsteady(), tc.unsteady)
			}
		})
	}
}

// After sleep the network needs a moment: those failures are the PC
// waking up, not the server wavering.
func TestFailuresAfterResumeAreNotUnsteadiness(t *testing.T) {
	h := newHarness(t, testPolicy(), allNotify())
	h.start()
	h.steps(1, probe.ReasonTimeout)
	h.steps(1, probe.ReasonOK)
	h.clk.Jump(2 * time.Hour)
	h.chk.Set(primary, probe.ReasonDNS)
	h.step() // resume noticed
	h.steps(2, probe.ReasonDNS)
	h.steps(1, probe.ReasonOK)
	st := h.m.Primary()
	if st.Unsteady() || st.Recent != (monitor.Tally{Checks: 4, Failures: 1, Episodes: 1}) {
		t.Fatalf("after resume: unsteady=%v %+v", st.Unsteady(), st.Recent)
	}
	// Once answered, failures count again.
	h.steps(1, probe.ReasonDNS)
	if st := h.m.Primary(); st.Recent.Failures != 2 {
		t.Fatalf("a failure after the first answer: %+v", st.Recent)
	}
}

func TestFlappingInPairsGivesAtMostOneDownUpPairPerOutage(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	var evs []monitor.Event
	for range 10 { // 3 failures (an outage by the rules), 2 successes (recovered)
		evs = append(evs, h.steps(3, probe.ReasonConnect)...)
		evs = append(evs, h.steps(2, probe.ReasonOK)...)
	}
	ns := notes(evs)
	downs, ups := 0, 0
	for i, n := range ns {
		switch n.Kind {
		case monitor.NotifyDown:
			downs++
		case monitor.NotifyRecovered:
			ups++
		}
		if i > 0 && n.Kind == ns[i-1].Kind {
			t.Fatalf("two %s in a row: %v", n.Kind, kinds(evs))
		}
	}
	if ups != 10 || downs < 1 || downs > 10 {
		t.Fatalf("downs %d ups %d", downs, ups)
	}
	// "At most one per minute except recovery": the downs that came sooner
	// than a minute after the previous one were held, never doubled.
	var lastDown time.Time
	for _, e := range evs {
		if e.Kind == monitor.EventNotify && e.Notification.Kind == monitor.NotifyDown {
			if !lastDown.IsZero() && e.At.Sub(lastDown) < time.Minute {
				t.Fatalf("two downs %v apart", e.At.Sub(lastDown))
			}
			lastDown = e.At
		}
	}
}

func TestOfflineNeverNotifiesDown(t *testing.T) {
	h := newHarness(t, testPolicy(), allNotify())
	h.start()
	evs := h.steps(10, probe.ReasonOffline)
	if h.m.Primary().Level != probe.LevelOffline {
		t.Fatalf("level %s", h.m.Primary().Level)
	}
	for _, n := range notes(evs) {
		if n.Kind == monitor.NotifyDown {
			t.Fatalf("offline notified down: %v", kinds(evs))
		}
	}
	if ns := notes(evs); len(ns) != 1 || ns[0].Kind != monitor.NotifyOffline {
		t.Fatalf("with the offline preference on, want one offline notification: %v", kinds(evs))
	}
	evs = h.steps(2, probe.ReasonOK)
	if ns := notes(evs); len(ns) != 1 || ns[0].Kind != monitor.NotifyOnline {
		t.Fatalf("back online: %v", kinds(evs))
	}
}

func TestOfflineIsSilentByDefault(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	evs := append(h.steps(10, probe.ReasonOffline), h.steps(3, probe.ReasonOK)...)
	if len(notes(evs)) != 0 {
		t.Fatalf("default preferences notified: %v", kinds(evs))
	}
}

func TestOfflineThenDJPDownNotifiesDown(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.steps(3, probe.ReasonOffline)
	evs := h.steps(3, probe.ReasonConnect) // our connection is back, DJP's is not
	if h.m.Primary().Level != probe.LevelDown {
		t.Fatalf("level %s", h.m.Primary().Level)
	}
	if ns := notes(evs); len(ns) != 1 || ns[0].Kind != monitor.NotifyDown {
		t.Fatalf("%v", kinds(evs))
	}
}

func TestDegradedNeedsTwoInARow(t *testing.T) {
	h := newHarness(t, testPolicy(), allNotify())
	h.start()
	evs := h.steps(1, probe.ReasonNotFound)
	if h.m.Primary().Level != probe.LevelUp || len(levels(evs)) != 0 {
		t.Fatalf("one degraded result recoloured: %v", kinds(evs))
	}
	evs = h.steps(1, probe.ReasonNotFound)
	if st := h.m.Primary(); st.Level != probe.LevelDegraded || st.Reason != probe.ReasonNotFound {
		t.Fatalf("two degraded results: %+v", st)
	}
	if ns := notes(evs); len(ns) != 1 || ns[0].Kind != monitor.NotifyDegraded {
		t.Fatalf("%v", kinds(evs))
	}
	h.steps(1, probe.ReasonOK)
	if h.m.Primary().Level != probe.LevelUp {
		t.Fatal("one success does not end degraded")
	}
}

// A first answer that is degraded is re-checked like a failure, and says so
// (the level is not known yet, but a check was made); the repeat decides.
func TestFirstAnswerDegradedIsRechecking(t *testing.T) {
	h := newHarnessWith(t, testPolicy(), allNotify(), func(h *harness) []monitor.Option {
		h.chk.Set(primary, probe.ReasonHTTPStatus)
		return nil
	})
	h.start()
	if st := h.m.Primary(); st.Level != probe.LevelUnknown || !st.Rechecking || st.Last.Reason != probe.ReasonHTTPStatus {
		t.Fatalf("after one degraded first answer: %s rechecking=%v last %s, want unknown, re-checking", st.Level, st.Rechecking, st.Last.Reason)
	}
	if got := h.idle.State.NextCheck.Sub(h.clk.Now()); got != 10*time.Second {
		t.Fatalf("re-check in %v, want 10s", got)
	}
	h.steps(1, probe.ReasonHTTPStatus)
	if st := h.m.Primary(); st.Level != probe.LevelDegraded || st.Rechecking {
		t.Fatalf("after the repeat: %s rechecking=%v, want degraded, settled", st.Level, st.Rechecking)
	}
	// From up, one degraded answer keeps the colour and is no "re-check".
	h.steps(2, probe.ReasonOK)
	h.steps(1, probe.ReasonNotFound)
	if st := h.m.Primary(); st.Level != probe.LevelUp || st.Rechecking {
		t.Fatalf("up, then one degraded answer: %s rechecking=%v", st.Level, st.Rechecking)
	}
}

func TestSlowAfterOutageCountsAsRecovered(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.steps(3, probe.ReasonServerError)
	evs := h.steps(2, probe.ReasonSlow)
	if ns := notes(evs); len(ns) != 1 || ns[0].Kind != monitor.NotifyRecovered {
		t.Fatalf("%v", kinds(evs))
	}
	if st := h.m.Primary(); st.Level != probe.LevelDegraded || st.Reason != probe.ReasonSlow {
		t.Fatalf("%+v", st)
	}
}

func TestBlockedAfterOutageIsToldEvenWithDegradedOff(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.steps(3, probe.ReasonServerError)
	h.steps(2, probe.ReasonServerError) // a minute passes: leave the rate limit behind
	evs := h.steps(2, probe.ReasonHTTPStatus)
	ns := notes(evs)
	if len(ns) != 1 || ns[0].Kind != monitor.NotifyDegraded || !ns[0].FollowUp {
		t.Fatalf("%v", kinds(evs))
	}
	evs = h.steps(1, probe.ReasonOK)
	if ns := notes(evs); len(ns) != 1 || ns[0].Kind != monitor.NotifyRecovered {
		t.Fatalf("outage not closed by up: %v", kinds(evs))
	}
}

func TestSleepResumeDoesNotProduceDown(t *testing.T) {
	h := newHarness(t, testPolicy(), allNotify())
	h.start()
	// The laptop sleeps for 2 hours: its monotonic clock stands still.
	h.clk.Jump(2 * time.Hour)
	// After resume the network needs a moment: two checks fail.
	h.chk.Set(primary, probe.ReasonDNS)
	evs := h.step() // the sleeping timer fires: resume noticed, nothing checked yet
	if len(evs) != 0 || h.chk.Calls(primary) != 1 {
		t.Fatalf("resume: events %v, calls %d", kinds(evs), h.chk.Calls(primary))
	}
	if got := h.idle.State.NextCheck.Sub(h.clk.Now()); got != 5*time.Second {
		t.Fatalf("after resume the check comes after %v, want the 5 s grace", got)
	}
	evs = append(evs, h.steps(2, probe.ReasonDNS)...)
	evs = append(evs, h.steps(1, probe.ReasonOK)...)
	if contains(levels(evs), probe.LevelDown) || len(notes(evs)) != 0 {
		t.Fatalf("sleep produced %v", kinds(evs))
	}
}

func TestSleepDuringACheckDiscardsItAndTheStreak(t *testing.T) {
	h := newHarness(t, testPolicy(), allNotify())
	h.start()
	h.steps(2, probe.ReasonTimeout) // two failures: one more would be "down"
	// The third check hangs while the lid is closed, and times out.
	h.chk.During(func(string) { h.clk.Jump(2 * time.Hour) })
	evs := h.steps(1, probe.ReasonTimeout)
	h.chk.During(nil)
	for _, e := range evs {
		if e.Kind == monitor.EventCheck {
			t.Fatalf("the check spanning the sleep was counted: %v", kinds(evs))
		}
	}
	evs = h.steps(2, probe.ReasonTimeout) // streak restarted: 2 failures again
	if contains(levels(evs), probe.LevelDown) || len(notes(evs)) != 0 {
		t.Fatalf("%v", kinds(evs))
	}
	h.steps(1, probe.ReasonTimeout)
	if h.m.Primary().Level != probe.LevelDown {
		t.Fatal("a real outage after resume must still be caught")
	}
}

func TestSnoozeHoldsNotificationsButLevelsChange(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.snooze(h.clk.Now().Add(time.Hour))
	evs := h.steps(3, probe.ReasonConnect)
	if h.m.Primary().Level != probe.LevelDown {
		t.Fatal("snooze stopped the level from changing")
	}
	if len(notes(evs)) != 0 {
		t.Fatalf("snoozed but notified: %v", kinds(evs))
	}
	// Recovered and down again while snoozed: nothing.
	evs = append(h.steps(2, probe.ReasonOK), h.steps(3, probe.ReasonConnect)...)
	if len(notes(evs)) != 0 {
		t.Fatalf("snoozed but notified: %v", kinds(evs))
	}
	// Still down when the snooze ends: the user hears of it then.
	got := h.stepUntil(t0.Add(62 * time.Minute))
	ns := notes(got)
	if len(ns) != 1 || ns[0].Kind != monitor.NotifyDown {
		t.Fatalf("after snooze: %v", kinds(got))
	}
	var at time.Time
	for _, e := range got {
		if e.Kind == monitor.EventNotify {
			at = e.At
		}
	}
	if at.Before(t0.Add(time.Hour)) || at.After(t0.Add(time.Hour+31*time.Second)) {
		t.Fatalf("held down delivered at %v, want at the end of the snooze", at.Sub(t0))
	}
}

func TestSnoozeOffDeliversHeldDown(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.snooze(h.clk.Now().Add(time.Hour))
	h.steps(3, probe.ReasonConnect)
	evs := h.snooze(time.Time{}) // "nyalakan lagi"
	if ns := notes(evs); len(ns) != 1 || ns[0].Kind != monitor.NotifyDown {
		t.Fatalf("%v", kinds(evs))
	}
}

func TestRecoveryEndingDuringSnoozeIsNotToldLater(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.snooze(h.clk.Now().Add(10 * time.Minute))
	h.steps(3, probe.ReasonConnect)
	h.steps(2, probe.ReasonOK)
	evs := h.stepUntil(t0.Add(20 * time.Minute))
	if len(notes(evs)) != 0 {
		t.Fatalf("%v", kinds(evs))
	}
}

// The "down" notification promises "you will be told when it is back
// online". A user who heard it and then muted notifications (a meeting)
// must still get that news when the mute ends, saying since when, and only
// if it is still true then.
func TestRecoveryDuringSnoozeIsToldAtItsEndWhenDownWasTold(t *testing.T) {
	for _, c := range []struct {
		name  string
		after probe.Reason // the checks from the recovery to the end of the snooze
		want  []monitor.NotifyKind
	}{
		{"still up", probe.ReasonOK, []monitor.NotifyKind{monitor.NotifyRecovered}},
		{"slow now", probe.ReasonSlow, []monitor.NotifyKind{monitor.NotifyRecovered}},
		// Down again by then: what the user was told is true again, and
		// the end of it all will be the news.
		{"down again", probe.ReasonConnect, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, testPolicy(), defaultNotify())
			h.start()
			if ns := notes(h.steps(3, probe.ReasonMaintenance)); len(ns) != 1 || ns[0].Kind != monitor.NotifyDown {
				t.Fatalf("down not told: %+v", ns)
			}
			snoozeEnd := h.clk.Now().Add(time.Hour)
			h.snooze(snoozeEnd)
			h.steps(2, probe.ReasonMaintenance)
			back := h.clk.Now().Add(h.due - h.clk.Monotonic())
			evs := h.steps(2, probe.ReasonOK)
			if h.m.Primary().Level != probe.LevelUp || len(notes(evs)) != 0 {
				t.Fatalf("recovery during the snooze: level %s, told %v", h.m.Primary().Level, kinds(evs))
			}
			h.chk.Set(primary, c.after)
			evs = h.stepUntil(snoozeEnd.Add(2 * time.Minute))
			if got := noteKinds(notes(evs)); !slices.Equal(got, c.want) {
				t.Fatalf("told %v after the snooze, want %v", got, c.want)
			}
			if c.want == nil {
				return
			}
			n := notes(evs)[0]
			if n.Delayed.Before(snoozeEnd) || n.Delayed.After(snoozeEnd.Add(time.Minute)) {
				t.Fatalf("told at %v, want at the end of the snooze %v", n.Delayed, snoozeEnd)
			}
			if n.Kind != monitor.NotifyRecovered {
				return
			}
			if !n.Back.Equal(back) || n.Outage != back.Sub(t0.Add(60*time.Second)) || n.Reason != probe.ReasonMaintenance {
				t.Fatalf("back at %v after %v (%s), want back at %v after %v", n.Back, n.Outage, n.Reason, back, back.Sub(t0.Add(60*time.Second)))
			}
			if n.Result.Reason != c.after {
				t.Fatalf("the late news reports a check of %s, want the latest (%s)", n.Result.Reason, c.after)
			}
		})
	}
}

// Told "down", muted, and the server flaps: back, down again, back. The
// user heard of none of it: one "back online" summarises it all, from the
// start of the outage they were told of. Down again when the mute ends,
// nothing is told (they believe it down, and it is) until it answers again.
func TestFlappingDuringSnoozeIsToldAsOne(t *testing.T) {
	for _, endsDown := range []bool{false, true} {
		t.Run(fmt.Sprintf("ends down %v", endsDown), func(t *testing.T) {
			h := newHarness(t, testPolicy(), defaultNotify())
			h.start()
			if ns := notes(h.steps(3, probe.ReasonMaintenance)); len(ns) != 1 || ns[0].Kind != monitor.NotifyDown {
				t.Fatalf("down not told: %+v", ns)
			}
			first := h.m.Primary().OutageStart
			snoozeEnd := h.clk.Now().Add(time.Hour)
			h.snooze(snoozeEnd)
			evs := h.steps(2, probe.ReasonOK)
			evs = append(evs, h.steps(3, probe.ReasonConnect)...)
			if second := h.m.Primary().OutageStart; h.m.Primary().Level != probe.LevelDown || second.Equal(first) {
				t.Fatalf("no second outage: level %s, start %v", h.m.Primary().Level, second)
			}
			if !endsDown {
				evs = append(evs, h.steps(2, probe.ReasonOK)...)
			}
			if len(notes(evs)) != 0 {
				t.Fatalf("told during the snooze: %v", kinds(evs))
			}
			evs = h.stepUntil(snoozeEnd.Add(2 * time.Minute))
			if endsDown {
				if len(notes(evs)) != 0 {
					t.Fatalf("told again that it is down: %+v", notes(evs))
				}
				evs = h.steps(2, probe.ReasonOK)
			}
			ns := notes(evs)
			if len(ns) != 1 {
				t.Fatalf("after the snooze: %+v", ns)
			}
			n := ns[0]
			if n.Kind != monitor.NotifyRecovered || !n.Start.Equal(first) || n.Outage != n.Back.Sub(first) || n.Reason != probe.ReasonConnect {
				t.Fatalf("late %s: %v from %v back %v (%s); want recovered from %v, cause connect", n.Kind, n.Outage, n.Start, n.Back, n.Reason, first)
			}
		})
	}
}

// The mute ends while the PC is offline in the middle of the second
// outage: nothing is told then, and the "back online" that comes later
// still covers both outages.
func TestFlappingDuringSnoozeThenOfflineIsToldAsOne(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.steps(3, probe.ReasonMaintenance)
	first := h.m.Primary().OutageStart
	snoozeEnd := h.clk.Now().Add(10 * time.Minute)
	h.snooze(snoozeEnd)
	h.steps(2, probe.ReasonOK)
	h.steps(3, probe.ReasonConnect)
	h.chk.Set(primary, probe.ReasonOffline)
	evs := h.stepUntil(snoozeEnd.Add(2 * time.Minute))
	if h.m.Primary().Level != probe.LevelOffline || len(notes(evs)) != 0 {
		t.Fatalf("level %s, told %v", h.m.Primary().Level, kinds(evs))
	}
	ns := notes(h.steps(2, probe.ReasonOK))
	if len(ns) != 1 || ns[0].Kind != monitor.NotifyRecovered || !ns[0].Start.Equal(first) {
		t.Fatalf("after the PC is back: %+v", ns)
	}
}

// "PC ini offline" promises news of the connection's return too.
func TestPCBackOnlineDuringSnoozeIsToldAtItsEnd(t *testing.T) {
	h := newHarness(t, testPolicy(), allNotify())
	h.start()
	if ns := notes(h.steps(3, probe.ReasonOffline)); len(ns) != 1 || ns[0].Kind != monitor.NotifyOffline {
		t.Fatalf("offline not told: %+v", ns)
	}
	snoozeEnd := h.clk.Now().Add(10 * time.Minute)
	h.snooze(snoozeEnd)
	if evs := h.steps(2, probe.ReasonOK); h.m.Primary().Level != probe.LevelUp || len(notes(evs)) != 0 {
		t.Fatalf("level %s, told %v", h.m.Primary().Level, kinds(evs))
	}
	evs := h.stepUntil(snoozeEnd.Add(2 * time.Minute))
	if ns := notes(evs); len(ns) != 1 || ns[0].Kind != monitor.NotifyOnline {
		t.Fatalf("after the snooze: %v", kinds(evs))
	}
}

// Told "down", muted, and the server answers again but not normally (a
// block page): the user hears it when the mute ends.
func TestFollowUpDuringSnoozeIsToldAtItsEnd(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.steps(3, probe.ReasonConnect)
	snoozeEnd := h.clk.Now().Add(10 * time.Minute)
	h.snooze(snoozeEnd)
	if evs := h.steps(2, probe.ReasonUnexpectedContent); h.m.Primary().Level != probe.LevelDegraded || len(notes(evs)) != 0 {
		t.Fatalf("level %s, told %v", h.m.Primary().Level, kinds(evs))
	}
	evs := h.stepUntil(snoozeEnd.Add(2 * time.Minute))
	if ns := notes(evs); len(ns) != 1 || ns[0].Kind != monitor.NotifyDegraded || !ns[0].FollowUp {
		t.Fatalf("after the snooze: %+v", ns)
	}
}

// An agent restarted during an outage told by its previous run owes the
// user the same "back online", snooze or not.
func TestResumedOutageRecoveringDuringSnoozeIsToldAtItsEnd(t *testing.T) {
	open := monitor.OpenOutage{Start: t0.Add(-time.Hour), Reasons: map[probe.Reason]int{probe.ReasonMaintenance: 100},
		Last: probe.Result{CheckedAt: t0.Add(-40 * time.Second), Target: primary, Level: probe.LevelDown, Reason: probe.ReasonMaintenance}}
	h := newHarnessWith(t, testPolicy(), defaultNotify(), func(h *harness) []monitor.Option {
		h.chk.Set(primary, probe.ReasonMaintenance)
		return []monitor.Option{monitor.WithOpenOutages(map[string]monitor.OpenOutage{primary: open})}
	})
	h.start()
	snoozeEnd := h.clk.Now().Add(10 * time.Minute)
	h.snooze(snoozeEnd)
	evs := h.steps(2, probe.ReasonOK)
	after := h.stepUntil(snoozeEnd.Add(2 * time.Minute))
	if len(notes(evs)) != 0 {
		t.Fatalf("told during the snooze: %v", kinds(evs))
	}
	if ns := notes(after); len(ns) != 1 || ns[0].Kind != monitor.NotifyRecovered || ns[0].Outage < time.Hour {
		t.Fatalf("after the snooze: %+v", ns)
	}
}

// An agent restarted during a snooze that held the "down" of an outage
// still open (crash, update, log-off) holds it again: the user hears of the
// outage when the snooze ends, as without the restart, and not twice when it
// was told before the snooze.
func TestResumedOutageHeldBySnooze(t *testing.T) {
	start := t0.Add(-20 * time.Minute)
	snoozeEnd := t0.Add(10 * time.Minute)
	cases := []struct {
		name    string
		held    bool
		prefs   monitor.NotifySettings
		answers bool // the server answers again during the snooze
		want    []monitor.NotifyKind
	}{
		{name: "held, still down at the end", held: true, prefs: defaultNotify(),
			want: []monitor.NotifyKind{monitor.NotifyDown, monitor.NotifyRecovered}},
		{name: "held, over during the snooze", held: true, prefs: defaultNotify(), answers: true},
		{name: "told before the snooze", prefs: defaultNotify(),
			want: []monitor.NotifyKind{monitor.NotifyRecovered}},
		// As without a restart: "back online" is wanted on its own.
		{name: "held, down not wanted", held: true, prefs: monitor.NotifySettings{Recovered: true},
			want: []monitor.NotifyKind{monitor.NotifyRecovered}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			open := monitor.OpenOutage{Start: start, Confirmed: start.Add(time.Minute), Held: c.held,
				Reasons: map[probe.Reason]int{probe.ReasonMaintenance: 30},
				Last:    probe.Result{CheckedAt: t0.Add(-30 * time.Second), Target: primary, Level: probe.LevelDown, Reason: probe.ReasonMaintenance}}
			h := newHarnessWith(t, testPolicy(), c.prefs, func(h *harness) []monitor.Option {
				h.chk.Set(primary, probe.ReasonMaintenance)
				return []monitor.Option{monitor.WithOpenOutages(map[string]monitor.OpenOutage{primary: open}), monitor.WithSnooze(snoozeEnd)}
			})
			during := h.start()
			if c.answers {
				during = append(during, h.steps(2, probe.ReasonOK)...)
			}
			if h.m.Snoozed().IsZero() {
				t.Fatal("snooze given at construction not kept")
			}
			h.quietUntil(snoozeEnd, during)
			after := h.stepUntil(snoozeEnd.Add(time.Minute))
			if !c.answers {
				after = append(after, h.steps(2, probe.ReasonOK)...)
			}
			ns := notes(after)
			if got := noteKinds(ns); !slices.Equal(got, c.want) {
				t.Fatalf("after the snooze: %v, want %v", got, c.want)
			}
			if len(ns) > 0 && ns[0].Kind == monitor.NotifyDown {
				if d := ns[0]; !d.Start.Equal(start) || d.Delayed.Before(snoozeEnd) || d.Reason != probe.ReasonMaintenance {
					t.Fatalf("held down told as %+v", d)
				}
			}
			if len(ns) > 0 {
				if r := ns[len(ns)-1]; r.Kind == monitor.NotifyRecovered && !r.Start.Equal(start) {
					t.Fatalf("recovery told from %v, want %v", r.Start, start)
				}
			}
		})
	}
}

// An agent restarted during a mute after the outage it had told of ended
// (a reboot, an update) still owes the user that "back online": told when
// the mute ends, or covered by the "back online" of an outage that began
// during the mute and is still going on, as without the restart.
func TestOwedRecoveryToldWhenTheSnoozeEnds(t *testing.T) {
	owedStart, owedBack := t0.Add(-40*time.Minute), t0.Add(-25*time.Minute)
	owed := monitor.Notification{Kind: monitor.NotifyRecovered, Target: primary, Reason: probe.ReasonMaintenance,
		Start: owedStart, Back: owedBack, Outage: 15 * time.Minute}
	openStart := t0.Add(-10 * time.Minute)
	snoozeEnd := t0.Add(10 * time.Minute)
	cases := []struct {
		name    string
		open    string // "": none; "held": confirmed during the mute; "told": before it
		prefs   monitor.NotifySettings
		answers bool // the open outage ends during the snooze
		want    []monitor.NotifyKind
		from    time.Time // the first notification's start
	}{
		{name: "up since", prefs: defaultNotify(), want: []monitor.NotifyKind{monitor.NotifyRecovered}, from: owedStart},
		{name: "back online not wanted", prefs: monitor.NotifySettings{Down: true}},
		// Told "down", it still is: one "back online" from the told start.
		{name: "down again, still at the end", open: "held", prefs: defaultNotify(),
			want: []monitor.NotifyKind{monitor.NotifyRecovered}, from: owedStart},
		{name: "down again, over during the snooze", open: "held", prefs: defaultNotify(), answers: true,
			want: []monitor.NotifyKind{monitor.NotifyRecovered}, from: owedStart},
		{name: "the open outage is the one told", open: "told", prefs: defaultNotify(), answers: true,
			want: []monitor.NotifyKind{monitor.NotifyRecovered}, from: openStart},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarnessWith(t, testPolicy(), c.prefs, func(h *harness) []monitor.Option {
				opts := []monitor.Option{monitor.WithOwedRecovery(owed), monitor.WithSnooze(snoozeEnd)}
				if c.open == "" {
					h.chk.Set(primary, probe.ReasonOK)
					return opts
				}
				h.chk.Set(primary, probe.ReasonMaintenance)
				open := monitor.OpenOutage{Start: openStart, Confirmed: openStart.Add(time.Minute), Held: c.open == "held",
					Reasons: map[probe.Reason]int{probe.ReasonMaintenance: 20},
					Last:    probe.Result{CheckedAt: t0.Add(-30 * time.Second), Target: primary, Level: probe.LevelDown, Reason: probe.ReasonMaintenance}}
				return append(opts, monitor.WithOpenOutages(map[string]monitor.OpenOutage{primary: open}))
			})
			during := h.start()
			if c.answers {
				during = append(during, h.steps(2, probe.ReasonOK)...)
			}
			h.quietUntil(snoozeEnd, during)
			after := h.stepUntil(snoozeEnd.Add(time.Minute))
			if c.open == "held" && !c.answers {
				after = append(after, h.steps(2, probe.ReasonOK)...)
			}
			ns := notes(after)
			if got := noteKinds(ns); !slices.Equal(got, c.want) {
				t.Fatalf("after the snooze: %v, want %v", got, c.want)
			}
			if len(ns) == 0 {
				return
			}
			if n := ns[0]; !n.Start.Equal(c.from) || n.Outage != n.Back.Sub(c.from) {
				t.Fatalf("first told: %+v, want from %v", n, c.from)
			}
			if n := ns[0]; c.open == "" && (!n.Back.Equal(owedBack) || n.Outage != owed.Outage) {
				t.Fatalf("owed news told as %+v", n)
			}
		})
	}
}

// The mute ends (here: the user unmutes) just after a restart, while the
// first check, a blip, is re-checked: the level is still unknown. The owed
// "back online" waits for the level to settle instead of being dropped as
// untrue.
func TestOwedRecoveryWaitsForTheFirstSettledLevel(t *testing.T) {
	owed := monitor.Notification{Kind: monitor.NotifyRecovered, Target: primary, Reason: probe.ReasonMaintenance,
		Start: t0.Add(-40 * time.Minute), Back: t0.Add(-25 * time.Minute), Outage: 15 * time.Minute}
	cases := []struct {
		name string
		then probe.Reason // what the checks after the blip answer
		want []monitor.NotifyKind
	}{
		{name: "server answers", then: probe.ReasonOK, want: []monitor.NotifyKind{monitor.NotifyRecovered}},
		{name: "server slow", then: probe.ReasonSlow, want: []monitor.NotifyKind{monitor.NotifyRecovered}},
		// Told "down" before the restart, it is down: nothing new to tell.
		{name: "down again", then: probe.ReasonMaintenance},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarnessWith(t, testPolicy(), defaultNotify(), func(h *harness) []monitor.Option {
				h.chk.Set(primary, probe.ReasonConnect)
				return []monitor.Option{monitor.WithOwedRecovery(owed), monitor.WithSnooze(t0.Add(time.Hour))}
			})
			during := h.start()
			// The user unmutes while the blip is being re-checked.
			if ns := notes(append(during, h.snooze(time.Time{})...)); len(ns) != 0 {
				t.Fatalf("told before the level settled: %+v", ns)
			}
			ns := notes(append(h.steps(3, c.then), h.stepUntil(t0.Add(5*time.Minute))...))
			if got := noteKinds(ns); !slices.Equal(got, c.want) {
				t.Fatalf("after the blip: %v, want %v", got, c.want)
			}
			if len(ns) > 0 && (!ns[0].Back.Equal(owed.Back) || ns[0].Outage != owed.Outage || ns[0].Delayed.IsZero()) {
				t.Fatalf("owed news told as %+v", ns[0])
			}
		})
	}
}

func TestNotificationsAreRateLimitedExceptRecovery(t *testing.T) {
	h := newHarness(t, testPolicy(), allNotify())
	h.start()
	var evs []monitor.Event
	evs = append(evs, h.steps(2, probe.ReasonNotFound)...) // degraded notified
	evs = append(evs, h.steps(3, probe.ReasonConnect)...)  // down within a minute: held
	evs = append(evs, h.stepUntil(t0.Add(5*time.Minute))...)
	var times []time.Time
	var ks []monitor.NotifyKind
	for _, e := range evs {
		if e.Kind == monitor.EventNotify {
			times = append(times, e.At)
			ks = append(ks, e.Notification.Kind)
		}
	}
	if len(ks) != 2 || ks[0] != monitor.NotifyDegraded || ks[1] != monitor.NotifyDown {
		t.Fatalf("notifications %v", ks)
	}
	if gap := times[1].Sub(times[0]); gap < time.Minute {
		t.Fatalf("down came %v after degraded", gap)
	}
	// Recovery is never held.
	evs = h.steps(2, probe.ReasonOK)
	if ns := notes(evs); len(ns) != 1 || ns[0].Kind != monitor.NotifyRecovered {
		t.Fatalf("recovery: %v", kinds(evs))
	}
}

func TestCheckNowSpamMakesAtMostOneCheckPer3s(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start() // check #1 at t=0
	h.clk.Advance(time.Second)
	var replies []<-chan probe.Result
	for range 100 {
		replies = append(replies, h.m.CheckNow())
	}
	h.untilIdle() // re-planned: the requests are merged into one check at t=3s
	if got := h.idle.State.NextCheck.Sub(t0); got != 3*time.Second {
		t.Fatalf("requested check planned at +%v, want +3s", got)
	}
	if h.chk.Calls(primary) != 1 {
		t.Fatalf("checks before the gap: %d", h.chk.Calls(primary))
	}
	h.step()
	if h.chk.Calls(primary) != 2 {
		t.Fatalf("checks: %d, want 2", h.chk.Calls(primary))
	}
	for _, r := range replies {
		select {
		case res := <-r:
			if res.Reason != probe.ReasonOK {
				t.Fatal(res.Reason)
			}
		default:
			t.Fatal("a check-now caller got no result")
		}
	}
	// 100 more right after a check: again one, 3 s later.
	for range 100 {
		h.m.CheckNow()
	}
	h.untilIdle()
	h.step()
	if h.chk.Calls(primary) != 3 || h.clk.Now().Sub(t0) != 6*time.Second {
		t.Fatalf("calls %d at +%v", h.chk.Calls(primary), h.clk.Now().Sub(t0))
	}
}

func TestCheckNowLongAfterACheckRunsAtOnce(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.clk.Advance(30 * time.Second)
	reply := h.m.CheckNow()
	evs := h.untilIdle()
	if len(evs) == 0 || evs[0].Kind != monitor.EventCheck || h.chk.Calls(primary) != 2 {
		t.Fatalf("%v calls %d", kinds(evs), h.chk.Calls(primary))
	}
	if res := <-reply; res.CheckedAt != t0.Add(30*time.Second) {
		t.Fatalf("reply from %v", res.CheckedAt)
	}
	if got := h.idle.State.NextCheck.Sub(h.clk.Now()); got != time.Minute {
		t.Fatalf("after a requested check the schedule restarts: next in %v", got)
	}
}

func TestCheckNowJoinsARunningCheck(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	entered, release := h.chk.Block()
	h.clk.Advance(h.due - h.clk.Monotonic()) // check #2 starts and blocks
	<-entered
	reply := h.m.CheckNow()
	release()
	h.untilIdle()
	if res := <-reply; res.CheckedAt != t0.Add(time.Minute) {
		t.Fatalf("joined result from %v", res.CheckedAt)
	}
	h.clk.Advance(10 * time.Second)
	if h.chk.Calls(primary) != 2 {
		t.Fatalf("joining started another check: %d calls", h.chk.Calls(primary))
	}
}

func TestIntervalsUnder10sOnlyForLoopback(t *testing.T) {
	p := testPolicy()
	p.Interval, p.Recheck, p.DownInterval = time.Second, time.Second, time.Second
	chk := probetest.NewChecker(probetest.NewClock(t0))
	_, err := monitor.New(monitor.Config{Targets: []probe.Target{{ID: primary, URL: settings.DefaultURL}}, Checker: chk, Policy: p}, nil)
	if !errors.Is(err, monitor.ErrTooFrequent) {
		t.Fatalf("remote target with 1 s interval: %v", err)
	}
	for _, u := range []string{"http://127.0.0.1:8080/svc", "http://localhost/svc", "http://[::1]:80/"} {
		if _, err := monitor.New(monitor.Config{Targets: []probe.Target{{ID: primary, URL: u}}, Checker: chk, Policy: p}, nil); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
}

func TestJitterStaysWithinTenPercent(t *testing.T) {
	for _, r := range []float64{0, 0.25, 0.999} {
		p := monitor.DefaultPolicy()
		clk := probetest.NewClock(t0)
		chk := probetest.NewChecker(clk)
		waits := make(chan monitor.Event, 10)
		m, _ := monitor.New(monitor.Config{Targets: []probe.Target{{ID: primary, URL: settings.DefaultURL}}, Checker: chk, Policy: p},
			func(e monitor.Event) {
				if e.Kind == monitor.EventWait {
					waits <- e
				}
			}, monitor.WithClock(clk), monitor.WithRand(func() float64 { return r }))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { m.Run(ctx); close(done) }()
		e := <-waits
		got := e.State.NextCheck.Sub(t0)
		want := time.Duration(float64(time.Minute) * (0.9 + 0.2*r))
		if got != want || got < 54*time.Second || got > 66*time.Second {
			t.Errorf("rand %v: wait %v, want %v within ±10%%", r, got, want)
		}
		cancel()
		<-done
	}
}

func TestReconfigureKeepsAnOpenOutage(t *testing.T) {
	h := newHarness(t, testPolicy(), defaultNotify())
	h.start()
	h.steps(3, probe.ReasonConnect)
	p := testPolicy()
	p.DownInterval = 45 * time.Second
	h.reconfigure(p)
	if st := h.m.Primary(); st.Level != probe.LevelDown || st.OutageStart.IsZero() {
		t.Fatalf("reconfigure lost the outage: %+v", st)
	}
	evs := h.steps(2, probe.ReasonOK)
	if ns := notes(evs); len(ns) != 1 || ns[0].Kind != monitor.NotifyRecovered {
		t.Fatalf("%v", kinds(evs))
	}
}

func TestSecondaryTargetsHaveTheirOwnLevelAndNeverNotify(t *testing.T) {
	targets := []probe.Target{
		{ID: primary, URL: settings.DefaultURL, Expect: probe.ExpectWSDL},
		{ID: "enofa", URL: settings.EnofaURL, Expect: probe.ExpectPage},
	}
	h := newHarness(t, testPolicy(), allNotify(), targets...)
	h.chk.Set("enofa", probe.ReasonServerError)
	h.start()
	// Each step moves the clock past e-Nofa's next check (10 s re-check,
	// 30 s while down, both under the primary's 60 s); the clock moves only
	// once e-Nofa is parked with its timer set, so none of its checks is
	// skipped by a goroutine scheduled late.
	secondaryParked := func() {
		t.Helper()
		select {
		case <-h.secondaryWaits:
		case <-time.After(10 * time.Second): // a safety net, never a synchroniser
			t.Fatal("e-Nofa never came to wait")
		}
	}
	secondaryParked()
	for range 10 {
		h.step()
		secondaryParked()
	}
	if n := h.chk.Calls("enofa"); n != 11 {
		t.Errorf("e-Nofa checked %d times in 10 steps after the first, want 11", n)
	}
	sts := h.m.States()
	if len(sts) != 2 || sts[0].Level != probe.LevelUp || sts[1].Target != "enofa" || sts[1].Level != probe.LevelDown {
		t.Fatalf("states %+v", sts)
	}
	for _, e := range h.all {
		if e.Kind == monitor.EventNotify {
			t.Fatalf("secondary notified: %+v", e.Notification)
		}
	}
}

func TestRemoteSecondaryTargetsAreNeverCheckedFasterThan10s(t *testing.T) {
	p := testPolicy()
	p.Interval, p.Recheck, p.DownInterval = time.Second, 200*time.Millisecond, 500*time.Millisecond
	targets := []probe.Target{
		{ID: primary, URL: "http://127.0.0.1:8080/svc?wsdl", Expect: probe.ExpectWSDL},
		{ID: "coretax", URL: settings.DefaultCoretaxURL, Expect: probe.ExpectPage},
	}
	clk := probetest.NewClock(t0)
	chk := probetest.NewChecker(clk)
	waits := make(chan monitor.Event, 100)
	m, err := monitor.New(monitor.Config{Targets: targets, Checker: chk, Policy: p},
		func(e monitor.Event) {
			if e.Kind == monitor.EventWait {
				waits <- e
			}
		}, monitor.WithClock(clk), monitor.WithRand(func() float64 { return 0.5 }))
	if err != nil {
		t.Fatalf("a local primary with a remote secondary was refused: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	got := map[string]time.Duration{}
	for len(got) < 2 {
		e := <-waits
		got[e.Target] = e.State.NextCheck.Sub(e.At)
	}
	if got[primary] != time.Second || got["coretax"] != 10*time.Second {
		t.Fatalf("waits %v: the local primary keeps its 1 s, the remote secondary gets 10 s", got)
	}
}

// An agent restarted during an outage (update, log-off, crash) takes it up
// from history: no second "down", recovery still needs two answers, and the
// recovery tells the whole outage, not the minutes since the restart.
func TestRestartMidOutageResumesTheOpenOutage(t *testing.T) {
	start := t0.Add(-time.Hour)
	open := monitor.OpenOutage{Start: start, Reasons: map[probe.Reason]int{probe.ReasonMaintenance: 100, probe.ReasonTimeout: 3},
		Last: probe.Result{CheckedAt: t0.Add(-40 * time.Second), Target: primary, Level: probe.LevelDown, Reason: probe.ReasonTimeout}}
	cases := []struct {
		name   string
		resume bool
		outage time.Duration // told in the recovery notification
	}{
		// t0, +30 s, +60 s maintenance; +90 s and +100 s answer.
		{"resumed", true, time.Hour + 90*time.Second},
		// Without the history the restart looks like a new outage: it is
		// confirmed and announced again (t0, +10 s, +20 s), and its length
		// counts from the restart (answers at +50 s and +60 s).
		{"fresh", false, 50 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarnessWith(t, testPolicy(), defaultNotify(), func(h *harness) []monitor.Option {
				h.chk.Set(primary, probe.ReasonMaintenance)
				if !c.resume {
					return nil
				}
				return []monitor.Option{monitor.WithOpenOutages(map[string]monitor.OpenOutage{primary: open, "gone": open})}
			})
			// The first check runs at once; what it sees says nothing
			// about the state before it, so read the state from the events.
			evs := h.start() // t0: still in maintenance
			if c.resume {
				for _, l := range levels(evs) {
					if l != probe.LevelDown {
						t.Fatalf("resumed outage changed level on its first failing check: %v", kinds(evs))
					}
				}
				if st := h.m.Primary(); st.Level != probe.LevelDown || st.Since != start || st.OutageStart != start || st.Reason != probe.ReasonMaintenance {
					t.Fatalf("resumed state %+v", st)
				}
				if got := h.idle.State.NextCheck.Sub(t0); got != 30*time.Second {
					t.Fatalf("next check of a resumed outage in %v, want the down interval", got)
				}
			}
			evs = append(evs, h.steps(2, probe.ReasonMaintenance)...)
			ns := notes(evs)
			if c.resume && len(ns) != 0 {
				t.Fatalf("resumed outage announced again: %+v", ns)
			}
			if !c.resume && (len(ns) != 1 || ns[0].Kind != monitor.NotifyDown) {
				t.Fatalf("fresh start: notifications %v", kinds(evs))
			}
			evs = h.steps(1, probe.ReasonOK)
			if st := h.m.Primary(); st.Level != probe.LevelDown || len(notes(evs)) != 0 {
				t.Fatalf("one answer ended the outage: %+v %v", st, kinds(evs))
			}
			evs = h.steps(1, probe.ReasonOK)
			ns = notes(evs)
			if len(ns) != 1 || ns[0].Kind != monitor.NotifyRecovered || ns[0].Reason != probe.ReasonMaintenance {
				t.Fatalf("recovery notifications %+v", ns)
			}
			if ns[0].Outage != c.outage {
				t.Fatalf("outage told as %v, want %v", ns[0].Outage, c.outage)
			}
		})
	}
}

// Settings saved as the agent quits: a Reconfigure racing the end of Run
// starts no loop that Run's wait would miss (run under -race).
func TestReconfigureRacingTheEndOfRun(t *testing.T) {
	for i := range 20 {
		h := newHarness(t, testPolicy(), defaultNotify())
		h.start()
		done := make(chan struct{})
		go func() {
			defer close(done)
			for j := range 50 {
				url := fmt.Sprintf("%s&n=%d-%d", settings.DefaultURL, i, j) // a new address: a new loop
				_ = h.m.Reconfigure(monitor.Config{Targets: []probe.Target{{ID: primary, URL: url, Expect: probe.ExpectWSDL}},
					Checker: h.chk, Policy: testPolicy(), Notify: defaultNotify()})
			}
		}()
		h.stop()
		<-done
	}
}

// Two services in use: each is told by name, with its own "down" and "back
// online"; this PC going offline is told once, not once per service, and a
// mute holds both.
func TestEachServiceInUseIsToldByName(t *testing.T) {
	clk := probetest.NewClock(t0)
	chk := probetest.NewChecker(clk)
	events := make(chan monitor.Event, 100000)
	targets := []probe.Target{{ID: primary, URL: settings.DefaultURL, Expect: probe.ExpectWSDL},
		{ID: "coretax", URL: settings.DefaultCoretaxURL, Expect: probe.ExpectCoretax}}
	m, err := monitor.New(monitor.Config{Targets: targets, Services: 2, Checker: chk, Policy: testPolicy(), Notify: allNotify()},
		func(e monitor.Event) { events <- e }, monitor.WithClock(clk), monitor.WithRand(func() float64 { return 0.5 }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	var told []string
	pacer := probetest.NewPacer(clk, 2)
	play := func(d time.Duration) { // d of fake time
		t.Helper()
		end := clk.Now().Add(d)
		safety := time.After(10 * time.Second) // a safety net, never a synchroniser
		for !pacer.Advance(end) {
			select {
			case e := <-events:
				switch e.Kind {
				case monitor.EventCheck:
					pacer.Checked(e.Target)
				case monitor.EventNotify:
					told = append(told, e.Target+" "+string(e.Notification.Kind))
				case monitor.EventWait:
					pacer.Waits(e.Target, e.State.NextCheck)
				}
			case <-safety:
				t.Fatalf("stalled at %v; told %v", clk.Now().Sub(t0), told)
			}
		}
	}
	play(2 * time.Minute)
	chk.Set("coretax", probe.ReasonServerError)
	play(3 * time.Minute)
	if st := m.States(); st[0].Level != probe.LevelUp || st[1].Level != probe.LevelDown {
		t.Fatalf("states %+v", st)
	}
	chk.Set("coretax", probe.ReasonOK)
	play(3 * time.Minute)
	if want := []string{"coretax down", "coretax recovered"}; !slices.Equal(told, want) {
		t.Fatalf("told %v, want %v", told, want)
	}

	told = nil
	chk.Set(primary, probe.ReasonOffline)
	chk.Set("coretax", probe.ReasonOffline)
	play(3 * time.Minute)
	chk.Set(primary, probe.ReasonOK)
	chk.Set("coretax", probe.ReasonOK)
	play(3 * time.Minute)
	if want := []string{"efaktur offline", "efaktur online"}; !slices.Equal(told, want) {
		t.Fatalf("this PC offline: told %v, want %v", told, want)
	}

	// Muted: Coretax's outage, over before the mute ends, is not told.
	told = nil
	m.SetSnooze(clk.Now().Add(time.Hour))
	chk.Set("coretax", probe.ReasonServerError)
	play(3 * time.Minute)
	chk.Set("coretax", probe.ReasonOK)
	play(3 * time.Minute)
	if len(told) != 0 {
		t.Fatalf("muted: told %v", told)
	}
}
