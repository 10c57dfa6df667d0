package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"pantau-efaktur/monitor"
	"pantau-efaktur/settings"
	"time"
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

// snooze is a mute: from when it began (kept when it is extended) until
// when. From tells, after a restart, whether an outage still open was
// confirmed during the mute and so never told (see held).
type snooze struct {
	From  time.Time `json:"from,omitzero"` // zero in files from before it was kept
	Until time.Time `json:"until"`
}

// held says whether the "down" of an outage the previous run left open was
// held by this snooze: it was confirmed while the snooze ran.
func (s snooze) held(o monitor.OpenOutage) bool {
	return !s.From.IsZero() && !o.Confirmed.IsZero() && !o.Confirmed.Before(s.From) && o.Confirmed.Before(s.Until)
}

// next is the snooze after the user chose, at now, to mute until the given
// time (zero: unmute). Extending a running mute keeps its start: what it
// held is still unheard.
func (s snooze) next(until, now time.Time) snooze {
	switch {
	case until.IsZero():
		return snooze{}
	case s.Until.After(now) && !s.From.IsZero():
		return snooze{From: s.From, Until: until}
	}
	return snooze{From: now, Until: until}
}

// saveSnooze records the snooze; a zero end removes the record.
func saveSnooze(path string, s snooze) error {
	if s.Until.IsZero() {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("forget the snooze: %w", err)
		}
		return nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode the snooze: %w", err)
	}
	if err := settings.WriteFileAtomic(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("remember the snooze: %w", err)
	}
	return nil
}

// loadSnooze returns a snooze still running at now, or zero: none, over,
// unreadable or beyond maxSnooze.
func loadSnooze(path string, now time.Time) (snooze, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return snooze{}, nil
	}
	if err != nil {
		return snooze{}, fmt.Errorf("read the snooze: %w", err)
	}
	var s snooze
	if err := json.Unmarshal(b, &s); err != nil {
		return snooze{}, fmt.Errorf("read the snooze %s: %w", path, err)
	}
	if !s.Until.After(now) || s.Until.Sub(now) > maxSnooze {
		return snooze{}, nil
	}
	if s.From.After(now) {
		s.From = time.Time{} // written by a clock that was ahead: unknown
	}
	return s, nil
}
