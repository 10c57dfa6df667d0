package monitor

import (
	"testing"
	"time"
)

// Where the platform has an awake-only clock (Windows), the monitor's
// monotonic time follows it: a sleep then shows as the wall clock running
// ahead, as on Linux.
func TestRealClockFollowsTheAwakeClock(t *testing.T) {
	old := awakeTime
	t.Cleanup(func() { awakeTime = old })
	awake := 5 * time.Hour
	awakeTime = func() (time.Duration, bool) { return awake, true }
	c := RealClock()
	if got := c.Monotonic(); got != 0 {
		t.Fatalf("monotonic at start %v, want 0", got)
	}
	awake += 90 * time.Second // awake time passes; the PC sleeps for an hour meanwhile
	if got := c.Monotonic(); got != 90*time.Second {
		t.Fatalf("monotonic %v, want 90s of awake time", got)
	}

	// A platform clock that fails at start is not used at all.
	awakeTime = func() (time.Duration, bool) { return 0, false }
	c = RealClock()
	before := c.Monotonic()
	if after := c.Monotonic(); after < before {
		t.Fatalf("fallback monotonic went back: %v then %v", before, after)
	}
	if c.(realClock).awake != nil {
		t.Fatal("a failing awake clock was kept")
	}
}
