package history

import (
	"pantau-efaktur/monitor"
	"slices"
	"time"
)

// OwedRecovery finds, in the outages of the history (newest first, as
// Summarize gives them), the "back online" a previous run owed the user
// when it stopped during a mute that began at mutedFrom and still runs: an
// outage confirmed before the mute (its "down" was told) that ended during
// it. Like the monitor's, the news is one summary from that outage's start
// to the last answer again. openTakenUp says whether the monitor takes up
// the outage the history ends in (FindOpenOutage): the news then waits for
// its end. Anything the run did not see end leaves nothing owed: the news
// would be stale.
func OwedRecovery(outs []Outage, target string, mutedFrom time.Time, openTakenUp bool) (monitor.Notification, bool) {
	var n monitor.Notification
	found := false
	for _, o := range slices.Backward(outs) {
		switch {
		case !found && !o.Ongoing && !o.Unseen && !o.Confirmed.IsZero() && o.Confirmed.Before(mutedFrom) && !o.End.Before(mutedFrom):
			found = true
			n = monitor.Notification{Kind: monitor.NotifyRecovered, Target: target, Start: o.Start}
		case !found:
			continue
		case o.Unseen, o.Ongoing && !openTakenUp:
			return monitor.Notification{}, false
		case o.Ongoing:
			return n, true
		}
		n.Reason, n.Outage, n.Back = o.Reason, o.End.Sub(n.Start), o.End
	}
	return n, found
}
