package probetest

import "time"

// Pacer moves a Clock for a monitor with several loops: only when every
// loop waits for its next check, and then to the nearest one, so no loop's
// check is skipped because its goroutine was scheduled late.
type Pacer struct {
	clk    *Clock
	loops  int
	parked map[string]time.Time // loop → its next check, while it waits
	moved  bool                 // the clock moved since the loops last said anything
}

// NewPacer paces clk for a monitor of loops targets.
func NewPacer(clk *Clock, loops int) *Pacer {
	return &Pacer{clk: clk, loops: loops, parked: map[string]time.Time{}}
}

// Checked records that the target's loop checked: it no longer waits.
func (p *Pacer) Checked(target string) { delete(p.parked, target); p.moved = false }

// Waits records that the target's loop waits for its check at next.
func (p *Pacer) Waits(target string, next time.Time) { p.parked[target] = next; p.moved = false }

// Advance moves the clock to the nearest next check, never past end, once
// every loop waits and has answered the previous move; it reports whether
// the clock has reached end.
func (p *Pacer) Advance(end time.Time) bool {
	now := p.clk.Now()
	if !now.Before(end) {
		return true
	}
	if len(p.parked) < p.loops || p.moved {
		return false
	}
	step := end.Sub(now)
	for _, next := range p.parked {
		step = min(step, next.Sub(now))
	}
	if step > 0 {
		p.clk.Advance(step)
	}
	// At end, no loop need answer before the clock may move on (past a
	// new end).
	reached := !p.clk.Now().Before(end)
	p.moved = !reached
	return reached
}
