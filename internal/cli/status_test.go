package cli

import (
	"strings"
	"testing"
	"time"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
)

func TestHumanStatus(t *testing.T) {
	wib := time.FixedZone("WIB", 7*3600)
	now := time.Date(2026, 11, 26, 9, 15, 0, 0, wib)
	last := probe.Result{Target: "efaktur", Level: probe.LevelDown, Reason: probe.ReasonMaintenance, CheckedAt: now.Add(-20 * time.Second),
		Phases: probe.Phases{Total: 310 * time.Millisecond}}
	// An agent running in Indonesian: its own sentence is Indonesian.
	down := ipc.TargetState{Target: "efaktur", Level: probe.LevelDown, Reason: probe.ReasonMaintenance,
		Since: time.Date(2026, 11, 25, 16, 5, 0, 0, wib), Last: &last, Message: i18n.New("id").Message(last)}
	coretaxLast := probe.Result{Target: "coretax", Level: probe.LevelDown, Reason: probe.ReasonServerError, CheckedAt: now}
	coretax := ipc.TargetState{Target: "coretax", Level: probe.LevelDown, Reason: probe.ReasonServerError, Last: &coretaxLast}
	enofa := ipc.TargetState{Target: "enofa", Level: probe.LevelUp, Reason: probe.ReasonOK}
	st := ipc.Status{Lang: "id", Targets: []ipc.TargetState{down, coretax, enofa}}
	shaky := monitor.Tally{Checks: 10, Failures: 4, Episodes: 3}
	upLast := probe.Result{Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK, CheckedAt: now}
	up := ipc.TargetState{Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK, Last: &upLast, Recent: shaky}
	shakyEnofa := enofa
	shakyEnofa.Recent = shaky

	tests := []struct {
		name    string
		lang    string
		st      ipc.Status
		want    []string
		notWant []string
	}{
		{"indonesian", "id", st,
			[]string{"DOWN — Server e-Faktur sedang dalam perbaikan", "sejak kemarin 16:05 (17 jam 10 menit)", "pemeriksaan terakhir 09:14:40, 310 ms",
				"Coretax: DOWN (error server DJP)", "e-Nofa: ONLINE\n"},
			nil},
		// status --lang en against an Indonesian agent: every line English,
		// the state's sentence too.
		{"english reader", "en", st,
			[]string{"DOWN — The e-Faktur server is down for maintenance by DJP.", "since yesterday 16:05 (17 hours 10 minutes)", "last check 09:14:40, 310 ms"},
			[]string{"perbaikan", "sejak", "kemarin"}},
		{"muted", "id", ipc.Status{Targets: []ipc.TargetState{down}, SnoozedUntil: time.Date(2026, 11, 27, 8, 0, 0, 0, wib)},
			[]string{"Notifikasi dibisukan sampai besok 08:00"}, nil},
		// Online, but failing now and then: said under the state, and in a
		// secondary service's line.
		{"unsteady", "id", ipc.Status{Targets: []ipc.TargetState{up, shakyEnofa}},
			[]string{"ONLINE — ", "  ! Tidak stabil: 4 dari 10 pemeriksaan terakhir gagal.", "e-Nofa: ONLINE (tidak stabil)\n"}, nil},
		{"steady", "id", st, nil, []string{"stabil"}},
		// Both services in use: each has its sentence and last check.
		{"two services", "id", ipc.Status{Services: 2, Targets: []ipc.TargetState{down, coretax, enofa}},
			[]string{"DOWN — Server e-Faktur sedang dalam perbaikan", "DOWN — " + i18n.New("id").Message(coretaxLast), "pemeriksaan terakhir 09:15:00", "e-Nofa: ONLINE\n"},
			[]string{"Coretax: DOWN (error server DJP)"}},
		// A mute that has run out is not told.
		{"mute over", "id", ipc.Status{Targets: []ipc.TargetState{down}, SnoozedUntil: now.Add(-time.Minute)},
			nil, []string{"dibisukan"}},
	}
	for _, tc := range tests {
		got := HumanStatus(i18n.New(tc.lang), tc.st, now)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q:\n%s", tc.name, w, got)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(got, w) {
				t.Errorf("%s: has %q:\n%s", tc.name, w, got)
			}
		}
	}
}
