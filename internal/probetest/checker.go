package probetest

import (
	"context"
	"sync"
	"time"

	"pantau-efaktur/probe"
)

// Checker is a scripted monitor.Checker: each target answers with the reason
// last set for it (ok by default), stamped with the fake clock.
type Checker struct {
	Clock *Clock

	mu      sync.Mutex
	reasons map[string]probe.Reason
	status  map[string]int           // HTTP status to report, when set
	retry   map[string]time.Duration // Retry-After to report, when set
	calls   map[string]int
	during  func(target string) // runs inside Check (to simulate time passing)
	block   chan struct{}       // when set, Check waits on it
	entered chan struct{}       // receives when a blocked Check starts waiting
}

// NewChecker returns a checker answering ok for every target.
func NewChecker(c *Clock) *Checker {
	return &Checker{Clock: c, reasons: map[string]probe.Reason{}, calls: map[string]int{},
		status: map[string]int{}, retry: map[string]time.Duration{}}
}

// SetAnswer makes target answer with reason, HTTP status and the pause a
// server asks for (Retry-After; 0 for none) from now on.
func (c *Checker) SetAnswer(target string, reason probe.Reason, status int, retryAfter time.Duration) {
	c.mu.Lock()
	c.reasons[target], c.status[target], c.retry[target] = reason, status, retryAfter
	c.mu.Unlock()
}

// Set makes target answer with reason from now on.
func (c *Checker) Set(target string, reason probe.Reason) {
	c.SetAnswer(target, reason, 0, 0)
}

// During runs f inside every Check call (nil to stop).
func (c *Checker) During(f func(target string)) {
	c.mu.Lock()
	c.during = f
	c.mu.Unlock()
}

// Block makes checks wait until release is called; entered receives once
// per check that starts waiting.
func (c *Checker) Block() (entered <-chan struct{}, release func()) {
	ch := make(chan struct{})
	in := make(chan struct{}, 100)
	c.mu.Lock()
	c.block, c.entered = ch, in
	c.mu.Unlock()
	var once sync.Once
	return in, func() {
		once.Do(func() {
			c.mu.Lock()
			c.block = nil
			c.mu.Unlock()
			close(ch)
		})
	}
}

// Calls is how many checks target got.
func (c *Checker) Calls(target string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[target]
}

// Check implements monitor.Checker.
func (c *Checker) Check(ctx context.Context, t probe.Target) probe.Result {
	c.mu.Lock()
	c.calls[t.ID]++
	reason, ok := c.reasons[t.ID]
	if !ok {
		reason = probe.ReasonOK
	}
	during, block, entered := c.during, c.block, c.entered
	status, retry := c.status[t.ID], c.retry[t.ID]
	c.mu.Unlock()
	at := c.Clock.Now()
	if block != nil {
		entered <- struct{}{}
		select {
		case <-block:
		case <-ctx.Done():
			return probe.Result{Target: t.ID, URL: t.URL, Reason: probe.ReasonCanceled, Level: probe.LevelUnknown}
		}
	}
	if during != nil {
		during(t.ID)
	}
	r := probe.Result{Target: t.ID, URL: t.URL, Level: reason.Level(), Reason: reason, CheckedAt: at,
		Phases: probe.Phases{Total: 120 * time.Millisecond}}
	if reason == probe.ReasonOffline {
		r.Cause = probe.ReasonConnect
	}
	if r.Level == probe.LevelUp || r.Level == probe.LevelDegraded {
		r.HTTPStatus = 200
	}
	if status != 0 {
		r.HTTPStatus = status
	}
	r.RetryAfter = retry
	return r
}
