package history

import (
	"errors"
	"os"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
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
func replay(recs []Record, now time.Time, o StatsOptions) ([]Outage, monitor.OpenOutage) {
	p := monitor.DefaultPolicy()
	p.FailThreshold, p.RecoverThreshold = o.FailThreshold, o.RecoverThreshold
	var out []Outage
	var t *monitor.Tracker
	var last, lastFailing Record
	closeUnseen := func() {
		if t != nil && t.Outage != nil {
			out = append(out, outageOf(t.Outage, last.At, false, true))
		}
		t = monitor.NewTracker()
	}
	for _, r := range recs {
		if t == nil || r.At.Sub(last.At) > o.MaxGap {
			closeUnseen()
		}
		open := t.Outage
		for _, n := range t.Observe(r.Result(""), p) {
			if n.Kind == monitor.NotifyRecovered {
				out = append(out, outageOf(open, n.Back, false, false))
			}
		}
		last = r
		if r.Level == probe.LevelDown || r.Level == probe.LevelOffline {
			lastFailing = r
		}
	}
	var still monitor.OpenOutage
	if t != nil && t.Outage != nil {
		if now.IsZero() || now.Sub(last.At) <= o.MaxGap {
			still = monitor.OpenOutage{Start: t.Outage.Start, Confirmed: t.Outage.Confirmed, Reasons: t.Outage.Reasons, Last: lastFailing.Result(o.URL)}
		}
		out = append(out, outageOf(t.Outage, time.Time{}, true, false))
	}
	slices.Reverse(out)
	return out, still
}

// outageOf is an outage of the tracker as history reports it.
func outageOf(o *monitor.Outage, end time.Time, ongoing, unseen bool) Outage {
	checks := 0
	for _, n := range o.Reasons {
		checks += n
	}
	return Outage{Start: o.Start, End: end, Reason: o.MainReason(), Checks: checks, Ongoing: ongoing,
		Confirmed: o.Confirmed, Unseen: unseen}
}

// FindOpenOutage is FindOpenOutages for one target.
func FindOpenOutage(dir string, now time.Time, o StatsOptions) (monitor.OpenOutage, bool, error) {
	open, err := FindOpenOutages(dir, now, []StatsOptions{o})
	got, found := open[o.withDefaults().Target]
	return got, found, err
}

// FindOpenOutages finds the outages a restarted agent takes up, by target
// (OpenOutageIn). It reads the last day of history, and further back, up
// to a week, only while an outage reaches back to where it began reading.
// A record stamped later than now comes from a clock that was ahead and is
// left out.
func FindOpenOutages(dir string, now time.Time, opts []StatsOptions) (map[string]monitor.OpenOutage, error) {
	for back := 24 * time.Hour; ; back *= 2 {
		from := now.Add(-back)
		recs, _, err := Load(dir, from, now.Add(time.Second))
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		open, wider := map[string]monitor.OpenOutage{}, false
		for _, o := range opts {
			o = o.withDefaults()
			if got, found := OpenOutageIn(recs, now, o); found {
				open[o.Target] = got
				wider = wider || got.Start.Sub(from) < o.MaxGap
			}
		}
		if !wider || back >= 7*24*time.Hour {
			return open, nil
		}
	}
}

// OpenOutageIn replays o.Target's checks of o.URL through the monitor's
// own rules (replay) and gives the outage they leave open, if the newest
// check is at most o.MaxGap before now.
func OpenOutageIn(recs []Record, now time.Time, o StatsOptions) (monitor.OpenOutage, bool) {
	o = o.withDefaults()
	_, open := replay(mine(recs, o), now, o)
	return open, !open.Start.IsZero()
}

// mine are the records of o.Target at o.URL (or of no known address).
func mine(recs []Record, o StatsOptions) []Record {
	tag := AddressTag(o.URL)
	out := make([]Record, 0, len(recs))
	for _, r := range recs {
		if r.Target == o.Target && r.OfAddress(tag) {
			out = append(out, r)
		}
	}
	return out
}
