package tray

import (
	"pantau-efaktur/monitor"
	"strings"
	"testing"
	"time"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/probe"
)

var at = time.Date(2026, 3, 31, 10, 42, 5, 0, time.Local)

func state(level probe.Level, reason probe.Reason, rechecking bool) monitor.State {
	return monitor.State{Target: "efaktur", Level: level, Reason: reason, Rechecking: rechecking,
		Since: at.Add(-23 * time.Minute),
		Last:  probe.Result{Target: "efaktur", Level: reason.Level(), Reason: reason, CheckedAt: at, Phases: probe.Phases{Total: 180 * time.Millisecond}}}
}

func TestIconFor(t *testing.T) {
	tests := []struct {
		st   monitor.State
		icon string
	}{
		{monitor.State{Level: probe.LevelUnknown}, "unknown"},
		{monitor.State{Level: probe.LevelUnknown, Rechecking: true}, "degraded"},
		{state(probe.LevelUp, probe.ReasonOK, false), "up"},
		{state(probe.LevelUp, probe.ReasonOK, true), "degraded"}, // re-checking a failure: yellow
		{state(probe.LevelDegraded, probe.ReasonSlow, false), "degraded"},
		{state(probe.LevelDown, probe.ReasonMaintenance, false), "down"},
		{state(probe.LevelDown, probe.ReasonConnect, true), "down"}, // recovery not confirmed: still red
		{state(probe.LevelOffline, probe.ReasonOffline, false), "offline"},
		{state(probe.LevelOffline, probe.ReasonOffline, true), "offline"},
	}
	for _, tc := range tests {
		if got := string(monitor.ShownLevel(tc.st.Level, tc.st.Rechecking)); got != tc.icon {
			t.Errorf("%s rechecking=%v: %s, want %s", tc.st.Level, tc.st.Rechecking, got, tc.icon)
		}
	}
}

func TestStatusLine(t *testing.T) {
	id, en := i18n.New("id"), i18n.New("en")
	overnight := state(probe.LevelDown, probe.ReasonMaintenance, false)
	overnight.Since = time.Date(2026, 3, 30, 16, 5, 0, 0, time.Local)
	redirected, blocked := state(probe.LevelDegraded, probe.ReasonHTTPStatus, false), state(probe.LevelDegraded, probe.ReasonHTTPStatus, false)
	redirected.Last.HTTPStatus, blocked.Last.HTTPStatus = 302, 403
	shaky, shakyRechecking := state(probe.LevelUp, probe.ReasonOK, false), state(probe.LevelUp, probe.ReasonOK, true)
	shaky.Recent = monitor.Tally{Checks: 10, Failures: 4, Episodes: 3}
	shakyRechecking.Recent = shaky.Recent
	tests := []struct {
		st     monitor.State
		id, en string
	}{
		{state(probe.LevelUp, probe.ReasonOK, false), "Server e-Faktur: ONLINE · 180 ms · 10:42", "The e-Faktur server: ONLINE · 180 ms · 10:42"},
		{state(probe.LevelUp, probe.ReasonOK, true), "Server e-Faktur: memeriksa ulang… · 10:42", "The e-Faktur server: re-checking… · 10:42"},
		// Green by policy, yet failing now and then: said, not coloured.
		{shaky, "Server e-Faktur: ONLINE, tidak stabil · 180 ms · 10:42", "The e-Faktur server: ONLINE, unsteady · 180 ms · 10:42"},
		{shakyRechecking, "Server e-Faktur: memeriksa ulang… · 10:42", "The e-Faktur server: re-checking… · 10:42"},
		{state(probe.LevelDown, probe.ReasonMaintenance, false), "Server e-Faktur: DOWN (maintenance DJP) · sejak 10:19", "The e-Faktur server: DOWN (DJP maintenance) · since 10:19"},
		{state(probe.LevelDegraded, probe.ReasonTLSClock, false), "Server e-Faktur: TERGANGGU (jam PC salah) · 10:42", "The e-Faktur server: DEGRADED (wrong PC clock) · 10:42"},
		// A redirect says so: the user can act on it (a login page, a wrong address).
		{redirected, "Server e-Faktur: TERGANGGU (dialihkan, HTTP 302) · 10:42", "The e-Faktur server: DEGRADED (redirected, HTTP 302) · 10:42"},
		{blocked, "Server e-Faktur: TERGANGGU (kode HTTP tak terduga) · 10:42", "The e-Faktur server: DEGRADED (unexpected HTTP code) · 10:42"},
		{state(probe.LevelOffline, probe.ReasonOffline, false), "Server e-Faktur: PC OFFLINE · 10:42", "The e-Faktur server: PC OFFLINE · 10:42"},
		{monitor.State{Target: "efaktur", Level: probe.LevelUnknown}, "Server e-Faktur: memeriksa…", "The e-Faktur server: checking…"},
		// Down since yesterday afternoon: a bare "sejak 16:05" would read
		// as later today.
		{overnight, "Server e-Faktur: DOWN (maintenance DJP) · sejak kemarin 16:05", "The e-Faktur server: DOWN (DJP maintenance) · since yesterday 16:05"},
	}
	for _, tc := range tests {
		if got := StatusLine(id, tc.st, at); got != tc.id {
			t.Errorf("id: %q, want %q", got, tc.id)
		}
		if got := StatusLine(en, tc.st, at); got != tc.en {
			t.Errorf("en: %q, want %q", got, tc.en)
		}
	}
}

func TestBuildView(t *testing.T) {
	tr := i18n.New("id")
	cor := state(probe.LevelDown, probe.ReasonServerError, false)
	cor.Target = "coretax"
	v := BuildView(tr, []monitor.State{state(probe.LevelDown, probe.ReasonConnect, false), cor}, 1, at.Add(time.Hour), at)
	if v.Icon != "down" || len(v.Lines) != 2 || v.Lines[1] != "Coretax: DOWN (error server DJP)" {
		t.Fatalf("%+v", v)
	}
	if !v.Snoozed || v.SnoozeLine != "Notifikasi dibisukan sampai 11:42" {
		t.Errorf("snooze %q", v.SnoozeLine)
	}
	for _, want := range []string{"Pantau e-Faktur", "DOWN", "Tidak dapat terhubung", "dibisukan"} {
		if !strings.Contains(v.Tooltip, want) {
			t.Errorf("tooltip %q lacks %q", v.Tooltip, want)
		}
	}
	v = BuildView(tr, []monitor.State{state(probe.LevelUp, probe.ReasonOK, false)}, 1, at.Add(-time.Minute), at)
	if v.Snoozed || v.SnoozeLine != "Bisukan notifikasi" || strings.Contains(v.Tooltip, "layanan") {
		t.Errorf("%+v", v)
	}
	if v := BuildView(tr, nil, 1, time.Time{}, at); v.Icon != "unknown" {
		t.Errorf("no states: %+v", v)
	}
}

// An unsteady server keeps its green icon; the tooltip tells the numbers
// and a secondary service says it in its line.
func TestBuildViewUnsteady(t *testing.T) {
	tr := i18n.New("id")
	shaky := monitor.Tally{Checks: 10, Failures: 4, Episodes: 3}
	p, cor := state(probe.LevelUp, probe.ReasonOK, false), state(probe.LevelUp, probe.ReasonOK, false)
	p.Recent, cor.Target, cor.Recent = shaky, "coretax", shaky
	v := BuildView(tr, []monitor.State{p, cor}, 1, time.Time{}, at)
	if v.Icon != "up" || !strings.Contains(v.Tooltip, "4 dari 10 pemeriksaan terakhir gagal") {
		t.Errorf("unsteady: icon %s tooltip %q", v.Icon, v.Tooltip)
	}
	if len(v.Lines) != 2 || v.Lines[1] != "Coretax: ONLINE (tidak stabil)" {
		t.Errorf("lines %q", v.Lines)
	}
	if tip := v.TooltipWithin(WindowsTooltipMax); !strings.Contains(tip, v.Lines[0]) {
		t.Errorf("short tooltip %q", tip)
	}
	// Degraded and unsteady: the state's message, then the remark.
	d := state(probe.LevelDegraded, probe.ReasonSlow, false)
	d.Recent = shaky
	v = BuildView(tr, []monitor.State{d}, 1, time.Time{}, at)
	lines := strings.Split(v.Tooltip, "\n")
	if len(lines) != 4 || lines[2] != tr.Message(d.Last) || !strings.HasPrefix(lines[3], "Tidak stabil") {
		t.Errorf("degraded and unsteady: %q", lines)
	}
	steady := BuildView(tr, []monitor.State{state(probe.LevelUp, probe.ReasonOK, false)}, 1, time.Time{}, at)
	if strings.Contains(steady.Tooltip, "stabil") || strings.Contains(steady.Lines[0], "stabil") {
		t.Errorf("a steady server called unsteady: %q", steady.Tooltip)
	}
}

// With two services in use the icon is green only when both are up, and
// each has its line in the menu and the tooltip.
func TestBuildViewTwoServices(t *testing.T) {
	tr := i18n.New("id")
	ef, cor := state(probe.LevelUp, probe.ReasonOK, false), state(probe.LevelUp, probe.ReasonOK, false)
	cor.Target = "coretax"
	v := BuildView(tr, []monitor.State{ef, cor}, 2, time.Time{}, at)
	if v.Icon != "up" || len(v.Lines) != 2 || !strings.HasPrefix(v.Lines[0], "Server e-Faktur: ONLINE · ") ||
		!strings.HasPrefix(v.Lines[1], "Coretax: ONLINE · ") {
		t.Fatalf("both up: %+v", v)
	}
	cor = state(probe.LevelDown, probe.ReasonServerError, false)
	cor.Target = "coretax"
	v = BuildView(tr, []monitor.State{ef, cor}, 2, time.Time{}, at)
	if v.Icon != "down" || !strings.HasPrefix(v.Lines[1], "Coretax: DOWN (error server DJP) · sejak ") ||
		!strings.Contains(v.Tooltip, v.Lines[0]) || !strings.Contains(v.Tooltip, v.Lines[1]) {
		t.Fatalf("Coretax down: %+v", v)
	}
	if tip := v.TooltipWithin(WindowsTooltipMax); !strings.Contains(tip, "Coretax: DOWN") {
		t.Errorf("short tooltip %q", tip)
	}
	// The worst shows: re-checking e-Faktur (yellow) beside a Coretax up.
	cor = state(probe.LevelUp, probe.ReasonOK, false)
	cor.Target = "coretax"
	if v := BuildView(tr, []monitor.State{state(probe.LevelUp, probe.ReasonOK, true), cor}, 2, time.Time{}, at); v.Icon != "degraded" {
		t.Errorf("re-checking beside up: %s", v.Icon)
	}
	// An extra never colours the icon.
	if v := BuildView(tr, []monitor.State{ef, cor, {Target: "enofa", Level: probe.LevelDown}}, 2, time.Time{}, at); v.Icon != "up" || len(v.Lines) != 3 {
		t.Errorf("extra down: %+v", v)
	}
}

// A Windows tooltip holds 127 UTF-16 units: a long state message goes
// first, the status and the snooze stay.
func TestTooltipWithinTheWindowsLimit(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		tr := i18n.New(lang)
		for _, reason := range []probe.Reason{probe.ReasonMaintenance, probe.ReasonTLSUntrusted, probe.ReasonProxy, probe.ReasonOffline} {
			st := state(reason.Level(), reason, false)
			v := BuildView(tr, []monitor.State{st}, 1, at.Add(time.Hour), at)
			if utf16Len(v.Tooltip) <= WindowsTooltipMax {
				t.Fatalf("%s %s: the full tooltip (%d) already fits; the test needs a long one", lang, reason, utf16Len(v.Tooltip))
			}
			tip := v.TooltipWithin(WindowsTooltipMax)
			if n := utf16Len(tip); n > WindowsTooltipMax {
				t.Errorf("%s %s: %d units: %q", lang, reason, n, tip)
			}
			if !strings.Contains(tip, v.Lines[0]) || !strings.Contains(tip, v.SnoozeLine) {
				t.Errorf("%s %s: %q lost the status or the snooze", lang, reason, tip)
			}
		}
	}
	short := BuildView(i18n.New("id"), []monitor.State{state(probe.LevelUp, probe.ReasonOK, false)}, 1, time.Time{}, at)
	if got := short.TooltipWithin(WindowsTooltipMax); got != short.Tooltip {
		t.Errorf("a tooltip that fits was changed: %q", got)
	}
	// Past every line break, it is cut, and says so.
	if got := short.TooltipWithin(20); utf16Len(got) > 20 || !strings.HasSuffix(got, "…") {
		t.Errorf("cut tooltip %q (%d)", got, utf16Len(got))
	}
}

func TestTomorrowAt8(t *testing.T) {
	day := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, time.Local) }
	for _, tc := range []struct{ now, want time.Time }{
		{day(30, 10, 42), day(31, 8, 0)},
		{day(30, 23, 59), day(31, 8, 0)},
		{time.Date(2026, 12, 31, 23, 59, 0, 0, time.Local), time.Date(2027, 1, 1, 8, 0, 0, 0, time.Local)},
		// After midnight "besok" is the coming morning, not a day later.
		{day(31, 0, 30), day(31, 8, 0)},
		{day(31, 3, 59), day(31, 8, 0)},
		{day(31, 4, 0), day(32, 8, 0)}, // 1 April
		{day(31, 8, 0), day(32, 8, 0)},
	} {
		if got := TomorrowAt8(tc.now); !got.Equal(tc.want) {
			t.Errorf("%v → %v, want %v", tc.now, got, tc.want)
		}
	}
}
