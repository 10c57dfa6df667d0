package history

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"pantau-efaktur/probe"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Retention is how long check history is kept.
const Retention = 90 * 24 * time.Hour

// Record is one check as stored in history: the Result, compacted (one
// line of ~150 bytes; 90 days of 1-minute checks stay under 20 MB).
type Record struct {
	At     time.Time    `json:"t"`
	Target string       `json:"id"`
	Level  probe.Level  `json:"l"`
	Reason probe.Reason `json:"r"`
	Status int          `json:"s,omitempty"`
	// MS holds dns, connect, tls, ttfb and total in milliseconds.
	MS    [5]int64 `json:"ms"`
	Bytes int64    `json:"b,omitempty"`
	Skew  *int64   `json:"sk,omitempty"` // clock skew in seconds, when known
	Error string   `json:"e,omitempty"`  // first 200 bytes of the error text
	// Addr is AddressTag of the address checked; empty in records written
	// before it was kept.
	Addr string `json:"a,omitempty"`
}

// OfAddress reports whether r may be of the address tagged tag
// (AddressTag): true when either is unknown (no address given, or a record
// older than address tags).
func (r Record) OfAddress(tag string) bool {
	return tag == "" || r.Addr == "" || r.Addr == tag
}

// AddressTag is a short fingerprint of a check address (8 hex digits).
// Records keep it instead of the address itself, so a line stays short and
// checks of one address are never counted for another after the user
// changed it (see StatsOptions.URL).
func AddressTag(url string) string {
	if url == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(url))
	return hex.EncodeToString(sum[:4])
}

// RecordOf compacts a result.
func RecordOf(r probe.Result) Record {
	rec := Record{At: r.CheckedAt, Target: r.Target, Level: r.Level, Reason: r.Reason, Status: r.HTTPStatus,
		MS:    [5]int64{probe.Millis(r.Phases.DNS), probe.Millis(r.Phases.Connect), probe.Millis(r.Phases.TLS), probe.Millis(r.Phases.TTFB), probe.Millis(r.Phases.Total)},
		Bytes: r.Bytes, Addr: AddressTag(r.URL)}
	if !r.ServerDate.IsZero() {
		s := int64(math.Round(r.ClockSkew.Seconds()))
		rec.Skew = &s
	}
	if r.Error != "" {
		rec.Error = r.Error
		if len(rec.Error) > 200 {
			rec.Error = rec.Error[:200]
		}
	}
	if rec.Target == "" {
		rec.Target = probe.PrimaryTargetID
	}
	return rec
}

// Total is the check's latency.
func (r Record) Total() time.Duration { return probe.FromMillis(r.MS[4]) }

// Result is the record as a check result at url, as far as the record
// remembers it (no proxy, no reference check, clock skew unknown).
func (r Record) Result(url string) probe.Result {
	return probe.Result{Target: r.Target, URL: url, Level: r.Level, Reason: r.Reason, HTTPStatus: r.Status,
		Phases: probe.Phases{DNS: probe.FromMillis(r.MS[0]), Connect: probe.FromMillis(r.MS[1]), TLS: probe.FromMillis(r.MS[2]), TTFB: probe.FromMillis(r.MS[3]), Total: probe.FromMillis(r.MS[4])},
		Bytes:  r.Bytes, Error: r.Error, CheckedAt: r.At}
}

// History is the append-only check log: one JSON line per check in
// <dir>/YYYY-MM-DD.jsonl (local date). Safe for concurrent use.
type History struct {
	dir string

	mu      sync.Mutex
	file    *os.File
	day     string
	lastErr time.Time // last time an append error was logged (disk full)
}

// Open prepares dir (created 0700 if needed).
func Open(dir string) (*History, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create history directory %s: %w", dir, err)
	}
	return &History{dir: dir}, nil
}

// Dir is the history directory.
func (h *History) Dir() string { return h.dir }

// Empty reports whether the history holds no day at all: the agent has
// never checked anything on this account (or not in the days kept).
func (h *History) Empty() (bool, error) {
	days, err := historyDays(h.dir)
	return len(days) == 0, err
}

// Append writes one record. Each record is one write(2) of a whole line; a
// file whose last line was torn by a crash gets a newline first, so the torn
// line stays alone (and is skipped when read). Errors (disk full) are
// returned; callers log them and keep running.
func (h *History) Append(r Record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode history record: %w", err)
	}
	line = append(line, '\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	day := r.At.Format("2006-01-02")
	if h.file == nil || h.day != day {
		if err := h.openDay(day); err != nil {
			return err
		}
	}
	if _, err := h.file.Write(line); err != nil {
		// Next time, reopen (and repair a possibly torn end).
		h.file.Close()
		h.file = nil
		return fmt.Errorf("append to history %s: %w", day, err)
	}
	return nil
}

func (h *History) openDay(day string) error {
	if h.file != nil {
		h.file.Close()
		h.file = nil
	}
	path := filepath.Join(h.dir, day+".jsonl")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open history %s: %w", path, err)
	}
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
			if _, err := f.Write([]byte{'\n'}); err != nil {
				f.Close()
				return fmt.Errorf("repair torn end of %s: %w", path, err)
			}
		}
	}
	h.file, h.day = f, day
	return nil
}

// Close closes the current day's file.
func (h *History) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.file == nil {
		return nil
	}
	err := h.file.Close()
	h.file = nil
	return err
}

// Prune deletes day files older than the retention.
func (h *History) Prune(now time.Time) (removed int, err error) {
	days, err := historyDays(h.dir)
	if err != nil {
		return 0, err
	}
	cutoff := now.Add(-Retention).Format("2006-01-02")
	for _, day := range days {
		if day >= cutoff {
			break
		}
		if rerr := os.Remove(filepath.Join(h.dir, day+".jsonl")); rerr != nil {
			err = errors.Join(err, rerr)
			continue
		}
		removed++
	}
	return removed, err
}

// Load reads the records with from ≤ At < to, oldest first, with times in
// the PC's time zone. Garbage and torn lines are skipped and counted, never
// fatal.
func (h *History) Load(from, to time.Time) (recs []Record, skipped int, err error) {
	return Load(h.dir, from, to)
}

// Load is Load for a directory (used by windows and the CLI, which
// read what the agent writes).
func Load(dir string, from, to time.Time) (recs []Record, skipped int, err error) {
	days, err := historyDays(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	// Day files are named by local date; widen by a day for time zones.
	lo, hi := from.Add(-24*time.Hour).Format("2006-01-02"), to.Add(24*time.Hour).Format("2006-01-02")
	days = slices.DeleteFunc(days, func(day string) bool { return day < lo || day > hi })
	for _, day := range days {
		r, s, ferr := loadFile(filepath.Join(dir, day+".jsonl"), from, to)
		if recs == nil {
			recs = make([]Record, 0, len(r)*len(days))
		}
		recs, skipped = append(recs, r...), skipped+s
		err = errors.Join(err, ferr)
	}
	sortByTime(recs)
	return recs, skipped, err
}

// historyDays lists the days (YYYY-MM-DD) that have a file in dir, oldest
// first; other files are not history and are left alone.
func historyDays(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list history: %w", err)
	}
	var days []string
	for _, e := range entries {
		day, ok := strings.CutSuffix(e.Name(), ".jsonl")
		if !ok || len(day) != 10 {
			continue
		}
		if _, err := time.Parse("2006-01-02", day); err == nil {
			days = append(days, day)
		}
	}
	slices.Sort(days)
	return days, nil
}

// sortByTime orders records oldest first. Files are read in date order and
// written in time order, so they almost always are already; sorting 43k
// records is not free.
func sortByTime(recs []Record) {
	byTime := func(a, b Record) int { return a.At.Compare(b.At) }
	if !slices.IsSortedFunc(recs, byTime) {
		slices.SortStableFunc(recs, byTime)
	}
}

func loadFile(path string, from, to time.Time) ([]Record, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, fmt.Errorf("read history %s: %w", path, err)
	}
	recs, skipped := ParseRecords(data, from, to)
	return recs, skipped, nil
}

// ParseRecords reads a day file's lines: the records checked in [from, to),
// and how many lines were not records (a torn write, junk, a line from
// another program or a newer version).
func ParseRecords(data []byte, from, to time.Time) ([]Record, int) {
	recs := make([]Record, 0, bytes.Count(data, []byte{'\n'})+1)
	skipped := 0
	// The whole file is in memory already: split it without a line-length
	// limit, so junk of any size (a power cut's run of NUL bytes) costs one
	// skipped line, never the checks written after it.
	for line := range bytes.Lines(data) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r Record
		if json.Unmarshal(line, &r) != nil || r.At.IsZero() || !r.Level.Valid() {
			skipped++
			continue
		}
		if r.At.Before(from) || !r.At.Before(to) {
			continue
		}
		// A line keeps the zone the agent had when it wrote it; a user
		// who has just mended a PC set to UTC reads WIB times from now on.
		r.At = r.At.Local()
		recs = append(recs, r)
	}
	return recs, skipped
}
