package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/notify"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
)

// TimeFormat is the "at" field: RFC 3339 with milliseconds.
const TimeFormat = "2006-01-02T15:04:05.000Z07:00"

// watchFlagSet is the FlagSet of watch: the check flags (--json is
// accepted, the output is JSON anyway), the monitor flags and --notify.
func watchFlagSet(cf *cmdline.CheckFlags, mf *cmdline.MonitorFlags, notifyMode *string) *flag.FlagSet {
	fs := cf.FlagSet("watch")
	mf.Register(fs)
	fs.StringVar(notifyMode, "notify", "log", "")
	return fs
}

// Watch runs `pantau-efaktur watch`.
func Watch(args []string, io cmdline.IO) int {
	const cmd = "pantau-efaktur watch"
	var cf cmdline.CheckFlags
	var mf cmdline.MonitorFlags
	var notifyMode string
	if _, code, ok := cmdline.ParseCommandLine(watchFlagSet(&cf, &mf, &notifyMode), args, cmd, "watch", io); !ok {
		return code
	}
	settings, _, tr := loadSettingsForCLI(cf.Config, cf.Lang, io)
	if err := cf.Apply(tr, cmd, &settings); err != nil {
		return cmdline.UsageExit(err, io)
	}
	if err := mf.Apply(tr, cmd, &settings); err != nil {
		return cmdline.UsageExit(err, io)
	}
	if err := cmdline.ValidateForCommand(tr, cmd, settings); err != nil {
		return cmdline.UsageExit(err, io)
	}
	switch notifyMode {
	case "log", "desktop", "none":
	default:
		return cmdline.UsageExit(cmdline.UsageError(tr.T("usage.bad_notify", map[string]any{"Cmd": cmd, "Value": notifyMode})), io)
	}
	tr = i18n.New(settings.Language)

	out := &EventPrinter{W: io.Stdout, Tr: tr, Notify: notifyMode != "none"}
	if notifyMode == "desktop" {
		out.Desktop = notify.Desktop{Sound: settings.Notify.Sound}
	}
	checker := probe.NewHTTPChecker(settings.CheckOptions(version.UserAgent()))
	defer checker.Close()
	m, err := monitor.New(settings.MonitorConfig(checker), out.Print)
	if err != nil {
		return cmdline.UsageExit(cmdline.UsageError(cmd+": "+err.Error()), io)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.Info("watch started", "url", settings.URL, "interval", settings.Interval.D())
	_ = m.Run(ctx)
	return 0
}

// EventPrinter writes monitor events as the JSON lines of ARCHITECTURE.md §7.
type EventPrinter struct {
	W       io.Writer
	Tr      *i18n.Translator
	Notify  bool            // print notify lines
	Desktop notify.Notifier // also show notifications (nil: no)

	mu sync.Mutex
}

// Print handles one event (a monitor.Monitor sink).
func (p *EventPrinter) Print(e monitor.Event) {
	line, err := EventJSON(e, p.Tr)
	if err != nil || line == nil {
		return
	}
	if e.Kind == monitor.EventNotify {
		if !p.Notify {
			return
		}
		if p.Desktop != nil {
			title, body := p.Tr.Notification(*e.Notification)
			k := e.Notification.Kind
			if err := p.Desktop.Notify(title, body, k == monitor.NotifyDown || k == monitor.NotifyRecovered); err != nil {
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
func EventJSON(e monitor.Event, tr *i18n.Translator) ([]byte, error) {
	at := e.At.Format(TimeFormat)
	switch e.Kind {
	case monitor.EventCheck:
		res := *e.Result
		res.Message = tr.Message(res)
		body, err := json.Marshal(res)
		if err != nil {
			return nil, err
		}
		head := fmt.Sprintf(`{"type":"check","at":%q,`, at)
		return append([]byte(head), body[1:]...), nil
	case monitor.EventState:
		st := e.State
		line := stateLine{Type: "state", At: at, Previous: e.Previous, Unsteady: st.Unsteady(),
			TargetState: ipc.StateOf(*st, tr.Message(st.Last))}
		return json.Marshal(line)
	case monitor.EventNotify:
		n := e.Notification
		title, body := tr.Notification(*n)
		line := notifyLine{Type: "notify", At: at, Target: e.Target, Kind: n.Kind, Title: title, Body: body, Reason: n.Reason}
		if n.Kind == monitor.NotifyRecovered {
			s := int64(n.Outage / time.Second)
			line.OutageS = &s
		}
		return json.Marshal(line)
	}
	return nil, nil
}

// stateLine and notifyLine fix the key order: "type" and "at" first, so a
// line reads well and simple scripts can match on its start. A state line
// is the service's state as `status --json` has it (ipc.TargetState).
type stateLine struct {
	Type     string      `json:"type"`
	At       string      `json:"at"`
	Previous probe.Level `json:"previous"`
	// Unsteady: up (or degraded) but failing now and then lately
	// (monitor.Unsteady); Recent gives the numbers.
	Unsteady bool `json:"unsteady"`
	ipc.TargetState
}

type notifyLine struct {
	Type    string             `json:"type"`
	At      string             `json:"at"`
	Target  string             `json:"target"`
	Kind    monitor.NotifyKind `json:"kind"`
	Title   string             `json:"title"`
	Body    string             `json:"body"`
	Reason  probe.Reason       `json:"reason"`
	OutageS *int64             `json:"outage_s,omitempty"`
}
