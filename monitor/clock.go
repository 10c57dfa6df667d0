package monitor

import "time"

// Clock is the monitor's view of time. Two clocks, because sleep/resume and
// wall-clock jumps are told apart by comparing them: the wall clock (what
// the user sees, what history records) and a monotonic clock that drives the
// timers and stops while the PC sleeps.
type Clock interface {
	Now() time.Time           // wall clock
	Monotonic() time.Duration // since an arbitrary origin
	// Until fires once Monotonic() reaches deadline. A deadline, not a
	// duration: the monitor computes it from the time it read, so a clock
	// that moves before the timer is armed cannot make the timer late.
	Until(deadline time.Duration) <-chan time.Time
}

// awakeTime, where a platform provides it, reads a clock that counts only
// the time the PC was awake (clock_windows.go). Without it, Go's monotonic
// clock is used: on Linux it stops during suspend, as needed.
var awakeTime func() (time.Duration, bool)

// RealClock returns the system clocks.
func RealClock() Clock {
	c := realClock{origin: time.Now(), awake: awakeTime}
	if c.awake != nil {
		if d, ok := c.awake(); ok {
			c.awakeOrigin = d
		} else {
			c.awake = nil
		}
	}
	return c
}

type realClock struct {
	origin      time.Time
	awake       func() (time.Duration, bool)
	awakeOrigin time.Duration
}

func (realClock) Now() time.Time { return time.Now() }

func (c realClock) Monotonic() time.Duration {
	if c.awake != nil {
		if d, ok := c.awake(); ok {
			return d - c.awakeOrigin
		}
	}
	return time.Since(c.origin)
}

// Until uses Go's timers. Where they count suspended time (Windows), a
// timer is simply overdue after resume; the monitor then compares the
// clocks and sees the sleep.
func (c realClock) Until(deadline time.Duration) <-chan time.Time {
	return time.After(deadline - c.Monotonic())
}
