package monitor

import (
	"maps"
	"pantau-efaktur/probe"
	"slices"
	"time"
)

// The outage state machine (ARCHITECTURE.md §5): one target's confirmed
// level, the streaks that may change it, and its open outage. The monitor
// feeds it live; replay feeds it history.

// State is what the monitor currently believes about one target.
type State struct {
	Target      string
	URL         string
	Level       probe.Level  // confirmed level
	Reason      probe.Reason // reason of the confirmed level (latest of that level)
	Since       time.Time    // when the confirmed level started (first check of its streak)
	Rechecking  bool         // an unconfirmed change is being verified
	Last        probe.Result // latest check (zero before the first)
	NextCheck   time.Time    // planned time of the next check
	OutageStart time.Time    // start of the open outage, zero if none
	// Recent is the tally of the last checks (at most UnsteadyWindow)
	// since the server last began answering, or stopped: one that keeps
	// failing briefly stays green by policy, and this is how the user
	// still hears of it.
	Recent Tally
}

// ShownLevel is the level the icon and the status window show, and names
// the icon: a failure being re-checked shows yellow, and red stays red while
// a recovery is being confirmed (the app never announces one unconfirmed).
func ShownLevel(level probe.Level, rechecking bool) probe.Level {
	switch {
	case level == probe.LevelDown, level == probe.LevelOffline, level == probe.LevelDegraded:
		return level
	case rechecking:
		return probe.LevelDegraded
	case level == probe.LevelUp:
		return probe.LevelUp
	}
	return probe.LevelUnknown
}

// WorstShown is what the icon shows for the services in use: green only
// when every one is up, else the worst of down, offline, degraded, unknown.
func WorstShown(services []State) probe.Level {
	rank := map[probe.Level]int{probe.LevelUp: 0, probe.LevelUnknown: 1, probe.LevelDegraded: 2, probe.LevelOffline: 3, probe.LevelDown: 4}
	worst := probe.LevelUp
	for _, st := range services {
		if l := ShownLevel(st.Level, st.Rechecking); rank[l] > rank[worst] {
			worst = l
		}
	}
	return worst
}

// Unsteadiness. One failure re-checked away must not cry wolf, and a
// failure is confirmed only when it repeats (3 in a row by default), so a
// server failing every other check never turns red. Yet uploads then fail
// half the time. Counting the failures among the last checks tells it
// without a new colour or a notification: "unsteady" is a remark on the
// level, never a level.
const (
	UnsteadyWindow   = 10 // the checks looked at
	UnsteadyFailures = 3  // failed ones among them that make it unsteady
	UnsteadyEpisodes = 2  // in at least this many separate runs (a long blip is one)
)

// Tally counts recent checks, the failed ones (the server down, not this
// PC offline) and the separate runs of failures among them.
type Tally struct {
	Checks   int `json:"checks"`
	Failures int `json:"failures"`
	Episodes int `json:"episodes"`
}

// Unsteady reports whether an answering server failed often enough lately
// to say so: it is up (or degraded) and failed at least UnsteadyFailures
// times in UnsteadyEpisodes separate runs among the recent checks.
func Unsteady(level probe.Level, t Tally) bool {
	return (level == probe.LevelUp || level == probe.LevelDegraded) &&
		t.Failures >= UnsteadyFailures && t.Episodes >= UnsteadyEpisodes
}

// Unsteady is Unsteady(s.Level, s.Recent).
func (s State) Unsteady() bool { return Unsteady(s.Level, s.Recent) }

// ---- the confirmation rules ----

// Tracker holds one target's confirmed state and the streaks that may
// change it.
type Tracker struct {
	target probe.Target
	level  probe.Level
	reason probe.Reason
	since  time.Time
	last   probe.Result

	failStreak, downStreak, offlineStreak, degStreak, answerStreak int
	failStart, downStart, degStart, answerStart                    time.Time

	// recent holds the last checks since the server began answering (or
	// stopped), true for a server failure (Tally). settling: resumed from
	// sleep, the failures before the first answer are the network waking.
	recent []bool
	// downs counts the reasons of the down checks of a failure run not
	// confirmed yet: they become the outage's if it is.
	downs    map[probe.Reason]int
	settling bool

	Outage    *Outage
	nextCheck time.Time
}

// Outage is the outage a tracker is in: from the first failure of the run
// that confirmed it.
type Outage struct {
	Start     time.Time
	Confirmed time.Time // the check that confirmed it ("down" was decided then)
	Reasons   map[probe.Reason]int
	notified  bool // "down" was decided (delivered or held)
}

// MainReason is the most frequent reason of the outage (ties: the worst
// first, in AllReasons order).
func (o *Outage) MainReason() probe.Reason {
	best, bestN := probe.Reason(""), 0
	for _, r := range probe.AllReasons {
		if n := o.Reasons[r]; n > bestN {
			best, bestN = r, n
		}
	}
	return best
}

// NewTracker is a tracker that knows nothing yet (history replays through it).
func NewTracker() *Tracker { return &Tracker{level: probe.LevelUnknown} }

// resume starts the tracker inside an outage a previous run left open.
func (t *Tracker) resume(o OpenOutage) {
	if (o.Last.Level != probe.LevelDown && o.Last.Level != probe.LevelOffline) || o.Start.IsZero() {
		return
	}
	t.level, t.reason, t.since = o.Last.Level, o.Last.Reason, o.Start
	if t.level == probe.LevelOffline {
		t.since = o.Last.CheckedAt
	}
	t.last = o.Last
	t.last.URL = t.target.URL
	// The previous run decided "down" when it confirmed the outage.
	t.Outage = &Outage{Start: o.Start, Confirmed: o.Confirmed, Reasons: maps.Clone(o.Reasons), notified: true}
	if t.Outage.Reasons == nil {
		t.Outage.Reasons = map[probe.Reason]int{}
	}
}

func (t *Tracker) resetStreaks() {
	t.failStreak, t.downStreak, t.offlineStreak, t.degStreak, t.answerStreak = 0, 0, 0, 0, 0
	clear(t.downs)
	t.settling = true
}

// remember adds a check to recent: a failure of the server, or an
// answer. This PC being offline says nothing about the server, nor do the
// failures after a resume before the first answer.
func (t *Tracker) remember(res probe.Result) {
	switch res.Level {
	case probe.LevelOffline:
		return
	case probe.LevelDown:
		if t.settling {
			return
		}
	default:
		t.settling = false
	}
	t.recent = append(t.recent, res.Level == probe.LevelDown)
	if n := len(t.recent); n > UnsteadyWindow {
		t.recent = slices.Delete(t.recent, 0, n-UnsteadyWindow)
	}
}

// answering: the level of a server that answers (or not known yet).
func answering(l probe.Level) bool { return l != probe.LevelDown && l != probe.LevelOffline }

func (t *Tracker) tally() Tally {
	tl := Tally{Checks: len(t.recent)}
	for i, failed := range t.recent {
		if failed {
			tl.Failures++
			if i == 0 || !t.recent[i-1] {
				tl.Episodes++
			}
		}
	}
	return tl
}

func (t *Tracker) rechecking() bool {
	switch t.level {
	case probe.LevelDown:
		return t.answerStreak > 0 || t.offlineStreak > 0
	case probe.LevelOffline:
		return t.answerStreak > 0 || t.downStreak > 0
	case probe.LevelUnknown:
		// A first answer that is degraded waits for its repeat, as a
		// failure does: "not checked yet" under "redirected (HTTP 302)"
		// would contradict itself. (Up keeps its colour over one
		// degraded answer: degraded recolours only when it repeats.)
		return t.failStreak > 0 || t.degStreak > 0
	}
	return t.failStreak > 0
}

func (t *Tracker) snapshot() State {
	st := State{Target: t.target.ID, URL: t.target.URL, Level: t.level, Reason: t.reason, Since: t.since,
		Rechecking: t.rechecking(), Last: t.last, NextCheck: t.nextCheck, Recent: t.tally()}
	if t.Outage != nil {
		st.OutageStart = t.Outage.Start
	}
	return st
}

func (t *Tracker) set(level probe.Level, reason probe.Reason, since time.Time) {
	if level != t.level {
		t.since = since
	}
	t.level, t.reason = level, reason
}

// Observe applies one result and returns the notifications it calls for
// (before preferences, snooze and rate limits).
func (t *Tracker) Observe(res probe.Result, p Policy) []Notification {
	at := res.CheckedAt
	t.last = res
	failing := res.Level == probe.LevelDown || res.Level == probe.LevelOffline
	if failing {
		if t.failStreak == 0 {
			t.failStart = at
		}
		t.failStreak++
		t.answerStreak, t.degStreak = 0, 0
		if res.Level == probe.LevelDown {
			if t.downStreak == 0 {
				t.downStart = at
			}
			t.downStreak++
			t.offlineStreak = 0
		} else {
			t.offlineStreak++
			t.downStreak = 0
		}
	} else {
		if t.answerStreak == 0 {
			t.answerStart = at
		}
		t.answerStreak++
		t.failStreak, t.downStreak, t.offlineStreak = 0, 0, 0
		if res.Level == probe.LevelDegraded {
			if t.degStreak == 0 {
				t.degStart = at
			}
			t.degStreak++
		} else {
			t.degStreak = 0
		}
	}
	// Every down check of the run counts towards the outage's cause, also
	// those before it was confirmed.
	switch {
	case res.Level == probe.LevelDown && t.Outage != nil:
		t.Outage.Reasons[res.Reason]++
	case res.Level == probe.LevelDown:
		if t.downs == nil {
			t.downs = map[probe.Reason]int{}
		}
		t.downs[res.Reason]++
	case !failing:
		clear(t.downs)
	}

	prev := t.level
	switch prev {
	case probe.LevelUnknown, probe.LevelUp, probe.LevelDegraded:
		switch {
		case failing && t.failStreak >= p.FailThreshold:
			t.set(res.Level, res.Reason, t.failStart)
		case res.Level == probe.LevelUp:
			t.set(probe.LevelUp, res.Reason, at)
		case res.Level == probe.LevelDegraded && (prev == probe.LevelDegraded || t.degStreak >= p.DegradedRepeat):
			t.set(probe.LevelDegraded, res.Reason, t.degStart)
		}
	case probe.LevelDown, probe.LevelOffline:
		switch {
		case !failing && t.answerStreak >= p.RecoverThreshold:
			t.set(res.Level, res.Reason, t.answerStart)
		case failing && res.Level == prev:
			t.reason = res.Reason
		case prev == probe.LevelDown && t.offlineStreak >= p.DegradedRepeat:
			t.set(probe.LevelOffline, res.Reason, at)
		case prev == probe.LevelOffline && t.downStreak >= p.FailThreshold:
			t.set(probe.LevelDown, res.Reason, t.downStart)
		}
	}
	if answering(t.level) != answering(prev) {
		// An outage starts a new tally, and so does its end: the failures
		// of an outage just ended are not "unsteady", it was down.
		t.recent = t.recent[:0]
	}
	t.remember(res)
	if t.level == prev {
		if t.Outage != nil && t.level == probe.LevelDegraded && t.reason == probe.ReasonSlow {
			// Yellow all along, but the proxy's page gave way to the
			// service itself, slowly: working, so the outage is over.
			return t.transition(prev, res)
		}
		return nil
	}
	return t.transition(prev, res)
}

// transition opens and closes outages and names the notifications due.
func (t *Tracker) transition(prev probe.Level, res probe.Result) []Notification {
	note := func(k NotifyKind, r probe.Reason) Notification {
		return Notification{Kind: k, Target: t.target.ID, Reason: r, Result: res}
	}
	switch t.level {
	case probe.LevelDown:
		if t.Outage == nil {
			t.Outage = &Outage{Start: t.failStart, Confirmed: res.CheckedAt, Reasons: maps.Clone(t.downs)}
			clear(t.downs)
			if prev == probe.LevelOffline {
				t.Outage.Start = t.downStart
			}
		}
		if !t.Outage.notified {
			t.Outage.notified = true
			n := note(NotifyDown, t.reason)
			n.Start = t.Outage.Start
			return []Notification{n}
		}
	case probe.LevelOffline:
		return []Notification{note(NotifyOffline, t.reason)}
	case probe.LevelUp, probe.LevelDegraded:
		// Slow is "it works again, slowly": the outage is over.
		answering := t.level == probe.LevelUp || t.reason == probe.ReasonSlow
		if t.Outage != nil && answering {
			o := t.Outage
			t.Outage = nil
			n := note(NotifyRecovered, o.MainReason())
			n.Outage, n.Back, n.Start = t.answerStart.Sub(o.Start), t.answerStart, o.Start
			return []Notification{n}
		}
		if t.Outage != nil {
			n := note(NotifyDegraded, t.reason)
			n.FollowUp = t.Outage.notified
			return []Notification{n}
		}
		if prev == probe.LevelOffline {
			return []Notification{note(NotifyOnline, t.reason)}
		}
		if t.level == probe.LevelDegraded {
			return []Notification{note(NotifyDegraded, t.reason)}
		}
	}
	return nil
}

// OpenOutage is an outage that was still open when the history ends: the
// agent stopped (restart, update, log-off) while the target was down.
type OpenOutage struct {
	Start   time.Time            // first down check of the run
	Reasons map[probe.Reason]int // down checks by reason
	Last    probe.Result         // the newest check: down or offline
	// Confirmed is the FailThreshold-th down check of the run: when the
	// previous run decided "down" (and notified, or held it under a snooze).
	Confirmed time.Time
	// Held says that the previous run held its "down" under a snooze that
	// still runs: the user has not heard of this outage yet. The caller,
	// which keeps the snooze, sets it.
	Held bool
}
