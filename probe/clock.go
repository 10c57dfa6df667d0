package probe

import "time"

// Clock is the monitor's view of time. Two clocks, because sleep/resume and
// wall-clock jumps are told apart by comparing them: the wall clock (what
// the user sees, what history records) and a monotonic clock that drives the
// timers and, on Linux, stops while the PC sleeps.
type Clock interface {
	Now() time.Time                         // wall clock
	Monotonic() time.Duration               // since an arbitrary origin
	After(d time.Duration) <-chan time.Time // fires after d of monotonic time
}

// RealClock returns the system clocks.
func RealClock() Clock { return realClock{origin: time.Now()} }

type realClock struct{ origin time.Time }

func (realClock) Now() time.Time                         { return time.Now() }
func (c realClock) Monotonic() time.Duration             { return time.Since(c.origin) }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
