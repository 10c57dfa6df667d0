package tray

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"pantau-efaktur/probe"
)

// The snooze lives in its own small file, not in the settings: it is a
// moment's choice ("mute for an hour"), not a preference, and the settings
// window must never overwrite it or be overwritten by it. It is kept so
// that "until tomorrow 08:00" still holds after the PC was shut down for the
// night.

// maxSnooze bounds a remembered snooze: the menu offers at most "until
// tomorrow 08:00"; a file saying more (hand-edited, or a PC clock that was
// far off when it was written) is not believed.
const maxSnooze = 48 * time.Hour

type snoozeFile struct {
	Until time.Time `json:"until"`
}

// saveSnooze records the snooze's end; zero removes the record.
func saveSnooze(path string, until time.Time) error {
	if until.IsZero() {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("forget the snooze: %w", err)
		}
		return nil
	}
	b, err := json.Marshal(snoozeFile{Until: until})
	if err != nil {
		return fmt.Errorf("encode the snooze: %w", err)
	}
	if err := probe.WriteFileAtomic(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("remember the snooze: %w", err)
	}
	return nil
}

// loadSnooze returns the end of a snooze still running at now, or zero:
// none, over, unreadable or beyond maxSnooze.
func loadSnooze(path string, now time.Time) (time.Time, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read the snooze: %w", err)
	}
	var f snoozeFile
	if err := json.Unmarshal(b, &f); err != nil {
		return time.Time{}, fmt.Errorf("read the snooze %s: %w", path, err)
	}
	if !f.Until.After(now) || f.Until.Sub(now) > maxSnooze {
		return time.Time{}, nil
	}
	return f.Until, nil
}
