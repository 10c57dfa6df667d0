package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"pantau-efaktur/history"
	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
)

func TestExportCSV(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", home)
	dir, _ := paths.HistoryDir()
	h, err := history.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i, r := range []history.Record{
		{At: now.Add(-40 * 24 * time.Hour), Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK}, // too old for 30 days
		{At: now.Add(-2 * time.Hour), Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK, Status: 200, MS: [5]int64{1, 2, 3, 4, 180}},
		{At: now.Add(-time.Hour), Target: "efaktur", Level: probe.LevelDown, Reason: probe.ReasonMaintenance, Status: 503},
		{At: now.Add(-time.Hour), Target: "coretax", Level: probe.LevelUp, Reason: probe.ReasonOK},
	} {
		if err := h.Append(r); err != nil {
			t.Fatal(i, err)
		}
	}
	h.Close()
	// A damaged line is skipped and reported. It goes into the file of the
	// newest records, which exists whatever the time of day (just after
	// midnight, today's file does not).
	f, err := os.OpenFile(filepath.Join(dir, now.Add(-time.Hour).Format("2006-01-02")+".jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("garbage\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()

	var out, errOut bytes.Buffer
	if code := Export([]string{"--csv", "--lang", "en"}, cmdline.IO{Stdout: &out, Stderr: &errOut}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][0] != "checked_at" || rows[1][5] != "180" || rows[2][3] != "maintenance" {
		t.Fatalf("rows %v err %v", rows, err)
	}
	if !strings.Contains(errOut.String(), "1 damaged history lines were skipped") {
		t.Errorf("stderr %q", errOut.String())
	}

	out.Reset()
	errOut.Reset()
	file := filepath.Join(t.TempDir(), "riwayat.csv")
	if code := Export([]string{"--target", "all", "--sep", ";", "--out", file}, cmdline.IO{Stdout: &out, Stderr: &errOut}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	data, _ := os.ReadFile(file)
	if strings.Count(string(data), "\n") != 4 || !strings.Contains(string(data), "coretax;up;ok") {
		t.Fatalf("file:\n%s", data)
	}
	if !strings.Contains(errOut.String(), "3 pemeriksaan diekspor") {
		t.Errorf("stderr %q", errOut.String())
	}
}

// A file that cannot be written is explained in the user's words (the
// folder is missing, the disk is full); the system's text stays in the log.
func TestExportFailureIsExplained(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	tests := []struct{ out, want string }{
		{filepath.Join(t.TempDir(), "hilang", "riwayat.csv"), "Ekspor gagal: folder itu tidak ada (lagi)."},
		{"/dev/full", "Ekspor gagal: disk penuh."},
	}
	for _, tc := range tests {
		if tc.out == "/dev/full" && runtime.GOOS != "linux" {
			continue
		}
		var out, errOut bytes.Buffer
		if code := Export([]string{"--out", tc.out}, cmdline.IO{Stdout: &out, Stderr: &errOut}); code != 1 {
			t.Errorf("%s: exit %d, want 1", tc.out, code)
		}
		if got := errOut.String(); !strings.HasPrefix(got, tc.want) || strings.Contains(got, "no such file") || strings.Contains(got, "no space") {
			t.Errorf("%s: stderr %q, want it to start with %q and hide the system text", tc.out, got, tc.want)
		}
	}
}

// "--out D:\Laporan" names a folder: the export goes into a dated file there
// instead of failing.
func TestExportIntoAFolder(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	folder := t.TempDir()
	for _, tc := range []struct {
		args []string
		ext  string
	}{{[]string{"--csv"}, ".csv"}, {[]string{"--jsonl"}, ".jsonl"}} {
		var out, errOut bytes.Buffer
		if code := Export(append(tc.args, "--out", folder, "--lang", "en"), cmdline.IO{Stdout: &out, Stderr: &errOut}); code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errOut.String())
		}
		want := filepath.Join(folder, "pantau-efaktur-"+time.Now().Format("2006-01-02")+tc.ext)
		if _, err := os.Stat(want); err != nil {
			t.Errorf("%v: no %s: %v", tc.args, want, err)
		}
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("%v: the message does not say where: %q", tc.args, errOut.String())
		}
	}
}

func TestExportUsageErrors(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	for _, args := range [][]string{{"--days", "0"}, {"--days", "100"}, {"--days", "x"}, {"--csv", "--jsonl"},
		{"--target", "bogus"}, {"--sep", "|"}, {"--out"}} {
		var out, errOut bytes.Buffer
		if code := Export(args, cmdline.IO{Stdout: &out, Stderr: &errOut}); code != cmdline.ExitUsage || out.Len() != 0 || strings.Count(errOut.String(), "\n") != 1 {
			t.Errorf("%v: exit %d out %q err %q", args, code, out.String(), errOut.String())
		}
	}
}

func TestWatchUsageErrors(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--interval", "1s"}, "Interval pemeriksaan: 1 detik di luar rentang"},
		{[]string{"--interval", "1s", "--url", "http://127.0.0.1:9/svc", "--fail-threshold", "1"}, "Jumlah gagal untuk DOWN: 1 di luar rentang"},
		{[]string{"--fail-threshold", "dua"}, "--fail-threshold"},
		{[]string{"--notify", "loud"}, "--notify"},
		{[]string{"--recheck", "never"}, "--recheck"},
		{[]string{"--url", "nope"}, "alamat tidak valid"},
	}
	for _, tc := range tests {
		var out, errOut bytes.Buffer
		code := Watch(tc.args, cmdline.IO{Stdout: &out, Stderr: &errOut})
		if code != cmdline.ExitUsage || out.Len() != 0 || !strings.Contains(errOut.String(), tc.want) || strings.Count(errOut.String(), "\n") != 1 {
			t.Errorf("%v: exit %d out %q err %q", tc.args, code, out.String(), errOut.String())
		}
	}
}

func TestBrokenConfigIsReportedOnceAndDefaultsUsed(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.json")
	os.WriteFile(cfg, []byte("{broken"), 0o600)
	var errOut bytes.Buffer
	s, rep, tr := loadSettingsForCLI(cfg, "en", cmdline.IO{Stdout: &bytes.Buffer{}, Stderr: &errOut})
	if rep.BrokenKeptAs == "" || s.URL != settings.DefaultURL || tr.Lang() != "en" {
		t.Fatalf("%+v %+v", rep, s)
	}
	if !strings.Contains(errOut.String(), "is damaged and cannot be read") || !strings.Contains(errOut.String(), rep.BrokenKeptAs) {
		t.Fatalf("stderr %q", errOut.String())
	}
}
