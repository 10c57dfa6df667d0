package monitor

import (
	"context"
	"errors"
	"math/rand/v2"
	"pantau-efaktur/probe"
	"sync"
	"time"
)

// EventKind classifies monitor events.
type EventKind string

const (
	EventCheck  EventKind = "check"  // a check finished
	EventState  EventKind = "state"  // level, reason or re-checking changed
	EventNotify EventKind = "notify" // tell the user
	EventWait   EventKind = "wait"   // the monitor is waiting for its next check
)

// Event is emitted by the monitor, in order per target.
type Event struct {
	Kind         EventKind
	At           time.Time
	Target       string
	Result       *probe.Result // EventCheck
	State        *State        // EventState, EventWait
	Previous     probe.Level   // EventState: level before
	Notification *Notification // EventNotify
}

// Checker runs one check; *HTTPChecker is the real one.
type Checker interface {
	Check(ctx context.Context, t probe.Target) probe.Result
}

// Config is what a Monitor needs. Reconfigure replaces it at run time.
type Config struct {
	Targets []probe.Target
	// Services: the first Services targets are the services in use; each
	// drives the icon and has its own notifications. The rest are extras,
	// only shown. Zero means one.
	Services int
	Checker  Checker
	Policy   Policy
	Notify   NotifySettings
}

// Monitor checks its targets on the policy's schedule and decides what the
// user should be told. Create with New, then Run.
type Monitor struct {
	clock Clock
	rand  func() float64
	sink  func(Event)

	mu          sync.Mutex
	cfg         Config
	loops       map[string]*loop
	snoozeUntil time.Time // the mute: no notification before it ends
	runCtx      context.Context
	runWG       sync.WaitGroup
	running     bool

	emitMu sync.Mutex

	resume map[string]OpenOutage // WithOpenOutages, until New applies it
	owed   *Notification         // WithOwedRecovery, until New applies it
}

// Option customises a monitor (tests).
type Option func(*Monitor)

// WithClock replaces the system clock.
func WithClock(c Clock) Option { return func(m *Monitor) { m.clock = c } }

// WithRand replaces the jitter source (values in [0,1)).
func WithRand(f func() float64) Option { return func(m *Monitor) { m.rand = f } }

// WithOpenOutages takes up outages a previous run left open (see
// FindOpenOutage), by target ID. Such a target starts at the level it had
// (down or offline) instead of "unknown": recovery still needs
// RecoverThreshold answers, the outage is not announced a second time, and
// the recovery notification tells its whole length, not the time since the
// restart. A service's outage marked Held was never announced: its "down"
// is held again, for the end of the snooze the caller sets.
func WithOpenOutages(open map[string]OpenOutage) Option {
	return func(m *Monitor) { m.resume = open }
}

// WithOwedRecovery hands over the first service's "back online" a previous run
// held for the end of the mute still running (see OwedRecovery): told when
// the mute ends, or, when the outage taken up (held too) is still going on,
// covered by its own "back online", as without the restart.
func WithOwedRecovery(n Notification) Option {
	return func(m *Monitor) { m.owed = &n }
}

// WithSnooze starts the monitor muted until the given time (a snooze kept
// across a restart), as SetSnooze would before Run.
func WithSnooze(until time.Time) Option {
	return func(m *Monitor) { m.snoozeUntil = until }
}

// New validates cfg. sink receives every event, synchronously, from
// the monitor's goroutines (one at a time); it must be quick.
func New(cfg Config, sink func(Event), opts ...Option) (*Monitor, error) {
	if len(cfg.Targets) == 0 || cfg.Checker == nil {
		return nil, errors.New("monitor needs a checker and at least one target")
	}
	if err := cfg.Policy.validate(cfg.Targets); err != nil {
		return nil, err
	}
	if sink == nil {
		sink = func(Event) {}
	}
	m := &Monitor{clock: RealClock(), rand: rand.Float64, sink: sink, cfg: cfg, loops: map[string]*loop{}}
	for _, o := range opts {
		o(m)
	}
	for i, t := range cfg.Targets {
		m.loops[t.ID] = m.newLoop(t, i, cfg.services())
	}
	for id, o := range m.resume {
		if l, ok := m.loops[id]; ok {
			l.tr.resume(o)
		}
	}
	for _, l := range m.loops {
		if l.notif != nil {
			m.takeUp(l)
		}
	}
	m.resume, m.owed = nil, nil
	return m, nil
}

// services is the number of services in use.
func (c Config) services() int { return min(max(c.Services, 1), len(c.Targets)) }

// takeUp sets what a service's user was told by the previous run: an
// outage taken up was told (its end is owed) or held by the mute; the
// first service may owe a "back online" held by the mute.
func (m *Monitor) takeUp(l *loop) {
	id := l.tr.target.ID
	var down *Notification
	if l.tr.Outage != nil {
		down = &Notification{Kind: NotifyDown, Target: id, Reason: l.tr.reason, Result: l.tr.last, Start: l.tr.Outage.Start}
	}
	owed := m.owed
	if !l.first {
		owed = nil
	}
	switch {
	case down != nil && !m.resume[id].Held:
		l.notif.told = down // the previous run told it: its end is owed
	case owed != nil && wanted(*owed, m.cfg.Notify):
		// The previous run told "down" and held its "back online" for the
		// mute's end: still owed, and the one summary of what came since.
		l.notif.told = &Notification{Kind: NotifyDown, Target: id, Start: owed.Start}
		if down == nil {
			l.notif.pending = owed
		}
	case down != nil && wanted(*down, m.cfg.Notify):
		l.notif.pending = down // held by the mute: told when it ends, if still down
	}
}

// Run checks until ctx ends. The first check of every target starts at once.
func (m *Monitor) Run(ctx context.Context) error {
	m.mu.Lock()
	if m.running {
		m.mu.Unlock()
		return errors.New("monitor already running")
	}
	m.running, m.runCtx = true, ctx
	for _, l := range m.loops {
		m.startLoop(l)
	}
	m.mu.Unlock()
	<-ctx.Done()
	// No loop is started (by a Reconfigure racing the end) once the wait
	// for them has begun.
	m.mu.Lock()
	m.running = false
	m.mu.Unlock()
	m.runWG.Wait()
	return nil
}

// startLoop runs l in its own goroutine; m.mu must be held.
func (m *Monitor) startLoop(l *loop) {
	ctx, cancel := context.WithCancel(m.runCtx)
	l.cancel = cancel
	m.runWG.Add(1)
	go func() {
		defer m.runWG.Done()
		l.run(ctx)
	}()
}

// Reconfigure applies new settings without losing what is known: a target
// whose address is unchanged keeps its state (and its open outage); a
// changed address starts afresh; removed targets stop, new ones start.
func (m *Monitor) Reconfigure(cfg Config) error {
	if len(cfg.Targets) == 0 || cfg.Checker == nil {
		return errors.New("monitor needs a checker and at least one target")
	}
	if err := cfg.Policy.validate(cfg.Targets); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cfg = cfg
	keep := map[string]bool{}
	for i, t := range cfg.Targets {
		keep[t.ID] = true
		l, ok := m.loops[t.ID]
		if ok && l.tr.target.URL == t.URL {
			l.tr.target = t
			l.setRole(i, cfg.services())
			l.poke()
			continue
		}
		if ok && l.cancel != nil {
			l.cancel()
		}
		nl := m.newLoop(t, i, cfg.services())
		m.loops[t.ID] = nl
		if m.running {
			m.startLoop(nl)
		}
	}
	for id, l := range m.loops {
		if !keep[id] {
			if l.cancel != nil {
				l.cancel()
			}
			delete(m.loops, id)
		}
	}
	return nil
}

// CheckNow asks every target for a check now: one already running is
// joined, and requests closer than Policy.CheckNowGap to the previous check
// are merged into one. The channel receives the first service's result.
func (m *Monitor) CheckNow() <-chan probe.Result {
	reply := make(chan probe.Result, 1)
	m.mu.Lock()
	loops := make([]*loop, 0, len(m.loops))
	var first *loop
	for _, l := range m.loops {
		if l.first {
			first = l
		} else {
			loops = append(loops, l)
		}
	}
	m.mu.Unlock()
	first.requestNow(reply)
	for _, l := range loops {
		l.requestNow(nil)
	}
	return reply
}

// SetSnooze holds notifications until the given wall time (zero: none).
// Levels keep changing; a confirmed outage still open when the snooze ends
// is notified then.
func (m *Monitor) SetSnooze(until time.Time) {
	m.mu.Lock()
	m.snoozeUntil = until
	var services []*loop
	for _, l := range m.loops {
		if l.notif != nil {
			services = append(services, l)
		}
	}
	m.mu.Unlock()
	for _, l := range services {
		l.poke()
	}
}

// Snoozed returns the end of the snooze (zero if none or over).
func (m *Monitor) Snoozed() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.clock.Now().Before(m.snoozeUntil) {
		return m.snoozeUntil
	}
	return time.Time{}
}

// States returns a snapshot of every target's state: the services in use
// first, then the extras.
func (m *Monitor) States() []State {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]State, 0, len(m.loops))
	for _, t := range m.cfg.Targets {
		if l, ok := m.loops[t.ID]; ok {
			out = append(out, l.tr.snapshot())
		}
	}
	return out
}

// Primary is the first service's state.
func (m *Monitor) Primary() State { return m.States()[0] }

// Services is the number of services in use: the first of States.
func (m *Monitor) Services() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cfg.services()
}

// emit delivers events to the sink, one caller at a time.
func (m *Monitor) emit(evs ...Event) {
	if len(evs) == 0 {
		return
	}
	m.emitMu.Lock()
	defer m.emitMu.Unlock()
	for _, e := range evs {
		m.sink(e)
	}
}

// jitter spreads a wait by ±Policy.Jitter so that many PCs do not knock on
// DJP's door in step.
func (m *Monitor) jitter(d time.Duration, p Policy) time.Duration {
	if p.Jitter <= 0 {
		return d
	}
	f := 1 + p.Jitter*(2*m.rand()-1)
	return time.Duration(float64(d) * f)
}
