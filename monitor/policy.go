package monitor

import (
	"errors"
	"fmt"
	"pantau-efaktur/probe"
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

// MinRemoteWait is the least wait between checks of DJP: never hammer it, even misconfigured.
const MinRemoteWait = 10 * time.Second

// ErrTooFrequent refuses intervals that would hammer DJP.
var ErrTooFrequent = errors.New("check intervals under 10 s are only allowed for addresses on this machine")

// policyLocked is the policy of one target: targets on other hosts never
// get intervals under 10 s, even when the first is a local test server
// (m.mu held).
func (m *Monitor) policyLocked(l *loop) Policy {
	p := m.cfg.Policy
	if !probe.IsLoopbackURL(l.tr.target.URL) {
		p.Interval, p.Recheck, p.DownInterval = max(p.Interval, MinRemoteWait), max(p.Recheck, MinRemoteWait), max(p.DownInterval, MinRemoteWait)
	}
	return p
}

// validate enforces the loopback-only rule on the first target (the others
// are clamped, see policyLocked) and sane counts.
func (p Policy) validate(targets []probe.Target) error {
	if p.Interval <= 0 || p.Recheck <= 0 || p.DownInterval <= 0 {
		return errors.New("monitor intervals must be positive")
	}
	if p.FailThreshold < 1 || p.RecoverThreshold < 1 || p.DegradedRepeat < 1 {
		return errors.New("monitor thresholds must be at least 1")
	}
	if min(p.Interval, p.Recheck, p.DownInterval) < MinRemoteWait && len(targets) > 0 && !probe.IsLoopbackURL(targets[0].URL) {
		return fmt.Errorf("%w (target %s)", ErrTooFrequent, targets[0].URL)
	}
	return nil
}

// delay is the wait before the next check.
func (p Policy) delay(t *Tracker) time.Duration {
	switch t.level {
	case probe.LevelDown, probe.LevelOffline:
		if t.answerStreak > 0 && t.answerStreak < p.RecoverThreshold {
			return p.Recheck
		}
		if t.level == probe.LevelOffline && t.downStreak > 0 && t.downStreak < p.FailThreshold {
			return p.Recheck
		}
		return p.DownInterval
	}
	if t.failStreak > 0 && t.failStreak < p.FailThreshold {
		return p.Recheck
	}
	if t.level != probe.LevelDegraded && t.degStreak > 0 && t.degStreak < p.DegradedRepeat {
		return p.Recheck
	}
	return p.Interval
}
