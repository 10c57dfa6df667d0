// Package supervise keeps the tray agent running through a crash. The
// agent is the only thing between the user and a missed outage, and a
// crash (a bug of ours or of a tray/D-Bus library) would otherwise end the
// monitoring silently: on Windows a dead program's icon stays in the
// notification area until the mouse passes over it. So `pantau-efaktur`
// starts the agent as its own child and starts it again when it crashed,
// a few times at most. The parent does nothing else: it waits, costing no
// CPU and a few MB.
//
// A crash is told apart from an ordinary end by the crash report the
// runtime writes (see applog.CaptureCrashes): quitting from the menu, a
// second launch handing over to the running agent, or the user ending the
// process are not restarted.
package supervise

import (
	"log/slog"
	"time"
)

// Env marks the agent process started by the supervisor (which then runs
// the agent itself instead of supervising again).
const Env = "PANTAU_EFAKTUR_SUPERVISED"

// Policy bounds restarts, so that an agent crashing at every start does
// not start (and check DJP) in a loop.
type Policy struct {
	MaxRestarts int           // restarts allowed within Window
	Window      time.Duration // the period MaxRestarts counts over
	Backoff     time.Duration // wait before a restart
}

// DefaultPolicy allows three restarts in ten minutes, two seconds apart.
func DefaultPolicy() Policy {
	return Policy{MaxRestarts: 3, Window: 10 * time.Minute, Backoff: 2 * time.Second}
}

// Child is one run of the agent.
type Child interface {
	// Run starts the agent and waits for its end; code is its exit code,
	// stopped reports that the supervisor passed it a stop signal.
	Run() (code int, stopped bool, err error)
}

// Loop runs child until it ends without a crash and returns its exit code;
// gaveUp reports that it kept crashing and was not started again (the
// caller tells the user: no icon, no monitoring). crashed reports whether
// the run that just ended left a crash report. now and sleep are the clock
// (tests pass fakes).
func Loop(child Child, crashed func() bool, p Policy, now func() time.Time, sleep func(time.Duration)) (code int, gaveUp bool) {
	var restarts []time.Time
	for {
		code, stopped, err := child.Run()
		if err != nil {
			slog.Error("agent not started", "err", err)
			return 1, false
		}
		if stopped || !crashed() {
			return code, false
		}
		t := now()
		recent := restarts[:0]
		for _, r := range restarts {
			if t.Sub(r) < p.Window {
				recent = append(recent, r)
			}
		}
		restarts = recent
		if len(restarts) >= p.MaxRestarts {
			slog.Error("agent keeps crashing: not started again", "restarts", len(restarts), "within", p.Window, "code", code)
			return code, true
		}
		restarts = append(restarts, t)
		slog.Warn("agent crashed: starting it again", "code", code, "restart", len(restarts), "after", p.Backoff)
		sleep(p.Backoff)
	}
}
