// Package filewatch tells when one file is changed by something else: the
// settings file, edited by hand in Notepad as the README shows, is taken
// up by the running agent and by an open settings window without a restart.
package filewatch

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Settle is how long a file must stay quiet before it is read: an editor's
// save is often several writes.
const Settle = 500 * time.Millisecond

// Watch calls changed once path has been written, created, replaced or
// removed and then left alone for settle. It returns when quit is closed,
// or at once with an error when the folder cannot be watched. The folder is
// watched, not the file: editors and settings.WriteFileAtomic replace the file
// by a rename, which ends a watch on the file itself.
func Watch(path string, settle time.Duration, quit <-chan struct{}, changed func()) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", path, err)
	}
	defer w.Close()
	if err := w.Add(filepath.Dir(path)); err != nil {
		return fmt.Errorf("watch folder %s: %w", filepath.Dir(path), err)
	}
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		select {
		case <-quit:
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if !isFileEvent(ev, path) {
				continue
			}
			if timer == nil {
				timer = time.AfterFunc(settle, changed)
			} else {
				timer.Reset(settle)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			// An overflowed queue loses events, not the watch: keep going.
			slog.Warn("file watch", "path", path, "err", err)
		}
	}
}

// isFileEvent reports whether ev changed the file at path (a change of
// its permissions alone does not count).
func isFileEvent(ev fsnotify.Event, path string) bool {
	if ev.Op == fsnotify.Chmod || ev.Op == 0 {
		return false
	}
	a, b := filepath.Clean(ev.Name), filepath.Clean(path)
	if runtime.GOOS == "windows" {
		return strings.EqualFold(a, b)
	}
	return a == b
}
