package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/signal"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
)

// Check runs `pantau-efaktur check`.
func Check(args []string, io cmdline.IO) int {
	const cmd = "pantau-efaktur check"
	var f cmdline.CheckFlags
	fs := f.FlagSet("check")
	service := fs.String("service", probe.PrimaryTargetID, "")
	if _, code, ok := cmdline.ParseCommandLine(fs, args, cmd, "check", io); !ok {
		return code
	}
	s, _, tr := loadSettingsForCLI(f.Config, f.Lang, io)
	if err := f.Apply(tr, cmd, &s); err != nil {
		return cmdline.UsageExit(err, io)
	}
	// The same ranges as the settings file and watch: a --slow longer than
	// the timeout, or a 10-minute timeout, is a mistake, not a check.
	if err := cmdline.ValidateForCommand(tr, cmd, s); err != nil {
		return cmdline.UsageExit(err, io)
	}
	target := s.PrimaryTarget()
	switch *service {
	case probe.PrimaryTargetID:
	case probe.CoretaxTargetID: // --url, when given, is Coretax's address
		if f.URL != "" {
			s.CoretaxURL = s.URL
		}
		target = s.CoretaxTarget()
	default:
		return cmdline.UsageExit(cmdline.UsageError(tr.T("usage.bad_service", map[string]any{"Cmd": cmd, "Flag": "--service", "Value": *service})), io)
	}
	tr = i18n.New(s.Language)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res := probe.Check(ctx, target, s.CheckOptions(version.UserAgent()))
	if res.Reason == probe.ReasonCanceled {
		return 130
	}
	res.Message = tr.Message(res)
	slog.Info("check", "url", res.URL, "state", res.Level, "reason", res.Reason, "status", res.HTTPStatus,
		"ms", res.Phases.Total.Milliseconds(), "err", res.Error)
	if f.JSON {
		b, _ := json.Marshal(res)
		fmt.Fprintln(io.Stdout, string(b))
	} else {
		fmt.Fprint(io.Stdout, tr.ResultLine(res))
	}
	return res.Level.ExitCode()
}
