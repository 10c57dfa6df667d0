package window

import (
	"image/color"
	"pantau-efaktur/history"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/probe"
)

// Level colours, the same as the tray icons (assets/genicons).
var (
	colUp       = color.NRGBA{0x1E, 0x9E, 0x4A, 0xff}
	colDegraded = color.NRGBA{0xF4, 0xB4, 0x00, 0xff}
	colDown     = color.NRGBA{0xD9, 0x30, 0x25, 0xff}
	colOffline  = color.NRGBA{0x80, 0x86, 0x8B, 0xff}
	colEmpty    = color.NRGBA{0xDA, 0xDC, 0xE0, 0xff}
	colInk      = color.NRGBA{0x28, 0x28, 0x28, 0xff}
	colWhite    = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

// LevelColour is the colour of a level.
func LevelColour(l probe.Level) color.NRGBA {
	switch l {
	case probe.LevelUp:
		return colUp
	case probe.LevelDegraded:
		return colDegraded
	case probe.LevelDown:
		return colDown
	}
	return colOffline
}

// barsLayout lays out n objects side by side with equal widths and a
// height given per object as a fraction (0…1) of the container, from the
// bottom: a bar chart without a charting library.
type barsLayout struct {
	heights []float32 // fraction of the height, per object
	gap     float32
}

func (b *barsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n := len(objs)
	if n == 0 {
		return
	}
	w := (size.Width - b.gap*float32(n-1)) / float32(n)
	for i, o := range objs {
		h := size.Height
		if i < len(b.heights) {
			h = size.Height * max(b.heights[i], 0.04)
		}
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos(float32(i)*(w+b.gap), size.Height-h))
	}
}

func (b *barsLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(60, 16) }

// heartbeat is a strip of the last 60 checks, one coloured mark each.
type heartbeat struct {
	box   *fyne.Container
	rects []*canvas.Rectangle
}

const heartbeatN = 60

func newHeartbeat() *heartbeat {
	h := &heartbeat{}
	objs := make([]fyne.CanvasObject, heartbeatN)
	for i := range objs {
		r := canvas.NewRectangle(colEmpty)
		r.CornerRadius = 2
		h.rects = append(h.rects, r)
		objs[i] = r
	}
	h.box = container.New(&barsLayout{gap: 2}, objs...)
	return h
}

// set shows recs (oldest first); the newest is at the right.
func (h *heartbeat) set(recs []history.Record) {
	if len(recs) > heartbeatN {
		recs = recs[len(recs)-heartbeatN:]
	}
	off := heartbeatN - len(recs)
	for i, r := range h.rects {
		c := colEmpty
		if i >= off {
			c = LevelColour(recs[i-off].Level)
		}
		if r.FillColor != color.Color(c) {
			r.FillColor = c
			r.Refresh()
		}
	}
}

// phasesBar shows where the time of one check went.
type phasesBar struct {
	box    *fyne.Container
	layout *spanLayout
	legend *widget.Label
	tr     *i18n.Translator
}

// spanLayout lays objects left to right with widths as fractions.
type spanLayout struct{ widths []float32 }

func (s *spanLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := float32(0)
		if i < len(s.widths) {
			w = size.Width * s.widths[i]
		}
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos(x, 0))
		x += w
	}
}

func (s *spanLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(100, 14) }

var phaseColours = []color.NRGBA{
	{0x8A, 0xB4, 0xF8, 0xff}, // DNS
	{0x46, 0x85, 0xE0, 0xff}, // connect
	{0x1A, 0x56, 0xA8, 0xff}, // TLS
	{0xF2, 0x9B, 0x38, 0xff}, // server
	{0xB0, 0xB4, 0xBA, 0xff}, // download
}

func newPhasesBar(tr *i18n.Translator) *phasesBar {
	p := &phasesBar{layout: &spanLayout{}, tr: tr, legend: widget.NewLabel("")}
	var objs []fyne.CanvasObject
	for _, c := range phaseColours {
		objs = append(objs, canvas.NewRectangle(c))
	}
	p.box = container.New(p.layout, objs...)
	p.legend.Wrapping = fyne.TextWrapWord
	return p
}

// PhaseParts splits a check's total into DNS, connect, TLS, server wait
// and the rest, as fractions that add up to 1. With an answer the rest is
// the download; without one it was spent waiting for the answer, so it
// joins the server's part.
func PhaseParts(r probe.Result) []float32 {
	ph := r.Phases
	if ph.Total <= 0 {
		return make([]float32, 5)
	}
	parts := []time.Duration{ph.DNS, ph.Connect, ph.TLS, ph.TTFB, rest(ph)}
	if r.HTTPStatus == 0 {
		parts[3], parts[4] = ph.TTFB+parts[4], 0
	}
	var sum time.Duration
	for _, d := range parts {
		sum += d
	}
	out := make([]float32, 5)
	for i, d := range parts {
		out[i] = float32(float64(d) / float64(sum))
	}
	return out
}

// PhaseLegend names the parts of the bar that took time: a phase that did
// not happen (no TLS for http, nothing after a failed name lookup) is left
// out rather than shown as "0 ms", and time spent waiting for an answer
// that never came is called that, not "server 0 ms".
func PhaseLegend(tr *i18n.Translator, r probe.Result) string {
	ph := r.Phases
	var parts []string
	add := func(key string, d time.Duration) {
		if ms := d.Milliseconds(); ms > 0 {
			parts = append(parts, tr.T(key, map[string]any{"MS": ms}))
		}
	}
	add("win.phase_dns", ph.DNS)
	add("win.phase_connect", ph.Connect)
	add("win.phase_tls", ph.TLS)
	add("win.phase_server", ph.TTFB)
	if r.HTTPStatus == 0 {
		add("win.phase_wait", rest(ph))
	} else {
		add("win.phase_download", rest(ph))
	}
	parts = append(parts, tr.T("win.phase_total", map[string]any{"MS": ph.Total.Milliseconds()}))
	return strings.Join(parts, " · ")
}

// rest is the time after the measured phases: the download, or the wait
// for an answer that never came.
func rest(ph probe.Phases) time.Duration {
	return max(ph.Total-ph.DNS-ph.Connect-ph.TLS-ph.TTFB, 0)
}

func (p *phasesBar) set(r *probe.Result) {
	if r == nil {
		p.layout.widths = nil
		p.legend.SetText(p.tr.T("win.no_check_yet"))
		p.box.Refresh()
		return
	}
	p.layout.widths = PhaseParts(*r)
	p.box.Refresh()
	p.legend.SetText(PhaseLegend(p.tr, *r))
}

// latencyChart is the last 24 hours in 96 quarter-hour bars: the height is
// the slowest answer of the quarter, the colour its worst level.
type latencyChart struct {
	box    *fyne.Container
	layout *barsLayout
	rects  []*canvas.Rectangle
	scale  *widget.Label
}

const chartBuckets = 96

func newLatencyChart() *latencyChart {
	c := &latencyChart{layout: &barsLayout{gap: 1}, scale: widget.NewLabel("")}
	objs := make([]fyne.CanvasObject, chartBuckets)
	for i := range objs {
		r := canvas.NewRectangle(colEmpty)
		c.rects = append(c.rects, r)
		objs[i] = r
	}
	c.box = container.New(c.layout, objs...)
	return c
}

// Bucket is one quarter hour of the chart.
type Bucket struct {
	Median time.Duration // typical latency of the answers (not failures)
	Worst  probe.Level   // worst level seen
	N      int           // checks
}

// Buckets groups the last 24 h of recs (one target) into 96 quarter hours.
// The height is the median answer time, so one slow check does not flatten
// the whole day; the colour shows the worst that happened.
func Buckets(recs []history.Record, now time.Time) []Bucket {
	out := make([]Bucket, chartBuckets)
	lat := make([][]time.Duration, chartBuckets)
	start := now.Add(-24 * time.Hour)
	rank := map[probe.Level]int{probe.LevelUp: 1, probe.LevelOffline: 2, probe.LevelDegraded: 3, probe.LevelDown: 4}
	for _, r := range recs {
		if r.At.Before(start) || r.At.After(now) {
			continue
		}
		i := min(int(r.At.Sub(start)/(15*time.Minute)), chartBuckets-1)
		b := &out[i]
		b.N++
		if r.Reason == probe.ReasonOK || r.Reason == probe.ReasonSlow {
			lat[i] = append(lat[i], r.Total())
		}
		if rank[r.Level] > rank[b.Worst] {
			b.Worst = r.Level
		}
	}
	for i, ls := range lat {
		if len(ls) > 0 {
			slices.Sort(ls)
			out[i].Median = ls[len(ls)/2]
		}
	}
	return out
}

func (c *latencyChart) set(tr *i18n.Translator, recs []history.Record, now time.Time) {
	bs := Buckets(recs, now)
	var top time.Duration
	for _, b := range bs {
		top = max(top, b.Median)
	}
	top = max(top, 100*time.Millisecond)
	c.layout.heights = make([]float32, len(bs))
	for i, b := range bs {
		col := colEmpty
		h := float32(0.04)
		if b.N > 0 {
			col = LevelColour(b.Worst)
			h = float32(float64(b.Median) / float64(top))
			if b.Worst == probe.LevelDown || b.Worst == probe.LevelOffline {
				h = 1 // an outage shows as a full red/grey column
			}
		}
		c.layout.heights[i] = h
		c.rects[i].FillColor = col
	}
	c.box.Refresh()
	c.scale.SetText(tr.T("win.chart_scale", map[string]any{"Max": top.Milliseconds()}))
}
