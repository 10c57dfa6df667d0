package history_test

import (
	"pantau-efaktur/history"
	"pantau-efaktur/monitor"
	"testing"
	"time"

	"pantau-efaktur/probe"
)

// The "back online" a run owed when it stopped during a mute is found in
// its history: only for an outage told before the mute that it saw end
// during the mute, covering the flaps after it.
func TestOwedRecovery(t *testing.T) {
	minute := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	for _, c := range []struct {
		name      string
		checks    string
		mutedFrom int  // minute
		takenUp   bool // the outage the history ends in is taken up
		owed      bool
		start     int
		back      int
		outage    time.Duration
	}{
		{name: "told, then over during the mute", checks: "UUDDDDDUUUU", mutedFrom: 5,
			owed: true, start: 2, back: 7, outage: 5 * time.Minute},
		{name: "over before the mute: told then", checks: "UUDDDDDUUUU", mutedFrom: 8},
		{name: "confirmed during the mute: never told", checks: "UUDDDDDUUUU", mutedFrom: 3},
		// One summary, from the told outage's start to the last answer again.
		{name: "flapped during the mute", checks: "UUDDDDUUDDDUUU", mutedFrom: 5,
			owed: true, start: 2, back: 11, outage: 9 * time.Minute},
		{name: "down again, taken up", checks: "UUDDDDUUDDDD", mutedFrom: 5, takenUp: true,
			owed: true, start: 2, back: 6, outage: 4 * time.Minute},
		{name: "down again, too old to take up", checks: "UUDDDDUUDDDD", mutedFrom: 5},
		{name: "down again when the app stopped", checks: "UUDDDDUUDDD.......UU", mutedFrom: 5},
		{name: "the app stopped during the told outage", checks: "UUDDDD.......UUU", mutedFrom: 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := history.Summarize(minuteChecks(c.checks), minute(len(c.checks)), history.StatsOptions{})
			n, owed := history.OwedRecovery(st.Outages, primary, minute(c.mutedFrom), c.takenUp)
			if owed != c.owed {
				t.Fatalf("owed %v (%+v), want %v; outages %+v", owed, n, c.owed, st.Outages)
			}
			if !owed {
				return
			}
			if n.Kind != monitor.NotifyRecovered || n.Target != primary || !n.Start.Equal(minute(c.start)) || !n.Back.Equal(minute(c.back)) ||
				n.Outage != c.outage || n.Reason != probe.ReasonMaintenance {
				t.Fatalf("owed %+v, want start %d back %d outage %v", n, c.start, c.back, c.outage)
			}
		})
	}
}
