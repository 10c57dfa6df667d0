package history_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"pantau-efaktur/history"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"pantau-efaktur/probe"
)

var t0 = time.Date(2026, 3, 31, 9, 0, 0, 0, time.FixedZone("WIB", 7*3600))

const primary = "efaktur"

func rec(at time.Time, level probe.Level, reason probe.Reason, totalMS int64) history.Record {
	return history.Record{At: at, Target: "efaktur", Level: level, Reason: reason, Status: 200, MS: [5]int64{1, 2, 3, 4, totalMS}}
}

func TestHistoryRoundTrip(t *testing.T) {
	h, err := history.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	res := probe.Result{Target: "efaktur", URL: "https://efaktur.pajak.go.id/svc", Level: probe.LevelDown, Reason: probe.ReasonTimeout, CheckedAt: t0,
		Phases: probe.Phases{Total: 15 * time.Second}, Error: strings.Repeat("x", 500),
		ServerDate: t0.Add(-7 * time.Minute), ClockSkew: 7 * time.Minute}
	if err := h.Append(history.RecordOf(res)); err != nil {
		t.Fatal(err)
	}
	// Written while the PC was set to another time zone.
	_, off := t0.Local().Zone()
	if err := h.Append(rec(t0.Add(time.Minute).In(time.FixedZone("away", off+3*3600)), probe.LevelUp, probe.ReasonOK, 180)); err != nil {
		t.Fatal(err)
	}
	recs, skipped, err := h.Load(t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil || skipped != 0 || len(recs) != 2 {
		t.Fatalf("recs %d skipped %d err %v", len(recs), skipped, err)
	}
	if got, want := recs[1].At.Format("15:04 -07:00"), t0.Add(time.Minute).Local().Format("15:04 -07:00"); got != want {
		t.Errorf("a line written in another zone loads as %s, want the PC's %s", got, want)
	}
	r := recs[0]
	if !r.At.Equal(t0) || r.Level != probe.LevelDown || r.Reason != probe.ReasonTimeout || r.Total() != 15*time.Second ||
		len(r.Error) != 200 || r.Skew == nil || *r.Skew != 420 ||
		r.Addr != history.AddressTag(res.URL) || len(r.Addr) != 8 || r.Addr == history.AddressTag(res.URL+"x") {
		t.Fatalf("record %+v", r)
	}
	// The file is named by the check's local date.
	if _, err := os.Stat(filepath.Join(h.Dir(), t0.Format("2006-01-02")+".jsonl")); err != nil {
		t.Fatal(err)
	}
}

func TestHistorySkipsGarbageAndTornLines(t *testing.T) {
	dir := t.TempDir()
	good := `{"t":"2026-03-31T09:00:00+07:00","id":"efaktur","l":"up","r":"ok","s":200,"ms":[1,2,3,4,180]}`
	content := strings.Join([]string{
		good,
		"this is not json",
		`{"t":"2026-03-31T09:01:00+07:00","id":"efaktur","l":"sideways","r":"ok","ms":[0,0,0,0,1]}`, // unknown level
		`{"id":"efaktur","l":"up"}`, // no time
		"",
		`{"t":"2026-03-31T09:02:00+07:00","id":"efaktur","l":"down","r":"timeout","ms":[0,0,0,0,15000]}`,
		`{"t":"2026-03-31T09:03:00+07:00","id":"efak`, // torn by a crash: no newline
	}, "\n")
	path := filepath.Join(dir, "2026-03-31.jsonl")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	recs, skipped, err := history.Load(dir, t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil || len(recs) != 2 || skipped != 4 {
		t.Fatalf("recs %d skipped %d err %v", len(recs), skipped, err)
	}
	// Appending after the torn line must not glue the new record onto it.
	h, _ := history.Open(dir)
	if err := h.Append(rec(t0.Add(5*time.Minute), probe.LevelUp, probe.ReasonOK, 150)); err != nil {
		t.Fatal(err)
	}
	h.Close()
	recs, skipped, _ = history.Load(dir, t0.Add(-time.Hour), t0.Add(time.Hour))
	if len(recs) != 3 || skipped != 4 || recs[2].MS[4] != 150 {
		t.Fatalf("after append: recs %d skipped %d", len(recs), skipped)
	}
}

// A power cut can leave a run of NUL bytes or other junk in a day file; the
// checks written after it are still the user's history and must load.
func TestHistoryKeepsWhatFollowsAHugeGarbageLine(t *testing.T) {
	dir := t.TempDir()
	before := `{"t":"2026-03-31T09:00:00+07:00","id":"efaktur","l":"up","r":"ok","s":200,"ms":[1,2,3,4,180]}`
	after := `{"t":"2026-03-31T09:05:00+07:00","id":"efaktur","l":"down","r":"timeout","ms":[0,0,0,0,15000]}`
	junk := strings.Repeat("\x00", 3<<20) // 3 MiB without a newline
	content := before + "\n" + junk + "\n" + after + "\n"
	if err := os.WriteFile(filepath.Join(dir, "2026-03-31.jsonl"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	recs, skipped, err := history.Load(dir, t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil || len(recs) != 2 || skipped != 1 {
		t.Fatalf("recs %d skipped %d err %v, want 2 records and 1 skipped line", len(recs), skipped, err)
	}
	if recs[1].Reason != probe.ReasonTimeout {
		t.Errorf("the check after the junk: %+v", recs[1])
	}
}

func TestHistoryDiskFullKeepsRunning(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/dev/full is Linux")
	}
	dir := t.TempDir()
	if err := os.Symlink("/dev/full", filepath.Join(dir, t0.Format("2006-01-02")+".jsonl")); err != nil {
		t.Fatal(err)
	}
	h, _ := history.Open(dir)
	defer h.Close()
	if err := h.Append(rec(t0, probe.LevelUp, probe.ReasonOK, 100)); err == nil {
		t.Fatal("a full disk went unnoticed")
	}
	// The next day (another file) works again.
	if err := h.Append(rec(t0.Add(24*time.Hour), probe.LevelUp, probe.ReasonOK, 100)); err != nil {
		t.Fatalf("history did not recover: %v", err)
	}
}

func TestHistoryPruneKeeps90Days(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.Local)
	files := map[string]bool{ // name → kept
		now.AddDate(0, 0, -91).Format("2006-01-02") + ".jsonl":  false,
		now.AddDate(0, 0, -200).Format("2006-01-02") + ".jsonl": false,
		now.AddDate(0, 0, -89).Format("2006-01-02") + ".jsonl":  true,
		now.Format("2006-01-02") + ".jsonl":                     true,
		"notes.txt":                                             true,
		"2020-13-45.jsonl":                                      true, // not a date: not ours to delete
	}
	for name := range files {
		os.WriteFile(filepath.Join(dir, name), []byte("{}\n"), 0o600)
	}
	h, _ := history.Open(dir)
	removed, err := h.Prune(now)
	if err != nil || removed != 2 {
		t.Fatalf("removed %d err %v", removed, err)
	}
	for name, kept := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if (err == nil) != kept {
			t.Errorf("%s: exists=%v, want %v", name, err == nil, kept)
		}
	}
}

func TestSummarize(t *testing.T) {
	now := t0.Add(24 * time.Hour)
	var recs []history.Record
	// 24 hours of 1-minute checks: up, except a 30-minute outage
	// (maintenance) at hour 10 and one lone failure at hour 15.
	for m := 0; m < 24*60; m++ {
		at := t0.Add(time.Duration(m) * time.Minute)
		switch {
		case m >= 600 && m < 630:
			recs = append(recs, rec(at, probe.LevelDown, probe.ReasonMaintenance, 50))
		case m == 900:
			recs = append(recs, rec(at, probe.LevelDown, probe.ReasonTimeout, 15000))
		case m >= 1000 && m < 1060:
			recs = append(recs, rec(at, probe.LevelOffline, probe.ReasonOffline, 5))
		default:
			recs = append(recs, rec(at, probe.LevelUp, probe.ReasonOK, int64(100+m%100)))
		}
	}
	recs = append(recs, history.Record{At: t0, Target: "coretax", Level: probe.LevelDown, Reason: probe.ReasonServerError})
	st := history.Summarize(recs, now, history.StatsOptions{})
	// Counted time: 24 h minus 60 min offline = 1380 min; down 31 min.
	want := 100 * float64(1380-31) / 1380
	if math.Abs(st.Uptime24h-want) > 0.01 {
		t.Errorf("uptime 24h %.3f, want %.3f", st.Uptime24h, want)
	}
	if st.Uptime7d != st.Uptime24h || st.Uptime30d != st.Uptime24h {
		t.Errorf("7d/30d %.3f %.3f should equal 24h with one day of data", st.Uptime7d, st.Uptime30d)
	}
	if len(st.Outages) != 1 {
		t.Fatalf("outages %+v (a lone failure is not an outage)", st.Outages)
	}
	o := st.Outages[0]
	if !o.Start.Equal(t0.Add(600*time.Minute)) || !o.End.Equal(t0.Add(630*time.Minute)) || o.Reason != probe.ReasonMaintenance || o.Ongoing {
		t.Errorf("outage %+v", o)
	}
	if st.P50 < 140*time.Millisecond || st.P50 > 160*time.Millisecond || st.P95 < 190*time.Millisecond || st.P95 > 199*time.Millisecond {
		t.Errorf("p50 %v p95 %v", st.P50, st.P95)
	}
	if st.Checks != 24*60 {
		t.Errorf("checks %d: other targets must not count", st.Checks)
	}
}

func TestSummarizeOngoingOutageAndGaps(t *testing.T) {
	var recs []history.Record
	for i := range 5 {
		recs = append(recs, rec(t0.Add(time.Duration(i)*30*time.Second), probe.LevelDown, probe.ReasonConnect, 0))
	}
	st := history.Summarize(recs, t0.Add(10*time.Minute), history.StatsOptions{})
	if len(st.Outages) != 1 || !st.Outages[0].Ongoing || st.Outages[0].Duration(t0.Add(10*time.Minute)) != 10*time.Minute {
		t.Fatalf("%+v", st.Outages)
	}
	if st.Uptime24h != 0 {
		t.Errorf("uptime %v", st.Uptime24h)
	}
	// No data: NaN, not 0 % or 100 %.
	if st := history.Summarize(nil, t0, history.StatsOptions{}); !math.IsNaN(st.Uptime24h) {
		t.Errorf("uptime without data: %v", st.Uptime24h)
	}
	// A day without the app running does not count as up or down.
	recs = []history.Record{rec(t0, probe.LevelUp, probe.ReasonOK, 100), rec(t0.Add(20*time.Hour), probe.LevelDown, probe.ReasonConnect, 0)}
	st = history.Summarize(recs, t0.Add(20*time.Hour+5*time.Minute), history.StatsOptions{})
	if math.Abs(st.Uptime24h-50) > 0.01 {
		t.Errorf("gap counted: uptime %.2f, want 50 (5 min up, 5 min down)", st.Uptime24h)
	}
}

// minuteChecks is a history of one check a minute from t0, one letter
// each: D down (maintenance), U up, S slow, P a proxy's page, O offline,
// "." none (the app was not running).
func minuteChecks(s string) []history.Record {
	var out []history.Record
	for i, c := range s {
		at := t0.Add(time.Duration(i) * time.Minute)
		switch c {
		case 'D':
			out = append(out, rec(at, probe.LevelDown, probe.ReasonMaintenance, 0))
		case 'U':
			out = append(out, rec(at, probe.LevelUp, probe.ReasonOK, 150))
		case 'S':
			out = append(out, rec(at, probe.LevelDegraded, probe.ReasonSlow, 9000))
		case 'P':
			out = append(out, rec(at, probe.LevelDegraded, probe.ReasonProxy, 0))
		case 'O':
			out = append(out, rec(at, probe.LevelOffline, probe.ReasonOffline, 0))
		}
	}
	return out
}

// The outage list is the monitor's own tracker replayed over the history
// (3 down checks open an outage, 2 answers in a row ending in a working one
// close it): it is the "back online after …" the user was told.
func TestSummarizeOutagesAsTheMonitorSawThem(t *testing.T) {
	type span struct { // minutes; end -1: ongoing
		start, end int
		unseen     bool
	}
	for _, c := range []struct {
		checks string
		want   []span // newest first
	}{
		{"UUDDDDUUU", []span{{2, 6, false}}},
		{"UUDDDDUDDUUU", []span{{2, 9, false}}},                 // a lone answer does not end it
		{"UUDDDUUDDDUU", []span{{7, 10, false}, {2, 5, false}}}, // two answers do
		{"UUDDUDDUU", nil},                                      // never 3 in a row
		{"UUDDDPPPPUU", []span{{2, 5, false}}},                  // a proxy's page is no recovery; it ended where the answers began
		{"UUDDDPPDDUU", []span{{2, 9, false}}},
		{"UUDDDSSU", []span{{2, 5, false}}},   // working slowly is working
		{"UUDDDUOUUU", []span{{2, 7, false}}}, // offline breaks the answers in a row
		{"UUDDDDU", []span{{2, -1, false}}},   // still re-checking
		// "." no check: the app was not running; its end was not seen
		{"UUDDDD.......UU", []span{{2, 5, true}}},
	} {
		t.Run(c.checks, func(t *testing.T) {
			st := history.Summarize(minuteChecks(c.checks), t0.Add(time.Duration(len(c.checks))*time.Minute), history.StatsOptions{})
			var got []span
			for _, o := range st.Outages {
				s := span{int(o.Start.Sub(t0) / time.Minute), int(o.End.Sub(t0) / time.Minute), o.Unseen}
				if o.Ongoing {
					s.end = -1
				}
				got = append(got, s)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("outages %v, want %v", got, c.want)
			}
		})
	}
}

// An hour of failures at a mistyped address, then the mended one: the
// figures are of the address checked now; the hour is counted apart, not
// shown as a DJP outage. Records from before address tags still count.
func TestSummarizeLeavesOutEarlierAddresses(t *testing.T) {
	const typo, mended = "https://svc.efaktur.pajak.go.idd/svc?wsdl", "https://svc.efaktur.pajak.go.id/svc?wsdl"
	var recs []history.Record
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	for m := range 10 { // before tags were kept: no address
		recs = append(recs, rec(at(m), probe.LevelUp, probe.ReasonOK, 100))
	}
	for m := 10; m < 70; m++ {
		r := rec(at(m), probe.LevelDown, probe.ReasonDNS, 0)
		r.Addr = history.AddressTag(typo)
		recs = append(recs, r)
	}
	for m := 70; m < 130; m++ {
		r := rec(at(m), probe.LevelUp, probe.ReasonOK, 200)
		r.Addr = history.AddressTag(mended)
		recs = append(recs, r)
	}
	now := at(130)
	st := history.Summarize(recs, now, history.StatsOptions{URL: mended})
	if st.Uptime24h != 100 || len(st.Outages) != 0 || st.Checks != 70 || st.EarlierAddress != 60 || st.P50 != 200*time.Millisecond {
		t.Errorf("stats of the mended address: %+v", st)
	}
	// Without an address (or for the typo) the hour is there.
	all := history.Summarize(recs, now, history.StatsOptions{})
	if len(all.Outages) != 1 || all.Outages[0].Reason != probe.ReasonDNS || all.EarlierAddress != 0 || all.Checks != 130 {
		t.Errorf("stats of every address: %+v", all)
	}
	if typoSt := history.Summarize(recs, now, history.StatsOptions{URL: typo}); typoSt.EarlierAddress != 60 || typoSt.Uptime24h == 100 {
		t.Errorf("stats of the typo: %+v", typoSt)
	}
}

func TestWriteCSV(t *testing.T) {
	recs := []history.Record{rec(t0, probe.LevelUp, probe.ReasonOK, 180), rec(t0.Add(time.Minute), probe.LevelDown, probe.ReasonConnect, 3)}
	recs[1].Error = `=HYPERLINK("http://evil","x"), with "quotes"`
	var b bytes.Buffer
	if err := history.WriteCSV(&b, recs, ';'); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(&b)
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("rows %d err %v\n%s", len(rows), err, b.String())
	}
	if strings.Join(rows[0], ",") != strings.Join(history.CSVHeader, ",") {
		t.Errorf("header %v", rows[0])
	}
	if rows[1][2] != "up" || rows[1][5] != "180" || rows[2][3] != "connect" {
		t.Errorf("rows %v", rows)
	}
	if !strings.HasPrefix(rows[2][12], "'=") {
		t.Errorf("formula not defused: %q", rows[2][12])
	}

	// A line written in another time zone is exported in the PC's.
	_, off := t0.Local().Zone()
	away := rec(t0.In(time.FixedZone("away", off+3*3600)), probe.LevelUp, probe.ReasonOK, 90)
	b.Reset()
	if err := history.WriteCSV(&b, []history.Record{away}, ','); err != nil {
		t.Fatal(err)
	}
	if want := t0.Local().Format(time.RFC3339); !strings.Contains(b.String(), "\n"+want+",") {
		t.Errorf("checked_at not in the PC's zone (want %s):\n%s", want, b.String())
	}
	// local_time is the same instant as a spreadsheet reads a date-time.
	if want := t0.Local().Format("2006-01-02 15:04:05"); !strings.HasSuffix(b.String(), ","+want+"\n") {
		t.Errorf("local_time not the PC's wall clock (want %s):\n%s", want, b.String())
	}
}

// thirtyDays writes 30 days of 1-minute checks (43,200 lines).
func thirtyDays(tb testing.TB) (dir string, now time.Time) {
	tb.Helper()
	dir = tb.TempDir()
	h, _ := history.Open(dir)
	defer h.Close()
	start := t0
	for m := 0; m < 30*24*60; m++ {
		r := rec(start.Add(time.Duration(m)*time.Minute), probe.LevelUp, probe.ReasonOK, int64(150+m%97))
		if m%5000 < 20 {
			r.Level, r.Reason = probe.LevelDown, probe.ReasonServerError
		}
		if err := h.Append(r); err != nil {
			tb.Fatal(err)
		}
	}
	return dir, start.Add(30 * 24 * time.Hour)
}

func TestThirtyDaysLoadAndSummarise(t *testing.T) {
	dir, now := thirtyDays(t)
	recs, skipped, err := history.Load(dir, now.Add(-30*24*time.Hour), now)
	if err != nil || skipped != 0 || len(recs) != 43200 {
		t.Fatalf("recs %d skipped %d err %v", len(recs), skipped, err)
	}
	st := history.Summarize(recs, now, history.StatsOptions{})
	if len(st.Outages) != 9 || st.Uptime30d > 99.6 || st.Uptime30d < 99.5 {
		t.Fatalf("outages %d uptime %.3f", len(st.Outages), st.Uptime30d)
	}
}

// BenchmarkLoadAndSummarise30Days: the status window's cost of opening.
func BenchmarkLoadAndSummarise30Days(b *testing.B) {
	dir, now := thirtyDays(b)
	b.ResetTimer()
	for b.Loop() {
		recs, _, err := history.Load(dir, now.Add(-30*24*time.Hour), now)
		if err != nil || len(recs) != 43200 {
			b.Fatal(err, len(recs))
		}
		history.Summarize(recs, now, history.StatsOptions{})
	}
}

// BenchmarkFindOpenOutage: what the agent's start pays to look for an
// outage left open, with 30 days of history (the newest check was up; a
// target never checked must not read all 30 files either).
func BenchmarkFindOpenOutage(b *testing.B) {
	dir, now := thirtyDays(b)
	for _, target := range []string{"efaktur", "coretax"} {
		b.Run(target, func(b *testing.B) {
			for b.Loop() {
				if _, found, err := history.FindOpenOutage(dir, now, history.StatsOptions{Target: target}); err != nil || found {
					b.Fatal(found, err)
				}
			}
		})
	}
}

func TestFindOpenOutage(t *testing.T) {
	night := time.Date(2026, 3, 31, 23, 55, 0, 0, t0.Location())
	// down every 30 s from night for n checks, reason r
	downs := func(from time.Time, n int, r probe.Reason) []history.Record {
		var out []history.Record
		for i := range n {
			out = append(out, rec(from.Add(time.Duration(i)*30*time.Second), probe.LevelDown, r, 0))
		}
		return out
	}
	join := func(parts ...[]history.Record) []history.Record {
		var out []history.Record
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	up := func(at time.Time) []history.Record {
		return []history.Record{rec(at, probe.LevelUp, probe.ReasonOK, 150)}
	}
	offline := func(at time.Time) []history.Record {
		return []history.Record{rec(at, probe.LevelOffline, probe.ReasonOffline, 0)}
	}
	other := history.Record{At: night.Add(time.Minute), Target: "coretax", Level: probe.LevelUp, Reason: probe.ReasonOK}
	// the address checked now, and one the user replaced while the agent
	// was stopped; untagged records come from before tags were kept
	const addr, oldAddr = "https://efaktur.pajak.go.id/svc", "https://efaktur.pajak.go.id/svcx"
	at := func(url string, recs []history.Record) []history.Record {
		for i := range recs {
			recs[i].Addr = history.AddressTag(url)
		}
		return recs
	}

	cases := []struct {
		name      string
		recs      []history.Record
		garbage   bool          // a torn line ends the newest file
		since     time.Duration // now = newest record + since
		found     bool
		start     time.Time
		confirmed time.Time // the third down check
		downs     int
		lastLevel probe.Level
	}{
		{name: "empty history", since: time.Minute},
		{name: "across midnight, other targets ignored",
			recs:  join(up(night.Add(-5*time.Minute)), downs(night, 10, probe.ReasonTimeout), []history.Record{other}, downs(night.Add(5*time.Minute), 20, probe.ReasonMaintenance)),
			since: 40 * time.Second, found: true, start: night, confirmed: night.Add(time.Minute), downs: 30, lastLevel: probe.LevelDown},
		{name: "offline checks neither count nor end it",
			recs:  join(up(night.Add(-time.Minute)), downs(night, 3, probe.ReasonConnect), offline(night.Add(2*time.Minute)), offline(night.Add(150*time.Second))),
			since: time.Minute, found: true, start: night, confirmed: night.Add(time.Minute), downs: 3, lastLevel: probe.LevelOffline},
		{name: "torn last line is skipped", garbage: true,
			recs:  join(up(night.Add(-time.Minute)), downs(night, 4, probe.ReasonServerError)),
			since: time.Minute, found: true, start: night, confirmed: night.Add(time.Minute), downs: 4, lastLevel: probe.LevelDown},
		{name: "a gap splits the run: only the newest part counts",
			recs:  join(downs(night, 5, probe.ReasonTimeout), downs(night.Add(20*time.Minute), 3, probe.ReasonTimeout)),
			since: time.Minute, found: true, start: night.Add(20 * time.Minute), confirmed: night.Add(21 * time.Minute), downs: 3, lastLevel: probe.LevelDown},
		{name: "recovered before the restart",
			recs:  join(downs(night, 10, probe.ReasonTimeout), up(night.Add(5*time.Minute)), up(night.Add(330*time.Second))),
			since: time.Minute},
		// The monitor ends an outage with 2 answers in a row (RecoverThreshold).
		{name: "a lone answer in a flaky outage does not end it",
			recs:  join(downs(night, 5, probe.ReasonTimeout), up(night.Add(3*time.Minute)), downs(night.Add(210*time.Second), 2, probe.ReasonTimeout)),
			since: 30 * time.Second, found: true, start: night, confirmed: night.Add(time.Minute), downs: 7, lastLevel: probe.LevelDown},
		{name: "stopped while re-checking after a lone answer",
			recs:  join(downs(night, 4, probe.ReasonServerError), up(night.Add(2*time.Minute))),
			since: 30 * time.Second, found: true, start: night, confirmed: night.Add(time.Minute), downs: 4, lastLevel: probe.LevelDown},
		{name: "two answers ended it; two failures since open nothing",
			recs:  join(downs(night, 5, probe.ReasonTimeout), up(night.Add(3*time.Minute)), up(night.Add(210*time.Second)), downs(night.Add(4*time.Minute), 2, probe.ReasonTimeout)),
			since: 30 * time.Second},
		{name: "two answers ended it; three failures since open the next",
			recs:  join(downs(night, 5, probe.ReasonTimeout), up(night.Add(3*time.Minute)), up(night.Add(210*time.Second)), downs(night.Add(4*time.Minute), 3, probe.ReasonMaintenance)),
			since: 30 * time.Second, found: true, start: night.Add(4 * time.Minute), confirmed: night.Add(5 * time.Minute), downs: 3, lastLevel: probe.LevelDown},
		{name: "answers that are not the service do not end it",
			recs: join(downs(night, 4, probe.ReasonTimeout), []history.Record{rec(night.Add(2*time.Minute), probe.LevelDegraded, probe.ReasonProxy, 0),
				rec(night.Add(150*time.Second), probe.LevelDegraded, probe.ReasonProxy, 0), rec(night.Add(3*time.Minute), probe.LevelDegraded, probe.ReasonProxy, 0)}),
			since: 30 * time.Second, found: true, start: night, confirmed: night.Add(time.Minute), downs: 4, lastLevel: probe.LevelDown},
		{name: "slow answers end it",
			recs: join(downs(night, 4, probe.ReasonTimeout), []history.Record{rec(night.Add(2*time.Minute), probe.LevelDegraded, probe.ReasonSlow, 9000),
				rec(night.Add(150*time.Second), probe.LevelDegraded, probe.ReasonSlow, 9000)}),
			since: 30 * time.Second},
		{name: "a working answer after one that is not the service ends it",
			recs: join(downs(night, 4, probe.ReasonTimeout), []history.Record{rec(night.Add(2*time.Minute), probe.LevelDegraded, probe.ReasonProxy, 0)},
				up(night.Add(150*time.Second))),
			since: 30 * time.Second},
		{name: "never confirmed (2 failures)",
			recs:  join(up(night), downs(night.Add(time.Minute), 2, probe.ReasonTimeout)),
			since: time.Minute},
		{name: "too old to take up",
			recs:  downs(night, 10, probe.ReasonTimeout),
			since: 6 * time.Minute},
		{name: "same address",
			recs:  at(addr, join(up(night.Add(-time.Minute)), downs(night, 4, probe.ReasonTimeout))),
			since: time.Minute, found: true, start: night, confirmed: night.Add(time.Minute), downs: 4, lastLevel: probe.LevelDown},
		{name: "the address was changed: its outage is not taken up",
			recs:  at(oldAddr, downs(night, 10, probe.ReasonNotFound)),
			since: time.Minute},
		{name: "changed mid-outage: only the current address counts",
			recs:  join(at(oldAddr, downs(night, 10, probe.ReasonNotFound)), at(addr, downs(night.Add(5*time.Minute), 3, probe.ReasonTimeout))),
			since: time.Minute, found: true, start: night.Add(5 * time.Minute), confirmed: night.Add(6 * time.Minute), downs: 3, lastLevel: probe.LevelDown},
		{name: "untagged records (older version) still count",
			recs:  join(downs(night, 2, probe.ReasonTimeout), at(addr, downs(night.Add(time.Minute), 2, probe.ReasonTimeout))),
			since: time.Minute, found: true, start: night, confirmed: night.Add(time.Minute), downs: 4, lastLevel: probe.LevelDown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			h, err := history.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			now := night
			for _, r := range c.recs {
				if err := h.Append(r); err != nil {
					t.Fatal(err)
				}
				now = r.At
			}
			h.Close()
			now = now.Add(c.since)
			if c.garbage {
				f, err := os.OpenFile(filepath.Join(dir, now.Format("2006-01-02")+".jsonl"), os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString(`{"t":"2026-04-01T00:0`)
				f.Close()
			}
			got, found, err := history.FindOpenOutage(dir, now, history.StatsOptions{URL: addr})
			if err != nil || found != c.found {
				t.Fatalf("found %v err %v, want %v (%+v)", found, err, c.found, got)
			}
			if !found {
				return
			}
			n := 0
			for _, k := range got.Reasons {
				n += k
			}
			if !got.Start.Equal(c.start) || n != c.downs || got.Last.Level != c.lastLevel || got.Last.Target != "efaktur" {
				t.Fatalf("open outage %+v (%d down checks), want start %v, %d down checks, last %s", got, n, c.start, c.downs, c.lastLevel)
			}
			if !got.Confirmed.Equal(c.confirmed) || got.Held {
				t.Fatalf("confirmed at %v (held %v), want %v", got.Confirmed, got.Held, c.confirmed)
			}
		})
	}
}

// A clock that was ahead wrote records "from the future": they say nothing
// about now and do not hide the outage before them.
func TestFindOpenOutageIgnoresFutureRecords(t *testing.T) {
	dir := t.TempDir()
	h, err := history.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		h.Append(rec(t0.Add(time.Duration(i)*30*time.Second), probe.LevelDown, probe.ReasonMaintenance, 0))
	}
	h.Append(rec(t0.Add(3*time.Hour), probe.LevelUp, probe.ReasonOK, 100))
	h.Close()
	got, found, err := history.FindOpenOutage(dir, t0.Add(2*time.Minute), history.StatsOptions{})
	if err != nil || !found || !got.Start.Equal(t0) || got.Reasons[probe.ReasonMaintenance] != 4 {
		t.Fatalf("found %v %+v err %v", found, got, err)
	}
	if _, found, _ := history.FindOpenOutage(filepath.Join(dir, "missing"), t0, history.StatsOptions{}); found {
		t.Fatal("found an outage in a missing directory")
	}
}

// Empty is what the agent asks to tell a first start: only day files
// count, not stray files the user (or an editor) left there.
func TestHistoryEmpty(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h, err := history.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, stray := range []string{"notes.txt", "2026-13-01.jsonl", "backup.jsonl"} {
		if err := os.WriteFile(filepath.Join(dir, stray), []byte("x\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if empty, err := h.Empty(); !empty || err != nil {
		t.Fatalf("a history of stray files: empty %v, %v", empty, err)
	}
	if err := h.Append(history.Record{At: time.Now(), Target: probe.PrimaryTargetID, Level: probe.LevelUp, Reason: probe.ReasonOK}); err != nil {
		t.Fatal(err)
	}
	if empty, err := h.Empty(); empty || err != nil {
		t.Fatalf("after a check: empty %v, %v", empty, err)
	}
	h.Close() // Windows removes no open file
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Empty(); err == nil {
		t.Error("a vanished history directory is not an error")
	}
}

// Whatever a day file holds (a torn write, junk, a line from another
// program or a newer version), loading it skips what it cannot use and
// counts it, the summaries never fail, and the CSV export has one row per
// check that a spreadsheet reads as text, never as a formula.
func FuzzParseHistory(f *testing.F) {
	for _, s := range []string{
		`{"t":"2026-03-31T09:00:00+07:00","id":"efaktur","l":"up","r":"ok","s":200,"ms":[1,2,3,4,150]}`,
		`{"t":"2026-03-31T09:01:00+07:00","id":"efaktur","l":"down","r":"maintenance","ms":[0,0,0,0,0]}` + "\n" +
			`{"t":"2026-03-31T09:02:00+07:00","id":"efaktur","l":"down","r":"http_5xx","ms":[0,0,0,0,-5]}` + "\n" +
			`{"t":"2026-03-31T09:03:00+07:00","id":"efaktur","l":"down","r":"timeout"}`,
		`{"t":"2026-03-31T09:00:00Z","id":"=1+1","l":"degraded","r":"@SUM(A1)","e":"-cmd","sk":-3}`,
		"{\"t\":\"2026-03-31T09:00:00Z\",\"l\":\"up\"\x00\x00\x00", `{"t":"0001-01-01T00:00:00Z","l":"up"}`, `[]`, `{"l":"sideways"}`,
	} {
		f.Add([]byte(s))
	}
	now := t0.Add(12 * time.Hour)
	f.Fuzz(func(t *testing.T, data []byte) {
		from := now.Add(-30 * 24 * time.Hour)
		recs, skipped := history.ParseRecords(data, from, now)
		lines := 0
		for line := range bytes.Lines(data) {
			if len(bytes.TrimSpace(line)) > 0 {
				lines++
			}
		}
		if len(recs)+skipped > lines {
			t.Fatalf("%d records and %d skipped from %d lines", len(recs), skipped, lines)
		}
		for _, r := range recs {
			if !r.Level.Valid() || r.At.Before(from) || !r.At.Before(now) {
				t.Fatalf("loaded %+v", r)
			}
		}
		for _, target := range []string{"efaktur", "=1+1"} {
			opts := history.StatsOptions{Target: target}
			st := history.Summarize(recs, now, opts)
			for _, o := range st.Outages {
				if o.Start.After(o.End) && !o.Ongoing {
					t.Fatalf("outage %+v ends before it starts", o)
				}
			}
			if open, found := history.OpenOutageIn(recs, now, opts); found && open.Start.After(now) {
				t.Fatalf("open outage %+v starts after now", open)
			}
		}
		var out bytes.Buffer
		if err := history.WriteCSV(&out, recs, ';'); err != nil {
			t.Fatalf("CSV: %v", err)
		}
		r := csv.NewReader(&out)
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil || len(rows) != len(recs)+1 {
			t.Fatalf("CSV reads back as %d rows (%v), want %d", len(rows), err, len(recs)+1)
		}
		for _, row := range rows[1:] {
			for _, cell := range row[1:] {
				if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) ||
					strings.HasPrefix(cell, "-") && strings.Trim(cell, "-0123456789") != "" {
					t.Fatalf("cell %q of %q would run as a formula", cell, row)
				}
			}
		}
	})
}

// An outage that began days before the restart (DJP down over a weekend)
// is taken up with its real start: the history is read further back while
// the outage reaches back to where reading began.
func TestFindOpenOutageReadsBackToTheStart(t *testing.T) {
	dir := t.TempDir()
	h, err := history.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	start := t0.Add(-50 * time.Hour)
	h.Append(rec(start.Add(-time.Minute), probe.LevelUp, probe.ReasonOK, 100))
	var last time.Time
	for at := start; at.Before(t0); at = at.Add(time.Minute) {
		h.Append(rec(at, probe.LevelDown, probe.ReasonMaintenance, 0))
		last = at
	}
	h.Close()
	got, found, err := history.FindOpenOutage(dir, last.Add(time.Minute), history.StatsOptions{})
	if err != nil || !found || !got.Start.Equal(start) || got.Reasons[probe.ReasonMaintenance] != 50*60 {
		t.Fatalf("found %v, %v (%d down checks), err %v; want the start 50 hours back", found, got.Start, got.Reasons[probe.ReasonMaintenance], err)
	}
}
