package tray

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSnoozeSurvivesARestart(t *testing.T) {
	now := time.Date(2026, 11, 25, 17, 30, 0, 0, time.Local)
	tomorrow8 := time.Date(2026, 11, 26, 8, 0, 0, 0, time.Local)
	path := filepath.Join(t.TempDir(), "sub", "snooze.json")

	if got, err := loadSnooze(path, now); err != nil || !got.IsZero() {
		t.Fatalf("no file: %v %v", got, err)
	}
	if err := saveSnooze(path, tomorrow8); err != nil {
		t.Fatal(err)
	}
	// Shut down for the night, started again at 07:30: still muted until 08:00.
	if got, err := loadSnooze(path, tomorrow8.Add(-30*time.Minute)); err != nil || !got.Equal(tomorrow8) {
		t.Fatalf("after restart: %v %v, want %v", got, err, tomorrow8)
	}
	// Started at 09:00: the snooze is over.
	if got, err := loadSnooze(path, tomorrow8.Add(time.Hour)); err != nil || !got.IsZero() {
		t.Fatalf("after its end: %v %v", got, err)
	}
	// "Nyalakan lagi" forgets it.
	if err := saveSnooze(path, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("snooze file left after unmuting: %v", err)
	}
	if err := saveSnooze(path, time.Time{}); err != nil {
		t.Fatalf("unmuting twice: %v", err)
	}
}

func TestSnoozeFileNotBelievedBlindly(t *testing.T) {
	now := time.Date(2026, 11, 25, 17, 30, 0, 0, time.Local)
	for _, tc := range []struct {
		name    string
		content string
		wantErr bool
	}{
		{"garbage", "mute!", true},
		{"torn", `{"until":"2026-11-26T08:`, true},
		{"a week away", `{"until":"2026-12-02T08:00:00+07:00"}`, false},
		{"empty object", `{}`, false},
	} {
		path := filepath.Join(t.TempDir(), "snooze.json")
		os.WriteFile(path, []byte(tc.content), 0o600)
		got, err := loadSnooze(path, now)
		if !got.IsZero() || (err != nil) != tc.wantErr {
			t.Errorf("%s: %v %v", tc.name, got, err)
		}
	}
}
