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
	var f cmdline.CheckFlags
	if _, code, ok := cmdline.ParseCommandLine(f.FlagSet("check"), args, "pantau-efaktur check", "check", io); !ok {
		return code
	}
	settings, _, tr := loadSettingsForCLI(f.Config, f.Lang, io)
	if err := f.Apply(tr, "pantau-efaktur check", &settings); err != nil {
		return cmdline.UsageExit(err, io)
	}
	// The same ranges as the settings file and watch: a --slow longer than
	// the timeout, or a 10-minute timeout, is a mistake, not a check.
	if err := cmdline.ValidateForCommand(tr, "pantau-efaktur check", settings); err != nil {
		return cmdline.UsageExit(err, io)
	}
	tr = i18n.New(settings.Language)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res := probe.Check(ctx, settings.PrimaryTarget(), settings.CheckOptions(version.UserAgent()))
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
