// Package applog sets up log/slog for every process: JSON lines into a
// rotating file in the user's cache directory (never on the user's screen).
package applog

import (
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"

	"gopkg.in/natefinch/lumberjack.v2"

	"pantau-efaktur/internal/paths"
)

// Setup sends slog (and the standard logger, which libraries such as
// systray use) to <cache>/pantau-efaktur/logs/<name>.log, rotated at 2 MB
// with 3 old files kept. It returns the file path and a closer. If the file
// cannot be opened, logging is discarded: logs must never stop the app.
func Setup(name string, level slog.Level) (string, io.Closer) {
	dir, err := paths.CacheDir()
	if err == nil {
		err = os.MkdirAll(filepath.Join(dir, "logs"), 0o700)
	}
	if err != nil {
		slog.SetDefault(slog.New(slog.DiscardHandler))
		log.SetOutput(io.Discard)
		return "", nopCloser{}
	}
	path := filepath.Join(dir, "logs", name+".log")
	w := &lumberjack.Logger{Filename: path, MaxSize: 2, MaxBackups: 3, MaxAge: 30}
	logger := slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger)
	log.SetFlags(0)
	log.SetOutput(&stdLogWriter{logger: logger})
	return path, w
}

// stdLogWriter turns lines of the standard logger into slog records.
type stdLogWriter struct{ logger *slog.Logger }

func (w *stdLogWriter) Write(p []byte) (int, error) {
	msg := string(p)
	for len(msg) > 0 && (msg[len(msg)-1] == '\n' || msg[len(msg)-1] == '\r') {
		msg = msg[:len(msg)-1]
	}
	w.logger.Warn(msg, "source", "log")
	return len(p), nil
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }
