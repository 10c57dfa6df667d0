package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/probe"
)

// statusFlagSet is the FlagSet of status.
func statusFlagSet(asJSON *bool, lang *string) *flag.FlagSet {
	fs := cmdline.NewFlagSet("status")
	fs.BoolVar(asJSON, "json", false, "")
	fs.StringVar(lang, "lang", "", "")
	return fs
}

// Status runs `pantau-efaktur status`.
func Status(args []string, io cmdline.IO) int {
	var asJSON bool
	var lang string
	tr, code, ok := cmdline.ParseCommandLine(statusFlagSet(&asJSON, &lang), args, "pantau-efaktur status", "status", io)
	if !ok {
		return code
	}
	sock, err := paths.SocketPath()
	if err == nil {
		var resp ipc.Response
		resp, err = ipc.Do(sock, ipc.Request{Cmd: ipc.CmdStatus}, 5*time.Second)
		if err == nil && resp.Status != nil {
			st := *resp.Status
			if lang == "" {
				tr = i18n.New(st.Lang)
			}
			p := st.Primary()
			if asJSON {
				b, _ := json.Marshal(st)
				fmt.Fprintln(io.Stdout, string(b))
			} else {
				fmt.Fprint(io.Stdout, HumanStatus(tr, st, time.Now()))
			}
			return p.Level.ExitCode()
		}
	}
	fmt.Fprintln(io.Stderr, tr.T("status.no_agent"))
	return cmdline.ExitNoAgent
}

// HumanStatus is the sentence form of the agent's state.
func HumanStatus(tr *i18n.Translator, st ipc.Status, now time.Time) string {
	var b strings.Builder
	for i, t := range st.Targets {
		level := tr.Level(t.Level)
		if t.Rechecking && t.Level != probe.LevelDown && t.Level != probe.LevelOffline {
			level += " (" + tr.T("status.rechecking") + ")"
		}
		name := tr.ServiceName(t.Target)
		if i < len(st.InUse()) { // each service in use: its sentence, since when, last check
			fmt.Fprintf(&b, "%s — %s\n", level, t.MessageIn(tr))
			if !t.Since.IsZero() {
				fmt.Fprintf(&b, "  %s\n", tr.T("status.since", map[string]any{"Time": tr.Clock(t.Since, now), "Duration": tr.Duration(now.Sub(t.Since))}))
			}
			if t.Last != nil {
				fmt.Fprintf(&b, "  %s\n", tr.T("status.last", map[string]any{"Time": t.Last.CheckedAt.Format("15:04:05"), "MS": t.Last.Phases.Total.Milliseconds()}))
			}
			if note := tr.UnsteadyNote(t.Level, t.Recent); note != "" {
				fmt.Fprintf(&b, "  ! %s\n", note)
			}
			continue
		}
		// A secondary service in trouble says why, as in the tray menu.
		switch {
		case t.Level == probe.LevelDegraded || t.Level == probe.LevelDown:
			level += " (" + tr.CauseOn(t.Reason, t.Last) + ")"
		case t.Unsteady():
			level += " (" + tr.T("unsteady.word") + ")"
		}
		fmt.Fprintf(&b, "  %s: %s\n", name, level)
	}
	if now.Before(st.SnoozedUntil) {
		fmt.Fprintf(&b, "  %s\n", tr.T("tray.snoozed_until", map[string]any{"Time": tr.Clock(st.SnoozedUntil, now)}))
	}
	return b.String()
}
