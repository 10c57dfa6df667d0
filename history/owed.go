package history

import (
	"pantau-efaktur/monitor"
	"slices"
	"time"
)

// OwedRecovery finds, in the outages of the history (newest first, as
// Summarize gives them), the "back online" a previous run owed the user
// when it stopped during a mute that began at mutedFrom and still runs:
// an outage confirmed before the mute (its "down" was told) that ended
// during it, held for the mute's end and lost with the run. Outages that
// began and ended after it, during the mute, are covered too (Earlier),
// as the run would have. openTakenUp says whether the monitor takes up the
// outage the history ends in, if any (see FindOpenOutage): the news then
// waits for its end, as the monitor's bridged news does. Anything the run
// did not see end (it stopped during it, or it is too old to take up)
// leaves nothing owed: the news would be stale.
func OwedRecovery(outs []Outage, target string, mutedFrom time.Time, openTakenUp bool) (monitor.Notification, bool) {
	var n monitor.Notification
	found := false
	for _, o := range slices.Backward(outs) {
		if !found {
			if !o.Ongoing && !o.Unseen && !o.Confirmed.IsZero() && o.Confirmed.Before(mutedFrom) && !o.End.Before(mutedFrom) {
				found = true
				n = monitor.Notification{Kind: monitor.NotifyRecovered, Target: target, Reason: o.Reason, Start: o.Start,
					Outage: o.End.Sub(o.Start), Back: o.End}
			}
			continue
		}
		switch {
		case o.Unseen, o.Ongoing && !openTakenUp:
			return monitor.Notification{}, false
		case o.Ongoing:
			return n, true
		}
		n.Reason, n.Outage, n.Back, n.Earlier = o.Reason, n.Outage+o.End.Sub(o.Start), o.End, n.Earlier+1
	}
	return n, found
}
