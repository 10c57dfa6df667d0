package probe

import (
	"slices"
	"time"
)

// replay feeds one target's records (oldest first) through the monitor's
// own tracker, so the history's outages are exactly those the monitor saw
// and told (ARCHITECTURE.md §5): no second copy of the rules. A gap longer
// than o.MaxGap (the app was not running) ends an outage where it stood,
// unseen, and the tracker starts afresh, as the monitor did when it
// started again. It gives the outages (newest first) and the one still
// open at the end, if the newest record is at most o.MaxGap before now (a
// zero now: always).
func replay(recs []Record, now time.Time, o StatsOptions) ([]Outage, OpenOutage) {
	p := DefaultPolicy()
	p.FailThreshold, p.RecoverThreshold = o.FailThreshold, o.RecoverThreshold
	var out []Outage
	var t *tracker
	var last, lastFailing Record
	closeUnseen := func() {
		if t != nil && t.outage != nil {
			out = append(out, outageOf(t.outage, last.At, false, true))
		}
		t = &tracker{level: LevelUnknown}
	}
	for _, r := range recs {
		if t == nil || r.At.Sub(last.At) > o.MaxGap {
			closeUnseen()
		}
		open := t.outage
		for _, n := range t.observe(r.Result(""), p) {
			if n.Kind == NotifyRecovered {
				out = append(out, outageOf(open, n.Back, false, false))
			}
		}
		last = r
		if r.Level == LevelDown || r.Level == LevelOffline {
			lastFailing = r
		}
	}
	var still OpenOutage
	if t != nil && t.outage != nil {
		if now.IsZero() || now.Sub(last.At) <= o.MaxGap {
			still = OpenOutage{Start: t.outage.start, Confirmed: t.outage.confirmed, Reasons: t.outage.reasons, Last: lastFailing}
		}
		out = append(out, outageOf(t.outage, time.Time{}, true, false))
	}
	slices.Reverse(out)
	return out, still
}

// outageOf is an outage of the tracker as history reports it.
func outageOf(o *outage, end time.Time, ongoing, unseen bool) Outage {
	checks := 0
	for _, n := range o.reasons {
		checks += n
	}
	return Outage{Start: o.start, End: end, Reason: o.mainReason(), Checks: checks, Ongoing: ongoing,
		Confirmed: o.confirmed, Unseen: unseen}
}
