package agent

import (
	"os"
	"pantau-efaktur/monitor"
	"path/filepath"
	"testing"
	"time"
)

func TestSnoozeSurvivesARestart(t *testing.T) {
	now := time.Date(2026, 11, 25, 17, 30, 0, 0, time.Local)
	tomorrow8 := time.Date(2026, 11, 26, 8, 0, 0, 0, time.Local)
	path := filepath.Join(t.TempDir(), "sub", "snooze.json")

	if got, err := loadSnooze(path, now); err != nil || got != (snooze{}) {
		t.Fatalf("no file: %v %v", got, err)
	}
	if err := saveSnooze(path, snooze{From: now, Until: tomorrow8}); err != nil {
		t.Fatal(err)
	}
	// Shut down for the night, started again at 07:30: still muted until
	// 08:00, since 17:30.
	if got, err := loadSnooze(path, tomorrow8.Add(-30*time.Minute)); err != nil || !got.Until.Equal(tomorrow8) || !got.From.Equal(now) {
		t.Fatalf("after restart: %+v %v, want %v to %v", got, err, now, tomorrow8)
	}
	// Started at 09:00: the snooze is over.
	if got, err := loadSnooze(path, tomorrow8.Add(time.Hour)); err != nil || got != (snooze{}) {
		t.Fatalf("after its end: %+v %v", got, err)
	}
	// "Nyalakan lagi" forgets it.
	if err := saveSnooze(path, snooze{From: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("snooze file left after unmuting: %v", err)
	}
	if err := saveSnooze(path, snooze{}); err != nil {
		t.Fatalf("unmuting twice: %v", err)
	}
}

func TestSnoozeFileNotBelievedBlindly(t *testing.T) {
	now := time.Date(2026, 11, 25, 17, 30, 0, 0, time.FixedZone("WIB", 7*3600))
	until := time.Date(2026, 11, 26, 8, 0, 0, 0, now.Location())
	for _, tc := range []struct {
		name    string
		content string
		want    snooze
		wantErr bool
	}{
		{"garbage", "mute!", snooze{}, true},
		{"torn", `{"until":"2026-11-26T08:`, snooze{}, true},
		{"a week away", `{"until":"2026-12-02T08:00:00+07:00"}`, snooze{}, false},
		{"empty object", `{}`, snooze{}, false},
		// Written before the start was kept: muted, since unknown.
		{"no start", `{"until":"2026-11-26T08:00:00+07:00"}`, snooze{Until: until}, false},
		{"a start in the future", `{"from":"2026-11-25T20:00:00+07:00","until":"2026-11-26T08:00:00+07:00"}`, snooze{Until: until}, false},
	} {
		path := filepath.Join(t.TempDir(), "snooze.json")
		os.WriteFile(path, []byte(tc.content), 0o600)
		got, err := loadSnooze(path, now)
		if !got.From.Equal(tc.want.From) || !got.Until.Equal(tc.want.Until) || (err != nil) != tc.wantErr {
			t.Errorf("%s: %+v %v, want %+v", tc.name, got, err, tc.want)
		}
	}
}

// Only an outage confirmed while the mute ran had its "down" held; one
// told before the user muted is not told again after a restart.
func TestSnoozeHeldTheOutage(t *testing.T) {
	from := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	muted := snooze{From: from, Until: from.Add(time.Hour)}
	for _, tc := range []struct {
		name      string
		s         snooze
		confirmed time.Time
		want      bool
	}{
		{"confirmed during the mute", muted, from.Add(10 * time.Minute), true},
		{"confirmed as the mute began", muted, from, true},
		{"confirmed before the mute: told", muted, from.Add(-time.Minute), false},
		{"confirmed after the mute", muted, from.Add(time.Hour), false},
		{"start of the mute unknown", snooze{Until: muted.Until}, from.Add(10 * time.Minute), false},
		{"not muted", snooze{}, from, false},
		{"confirmation unknown", muted, time.Time{}, false},
	} {
		if got := tc.s.held(monitor.OpenOutage{Start: from.Add(-5 * time.Minute), Confirmed: tc.confirmed}); got != tc.want {
			t.Errorf("%s: held %v, want %v", tc.name, got, tc.want)
		}
	}
}

// "Sampai besok 08:00" chosen during "1 jam" extends the mute: it began
// at the first choice, so an outage it held before stays held.
func TestSnoozeExtendedKeepsItsStart(t *testing.T) {
	at10 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	tomorrow8 := time.Date(2026, 11, 26, 8, 0, 0, 0, time.Local)
	hour := snooze{From: at10, Until: at10.Add(time.Hour)}
	for _, tc := range []struct {
		name  string
		s     snooze
		until time.Time
		now   time.Time
		want  snooze
	}{
		{"first mute", snooze{}, at10.Add(time.Hour), at10, hour},
		{"extended while it runs", hour, tomorrow8, at10.Add(30 * time.Minute), snooze{From: at10, Until: tomorrow8}},
		{"after it ended: a new mute", hour, tomorrow8, at10.Add(2 * time.Hour), snooze{From: at10.Add(2 * time.Hour), Until: tomorrow8}},
		{"unmuted", hour, time.Time{}, at10.Add(time.Minute), snooze{}},
		{"start unknown: from now", snooze{Until: at10.Add(time.Hour)}, tomorrow8, at10, snooze{From: at10, Until: tomorrow8}},
	} {
		if got := tc.s.next(tc.until, tc.now); !got.From.Equal(tc.want.From) || !got.Until.Equal(tc.want.Until) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
