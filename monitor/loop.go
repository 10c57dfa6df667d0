package monitor

import (
	"context"
	"log/slog"
	"pantau-efaktur/probe"
	"sync"
	"time"
)

// One loop per target: it waits for the next check (or a check now, a
// new policy, a resume), checks, and hands the result to the monitor.

type loop struct {
	m      *Monitor
	tr     *Tracker  // guarded by m.mu
	notif  *notifier // guarded by m.mu; a service's, nil for an extra
	first  bool      // guarded by m.mu: the first service (check now's answer, "PC offline")
	cancel context.CancelFunc

	nowCh  chan struct{} // check-now requests (coalesced)
	pokeCh chan struct{} // configuration or snooze changed

	mu        sync.Mutex
	running   bool
	waiters   []chan probe.Result
	lastStart time.Duration // monotonic start of the previous check
	checked   bool          // at least one check started

	lastWall time.Time     // for jump detection
	lastMono time.Duration // idem
}

func (m *Monitor) newLoop(t probe.Target, index, services int) *loop {
	l := &loop{m: m, tr: &Tracker{target: t, level: probe.LevelUnknown},
		nowCh: make(chan struct{}, 1), pokeCh: make(chan struct{}, 1)}
	l.setRole(index, services)
	return l
}

// setRole makes the index-th target a service in use or an extra; m.mu
// must be held (or l not yet shared).
func (l *loop) setRole(index, services int) {
	l.first = index == 0
	switch {
	case index >= services:
		l.notif = nil
	case l.notif == nil:
		l.notif = &notifier{}
	}
}

func (l *loop) poke() {
	select {
	case l.pokeCh <- struct{}{}:
	default:
	}
}

func (l *loop) requestNow(reply chan probe.Result) {
	l.mu.Lock()
	if reply != nil {
		l.waiters = append(l.waiters, reply)
	}
	running := l.running
	l.mu.Unlock()
	if running {
		return // joins the running check
	}
	select {
	case l.nowCh <- struct{}{}:
	default:
	}
}

type wake int

const (
	wakeStop wake = iota
	wakeCheck
	wakeResume
)

func (l *loop) run(ctx context.Context) {
	l.lastWall, l.lastMono = l.m.clock.Now().Round(0), l.m.clock.Monotonic()
	next := l.lastMono // first check at once
	for {
		switch l.wait(ctx, &next) {
		case wakeStop:
			return
		case wakeResume:
			next = l.resumed()
			continue
		}
		res, jumped := l.check(ctx)
		if ctx.Err() != nil || res.Reason == probe.ReasonCanceled {
			return
		}
		if jumped {
			next = l.resumed()
			continue
		}
		next = l.m.clock.Monotonic() + l.m.apply(l, res)
	}
}

// resumed drops the failure streak after sleep or a clock jump (the network
// often needs a moment after resume) and plans a check after the grace.
func (l *loop) resumed() time.Duration {
	l.m.mu.Lock()
	l.tr.resetStreaks()
	grace, id := l.m.cfg.Policy.ResumeGrace, l.tr.target.ID
	l.m.mu.Unlock()
	slog.Info("sleep/resume or clock change: re-checking", "target", id)
	return l.m.clock.Monotonic() + grace
}

// jumped reports whether wall and monotonic time drifted apart since the
// last observation (sleep/resume, or the PC clock was changed).
func (l *loop) jumped() bool {
	now, mono := l.m.clock.Now().Round(0), l.m.clock.Monotonic()
	drift := now.Sub(l.lastWall) - (mono - l.lastMono)
	l.lastWall, l.lastMono = now, mono
	l.m.mu.Lock()
	th := l.m.cfg.Policy.JumpThreshold
	l.m.mu.Unlock()
	return drift > th || drift < -th
}

func (l *loop) wait(ctx context.Context, next *time.Duration) wake {
	lastAnnounced := time.Duration(-1)
	for {
		if l.jumped() {
			return wakeResume
		}
		mono, now := l.m.clock.Monotonic(), l.m.clock.Now()
		remaining := *next - mono
		if remaining <= 0 {
			return wakeCheck
		}
		l.m.mu.Lock()
		p := l.m.policyLocked(l)
		sleep := min(remaining, p.WakeEvery)
		if l.notif != nil {
			if due, ok := l.notif.pendingDue(now, l.tr.level, l.m.snoozeUntil); ok {
				if due <= 0 {
					evs := l.notif.flush(l.tr.level, l.tr.last, now)
					l.m.mu.Unlock()
					l.m.emit(evs...)
					lastAnnounced = -1
					continue
				}
				sleep = min(sleep, due)
			}
		}
		var announce []Event
		if *next != lastAnnounced {
			lastAnnounced = *next
			l.tr.nextCheck = now.Add(remaining)
			st := l.tr.snapshot()
			announce = append(announce, Event{Kind: EventWait, At: now, Target: l.tr.target.ID, State: &st})
		}
		l.m.mu.Unlock()
		timer := l.m.clock.Until(mono + sleep)
		l.m.emit(announce...)
		select {
		case <-ctx.Done():
			return wakeStop
		case <-timer:
		case <-l.nowCh:
			l.mu.Lock()
			gapLeft := time.Duration(0)
			if l.checked {
				gapLeft = l.lastStart + p.CheckNowGap - l.m.clock.Monotonic()
			}
			l.mu.Unlock()
			if gapLeft <= 0 {
				return wakeCheck
			}
			*next = min(*next, l.m.clock.Monotonic()+gapLeft)
		case <-l.pokeCh:
			// New policy: re-plan from the last check with the new intervals.
			l.m.mu.Lock()
			delay := l.m.nextDelayLocked(l, l.m.policyLocked(l))
			l.m.mu.Unlock()
			l.mu.Lock()
			if l.checked {
				*next = min(*next, l.lastStart+delay)
			}
			l.mu.Unlock()
			lastAnnounced = -1
		}
	}
}

// check runs one check; jumped reports that sleep or a clock change
// happened meanwhile, which makes the result meaningless.
func (l *loop) check(ctx context.Context) (probe.Result, bool) {
	w0, m0 := l.m.clock.Now(), l.m.clock.Monotonic()
	l.mu.Lock()
	l.running, l.lastStart, l.checked = true, m0, true
	l.mu.Unlock()

	l.m.mu.Lock()
	checker, target := l.m.cfg.Checker, l.tr.target
	l.m.mu.Unlock()
	res := checker.Check(ctx, target)
	res.CheckedAt = w0 // the monitor's clock is the reference
	jumped := l.jumped()

	l.mu.Lock()
	l.running = false
	waiters := l.waiters
	if !jumped && res.Reason != probe.ReasonCanceled {
		l.waiters = nil
	} else {
		waiters = nil // they wait for the next, meaningful check
	}
	l.mu.Unlock()
	for _, w := range waiters {
		select {
		case w <- res:
		default:
		}
	}
	return res, jumped
}

// apply records a result, decides state changes and notifications, emits
// them, and returns the wait before the next check.
func (m *Monitor) apply(l *loop, res probe.Result) time.Duration {
	m.mu.Lock()
	p := m.policyLocked(l)
	before := l.tr.snapshot()
	notes := l.tr.Observe(res, p)
	after := l.tr.snapshot()
	now := m.clock.Now()
	evs := []Event{{Kind: EventCheck, At: now, Target: l.tr.target.ID, Result: &res}}
	if before.Level != after.Level || before.Reason != after.Reason || before.Rechecking != after.Rechecking ||
		before.Unsteady() != after.Unsteady() {
		st := after
		evs = append(evs, Event{Kind: EventState, At: now, Target: l.tr.target.ID, State: &st, Previous: before.Level})
	}
	if l.notif != nil {
		for _, n := range notes {
			if !l.first && (n.Kind == NotifyOffline || n.Kind == NotifyOnline) {
				continue // this PC's connection is told once, by the first service
			}
			evs = append(evs, l.notif.offer(n, m.cfg.Notify, now, p.NotifyGap, m.snoozeUntil)...)
		}
	}
	delay := m.nextDelayLocked(l, p)
	m.mu.Unlock()
	m.emit(evs...)
	return delay
}

// nextDelayLocked is the wait after the last check: the policy's, with
// jitter, stretched to the pause the server asked for (429 or 503 with
// Retry-After): DJP is never asked sooner than it wants, up to the normal
// interval, so an outage's end is still seen within one interval.
func (m *Monitor) nextDelayLocked(l *loop, p Policy) time.Duration {
	delay := m.jitter(p.delay(l.tr), p)
	if ra := min(l.tr.last.RetryAfter, p.Interval); ra > delay {
		delay = ra
	}
	return delay
}
