package cli

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"pantau-efaktur/history"
	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/probe"
)

// exportFlags are the flags of export; --lang only picks the messages'
// language (ParseCommandLine).
type exportFlags struct {
	csv, jsonl                   bool
	days, target, sep, out, lang string
}

func (f *exportFlags) flagSet() *flag.FlagSet {
	fs := cmdline.NewFlagSet("export")
	fs.BoolVar(&f.csv, "csv", false, "")
	fs.BoolVar(&f.jsonl, "jsonl", false, "")
	fs.StringVar(&f.days, "days", "30", "")
	fs.StringVar(&f.target, "target", probe.PrimaryTargetID, "")
	fs.StringVar(&f.sep, "sep", ",", "")
	fs.StringVar(&f.out, "out", "", "")
	fs.StringVar(&f.lang, "lang", "", "")
	return fs
}

// Export runs `pantau-efaktur export`.
func Export(args []string, io cmdline.IO) int {
	const cmd = "pantau-efaktur export"
	var fl exportFlags
	tr, code, ok := cmdline.ParseCommandLine(fl.flagSet(), args, cmd, "export", io)
	if !ok {
		return code
	}
	csvOut, jsonl, days, target, sep, out := fl.csv, fl.jsonl, fl.days, fl.target, fl.sep, fl.out
	n, err := strconv.Atoi(days)
	if err != nil || n < 1 || n > 90 {
		return cmdline.UsageExit(cmdline.UsageError(tr.T("usage.bad_days", map[string]any{"Cmd": cmd, "Value": days})), io)
	}
	if csvOut && jsonl {
		return cmdline.UsageExit(cmdline.UsageError(tr.T("usage.bad_format", map[string]any{"Cmd": cmd})), io)
	}
	switch target {
	case "all", probe.PrimaryTargetID, "enofa", "coretax", "djponline":
	default:
		return cmdline.UsageExit(cmdline.UsageError(tr.T("usage.bad_target", map[string]any{"Cmd": cmd, "Value": target})), io)
	}
	if sep != "," && sep != ";" {
		return cmdline.UsageExit(cmdline.UsageError(tr.T("usage.bad_sep", map[string]any{"Cmd": cmd, "Value": sep})), io)
	}

	dir, err := paths.HistoryDir()
	if err != nil {
		exportFailed(tr, io, err)
		return 1
	}
	now := time.Now()
	recs, skipped, err := history.Load(dir, now.Add(-time.Duration(n)*24*time.Hour), now.Add(time.Minute))
	if err != nil {
		slog.Warn("history partly unreadable", "err", err)
	}
	if target != "all" {
		kept := recs[:0]
		for _, r := range recs {
			if r.Target == target {
				kept = append(kept, r)
			}
		}
		recs = kept
	}

	w := io.Stdout
	var f *os.File
	if out != "" {
		out = exportPath(out, jsonl, now)
		f, err = os.Create(out)
		if err != nil {
			exportFailed(tr, io, err)
			return 1
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	if jsonl {
		enc := json.NewEncoder(bw)
		for _, r := range recs {
			if err = enc.Encode(r); err != nil {
				break
			}
		}
	} else {
		err = history.WriteCSV(bw, recs, rune(sep[0]))
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil && f != nil {
		err = f.Close()
	}
	if err != nil {
		exportFailed(tr, io, err)
		return 1
	}
	if skipped > 0 {
		fmt.Fprintln(io.Stderr, tr.T("export.skipped", map[string]any{"Count": skipped}))
	}
	if out != "" {
		fmt.Fprintln(io.Stderr, tr.T("export.done", map[string]any{"Count": len(recs), "Path": out}))
	}
	return 0
}

// exportPath is where --out writes: the file named, or, when it names a
// folder ("--out D:\Laporan"), a dated file inside it (ExportFileName).
func exportPath(out string, jsonl bool, now time.Time) string {
	out = filepath.Clean(out)
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		ext := ".csv"
		if jsonl {
			ext = ".jsonl"
		}
		return filepath.Join(out, history.ExportFileName(now, ext))
	}
	return out
}

// exportFailed tells the user why in their words; the system's error text
// goes to the log.
func exportFailed(tr *i18n.Translator, io cmdline.IO, err error) {
	slog.Error("export", "err", err)
	fmt.Fprintln(io.Stderr, tr.T("export.failed", map[string]any{"Why": tr.FileProblem(err)}))
}
