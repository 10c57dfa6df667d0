// Package probetest has test doubles for the probe package: a fake clock
// and a scripted checker, shared by the probe, cli and ui tests.
package probetest

import (
	"sort"
	"sync"
	"time"
)

// Clock is a fake monitor.Clock. Time only moves when the test says so.
type Clock struct {
	mu      sync.Mutex
	wall    time.Time
	mono    time.Duration
	waiters []waiter
}

type waiter struct {
	at time.Duration
	ch chan time.Time
}

// NewClock returns a fake clock showing wall time start.
func NewClock(start time.Time) *Clock { return &Clock{wall: start} }

// Now is the fake wall clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall
}

// Monotonic is the fake monotonic clock.
func (c *Clock) Monotonic() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mono
}

// Until returns a channel that receives when Advance reaches the monotonic
// deadline, at once if it already has.
func (c *Clock) Until(deadline time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if deadline <= c.mono {
		ch <- c.wall
		return ch
	}
	c.waiters = append(c.waiters, waiter{at: deadline, ch: ch})
	return ch
}

// Advance moves both clocks forward by d, firing every timer due, in order.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mono += d
	c.wall = c.wall.Add(d)
	sort.Slice(c.waiters, func(i, j int) bool { return c.waiters[i].at < c.waiters[j].at })
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at <= c.mono {
			w.ch <- c.wall
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

// Jump moves only the wall clock: what a laptop sees after sleeping (its
// monotonic clock stood still) or when someone sets the PC clock.
func (c *Clock) Jump(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wall = c.wall.Add(d)
}
