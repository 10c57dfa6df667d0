package supervise

import (
	"errors"
	"testing"
	"time"
)

// run is one scripted end of the agent.
type run struct {
	code    int
	stopped bool
	crash   bool // it left a crash report
}

type scripted struct {
	runs  []run
	n     int
	crash bool
	clock *time.Time
	every time.Duration // the clock moves this much per run
}

func (s *scripted) Run() (int, bool, error) {
	if s.n >= len(s.runs) {
		return 0, false, errors.New("started more often than scripted")
	}
	r := s.runs[s.n]
	s.n++
	s.crash = r.crash
	*s.clock = s.clock.Add(s.every)
	return r.code, r.stopped, nil
}

func TestLoop(t *testing.T) {
	crash := run{code: 2, crash: true}
	for _, tc := range []struct {
		name     string
		runs     []run
		every    time.Duration
		wantRuns int
		wantCode int
		gaveUp   bool
	}{
		{"quit from the menu", []run{{code: 0}}, time.Hour, 1, 0, false},
		{"second launch hands over", []run{{code: 0}}, time.Second, 1, 0, false},
		{"usage error", []run{{code: 64}}, time.Second, 1, 64, false},
		// Ended from the task manager (killed): no report, not restarted.
		{"killed by the user", []run{{code: 1}}, time.Hour, 1, 1, false},
		{"a crash is restarted", []run{crash, {code: 0}}, time.Hour, 2, 0, false},
		{"crashes far apart are each restarted", []run{crash, crash, crash, crash, crash, {code: 0}}, time.Hour, 6, 0, false},
		// Crashing at every start: three restarts, then it stays down
		// rather than start (and check DJP) in a loop.
		{"a crash loop ends", []run{crash, crash, crash, crash, crash}, time.Second, 4, 2, true},
		// Stopped by the session ending, it may exit in any way.
		{"stop signal passed on", []run{{code: 2, crash: true, stopped: true}}, time.Second, 1, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
			child := &scripted{runs: tc.runs, clock: &now, every: tc.every}
			var slept []time.Duration
			code, gaveUp := Loop(child, func() bool { return child.crash }, DefaultPolicy(),
				func() time.Time { return now }, func(d time.Duration) { slept = append(slept, d) })
			if code != tc.wantCode || child.n != tc.wantRuns || gaveUp != tc.gaveUp {
				t.Fatalf("exit %d after %d runs (gave up: %v), want %d after %d (%v)", code, child.n, gaveUp, tc.wantCode, tc.wantRuns, tc.gaveUp)
			}
			if len(slept) != tc.wantRuns-1 {
				t.Errorf("waited %d times before restarts, want %d", len(slept), tc.wantRuns-1)
			}
			for _, d := range slept {
				if d != DefaultPolicy().Backoff {
					t.Errorf("restart after %v", d)
				}
			}
		})
	}
}

type failing struct{}

func (failing) Run() (int, bool, error) { return 0, false, errors.New("no such file") }

func TestLoopReportsAnAgentThatCannotStart(t *testing.T) {
	if code, gaveUp := Loop(failing{}, func() bool { return true }, DefaultPolicy(), time.Now, func(time.Duration) {}); code != 1 || gaveUp {
		t.Fatalf("exit %d, gave up %v", code, gaveUp)
	}
}
