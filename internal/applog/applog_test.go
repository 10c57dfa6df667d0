package applog

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"pantau-efaktur/internal/paths"
)

// restoreLoggers puts the process-wide loggers back after a test that
// called Setup, so other tests in this package keep their output.
func restoreLoggers(t *testing.T) {
	t.Helper()
	prev := slog.Default()
	prevOut, prevFlags := log.Writer(), log.Flags()
	t.Cleanup(func() {
		slog.SetDefault(prev)
		log.SetOutput(prevOut)
		log.SetFlags(prevFlags)
	})
}

func readRecords(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open log: %v", err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", sc.Text(), err)
		}
		out = append(out, rec)
	}
	return out
}

func TestSetupWritesJSONLinesToCacheDir(t *testing.T) {
	restoreLoggers(t)
	home := t.TempDir()
	t.Setenv(paths.HomeEnv, home)

	path, closer := Setup("agent", slog.LevelInfo)
	want := filepath.Join(home, "cache", "logs", "agent.log")
	if path != want {
		t.Fatalf("log path = %q, want %q", path, want)
	}
	slog.Debug("below the level, not written")
	slog.Info("check done", "target", "efaktur", "latency_ms", 180)
	log.Printf("systray: no tray host\n") // what libraries write
	if err := closer.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	recs := readRecords(t, path)
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2 (debug filtered): %v", len(recs), recs)
	}
	if recs[0]["msg"] != "check done" || recs[0]["target"] != "efaktur" || recs[0]["latency_ms"] != float64(180) {
		t.Errorf("slog record = %v", recs[0])
	}
	if recs[1]["msg"] != "systray: no tray host" || recs[1]["source"] != "log" || recs[1]["level"] != "WARN" {
		t.Errorf("standard-log record = %v (want trailing newline trimmed, WARN, source=log)", recs[1])
	}
	info, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	// (On Windows the folder is the user's own by its ACL, under %LOCALAPPDATA%.)
	if perm := info.Mode().Perm(); perm != 0o700 && runtime.GOOS != "windows" {
		t.Errorf("logs dir mode = %o, want 700 (logs name the user's proxy and URLs)", perm)
	}
}

func TestSetupRotatesAtTwoMegabytes(t *testing.T) {
	restoreLoggers(t)
	home := t.TempDir()
	t.Setenv(paths.HomeEnv, home)

	path, closer := Setup("agent", slog.LevelInfo)
	defer closer.Close()
	pad := strings.Repeat("x", 1000)
	for i := 0; i < 2500; i++ { // ≈ 2.6 MB of records
		slog.Info("filler", "pad", pad)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > 2*1024*1024 {
		t.Errorf("current log is %d bytes, want at most 2 MiB", info.Size())
	}
	backups, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "agent-*.log"))
	if len(backups) != 1 {
		t.Errorf("rotated files = %v, want exactly one", backups)
	}
}

func TestSetupWithoutCacheDirDiscardsQuietly(t *testing.T) {
	restoreLoggers(t)
	home := t.TempDir()
	// A file where the cache directory should be: MkdirAll fails.
	if err := os.WriteFile(filepath.Join(home, "cache"), []byte("not a dir"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(paths.HomeEnv, home)

	path, closer := Setup("agent", slog.LevelInfo)
	if path != "" {
		t.Errorf("path = %q, want empty when no log file can be made", path)
	}
	if slog.Default().Enabled(context.Background(), slog.LevelError) {
		t.Error("slog still enabled: records would go to stderr, i.e. the user's screen")
	}
	if log.Writer() != io.Discard {
		t.Errorf("standard log writes to %v, want io.Discard", log.Writer())
	}
	slog.Error("must not panic")
	log.Print("nor this")
	if err := closer.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}
