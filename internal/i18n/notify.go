package i18n

import (
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
)

// Notification renders a monitor notification as a title and a body.
func (t *Translator) Notification(n monitor.Notification) (title, body string) {
	data := map[string]any{
		"Service": t.ServiceName(n.Target),
		"Message": t.Message(n.Result),
	}
	switch n.Kind {
	case monitor.NotifyRecovered:
		data["Duration"] = t.Duration(n.Outage)
		data["Cause"] = t.Cause(n.Reason)
		body := "notify.recovered"
		if n.Result.Reason == probe.ReasonSlow {
			body = "notify.recovered_slow"
		}
		// Held by a snooze, the news may come hours late: say since when,
		// and, when the server flapped meanwhile, since when it all began.
		switch {
		case n.Earlier > 0 && !n.Back.IsZero() && !n.Start.IsZero():
			told := n.Delayed
			if told.IsZero() { // the mute ended while it was down: told now
				told = n.Back
			}
			data["Since"] = t.Clock(n.Back, told)
			data["Times"] = n.Earlier + 1
			data["First"] = t.Clock(n.Start, told)
			body += "_repeat_late"
		case !n.Delayed.IsZero() && !n.Back.IsZero():
			data["Since"] = t.Clock(n.Back, n.Delayed)
			body += "_late"
		}
		return t.T("notify.recovered.title", data), t.T(body+".body", data)
	case monitor.NotifyDown:
		// Held by a snooze, the outage may be hours old: say since when.
		// When the "back online" before it was never told (it came while
		// muted), say the server had come back in between.
		told := n.Delayed
		if told.IsZero() && n.Earlier > 0 {
			told = n.Result.CheckedAt
		}
		if !told.IsZero() && !n.Start.IsZero() {
			data["Since"] = t.Clock(n.Start, told)
			data["Duration"] = t.Duration(told.Sub(n.Start))
			body := "notify.down_late.body"
			if n.Earlier > 0 {
				body = "notify.down_repeat_late.body"
			}
			return t.T("notify.down.title", data), t.T(body, data)
		}
	case monitor.NotifyDegraded:
		if n.FollowUp {
			return t.T("notify.degraded_followup.title", data), t.T("notify.degraded.body", data)
		}
	}
	k := string(n.Kind)
	return t.T("notify."+k+".title", data), t.T("notify."+k+".body", data)
}

// Cause is the short name of a reason, as in "(penyebab: maintenance DJP)".
func (t *Translator) Cause(r probe.Reason) string {
	id := "cause." + string(r)
	if s := t.T(id); s != id {
		return s
	}
	return string(r)
}

// CauseOn is Cause for a state's reason with what its last check adds: an
// unexpected status that is a redirect is "redirected, HTTP 302", which
// the user can act on (a login page, a wrong address). last may be nil.
func (t *Translator) CauseOn(r probe.Reason, last *probe.Result) string {
	if redirectedOn(r, last) {
		return t.T("cause.redirects", map[string]any{"Status": last.HTTPStatus})
	}
	return t.Cause(r)
}
