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
		// Held by a mute, the news may come hours late: say since when.
		if !n.Delayed.IsZero() && !n.Back.IsZero() {
			data["Since"] = t.Clock(n.Back, n.Delayed)
			body += "_late"
		}
		return t.T("notify.recovered.title", data), t.T(body+".body", data)
	case monitor.NotifyDown:
		// Held by a mute, the outage may be hours old: say since when.
		if told := n.Delayed; !told.IsZero() && !n.Start.IsZero() {
			data["Since"] = t.Clock(n.Start, told)
			data["Duration"] = t.Duration(told.Sub(n.Start))
			return t.T("notify.down.title", data), t.T("notify.down_late.body", data)
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
