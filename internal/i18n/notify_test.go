package i18n

import (
	"strings"
	"testing"
	"time"

	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
)

// Each notification reads as a sentence in both languages: the service by
// its name, the outage's length and cause on recovery, the "slowly" variant
// when the first good answer is slow, and no template key left showing.
func TestNotificationTexts(t *testing.T) {
	up := probe.Result{Target: probe.PrimaryTargetID, Level: probe.LevelUp, Reason: probe.ReasonOK}
	slow := probe.Result{Target: probe.PrimaryTargetID, Level: probe.LevelDegraded, Reason: probe.ReasonSlow}
	down := probe.Result{Target: probe.PrimaryTargetID, Level: probe.LevelDown, Reason: probe.ReasonMaintenance}
	outage := 23 * time.Minute
	back := time.Date(2026, 11, 25, 17, 32, 0, 0, time.FixedZone("WIB", 7*3600))
	for _, tc := range []struct {
		lang      string
		n         monitor.Notification
		title     string
		bodyParts []string
	}{
		{"id", monitor.Notification{Kind: monitor.NotifyDown, Target: "efaktur", Reason: probe.ReasonMaintenance, Result: down},
			"Server e-Faktur DOWN", []string{"maintenance"}},
		{"id", monitor.Notification{Kind: monitor.NotifyRecovered, Target: "efaktur", Reason: probe.ReasonMaintenance, Outage: outage, Result: up},
			"Server e-Faktur kembali online", []string{"kembali online setelah 23 menit", "maintenance DJP"}},
		{"en", monitor.Notification{Kind: monitor.NotifyRecovered, Target: "efaktur", Reason: probe.ReasonTimeout, Outage: outage, Result: up},
			"is back online", []string{"back online after 23 minutes", "Invoices can be uploaded again"}},
		{"id", monitor.Notification{Kind: monitor.NotifyRecovered, Target: "efaktur", Reason: probe.ReasonTimeout, Outage: outage, Result: slow},
			"Server e-Faktur kembali online", []string{"setelah 23 menit", "lambat"}},
		// Held by a snooze "until tomorrow 08:00": told the next morning, since when.
		{"id", monitor.Notification{Kind: monitor.NotifyRecovered, Target: "efaktur", Reason: probe.ReasonMaintenance, Outage: outage, Result: up,
			Back: back, Delayed: back.Add(14*time.Hour + 28*time.Minute)},
			"Server e-Faktur kembali online", []string{"sudah kembali online sejak kemarin 17:32", "gangguan selama 23 menit", "maintenance DJP"}},
		{"en", monitor.Notification{Kind: monitor.NotifyRecovered, Target: "efaktur", Reason: probe.ReasonTimeout, Outage: outage, Result: slow,
			Back: back, Delayed: back.Add(20 * time.Minute)},
			"is back online", []string{"answering again since 17:32", "outage of 23 minutes", "slowly"}},
		// A "down" held by a snooze: told when it ends, with since when.
		{"id", monitor.Notification{Kind: monitor.NotifyDown, Target: "efaktur", Reason: probe.ReasonMaintenance, Result: down,
			Start: back, Delayed: back.Add(time.Hour + 5*time.Minute)},
			"Server e-Faktur DOWN", []string{"maintenance", "sejak 17:32 (1 jam 5 menit)", "diberi tahu"}},
		{"en", monitor.Notification{Kind: monitor.NotifyDown, Target: "efaktur", Reason: probe.ReasonTimeout, Result: down,
			Start: back, Delayed: back.Add(15 * time.Hour)},
			"is DOWN", []string{"Down since yesterday 17:32 (15 hours)", "back online"}},
		{"en", monitor.Notification{Kind: monitor.NotifyDegraded, Target: "efaktur", Reason: probe.ReasonSlow, Result: slow, FollowUp: true},
			"answers again, but not normally yet", nil},
		{"en", monitor.Notification{Kind: monitor.NotifyDegraded, Target: "efaktur", Reason: probe.ReasonSlow, Result: slow},
			"is degraded", nil},
		{"id", monitor.Notification{Kind: monitor.NotifyOffline, Target: "efaktur", Reason: probe.ReasonOffline},
			"PC ini offline", []string{"internet"}},
		{"en", monitor.Notification{Kind: monitor.NotifyOnline, Target: "efaktur", Result: up},
			"This PC is back online", nil},
	} {
		tr := New(tc.lang)
		title, body := tr.Notification(tc.n)
		if !strings.Contains(title, tc.title) || body == "" {
			t.Errorf("%s %s: %q / %q", tc.lang, tc.n.Kind, title, body)
		}
		for _, part := range tc.bodyParts {
			if !strings.Contains(body, part) {
				t.Errorf("%s %s: body %q lacks %q", tc.lang, tc.n.Kind, body, part)
			}
		}
		if strings.Contains(title+body, "notify.") || strings.Contains(title+body, "<no value>") {
			t.Errorf("%s %s: a key or an empty field shows: %q / %q", tc.lang, tc.n.Kind, title, body)
		}
	}
}
