package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
	"pantau-efaktur/ui/i18n"
	"pantau-efaktur/ui/notify"
)

// TimeFormat is the "at" field: RFC 3339 with milliseconds.
const TimeFormat = "2006-01-02T15:04:05.000Z07:00"

// MonitorFlags are the monitor flags of watch and the agent (DESIGN.md §7).
type MonitorFlags struct {
	interval, recheck, downInterval, failThreshold, recoverThreshold string
}

// Register adds the flags to fs.
func (f *MonitorFlags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.interval, "interval", "", "")
	fs.StringVar(&f.recheck, "recheck", "", "")
	fs.StringVar(&f.downInterval, "down-interval", "", "")
	fs.StringVar(&f.failThreshold, "fail-threshold", "", "")
	fs.StringVar(&f.recoverThreshold, "recover-threshold", "", "")
}

// Apply lays the flags over s (range checks come with s.Validate).
func (f *MonitorFlags) Apply(tr *i18n.Translator, cmd string, s *probe.Settings) error {
	for _, d := range []struct {
		name, val string
		dst       *probe.Duration
	}{{"interval", f.interval, &s.Interval}, {"recheck", f.recheck, &s.Recheck}, {"down-interval", f.downInterval, &s.DownInterval}} {
		if d.val == "" {
			continue
		}
		v, err := parseDurationFlag(tr, cmd, d.name, d.val)
		if err != nil {
			return err
		}
		*d.dst = probe.Duration(v)
	}
	for _, n := range []struct {
		name, val string
		dst       *int
	}{{"fail-threshold", f.failThreshold, &s.FailThreshold}, {"recover-threshold", f.recoverThreshold, &s.RecoverThreshold}} {
		if n.val == "" {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSpace(n.val))
		if err != nil {
			return &usageError{tr.T("usage.bad_number", map[string]any{"Cmd": cmd, "Flag": n.name, "Value": n.val})}
		}
		*n.dst = v
	}
	return nil
}

// ValidateForCommand turns settings problems into one localised usage line.
func ValidateForCommand(tr *i18n.Translator, cmd string, s probe.Settings) error {
	var verr probe.ValidationError
	if err := s.Validate(); errors.As(err, &verr) {
		parts := make([]string, len(verr))
		for i, fe := range verr {
			parts[i] = tr.FieldError(fe)
		}
		return &usageError{cmd + ": " + strings.Join(parts, " ")}
	}
	return nil
}

// watchFlagSet is the FlagSet of watch: the check flags (--json is
// accepted, the output is JSON anyway), the monitor flags and --notify.
func watchFlagSet(cf *checkFlags, mf *MonitorFlags, notifyMode *string) *flag.FlagSet {
	fs := cf.flagSet("watch")
	mf.Register(fs)
	fs.StringVar(notifyMode, "notify", "log", "")
	return fs
}

// Watch runs `pantau-efaktur watch`.
func Watch(args []string, io IO) int {
	const cmd = "pantau-efaktur watch"
	var cf checkFlags
	var mf MonitorFlags
	var notifyMode string
	if _, code, ok := ParseCommandLine(watchFlagSet(&cf, &mf, &notifyMode), args, cmd, "watch", io); !ok {
		return code
	}
	settings, _, tr := loadSettingsForCLI(cf.config, cf.lang, io)
	if err := cf.apply(tr, cmd, &settings); err != nil {
		return usageExit(err, io)
	}
	if err := mf.Apply(tr, cmd, &settings); err != nil {
		return usageExit(err, io)
	}
	if err := ValidateForCommand(tr, cmd, settings); err != nil {
		return usageExit(err, io)
	}
	switch notifyMode {
	case "log", "desktop", "none":
	default:
		return usageExit(&usageError{tr.T("usage.bad_notify", map[string]any{"Cmd": cmd, "Value": notifyMode})}, io)
	}
	tr = i18n.New(settings.Language)

	out := &EventPrinter{W: io.Stdout, Tr: tr, Notify: notifyMode != "none"}
	if notifyMode == "desktop" {
		out.Desktop = notify.Desktop{Sound: settings.Notify.Sound}
	}
	checker := probe.NewHTTPChecker(settings.CheckOptions(version.UserAgent()))
	defer checker.Close()
	m, err := probe.NewMonitor(probe.MonitorConfig{
		Targets: settings.Targets(), Checker: checker, Policy: settings.Policy(), Notify: settings.Notify,
	}, out.Print)
	if err != nil {
		return usageExit(&usageError{cmd + ": " + err.Error()}, io)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.Info("watch started", "url", settings.URL, "interval", settings.Interval.D())
	_ = m.Run(ctx)
	return 0
}

// EventPrinter writes monitor events as the JSON lines of DESIGN.md §7.
type EventPrinter struct {
	W       io.Writer
	Tr      *i18n.Translator
	Notify  bool            // print notify lines
	Desktop notify.Notifier // also show notifications (nil: no)

	mu sync.Mutex
}

// Print handles one event (a probe.Monitor sink).
func (p *EventPrinter) Print(e probe.Event) {
	line, err := EventJSON(e, p.Tr)
	if err != nil || line == nil {
		return
	}
	if e.Kind == probe.EventNotify {
		if !p.Notify {
			return
		}
		if p.Desktop != nil {
			title, body := p.Tr.Notification(*e.Notification)
			k := e.Notification.Kind
			if err := p.Desktop.Notify(title, body, k == probe.NotifyDown || k == probe.NotifyRecovered); err != nil {
				slog.Warn("desktop notification failed", "err", err)
			}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	_, _ = p.W.Write(append(line, '\n'))
}

// EventJSON is the JSON line of an event, or nil for events that are not
// part of the contract (waits).
func EventJSON(e probe.Event, tr *i18n.Translator) ([]byte, error) {
	at := e.At.Format(TimeFormat)
	switch e.Kind {
	case probe.EventCheck:
		res := *e.Result
		res.Message = tr.Message(res)
		body, err := json.Marshal(res)
		if err != nil {
			return nil, err
		}
		head := fmt.Sprintf(`{"type":"check","at":%q,`, at)
		return append([]byte(head), body[1:]...), nil
	case probe.EventState:
		st := e.State
		line := stateLine{Type: "state", At: at, Target: e.Target, Level: st.Level, Previous: e.Previous,
			Reason: st.Reason, Rechecking: st.Rechecking, Unsteady: st.Unsteady(), Recent: st.Recent, Message: tr.Message(st.Last)}
		if !st.Since.IsZero() {
			line.Since = st.Since.Format(TimeFormat)
		}
		return json.Marshal(line)
	case probe.EventNotify:
		n := e.Notification
		title, body := tr.Notification(*n)
		line := notifyLine{Type: "notify", At: at, Target: e.Target, Kind: n.Kind, Title: title, Body: body, Reason: n.Reason}
		if n.Kind == probe.NotifyRecovered {
			s := int64(n.Outage / time.Second)
			line.OutageS = &s
			if n.Earlier > 0 {
				line.Outages = n.Earlier + 1 // outage_s is then their downtime in all
			}
		}
		return json.Marshal(line)
	}
	return nil, nil
}

// stateLine and notifyLine fix the key order: "type" and "at" first, so a
// line reads well and simple scripts can match on its start.
type stateLine struct {
	Type       string       `json:"type"`
	At         string       `json:"at"`
	Target     string       `json:"target"`
	Level      probe.Level  `json:"level"`
	Previous   probe.Level  `json:"previous"`
	Reason     probe.Reason `json:"reason"`
	Rechecking bool         `json:"rechecking"`
	// Unsteady: up (or degraded) but failing now and then lately
	// (probe.Unsteady); Recent gives the numbers.
	Unsteady bool        `json:"unsteady"`
	Recent   probe.Tally `json:"recent"`
	Since    string      `json:"since,omitempty"`
	Message  string      `json:"message"`
}

type notifyLine struct {
	Type    string           `json:"type"`
	At      string           `json:"at"`
	Target  string           `json:"target"`
	Kind    probe.NotifyKind `json:"kind"`
	Title   string           `json:"title"`
	Body    string           `json:"body"`
	Reason  probe.Reason     `json:"reason"`
	OutageS *int64           `json:"outage_s,omitempty"`
	Outages int              `json:"outages,omitempty"`
}
