package history

import (
	"math"
	"pantau-efaktur/probe"
	"sort"
	"time"
)

// Outage is a confirmed outage found in history.
type Outage struct {
	Start     time.Time
	End       time.Time    // zero while ongoing
	Reason    probe.Reason // most frequent reason
	Checks    int
	Ongoing   bool
	Confirmed time.Time // its FailThreshold-th down check: when "down" was decided
	// Unseen: the app stopped during the outage (a gap in the history); End
	// is its last down check, not a recovery anyone saw.
	Unseen bool
}

// Duration of the outage (until now if ongoing).
func (o Outage) Duration(now time.Time) time.Duration {
	if o.Ongoing {
		return now.Sub(o.Start)
	}
	return o.End.Sub(o.Start)
}

// Stats summarises history for the status window.
type Stats struct {
	Uptime24h, Uptime7d, Uptime30d float64 // percent; NaN without data
	P50, P95                       time.Duration
	Outages                        []Outage // newest first
	Checks                         int      // records of the target considered
	// EarlierAddress counts the target's records of another address than
	// StatsOptions.URL, left out of every figure above.
	EarlierAddress int
}

// StatsOptions tune Summarize.
type StatsOptions struct {
	Target           string
	FailThreshold    int           // failures in a row that make an outage (default 3)
	RecoverThreshold int           // answers in a row that end one (default 2)
	MaxGap           time.Duration // a record speaks for at most this long (default 5 min)
	// URL, when set, is the address checked now. Records of another
	// address (the user changed it, e.g. to mend a typo that had it failing
	// for an hour) tell nothing about the server checked now: Summarize
	// leaves them out, and they end FindOpenOutage's run.
	URL string
}

// withDefaults fills in what the caller left zero.
func (o StatsOptions) withDefaults() StatsOptions {
	if o.Target == "" {
		o.Target = probe.PrimaryTargetID
	}
	if o.FailThreshold <= 0 {
		o.FailThreshold = 3
	}
	if o.RecoverThreshold <= 0 {
		o.RecoverThreshold = 2
	}
	if o.MaxGap <= 0 {
		o.MaxGap = 5 * time.Minute
	}
	return o
}

// Summarize computes uptime, latency percentiles and outages for one
// target. Uptime is time-weighted: each check stands for the time until the
// next one (at most MaxGap, so hours the app was not running count for
// nothing); "offline" time is left out, since it says nothing about DJP.
func Summarize(recs []Record, now time.Time, o StatsOptions) Stats {
	o = o.withDefaults()
	mine := make([]Record, 0, len(recs))
	earlier, tag := 0, AddressTag(o.URL)
	for _, r := range recs {
		switch {
		case r.Target != o.Target:
		case !r.OfAddress(tag):
			earlier++
		default:
			mine = append(mine, r)
		}
	}
	st := Stats{Checks: len(mine), EarlierAddress: earlier}
	st.Uptime24h = uptime(mine, now.Add(-24*time.Hour), now, o.MaxGap)
	st.Uptime7d = uptime(mine, now.Add(-7*24*time.Hour), now, o.MaxGap)
	st.Uptime30d = uptime(mine, now.Add(-30*24*time.Hour), now, o.MaxGap)

	var lat []time.Duration
	dayAgo := now.Add(-24 * time.Hour)
	for _, r := range mine {
		if !r.At.Before(dayAgo) && (r.Reason == probe.ReasonOK || r.Reason == probe.ReasonSlow) {
			lat = append(lat, r.Total())
		}
	}
	st.P50, st.P95 = percentile(lat, 50), percentile(lat, 95)
	st.Outages, _ = replay(mine, time.Time{}, o)
	return st
}

func uptime(recs []Record, from, to time.Time, maxGap time.Duration) float64 {
	var up, counted time.Duration
	for i, r := range recs {
		end := r.At.Add(maxGap)
		if i+1 < len(recs) && recs[i+1].At.Before(end) {
			end = recs[i+1].At
		}
		if end.After(to) {
			end = to
		}
		start := r.At
		if start.Before(from) {
			start = from
		}
		if !end.After(start) {
			continue
		}
		d := end.Sub(start)
		switch r.Level {
		case probe.LevelUp, probe.LevelDegraded:
			up += d
			counted += d
		case probe.LevelDown:
			counted += d
		}
	}
	if counted == 0 {
		return math.NaN()
	}
	return 100 * float64(up) / float64(counted)
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	idx := int(math.Ceil(float64(p)/100*float64(len(s)))) - 1
	return s[max(0, min(idx, len(s)-1))]
}
