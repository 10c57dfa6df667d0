package probe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// Policy is the monitor's schedule and confirmation rules (ARCHITECTURE.md §5).
type Policy struct {
	Interval         time.Duration // between checks while up / degraded
	Recheck          time.Duration // after an unconfirmed change
	DownInterval     time.Duration // between checks while down / offline
	FailThreshold    int           // consecutive failures that confirm down
	RecoverThreshold int           // consecutive answers that confirm recovery
	DegradedRepeat   int           // consecutive degraded results that recolour
	Jitter           float64       // ± fraction applied to every wait
	CheckNowGap      time.Duration // at most one requested check per gap
	NotifyGap        time.Duration // at most one notification per gap (recovery exempt)
	ResumeGrace      time.Duration // wait after sleep/resume before checking
	JumpThreshold    time.Duration // wall vs monotonic drift that means sleep or clock change
	WakeEvery        time.Duration // longest single sleep, so a resume is noticed soon
}

// DefaultPolicy is the policy of ARCHITECTURE.md §5.
func DefaultPolicy() Policy {
	return Policy{
		Interval: 60 * time.Second, Recheck: 10 * time.Second, DownInterval: 30 * time.Second,
		FailThreshold: 3, RecoverThreshold: 2, DegradedRepeat: 2, Jitter: 0.1,
		CheckNowGap: 3 * time.Second, NotifyGap: time.Minute, ResumeGrace: 5 * time.Second,
		JumpThreshold: 30 * time.Second, WakeEvery: 30 * time.Second,
	}
}

// Policy is the monitor policy these settings stand for.
func (s Settings) Policy() Policy {
	p := DefaultPolicy()
	p.Interval, p.Recheck, p.DownInterval = s.Interval.D(), s.Recheck.D(), s.DownInterval.D()
	p.FailThreshold, p.RecoverThreshold = s.FailThreshold, s.RecoverThreshold
	return p
}

// ErrTooFrequent refuses intervals that would hammer DJP.
var ErrTooFrequent = errors.New("check intervals under 10 s are only allowed for addresses on this machine")

// policyLocked is the policy of one target: secondary targets on other
// hosts never get intervals under 10 s, even when the primary is a local
// test server (m.mu held).
func (m *Monitor) policyLocked(l *loop) Policy {
	p := m.cfg.Policy
	if !l.primary && !IsLoopbackURL(l.tr.target.URL) {
		p.Interval, p.Recheck, p.DownInterval = max(p.Interval, minRemoteWait), max(p.Recheck, minRemoteWait), max(p.DownInterval, minRemoteWait)
	}
	return p
}

// validate enforces the loopback-only rule on the primary target (secondary
// targets are clamped, see policyLocked) and sane counts.
func (p Policy) validate(targets []Target) error {
	if p.Interval <= 0 || p.Recheck <= 0 || p.DownInterval <= 0 {
		return errors.New("monitor intervals must be positive")
	}
	if p.FailThreshold < 1 || p.RecoverThreshold < 1 || p.DegradedRepeat < 1 {
		return errors.New("monitor thresholds must be at least 1")
	}
	if min(p.Interval, p.Recheck, p.DownInterval) < minRemoteWait && len(targets) > 0 && !IsLoopbackURL(targets[0].URL) {
		return fmt.Errorf("%w (target %s)", ErrTooFrequent, targets[0].URL)
	}
	return nil
}

// NotifyKind says what a notification is about.
type NotifyKind string

const (
	NotifyDown      NotifyKind = "down"      // outage confirmed
	NotifyRecovered NotifyKind = "recovered" // outage over
	NotifyDegraded  NotifyKind = "degraded"  // something is off
	NotifyOffline   NotifyKind = "offline"   // this PC lost its connection
	NotifyOnline    NotifyKind = "online"    // this PC is back online
)

// Notification is the monitor's decision to tell the user something; how it
// is shown (and in which language) is the caller's business.
type Notification struct {
	Kind   NotifyKind
	Target string
	Reason Reason        // current reason; for recovered, the outage's main cause
	Outage time.Duration // recovered: how long the outage lasted
	Result Result        // the check that triggered it
	// FollowUp marks a "degraded" that ends a notified outage: sent whatever
	// the preferences, because the user was told "down" and must not be left there.
	FollowUp bool
	// Back is, for recovered, when the server answered again (the first of
	// the answers that confirmed it).
	Back time.Time
	// Start is, for down and recovered, when the outage began.
	Start time.Time
	// Delayed is when a notification held by the snooze or the rate limit
	// finally went out (zero: told when decided), so a late "back online"
	// can say since when.
	Delayed time.Time
	// Earlier counts the outages before this one that began and ended
	// while notifications were muted after the user had been told "down"
	// (the server flapped). The user heard of none of those ends, so the
	// "back online" that follows covers them all: Start is then the first
	// one's start and Outage the downtime of them all; a late "down" says
	// the server had come back in between.
	Earlier int
}

// State is what the monitor currently believes about one target.
type State struct {
	Target      string
	URL         string
	Level       Level     // confirmed level
	Reason      Reason    // reason of the confirmed level (latest of that level)
	Since       time.Time // when the confirmed level started (first check of its streak)
	Rechecking  bool      // an unconfirmed change is being verified
	Last        Result    // latest check (zero before the first)
	NextCheck   time.Time // planned time of the next check
	OutageStart time.Time // start of the open outage, zero if none
	// Recent is the tally of the last checks (at most UnsteadyWindow)
	// since the server last began answering, or stopped: one that keeps
	// failing briefly stays green by policy, and this is how the user
	// still hears of it.
	Recent Tally
}

// Unsteadiness. One failure re-checked away must not cry wolf, and a
// failure is confirmed only when it repeats (3 in a row by default), so a
// server failing every other check never turns red. Yet uploads then fail
// half the time. Counting the failures among the last checks tells it
// without a new colour or a notification: "unsteady" is a remark on the
// level, never a level.
const (
	UnsteadyWindow   = 10 // the checks looked at
	UnsteadyFailures = 3  // failed ones among them that make it unsteady
	UnsteadyEpisodes = 2  // in at least this many separate runs (a long blip is one)
)

// Tally counts recent checks, the failed ones (the server down, not this
// PC offline) and the separate runs of failures among them.
type Tally struct {
	Checks   int `json:"checks"`
	Failures int `json:"failures"`
	Episodes int `json:"episodes"`
}

// Unsteady reports whether an answering server failed often enough lately
// to say so: it is up (or degraded) and failed at least UnsteadyFailures
// times in UnsteadyEpisodes separate runs among the recent checks.
func Unsteady(level Level, t Tally) bool {
	return (level == LevelUp || level == LevelDegraded) &&
		t.Failures >= UnsteadyFailures && t.Episodes >= UnsteadyEpisodes
}

// Unsteady is Unsteady(s.Level, s.Recent).
func (s State) Unsteady() bool { return Unsteady(s.Level, s.Recent) }

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
	Result       *Result       // EventCheck
	State        *State        // EventState, EventWait
	Previous     Level         // EventState: level before
	Notification *Notification // EventNotify
}

// Checker runs one check; *HTTPChecker is the real one.
type Checker interface {
	Check(ctx context.Context, t Target) Result
}

// MonitorConfig is what a Monitor needs. Reconfigure replaces it at run time.
type MonitorConfig struct {
	Targets []Target // the first is the primary (drives icon and notifications)
	Checker Checker
	Policy  Policy
	Notify  NotifySettings
}

// Monitor checks its targets on the policy's schedule and decides what the
// user should be told. Create with NewMonitor, then Run.
type Monitor struct {
	clock Clock
	rand  func() float64
	sink  func(Event)

	mu      sync.Mutex
	cfg     MonitorConfig
	loops   map[string]*loop
	notif   notifier
	runCtx  context.Context
	runWG   sync.WaitGroup
	running bool

	emitMu sync.Mutex

	resume map[string]OpenOutage // WithOpenOutages, until NewMonitor applies it
	owed   *Notification         // WithOwedRecovery, until NewMonitor applies it
}

// MonitorOption customises a monitor (tests).
type MonitorOption func(*Monitor)

// WithClock replaces the system clock.
func WithClock(c Clock) MonitorOption { return func(m *Monitor) { m.clock = c } }

// WithRand replaces the jitter source (values in [0,1)).
func WithRand(f func() float64) MonitorOption { return func(m *Monitor) { m.rand = f } }

// WithOpenOutages takes up outages a previous run left open (see
// FindOpenOutage), by target ID. Such a target starts at the level it had
// (down or offline) instead of "unknown": recovery still needs
// RecoverThreshold answers, the outage is not announced a second time, and
// the recovery notification tells its whole length, not the time since the
// restart. A primary outage marked Held was never announced: its "down" is
// held again, for the end of the snooze the caller sets.
func WithOpenOutages(open map[string]OpenOutage) MonitorOption {
	return func(m *Monitor) { m.resume = open }
}

// WithOwedRecovery hands over the primary's "back online" a previous run
// held for the end of the mute still running (see OwedRecovery): told when
// the mute ends, or, when the outage taken up (held too) is still going on,
// covered by its own "back online", as without the restart.
func WithOwedRecovery(n Notification) MonitorOption {
	return func(m *Monitor) { m.owed = &n }
}

// WithSnooze starts the monitor muted until the given time (a snooze kept
// across a restart), as SetSnooze would before Run.
func WithSnooze(until time.Time) MonitorOption {
	return func(m *Monitor) { m.notif.snoozeUntil = until }
}

// NewMonitor validates cfg. sink receives every event, synchronously, from
// the monitor's goroutines (one at a time); it must be quick.
func NewMonitor(cfg MonitorConfig, sink func(Event), opts ...MonitorOption) (*Monitor, error) {
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
		m.loops[t.ID] = m.newLoop(t, i == 0)
	}
	for id, o := range m.resume {
		if l, ok := m.loops[id]; ok {
			l.tr.resume(o)
		}
	}
	primaryID := cfg.Targets[0].ID
	if p := m.loops[primaryID]; p.tr.outage != nil {
		down := Notification{Kind: NotifyDown, Target: primaryID, Reason: p.tr.reason, Result: p.tr.last, Start: p.tr.outage.start}
		if m.resume[primaryID].Held {
			// Not told yet: the user hears of it when the snooze ends, if it
			// is still down then, as without the restart.
			if wanted(down, cfg.Notify) {
				m.notif.pending = &down
			}
		} else {
			// The previous run told "down": the user is owed its "back online".
			m.notif.toldDown = true
		}
	}
	if owed := m.owed; owed != nil && wanted(*owed, cfg.Notify) {
		switch p := m.loops[primaryID]; {
		case p.tr.outage == nil:
			m.notif.pending, m.notif.toldDown = owed, true
		case m.resume[primaryID].Held:
			// A new outage overtook the news during the mute: its "back
			// online" covers both, and a late "down" says the server had
			// come back in between.
			m.notif.bridged, m.notif.toldDown = owed, true
			if d := m.notif.pending; d != nil {
				d.Earlier = owed.Earlier + 1
			}
		}
		// An outage taken up that was told is the one still owed: none
		// ended since, so there is nothing else to tell.
	}
	m.resume, m.owed = nil, nil
	return m, nil
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
func (m *Monitor) Reconfigure(cfg MonitorConfig) error {
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
			l.poke()
			continue
		}
		if ok && l.cancel != nil {
			l.cancel()
		}
		nl := m.newLoop(t, i == 0)
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
// are merged into one. The channel receives the primary target's result.
func (m *Monitor) CheckNow() <-chan Result {
	reply := make(chan Result, 1)
	m.mu.Lock()
	loops := make([]*loop, 0, len(m.loops))
	for _, l := range m.loops {
		loops = append(loops, l)
	}
	m.mu.Unlock()
	for _, l := range loops {
		if l.primary {
			l.requestNow(reply)
		} else {
			l.requestNow(nil)
		}
	}
	return reply
}

// SetSnooze holds notifications until the given wall time (zero: none).
// Levels keep changing; a confirmed outage still open when the snooze ends
// is notified then.
func (m *Monitor) SetSnooze(until time.Time) {
	m.mu.Lock()
	m.notif.snoozeUntil = until
	var primary *loop
	for _, l := range m.loops {
		if l.primary {
			primary = l
		}
	}
	m.mu.Unlock()
	if primary != nil {
		primary.poke()
	}
}

// Snoozed returns the end of the snooze (zero if none or over).
func (m *Monitor) Snoozed() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.clock.Now().Before(m.notif.snoozeUntil) {
		return m.notif.snoozeUntil
	}
	return time.Time{}
}

// States returns a snapshot of every target's state, primary first.
func (m *Monitor) States() []State {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]State, 0, len(m.loops))
	for _, t := range m.cfg.Targets {
		if l, ok := m.loops[t.ID]; ok {
			out = append(out, l.tr.snapshot(m.cfg.Policy))
		}
	}
	return out
}

// Primary is the primary target's state.
func (m *Monitor) Primary() State { return m.States()[0] }

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

// ---- one target ----

type loop struct {
	m       *Monitor
	tr      *tracker // guarded by m.mu
	primary bool
	cancel  context.CancelFunc

	nowCh  chan struct{} // check-now requests (coalesced)
	pokeCh chan struct{} // configuration or snooze changed

	mu        sync.Mutex
	running   bool
	waiters   []chan Result
	lastStart time.Duration // monotonic start of the previous check
	checked   bool          // at least one check started

	lastWall time.Time     // for jump detection
	lastMono time.Duration // idem
}

func (m *Monitor) newLoop(t Target, primary bool) *loop {
	return &loop{m: m, tr: &tracker{target: t, level: LevelUnknown}, primary: primary,
		nowCh: make(chan struct{}, 1), pokeCh: make(chan struct{}, 1)}
}

func (l *loop) poke() {
	select {
	case l.pokeCh <- struct{}{}:
	default:
	}
}

func (l *loop) requestNow(reply chan Result) {
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
		if ctx.Err() != nil || res.Reason == ReasonCanceled {
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
		if l.primary {
			if due, ok := l.m.notif.pendingDue(now, l.tr.level); ok {
				if due <= 0 {
					evs := l.m.flushPendingLocked(now)
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
			st := l.tr.snapshot(p)
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
func (l *loop) check(ctx context.Context) (Result, bool) {
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
	if !jumped && res.Reason != ReasonCanceled {
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
func (m *Monitor) apply(l *loop, res Result) time.Duration {
	m.mu.Lock()
	p := m.policyLocked(l)
	before := l.tr.snapshot(p)
	notes := l.tr.observe(res, p)
	after := l.tr.snapshot(p)
	now := m.clock.Now()
	evs := []Event{{Kind: EventCheck, At: now, Target: l.tr.target.ID, Result: &res}}
	if before.Level != after.Level || before.Reason != after.Reason || before.Rechecking != after.Rechecking ||
		before.Unsteady() != after.Unsteady() {
		st := after
		evs = append(evs, Event{Kind: EventState, At: now, Target: l.tr.target.ID, State: &st, Previous: before.Level})
	}
	if l.primary {
		for _, n := range notes {
			evs = append(evs, m.notif.offer(n, m.cfg.Notify, after.Level, now, p.NotifyGap)...)
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

// flushPendingLocked delivers a held notification if it still holds.
func (m *Monitor) flushPendingLocked(now time.Time) []Event {
	var level Level
	var last Result
	for _, l := range m.loops {
		if l.primary {
			level, last = l.tr.level, l.tr.last
		}
	}
	return m.notif.flush(level, last, now)
}

// ---- confirmation rules ----

// tracker holds one target's confirmed state and the streaks that may
// change it.
type tracker struct {
	target Target
	level  Level
	reason Reason
	since  time.Time
	last   Result

	failStreak, downStreak, offlineStreak, degStreak, answerStreak int
	failStart, downStart, degStart, answerStart                    time.Time

	// recent holds the last checks since the server began answering (or
	// stopped), true for a server failure (Tally). settling: resumed from
	// sleep, the failures before the first answer are the network waking.
	recent []bool
	// downs counts the reasons of the down checks of a failure run not
	// confirmed yet: they become the outage's if it is.
	downs    map[Reason]int
	settling bool

	outage    *outage
	nextCheck time.Time
}

type outage struct {
	start     time.Time
	confirmed time.Time // the check that confirmed it ("down" was decided then)
	reasons   map[Reason]int
	notified  bool // "down" was decided (delivered or held)
}

// mainReason is the most frequent reason of the outage (ties: the worst
// first, in AllReasons order).
func (o *outage) mainReason() Reason {
	best, bestN := Reason(""), 0
	for _, r := range AllReasons {
		if n := o.reasons[r]; n > bestN {
			best, bestN = r, n
		}
	}
	return best
}

// resume starts the tracker inside an outage a previous run left open.
func (t *tracker) resume(o OpenOutage) {
	if (o.Last.Level != LevelDown && o.Last.Level != LevelOffline) || o.Start.IsZero() {
		return
	}
	t.level, t.reason, t.since = o.Last.Level, o.Last.Reason, o.Start
	if t.level == LevelOffline {
		t.since = o.Last.At
	}
	t.last = o.Last.Result(t.target.URL)
	// The previous run decided "down" when it confirmed the outage.
	t.outage = &outage{start: o.Start, confirmed: o.Confirmed, reasons: maps.Clone(o.Reasons), notified: true}
	if t.outage.reasons == nil {
		t.outage.reasons = map[Reason]int{}
	}
}

func (t *tracker) resetStreaks() {
	t.failStreak, t.downStreak, t.offlineStreak, t.degStreak, t.answerStreak = 0, 0, 0, 0, 0
	clear(t.downs)
	t.settling = true
}

// remember adds a check to recent: a failure of the server, or an
// answer. This PC being offline says nothing about the server, nor do the
// failures after a resume before the first answer.
func (t *tracker) remember(res Result) {
	switch res.Level {
	case LevelOffline:
		return
	case LevelDown:
		if t.settling {
			return
		}
	default:
		t.settling = false
	}
	t.recent = append(t.recent, res.Level == LevelDown)
	if n := len(t.recent); n > UnsteadyWindow {
		t.recent = slices.Delete(t.recent, 0, n-UnsteadyWindow)
	}
}

// answering: the level of a server that answers (or not known yet).
func answering(l Level) bool { return l != LevelDown && l != LevelOffline }

func (t *tracker) tally() Tally {
	tl := Tally{Checks: len(t.recent)}
	for i, failed := range t.recent {
		if failed {
			tl.Failures++
			if i == 0 || !t.recent[i-1] {
				tl.Episodes++
			}
		}
	}
	return tl
}

func (t *tracker) rechecking() bool {
	switch t.level {
	case LevelDown:
		return t.answerStreak > 0 || t.offlineStreak > 0
	case LevelOffline:
		return t.answerStreak > 0 || t.downStreak > 0
	case LevelUnknown:
		// A first answer that is degraded waits for its repeat, as a
		// failure does: "not checked yet" under "redirected (HTTP 302)"
		// would contradict itself. (Up keeps its colour over one
		// degraded answer: degraded recolours only when it repeats.)
		return t.failStreak > 0 || t.degStreak > 0
	}
	return t.failStreak > 0
}

func (t *tracker) snapshot(Policy) State {
	st := State{Target: t.target.ID, URL: t.target.URL, Level: t.level, Reason: t.reason, Since: t.since,
		Rechecking: t.rechecking(), Last: t.last, NextCheck: t.nextCheck, Recent: t.tally()}
	if t.outage != nil {
		st.OutageStart = t.outage.start
	}
	return st
}

func (t *tracker) set(level Level, reason Reason, since time.Time) {
	if level != t.level {
		t.since = since
	}
	t.level, t.reason = level, reason
}

// observe applies one result and returns the notifications it calls for
// (before preferences, snooze and rate limits).
func (t *tracker) observe(res Result, p Policy) []Notification {
	at := res.CheckedAt
	t.last = res
	failing := res.Level == LevelDown || res.Level == LevelOffline
	if failing {
		if t.failStreak == 0 {
			t.failStart = at
		}
		t.failStreak++
		t.answerStreak, t.degStreak = 0, 0
		if res.Level == LevelDown {
			if t.downStreak == 0 {
				t.downStart = at
			}
			t.downStreak++
			t.offlineStreak = 0
		} else {
			t.offlineStreak++
			t.downStreak = 0
		}
	} else {
		if t.answerStreak == 0 {
			t.answerStart = at
		}
		t.answerStreak++
		t.failStreak, t.downStreak, t.offlineStreak = 0, 0, 0
		if res.Level == LevelDegraded {
			if t.degStreak == 0 {
				t.degStart = at
			}
			t.degStreak++
		} else {
			t.degStreak = 0
		}
	}
	// Every down check of the run counts towards the outage's cause, also
	// those before it was confirmed.
	switch {
	case res.Level == LevelDown && t.outage != nil:
		t.outage.reasons[res.Reason]++
	case res.Level == LevelDown:
		if t.downs == nil {
			t.downs = map[Reason]int{}
		}
		t.downs[res.Reason]++
	case !failing:
		clear(t.downs)
	}

	prev := t.level
	switch prev {
	case LevelUnknown, LevelUp, LevelDegraded:
		switch {
		case failing && t.failStreak >= p.FailThreshold:
			t.set(res.Level, res.Reason, t.failStart)
		case res.Level == LevelUp:
			t.set(LevelUp, res.Reason, at)
		case res.Level == LevelDegraded && (prev == LevelDegraded || t.degStreak >= p.DegradedRepeat):
			t.set(LevelDegraded, res.Reason, t.degStart)
		}
	case LevelDown, LevelOffline:
		switch {
		case !failing && t.answerStreak >= p.RecoverThreshold:
			t.set(res.Level, res.Reason, t.answerStart)
		case failing && res.Level == prev:
			t.reason = res.Reason
		case prev == LevelDown && t.offlineStreak >= p.DegradedRepeat:
			t.set(LevelOffline, res.Reason, at)
		case prev == LevelOffline && t.downStreak >= p.FailThreshold:
			t.set(LevelDown, res.Reason, t.downStart)
		}
	}
	if answering(t.level) != answering(prev) {
		// An outage starts a new tally, and so does its end: the failures
		// of an outage just ended are not "unsteady", it was down.
		t.recent = t.recent[:0]
	}
	t.remember(res)
	if t.level == prev {
		if t.outage != nil && t.level == LevelDegraded && t.reason == ReasonSlow {
			// Yellow all along, but the proxy's page gave way to the
			// service itself, slowly: working, so the outage is over.
			return t.transition(prev, res)
		}
		return nil
	}
	return t.transition(prev, res)
}

// transition opens and closes outages and names the notifications due.
func (t *tracker) transition(prev Level, res Result) []Notification {
	note := func(k NotifyKind, r Reason) Notification {
		return Notification{Kind: k, Target: t.target.ID, Reason: r, Result: res}
	}
	switch t.level {
	case LevelDown:
		if t.outage == nil {
			t.outage = &outage{start: t.failStart, confirmed: res.CheckedAt, reasons: maps.Clone(t.downs)}
			clear(t.downs)
			if prev == LevelOffline {
				t.outage.start = t.downStart
			}
		}
		if !t.outage.notified {
			t.outage.notified = true
			n := note(NotifyDown, t.reason)
			n.Start = t.outage.start
			return []Notification{n}
		}
	case LevelOffline:
		return []Notification{note(NotifyOffline, t.reason)}
	case LevelUp, LevelDegraded:
		// Slow is "it works again, slowly": the outage is over.
		answering := t.level == LevelUp || t.reason == ReasonSlow
		if t.outage != nil && answering {
			o := t.outage
			t.outage = nil
			n := note(NotifyRecovered, o.mainReason())
			n.Outage, n.Back, n.Start = t.answerStart.Sub(o.start), t.answerStart, o.start
			return []Notification{n}
		}
		if t.outage != nil {
			n := note(NotifyDegraded, t.reason)
			n.FollowUp = t.outage.notified
			return []Notification{n}
		}
		if prev == LevelOffline {
			return []Notification{note(NotifyOnline, t.reason)}
		}
		if t.level == LevelDegraded {
			return []Notification{note(NotifyDegraded, t.reason)}
		}
	}
	return nil
}

// delay is the wait before the next check.
func (p Policy) delay(t *tracker) time.Duration {
	switch t.level {
	case LevelDown, LevelOffline:
		if t.answerStreak > 0 && t.answerStreak < p.RecoverThreshold {
			return p.Recheck
		}
		if t.level == LevelOffline && t.downStreak > 0 && t.downStreak < p.FailThreshold {
			return p.Recheck
		}
		return p.DownInterval
	}
	if t.failStreak > 0 && t.failStreak < p.FailThreshold {
		return p.Recheck
	}
	if t.level != LevelDegraded && t.degStreak > 0 && t.degStreak < p.DegradedRepeat {
		return p.Recheck
	}
	return p.Interval
}

// ---- notification delivery: preferences, snooze, rate limit ----

type notifier struct {
	last        time.Time // last delivered notification other than recovery
	gap         time.Duration
	pending     *Notification
	snoozeUntil time.Time
	// toldDown: the user was told "down" and not yet "back online" (and
	// toldOffline: "PC offline", not yet "PC back online"). Those
	// notifications promised the news, so it is held over a snooze for its
	// end instead of dropped.
	toldDown, toldOffline bool
	// bridged is an owed "back online" overtaken by a new outage during the
	// snooze: the next one owed covers it too.
	bridged *Notification
}

// wanted applies the user's preferences.
func wanted(n Notification, prefs NotifySettings) bool {
	switch n.Kind {
	case NotifyDown:
		return prefs.Down
	case NotifyRecovered:
		return prefs.Recovered
	case NotifyDegraded:
		return prefs.Degraded || (n.FollowUp && prefs.Down)
	case NotifyOffline, NotifyOnline:
		return prefs.Offline
	}
	return false
}

// stillTrue reports whether a held notification still describes the level.
func stillTrue(k NotifyKind, level Level) bool {
	switch k {
	case NotifyDown:
		return level == LevelDown
	case NotifyDegraded:
		return level == LevelDegraded
	case NotifyOffline:
		return level == LevelOffline
	case NotifyOnline:
		return level == LevelUp
	case NotifyRecovered:
		return level == LevelUp || level == LevelDegraded
	}
	return false
}

// offer decides whether n is delivered now, held, or dropped.
func (nt *notifier) offer(n Notification, prefs NotifySettings, level Level, now time.Time, gap time.Duration) []Event {
	nt.gap = gap
	if !wanted(n, prefs) {
		return nil
	}
	if now.Before(nt.snoozeUntil) {
		switch {
		case n.Kind == NotifyDown:
			if p := nt.pending; p != nil && p.Kind == NotifyRecovered && nt.toldDown {
				nt.bridged = p
			}
			if nt.bridged != nil {
				n.Earlier = nt.bridged.Earlier + 1
			}
			nt.pending = &n // told when the snooze ends, if still down
		case n.Kind == NotifyRecovered && nt.toldDown:
			nt.cover(&n)
			nt.pending = &n // owed to the user: told when the snooze ends, if still true
		case n.FollowUp && nt.toldDown, n.Kind == NotifyOnline && nt.toldOffline:
			nt.pending = &n // owed to the user: told when the snooze ends, if still true
		case n.Kind == NotifyRecovered:
			nt.pending = nil // the outage the user did not hear of is over
		}
		slog.Info("notification held by snooze", "kind", n.Kind, "until", nt.snoozeUntil)
		return nil
	}
	if n.Kind == NotifyRecovered {
		nt.pending = nil
		nt.cover(&n) // a "down" held over the snooze may have gone stale (PC offline)
		return nt.deliver(n, now)
	}
	if p := nt.pending; n.Kind == NotifyDown && p != nil && p.Kind == NotifyRecovered && nt.toldDown {
		// The held "back online" (the snooze's end and this check came
		// together, or it waited for the first settled level) is
		// overtaken: the "down" says the server had come back in between.
		n.Earlier = p.Earlier + 1
	}
	if !nt.last.IsZero() && now.Sub(nt.last) < gap {
		nt.pending = &n
		return nil
	}
	nt.last, nt.pending = now, nil
	return nt.deliver(n, now)
}

// cover makes an owed "back online" tell the outages it bridged too.
func (nt *notifier) cover(n *Notification) {
	if b := nt.bridged; b != nil {
		n.Start, n.Outage, n.Earlier = b.Start, b.Outage+n.Outage, b.Earlier+1
		nt.bridged = nil
	}
}

// deliver emits n and remembers whether a "back online" is now owed.
func (nt *notifier) deliver(n Notification, now time.Time) []Event {
	nt.bridged = nil // what it covered is told, or no longer owed
	switch n.Kind {
	case NotifyDown:
		nt.toldDown = true
	case NotifyRecovered:
		nt.toldDown, nt.toldOffline = false, false // answers again: so is the PC
	case NotifyOffline:
		nt.toldOffline = true
	case NotifyOnline:
		nt.toldOffline = false
	}
	return []Event{{Kind: EventNotify, At: now, Target: n.Target, Notification: &n}}
}

// pendingDue says how long until a held notification may go out. Before
// the first settled level (just started, the first check a blip) there is
// none: a "back online" owed by the previous run waits to be checked true
// rather than be dropped as untrue.
func (nt *notifier) pendingDue(now time.Time, level Level) (time.Duration, bool) {
	if nt.pending == nil || level == LevelUnknown {
		return 0, false
	}
	at := nt.snoozeUntil
	if !nt.last.IsZero() && nt.pending.Kind != NotifyRecovered {
		if t := nt.last.Add(nt.gap); t.After(at) {
			at = t
		}
	}
	return at.Sub(now), true
}

// flush delivers the held notification if it still describes the level;
// last is the latest check, which a held "back online" reports instead of
// the one that confirmed it (it may have been slow then and fine now).
func (nt *notifier) flush(level Level, last Result, now time.Time) []Event {
	n := nt.pending
	nt.pending = nil
	if n == nil || !stillTrue(n.Kind, level) {
		return nil
	}
	if n.Kind == NotifyRecovered {
		if last.Level == LevelUp || last.Level == LevelDegraded {
			n.Result = last
		}
	} else {
		nt.last = now
	}
	n.Delayed = now
	return nt.deliver(*n, now)
}
