package probe

import (
	"maps"
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
	Level       Level     // confirmed level
	Reason      Reason    // reason of the confirmed level (latest of that level)
	Since       time.Time // when the confirmed level started (first check of its streak)
	Rechecking  bool      // an unconfirmed change is being verified
	Last        Result    // latest check (zero before the first)
	NextCheck   time.Time // planned time of the next check
	OutageStart time.Time // start of the open outage, zero if none
	// Recent is the tally of the last checks (at most UnsteadyWindow)
	// since the server last began answering, or stopped: one that keeps
	// failing briefly stays green by policy, and this is how the user
	// still hears of it.
	Recent Tally
}

// ShownLevel is the level the icon and the status window show, and names
// the icon: a failure being re-checked shows yellow, and red stays red while
// a recovery is being confirmed (the app never announces one unconfirmed).
func ShownLevel(level Level, rechecking bool) Level {
	switch {
	case level == LevelDown, level == LevelOffline, level == LevelDegraded:
		return level
	case rechecking:
		return LevelDegraded
	case level == LevelUp:
		return LevelUp
	}
	return LevelUnknown
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
func Unsteady(level Level, t Tally) bool {
	return (level == LevelUp || level == LevelDegraded) &&
		t.Failures >= UnsteadyFailures && t.Episodes >= UnsteadyEpisodes
}

// Unsteady is Unsteady(s.Level, s.Recent).
func (s State) Unsteady() bool { return Unsteady(s.Level, s.Recent) }

// ---- the confirmation rules ----

// tracker holds one target's confirmed state and the streaks that may
// change it.
type tracker struct {
	target Target
	level  Level
	reason Reason
	since  time.Time
	last   Result

	failStreak, downStreak, offlineStreak, degStreak, answerStreak int
	failStart, downStart, degStart, answerStart                    time.Time

	// recent holds the last checks since the server began answering (or
	// stopped), true for a server failure (Tally). settling: resumed from
	// sleep, the failures before the first answer are the network waking.
	recent []bool
	// downs counts the reasons of the down checks of a failure run not
	// confirmed yet: they become the outage's if it is.
	downs    map[Reason]int
	settling bool

	outage    *outage
	nextCheck time.Time
}

type outage struct {
	start     time.Time
	confirmed time.Time // the check that confirmed it ("down" was decided then)
	reasons   map[Reason]int
	notified  bool // "down" was decided (delivered or held)
}

// mainReason is the most frequent reason of the outage (ties: the worst
// first, in AllReasons order).
func (o *outage) mainReason() Reason {
	best, bestN := Reason(""), 0
	for _, r := range AllReasons {
		if n := o.reasons[r]; n > bestN {
			best, bestN = r, n
		}
	}
	return best
}

// resume starts the tracker inside an outage a previous run left open.
func (t *tracker) resume(o OpenOutage) {
	if (o.Last.Level != LevelDown && o.Last.Level != LevelOffline) || o.Start.IsZero() {
		return
	}
	t.level, t.reason, t.since = o.Last.Level, o.Last.Reason, o.Start
	if t.level == LevelOffline {
		t.since = o.Last.At
	}
	t.last = o.Last.Result(t.target.URL)
	// The previous run decided "down" when it confirmed the outage.
	t.outage = &outage{start: o.Start, confirmed: o.Confirmed, reasons: maps.Clone(o.Reasons), notified: true}
	if t.outage.reasons == nil {
		t.outage.reasons = map[Reason]int{}
	}
}

func (t *tracker) resetStreaks() {
	t.failStreak, t.downStreak, t.offlineStreak, t.degStreak, t.answerStreak = 0, 0, 0, 0, 0
	clear(t.downs)
	t.settling = true
}

// remember adds a check to recent: a failure of the server, or an
// answer. This PC being offline says nothing about the server, nor do the
// failures after a resume before the first answer.
func (t *tracker) remember(res Result) {
	switch res.Level {
	case LevelOffline:
		return
	case LevelDown:
		if t.settling {
			return
		}
	default:
		t.settling = false
	}
	t.recent = append(t.recent, res.Level == LevelDown)
	if n := len(t.recent); n > UnsteadyWindow {
		t.recent = slices.Delete(t.recent, 0, n-UnsteadyWindow)
	}
}

// answering: the level of a server that answers (or not known yet).
func answering(l Level) bool { return l != LevelDown && l != LevelOffline }

func (t *tracker) tally() Tally {
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

func (t *tracker) rechecking() bool {
	switch t.level {
	case LevelDown:
		return t.answerStreak > 0 || t.offlineStreak > 0
	case LevelOffline:
		return t.answerStreak > 0 || t.downStreak > 0
	case LevelUnknown:
		// A first answer that is degraded waits for its repeat, as a
		// failure does: "not checked yet" under "redirected (HTTP 302)"
		// would contradict itself. (Up keeps its colour over one
		// degraded answer: degraded recolours only when it repeats.)
		return t.failStreak > 0 || t.degStreak > 0
	}
	return t.failStreak > 0
}

func (t *tracker) snapshot(Policy) State {
	st := State{Target: t.target.ID, URL: t.target.URL, Level: t.level, Reason: t.reason, Since: t.since,
		Rechecking: t.rechecking(), Last: t.last, NextCheck: t.nextCheck, Recent: t.tally()}
	if t.outage != nil {
		st.OutageStart = t.outage.start
	}
	return st
}

func (t *tracker) set(level Level, reason Reason, since time.Time) {
	if level != t.level {
		t.since = since
	}
	t.level, t.reason = level, reason
}

// observe applies one result and returns the notifications it calls for
// (before preferences, snooze and rate limits).
func (t *tracker) observe(res Result, p Policy) []Notification {
	at := res.CheckedAt
	t.last = res
	failing := res.Level == LevelDown || res.Level == LevelOffline
	if failing {
		if t.failStreak == 0 {
			t.failStart = at
		}
		t.failStreak++
		t.answerStreak, t.degStreak = 0, 0
		if res.Level == LevelDown {
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
		if res.Level == LevelDegraded {
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
	case res.Level == LevelDown && t.outage != nil:
		t.outage.reasons[res.Reason]++
	case res.Level == LevelDown:
		if t.downs == nil {
			t.downs = map[Reason]int{}
		}
		t.downs[res.Reason]++
	case !failing:
		clear(t.downs)
	}

	prev := t.level
	switch prev {
	case LevelUnknown, LevelUp, LevelDegraded:
		switch {
		case failing && t.failStreak >= p.FailThreshold:
			t.set(res.Level, res.Reason, t.failStart)
		case res.Level == LevelUp:
			t.set(LevelUp, res.Reason, at)
		case res.Level == LevelDegraded && (prev == LevelDegraded || t.degStreak >= p.DegradedRepeat):
			t.set(LevelDegraded, res.Reason, t.degStart)
		}
	case LevelDown, LevelOffline:
		switch {
		case !failing && t.answerStreak >= p.RecoverThreshold:
			t.set(res.Level, res.Reason, t.answerStart)
		case failing && res.Level == prev:
			t.reason = res.Reason
		case prev == LevelDown && t.offlineStreak >= p.DegradedRepeat:
			t.set(LevelOffline, res.Reason, at)
		case prev == LevelOffline && t.downStreak >= p.FailThreshold:
			t.set(LevelDown, res.Reason, t.downStart)
		}
	}
	if answering(t.level) != answering(prev) {
		// An outage starts a new tally, and so does its end: the failures
		// of an outage just ended are not "unsteady", it was down.
		t.recent = t.recent[:0]
	}
	t.remember(res)
	if t.level == prev {
		if t.outage != nil && t.level == LevelDegraded && t.reason == ReasonSlow {
			// Yellow all along, but the proxy's page gave way to the
			// service itself, slowly: working, so the outage is over.
			return t.transition(prev, res)
		}
		return nil
	}
	return t.transition(prev, res)
}

// transition opens and closes outages and names the notifications due.
func (t *tracker) transition(prev Level, res Result) []Notification {
	note := func(k NotifyKind, r Reason) Notification {
		return Notification{Kind: k, Target: t.target.ID, Reason: r, Result: res}
	}
	switch t.level {
	case LevelDown:
		if t.outage == nil {
			t.outage = &outage{start: t.failStart, confirmed: res.CheckedAt, reasons: maps.Clone(t.downs)}
			clear(t.downs)
			if prev == LevelOffline {
				t.outage.start = t.downStart
			}
		}
		if !t.outage.notified {
			t.outage.notified = true
			n := note(NotifyDown, t.reason)
			n.Start = t.outage.start
			return []Notification{n}
		}
	case LevelOffline:
		return []Notification{note(NotifyOffline, t.reason)}
	case LevelUp, LevelDegraded:
		// Slow is "it works again, slowly": the outage is over.
		answering := t.level == LevelUp || t.reason == ReasonSlow
		if t.outage != nil && answering {
			o := t.outage
			t.outage = nil
			n := note(NotifyRecovered, o.mainReason())
			n.Outage, n.Back, n.Start = t.answerStart.Sub(o.start), t.answerStart, o.start
			return []Notification{n}
		}
		if t.outage != nil {
			n := note(NotifyDegraded, t.reason)
			n.FollowUp = t.outage.notified
			return []Notification{n}
		}
		if prev == LevelOffline {
			return []Notification{note(NotifyOnline, t.reason)}
		}
		if t.level == LevelDegraded {
			return []Notification{note(NotifyDegraded, t.reason)}
		}
	}
	return nil
}

// OpenOutage is an outage that was still open when the history ends: the
// agent stopped (restart, update, log-off) while the target was down.
type OpenOutage struct {
	Start   time.Time      // first down check of the run
	Reasons map[Reason]int // down checks by reason
	Last    Record         // the newest check: down or offline
	// Confirmed is the FailThreshold-th down check of the run: when the
	// previous run decided "down" (and notified, or held it under a snooze).
	Confirmed time.Time
	// Held says that the previous run held its "down" under a snooze that
	// still runs: the user has not heard of this outage yet. The caller,
	// which keeps the snooze, sets it.
	Held bool
}
