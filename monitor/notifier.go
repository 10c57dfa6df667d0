package monitor

import (
	"log/slog"
	"pantau-efaktur/probe"
	"time"
)

// NotifyKind says what a notification is about.
type NotifyKind string

const (
	NotifyDown      NotifyKind = "down"      // outage confirmed
	NotifyRecovered NotifyKind = "recovered" // outage over
	NotifyDegraded  NotifyKind = "degraded"  // something is off
	NotifyOffline   NotifyKind = "offline"   // this PC lost its connection
	NotifyOnline    NotifyKind = "online"    // this PC is back online
)

// Notification is the monitor's decision to tell the user something; how it
// is shown (and in which language) is the caller's business.
type Notification struct {
	Kind   NotifyKind
	Target string
	Reason probe.Reason  // current reason; for recovered, the outage's main cause
	Outage time.Duration // recovered: how long the outage lasted
	Result probe.Result  // the check that triggered it
	// FollowUp marks a "degraded" that ends a notified outage: sent whatever
	// the preferences, because the user was told "down" and must not be left there.
	FollowUp bool
	// Back is, for recovered, when the server answered again (the first of
	// the answers that confirmed it).
	Back time.Time
	// Start is, for down and recovered, when the outage began.
	Start time.Time
	// Delayed is when a notification held by the mute or the rate limit
	// finally went out (zero: told when decided), so it can say since when.
	Delayed time.Time
}

// ---- notification delivery: preferences, snooze, rate limit ----

// notifier applies preferences, the mute and the rate limit, for one
// service (each has its own). A "down" the
// user was told is owed its "back online": told, it is the one summary of
// everything until the server answers again, flapping during a mute
// included (ARCHITECTURE.md §5).
type notifier struct {
	last        time.Time // last delivered notification other than recovery
	gap         time.Duration
	pending     *Notification // held by the mute or the rate limit
	told        *Notification // the "down" told, not yet "back online"
	toldOffline bool          // "PC offline" told, not yet "PC back online"
}

// wanted applies the user's preferences.
func wanted(n Notification, prefs NotifySettings) bool {
	switch n.Kind {
	case NotifyDown:
		return prefs.Down
	case NotifyRecovered:
		return prefs.Recovered
	case NotifyDegraded:
		return prefs.Degraded || (n.FollowUp && prefs.Down)
	case NotifyOffline, NotifyOnline:
		return prefs.Offline
	}
	return false
}

// stillTrue reports whether a held notification still describes the level.
func stillTrue(k NotifyKind, level probe.Level) bool {
	switch k {
	case NotifyDown:
		return level == probe.LevelDown
	case NotifyDegraded:
		return level == probe.LevelDegraded
	case NotifyOffline:
		return level == probe.LevelOffline
	case NotifyOnline:
		return level == probe.LevelUp
	case NotifyRecovered:
		return level == probe.LevelUp || level == probe.LevelDegraded
	}
	return false
}

// offer decides whether n is delivered now, held, or dropped.
func (nt *notifier) offer(n Notification, prefs NotifySettings, now time.Time, gap time.Duration, snoozeUntil time.Time) []Event {
	nt.gap = gap
	if !wanted(n, prefs) {
		return nil
	}
	switch {
	case n.Kind == NotifyDown && nt.told != nil:
		nt.pending = nil // still down, as the user was told: its end is the news
		return nil
	case n.Kind == NotifyRecovered && nt.told != nil:
		n.Start, n.Outage = nt.told.Start, n.Back.Sub(nt.told.Start)
	}
	if now.Before(snoozeUntil) {
		switch {
		case n.Kind == NotifyDown, n.Kind == NotifyRecovered && nt.told != nil,
			n.FollowUp && nt.told != nil, n.Kind == NotifyOnline && nt.toldOffline:
			nt.pending = &n // told when the mute ends, if still true
		case n.Kind == NotifyRecovered:
			nt.pending = nil // the outage the user did not hear of is over
		}
		slog.Info("notification held by snooze", "target", n.Target, "kind", n.Kind, "until", snoozeUntil)
		return nil
	}
	if n.Kind != NotifyRecovered && !nt.last.IsZero() && now.Sub(nt.last) < gap {
		nt.pending = &n
		return nil
	}
	if n.Kind != NotifyRecovered {
		nt.last = now
	}
	nt.pending = nil
	return nt.deliver(n, now)
}

// deliver emits n and remembers what the user now believes.
func (nt *notifier) deliver(n Notification, now time.Time) []Event {
	switch n.Kind {
	case NotifyDown:
		nt.told = &n
	case NotifyRecovered:
		nt.told, nt.toldOffline = nil, false // answers again: so is the PC
	case NotifyOffline:
		nt.toldOffline = true
	case NotifyOnline:
		nt.toldOffline = false
	}
	return []Event{{Kind: EventNotify, At: now, Target: n.Target, Notification: &n}}
}

// pendingDue says how long until a held notification may go out. Before
// the first settled level (just started, the first check a blip) there is
// none: a "back online" owed by the previous run waits to be checked true
// rather than be dropped as untrue.
func (nt *notifier) pendingDue(now time.Time, level probe.Level, snoozeUntil time.Time) (time.Duration, bool) {
	if nt.pending == nil || level == probe.LevelUnknown {
		return 0, false
	}
	at := snoozeUntil
	if !nt.last.IsZero() && nt.pending.Kind != NotifyRecovered {
		if t := nt.last.Add(nt.gap); t.After(at) {
			at = t
		}
	}
	return at.Sub(now), true
}

// flush delivers the held notification if it still describes the level;
// last is the latest check, which a held "back online" reports instead of
// the one that confirmed it (it may have been slow then and fine now).
func (nt *notifier) flush(level probe.Level, last probe.Result, now time.Time) []Event {
	n := nt.pending
	nt.pending = nil
	if n == nil || !stillTrue(n.Kind, level) {
		return nil
	}
	if n.Kind == NotifyRecovered {
		if last.Level == probe.LevelUp || last.Level == probe.LevelDegraded {
			n.Result = last
		}
	} else {
		nt.last = now
	}
	n.Delayed = now
	return nt.deliver(*n, now)
}

// NotifySettings says which notifications the user wants.
type NotifySettings struct {
	Down      bool `json:"down"`
	Recovered bool `json:"recovered"`
	Degraded  bool `json:"degraded"`
	Offline   bool `json:"offline"`
	Sound     bool `json:"sound"`
}
