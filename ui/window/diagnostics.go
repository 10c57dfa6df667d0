package window

import (
	"fmt"
	"math"
	"pantau-efaktur/history"
	"runtime"
	"strings"
	"time"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
)

// Diagnostics is the plain-text report of "Salin diagnosa": everything a
// helpdesk (the office IT, or a support chat) needs to tell "DJP is down"
// from "this PC's proxy/clock/firewall is wrong", in the user's language,
// with the stable machine words kept next to the sentences.
func Diagnostics(tr *i18n.Translator, st ipc.Status, agentUp bool, recs []history.Record, stats history.Stats, now time.Time) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("%s — %s", version.AppName, tr.T("diag.title"))
	line("%s: %s", tr.T("diag.created"), now.Format("2006-01-02 15:04:05 MST"))
	ver := version.Version
	if version.Commit != "" {
		ver += " (" + version.Commit + ")"
	}
	if agentUp && st.Version != "" && st.Version != version.Version {
		ver = st.Version + " (" + tr.T("diag.window") + " " + ver + ")"
	}
	line("%s: %s, %s/%s, %s", tr.T("diag.version"), ver, runtime.GOOS, runtime.GOARCH, runtime.Version())
	if !agentUp {
		line("%s: %s", tr.T("diag.agent"), tr.T("diag.agent_down"))
	} else {
		tray := tr.T("diag.yes")
		if !st.Tray {
			tray = tr.T("diag.no") + " (" + st.TrayProblem + ")"
		}
		line("%s: PID %d, %s %s, tray: %s", tr.T("diag.agent"), st.PID, tr.T("diag.since"), st.StartedAt.Format("2006-01-02 15:04"), tray)
		if st.PreviousCrash != "" {
			line("  ! %s", tr.T("diag.previous_crash", map[string]any{"File": st.PreviousCrash}))
		}
	}
	b.WriteString("\n")

	s := st.Settings
	if s.Services.Efaktur {
		line("%s: %s", tr.FieldName("url"), s.URL)
	}
	if s.Services.Coretax {
		line("%s: %s (%s %s)", tr.FieldName("coretax_url"), s.CoretaxURL, tr.FieldName("coretax_slow"), s.CoretaxSlow.D())
	}
	line("%s: %s", tr.FieldName("proxy"), probe.ProxySetting(s.Proxy).Redacted())
	if len(st.SignInUnavailable) > 0 {
		line("  ! %s", tr.T("diag.sign_in_unavailable", map[string]any{"Schemes": strings.Join(st.SignInUnavailable, "; ")}))
	}
	line("%s: %s", tr.FieldName("reference"), s.Reference)
	line("%s: %s / %s / %s, %s %d, %s %d, %s %s, %s %s", tr.T("diag.schedule"),
		s.Interval.D(), s.Recheck.D(), s.DownInterval.D(),
		tr.FieldName("fail_threshold"), s.FailThreshold, tr.FieldName("recover_threshold"), s.RecoverThreshold,
		tr.FieldName("timeout"), s.Timeout.D(), tr.FieldName("slow"), s.Slow.D())
	// "Why did no notification come?" is a question for the helpdesk too.
	var kinds []string
	for _, k := range []struct {
		on   bool
		word string
	}{{s.Notify.Down, "down"}, {s.Notify.Recovered, "recovered"}, {s.Notify.Degraded, "degraded"}, {s.Notify.Offline, "offline"}, {s.Notify.Sound, "sound"}} {
		if k.on {
			kinds = append(kinds, k.word)
		}
	}
	notif := strings.Join(kinds, ", ")
	if notif == "" {
		notif = tr.T("diag.none")
	}
	if agentUp && now.Before(st.SnoozedUntil) {
		notif += "; " + tr.T("diag.muted_until", map[string]any{"Time": tr.Clock(st.SnoozedUntil, now)})
	}
	line("%s: %s", tr.FieldName("notify"), notif)
	b.WriteString("\n")

	for _, t := range st.Targets {
		head := fmt.Sprintf("%s: %s (%s)", tr.ServiceName(t.Target), tr.Level(t.Level), t.Reason)
		if t.Rechecking {
			head += ", " + tr.T("status.rechecking")
		}
		if !t.Since.IsZero() {
			head += ", " + tr.T("status.since", map[string]any{"Time": tr.Clock(t.Since, now), "Duration": tr.Duration(now.Sub(t.Since))})
		}
		line("%s", head)
		if msg := t.MessageIn(tr); msg != "" {
			line("  %s", msg)
		}
		if note := tr.UnsteadyNote(t.Level, t.Recent); note != "" {
			line("  ! %s", note)
		}
		if t.Last != nil && t.Last.Detail != "" {
			// The classifier's own words ("root element {}html is not a
			// WSDL definitions"): what a helpdesk can search for.
			line("  %s: %s", tr.T("diag.detail"), t.Last.Detail)
		}
		if t.Last != nil && t.Last.RedirectedTo != "" {
			line("  %s: %s", tr.T("diag.redirected_to"), t.Last.RedirectedTo)
		}
		if t.Last != nil && t.Last.ClockSkewSuspicious() {
			line("  ! %s", tr.T("check.clock_skew", map[string]any{"Diff": tr.Duration(t.Last.ClockSkew.Round(time.Minute))}))
		}
		if t.Last != nil && t.Last.Proxy != "" {
			line("  %s", tr.ViaProxy(*t.Last))
		}
		if t.Last != nil && t.Last.RetryAfter > 0 {
			line("  %s", tr.T("diag.retry_after", map[string]any{"Duration": tr.Duration(t.Last.RetryAfter)}))
		}
	}
	b.WriteString("\n")

	line("%s: 24 %s %s, 7 %s %s, 30 %s %s", tr.T("diag.uptime"), tr.T("diag.hours"), percent(tr, stats.Uptime24h),
		tr.T("diag.days"), percent(tr, stats.Uptime7d), tr.T("diag.days"), percent(tr, stats.Uptime30d))
	if stats.EarlierAddress > 0 {
		line("  %s", tr.N("win.earlier_address", stats.EarlierAddress, nil))
	}
	if stats.P50 > 0 {
		line("%s: p50 %d ms, p95 %d ms", tr.T("diag.latency"), stats.P50.Milliseconds(), stats.P95.Milliseconds())
	}
	if len(stats.Outages) > 0 {
		line("%s:", tr.T("diag.outages"))
		for i, o := range stats.Outages {
			if i == 5 {
				break
			}
			d := tr.Duration(o.Duration(now))
			switch {
			case o.Ongoing:
				d = tr.T("diag.outage_ongoing", map[string]any{"Duration": d})
			case o.Unseen:
				d = tr.T("diag.outage_unseen", map[string]any{"Duration": d})
			}
			line("  %s  %s  %s", o.Start.Format("2006-01-02 15:04"), d, tr.Cause(o.Reason))
		}
	}
	b.WriteString("\n")

	line("%s:", tr.T("diag.last_checks"))
	// Checks made before the check address was changed stay listed (they
	// tell the helpdesk what the user tried) but are marked, so a 404 of a
	// mistyped address is not read as the answer of the address used now.
	tag := history.AddressTag(s.URL)
	n := 0
	for i := len(recs) - 1; i >= 0 && n < 10; i-- {
		r := recs[i]
		if r.Target != probe.PrimaryTargetID {
			continue
		}
		n++
		entry := fmt.Sprintf("  %s  %-9s %-18s HTTP %3d  %5d ms (dns %d, %s %d, tls %d, server %d)",
			r.At.Format("01-02 15:04:05"), r.Level, r.Reason, r.Status, r.MS[4], r.MS[0], tr.T("diag.connect"), r.MS[1], r.MS[2], r.MS[3])
		if r.Skew != nil && *r.Skew != 0 {
			entry += fmt.Sprintf(" skew %+ds", *r.Skew)
		}
		if r.Error != "" {
			entry += "  " + r.Error
		}
		if !r.OfAddress(tag) {
			entry += "  [" + tr.T("diag.earlier_address") + "]"
		}
		line("%s", entry)
	}
	if n == 0 {
		line("  %s", tr.T("diag.no_checks"))
	}
	b.WriteString("\n")
	line("%s: %s", tr.T("diag.files"), strings.Join(nonEmpty(st.ConfigPath, st.HistoryDir, st.LogPath), ", "))
	return b.String()
}

func percent(tr *i18n.Translator, p float64) string {
	if math.IsNaN(p) {
		return "–"
	}
	s := fmt.Sprintf("%.2f %%", p)
	if tr.Lang() == "id" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
