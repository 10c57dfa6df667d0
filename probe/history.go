package probe

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// HistoryRetention is how long check history is kept.
const HistoryRetention = 90 * 24 * time.Hour

// Record is one check as stored in history: the Result, compacted (one
// line of ~150 bytes; 90 days of 1-minute checks stay under 20 MB).
type Record struct {
	At     time.Time `json:"t"`
	Target string    `json:"id"`
	Level  Level     `json:"l"`
	Reason Reason    `json:"r"`
	Status int       `json:"s,omitempty"`
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
func RecordOf(r Result) Record {
	rec := Record{At: r.CheckedAt, Target: r.Target, Level: r.Level, Reason: r.Reason, Status: r.HTTPStatus,
		MS:    [5]int64{ms(r.Phases.DNS), ms(r.Phases.Connect), ms(r.Phases.TLS), ms(r.Phases.TTFB), ms(r.Phases.Total)},
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
		rec.Target = PrimaryTargetID
	}
	return rec
}

// Total is the check's latency.
func (r Record) Total() time.Duration { return fromMS(r.MS[4]) }

// Result is the record as a check result at url, as far as the record
// remembers it (no proxy, no reference check, clock skew unknown).
func (r Record) Result(url string) Result {
	return Result{Target: r.Target, URL: url, Level: r.Level, Reason: r.Reason, HTTPStatus: r.Status,
		Phases: Phases{fromMS(r.MS[0]), fromMS(r.MS[1]), fromMS(r.MS[2]), fromMS(r.MS[3]), fromMS(r.MS[4])},
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

// OpenHistory prepares dir (created 0700 if needed).
func OpenHistory(dir string) (*History, error) {
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
	cutoff := now.Add(-HistoryRetention).Format("2006-01-02")
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
	return LoadHistory(h.dir, from, to)
}

// LoadHistory is Load for a directory (used by windows and the CLI, which
// read what the agent writes).
func LoadHistory(dir string, from, to time.Time) (recs []Record, skipped int, err error) {
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

// Outage is a confirmed outage found in history.
type Outage struct {
	Start     time.Time
	End       time.Time // zero while ongoing
	Reason    Reason    // most frequent reason
	Checks    int
	Ongoing   bool
	Confirmed time.Time // its FailThreshold-th down check: when "down" was decided
	// Unseen: the app stopped during the outage (a gap in the history); End
	// is its last down check, not a recovery anyone saw.
	Unseen bool
}

// Duration of the outage (until now if ongoing).
func (o Outage) Duration(now time.Time) time.Duration {
	if o.Ongoing {
		return now.Sub(o.Start)
	}
	return o.End.Sub(o.Start)
}

// Stats summarises history for the status window.
type Stats struct {
	Uptime24h, Uptime7d, Uptime30d float64 // percent; NaN without data
	P50, P95                       time.Duration
	Outages                        []Outage // newest first
	Checks                         int      // records of the target considered
	// EarlierAddress counts the target's records of another address than
	// StatsOptions.URL, left out of every figure above.
	EarlierAddress int
}

// StatsOptions tune Summarize.
type StatsOptions struct {
	Target           string
	FailThreshold    int           // failures in a row that make an outage (default 3)
	RecoverThreshold int           // answers in a row that end one (default 2)
	MaxGap           time.Duration // a record speaks for at most this long (default 5 min)
	// URL, when set, is the address checked now. Records of another
	// address (the user changed it, e.g. to mend a typo that had it failing
	// for an hour) tell nothing about the server checked now: Summarize
	// leaves them out, and they end FindOpenOutage's run.
	URL string
}

// withDefaults fills in what the caller left zero.
func (o StatsOptions) withDefaults() StatsOptions {
	if o.Target == "" {
		o.Target = PrimaryTargetID
	}
	if o.FailThreshold <= 0 {
		o.FailThreshold = 3
	}
	if o.RecoverThreshold <= 0 {
		o.RecoverThreshold = 2
	}
	if o.MaxGap <= 0 {
		o.MaxGap = 5 * time.Minute
	}
	return o
}

// Summarize computes uptime, latency percentiles and outages for one
// target. Uptime is time-weighted: each check stands for the time until the
// next one (at most MaxGap, so hours the app was not running count for
// nothing); "offline" time is left out, since it says nothing about DJP.
func Summarize(recs []Record, now time.Time, o StatsOptions) Stats {
	o = o.withDefaults()
	mine := make([]Record, 0, len(recs))
	earlier, tag := 0, AddressTag(o.URL)
	for _, r := range recs {
		switch {
		case r.Target != o.Target:
		case !r.OfAddress(tag):
			earlier++
		default:
			mine = append(mine, r)
		}
	}
	st := Stats{Checks: len(mine), EarlierAddress: earlier}
	st.Uptime24h = uptime(mine, now.Add(-24*time.Hour), now, o.MaxGap)
	st.Uptime7d = uptime(mine, now.Add(-7*24*time.Hour), now, o.MaxGap)
	st.Uptime30d = uptime(mine, now.Add(-30*24*time.Hour), now, o.MaxGap)

	var lat []time.Duration
	dayAgo := now.Add(-24 * time.Hour)
	for _, r := range mine {
		if !r.At.Before(dayAgo) && (r.Reason == ReasonOK || r.Reason == ReasonSlow) {
			lat = append(lat, r.Total())
		}
	}
	st.P50, st.P95 = percentile(lat, 50), percentile(lat, 95)
	st.Outages, _ = replay(mine, time.Time{}, o)
	return st
}

func uptime(recs []Record, from, to time.Time, maxGap time.Duration) float64 {
	var up, counted time.Duration
	for i, r := range recs {
		end := r.At.Add(maxGap)
		if i+1 < len(recs) && recs[i+1].At.Before(end) {
			end = recs[i+1].At
		}
		if end.After(to) {
			end = to
		}
		start := r.At
		if start.Before(from) {
			start = from
		}
		if !end.After(start) {
			continue
		}
		d := end.Sub(start)
		switch r.Level {
		case LevelUp, LevelDegraded:
			up += d
			counted += d
		case LevelDown:
			counted += d
		}
	}
	if counted == 0 {
		return math.NaN()
	}
	return 100 * float64(up) / float64(counted)
}

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	idx := int(math.Ceil(float64(p)/100*float64(len(s)))) - 1
	return s[max(0, min(idx, len(s)-1))]
}

// ExportFileName names an export of the history made on now's day, the
// same from the command line and from the status window's "Ekspor CSV".
func ExportFileName(now time.Time, ext string) string {
	return "pantau-efaktur-" + now.Format("2006-01-02") + ext
}

// CSVHeader is the header row of the CSV export.
var CSVHeader = []string{"checked_at", "target", "level", "reason", "http_status", "total_ms",
	"dns_ms", "connect_ms", "tls_ms", "ttfb_ms", "bytes", "clock_skew_s", "error", "local_time"}

// WriteCSV writes records as CSV (RFC 4180) with the header row. Times are
// in the PC's time zone, whatever zone a line was written in (a laptop
// that travelled, history copied from another PC), so rows sort and read
// as the user's clock.
// The last column, local_time, is checked_at's wall clock without the "T"
// and the offset (time.DateTime), the one form a spreadsheet (Excel in any
// language, LibreOffice) reads as a date-time rather than text; it is last
// so scripts reading the earlier columns by position keep working.
// sep is the field separator (',' or ';' for spreadsheets set to Indonesian).
func WriteCSV(w io.Writer, recs []Record, sep rune) error {
	cw := csv.NewWriter(w)
	if sep != 0 {
		cw.Comma = sep
	}
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	for _, r := range recs {
		skew := ""
		if r.Skew != nil {
			skew = strconv.FormatInt(*r.Skew, 10)
		}
		at := r.At.Local()
		row := []string{at.Format(time.RFC3339), csvSafe(r.Target), string(r.Level), csvSafe(string(r.Reason)),
			strconv.Itoa(r.Status), strconv.FormatInt(r.MS[4], 10), strconv.FormatInt(r.MS[0], 10),
			strconv.FormatInt(r.MS[1], 10), strconv.FormatInt(r.MS[2], 10), strconv.FormatInt(r.MS[3], 10),
			strconv.FormatInt(r.Bytes, 10), skew, csvSafe(r.Error), at.Format(time.DateTime)}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// csvSafe defuses text that a spreadsheet would run as a formula (an error
// text comes from the network, so it is untrusted; so is any text of a
// history file copied from elsewhere or mended by hand).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// OpenOutage is an outage that was still open when the history ends: the
// agent stopped (restart, update, log-off) while the target was down.
type OpenOutage struct {
	Start   time.Time      // first down check of the run
	Reasons map[Reason]int // down checks by reason
	Last    Record         // the newest check: down or offline
	// Confirmed is the FailThreshold-th down check of the run: when the
	// previous run decided "down" (and notified, or held it under a snooze).
	Confirmed time.Time
	// Held says that the previous run held its "down" under a snooze that
	// still runs: the user has not heard of this outage yet. The caller,
	// which keeps the snooze, sets it.
	Held bool
}

// FindOpenOutage is FindOpenOutages for one target.
func FindOpenOutage(dir string, now time.Time, o StatsOptions) (OpenOutage, bool, error) {
	open, err := FindOpenOutages(dir, now, []StatsOptions{o})
	got, found := open[o.withDefaults().Target]
	return got, found, err
}

// FindOpenOutages finds the outages a restarted agent takes up, by target
// (OpenOutageIn). It reads the last day of history, and further back, up
// to a week, only while an outage reaches back to where it began reading.
// A record stamped later than now comes from a clock that was ahead and is
// left out.
func FindOpenOutages(dir string, now time.Time, opts []StatsOptions) (map[string]OpenOutage, error) {
	for back := 24 * time.Hour; ; back *= 2 {
		from := now.Add(-back)
		recs, _, err := LoadHistory(dir, from, now.Add(time.Second))
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		open, wider := map[string]OpenOutage{}, false
		for _, o := range opts {
			o = o.withDefaults()
			if got, found := OpenOutageIn(recs, now, o); found {
				open[o.Target] = got
				wider = wider || got.Start.Sub(from) < o.MaxGap
			}
		}
		if !wider || back >= 7*24*time.Hour {
			return open, nil
		}
	}
}

// OpenOutageIn replays o.Target's checks of o.URL through the monitor's
// own rules (replay) and gives the outage they leave open, if the newest
// check is at most o.MaxGap before now.
func OpenOutageIn(recs []Record, now time.Time, o StatsOptions) (OpenOutage, bool) {
	o = o.withDefaults()
	_, open := replay(mine(recs, o), now, o)
	return open, !open.Start.IsZero()
}

// mine are the records of o.Target at o.URL (or of no known address).
func mine(recs []Record, o StatsOptions) []Record {
	tag := AddressTag(o.URL)
	out := make([]Record, 0, len(recs))
	for _, r := range recs {
		if r.Target == o.Target && r.OfAddress(tag) {
			out = append(out, r)
		}
	}
	return out
}
