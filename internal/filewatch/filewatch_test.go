package filewatch

import (
	"os"
	"pantau-efaktur/settings"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

func TestIsFileEvent(t *testing.T) {
	path := filepath.Join("home", "pantau-efaktur", "config.json")
	tests := []struct {
		name string
		ev   fsnotify.Event
		want bool
	}{
		{"written in place (Notepad)", fsnotify.Event{Name: path, Op: fsnotify.Write}, true},
		{"replaced by a rename (SaveSettings)", fsnotify.Event{Name: path, Op: fsnotify.Create}, true},
		{"renamed away", fsnotify.Event{Name: path, Op: fsnotify.Rename}, true},
		{"removed", fsnotify.Event{Name: path, Op: fsnotify.Remove}, true},
		{"permissions only", fsnotify.Event{Name: path, Op: fsnotify.Chmod}, false},
		{"the temporary file of a save", fsnotify.Event{Name: path + ".tmp123", Op: fsnotify.Write}, false},
		{"another file in the folder", fsnotify.Event{Name: filepath.Join("home", "pantau-efaktur", "snooze.json"), Op: fsnotify.Write}, false},
		{"a kept broken copy", fsnotify.Event{Name: path + ".broken-20261126-062235", Op: fsnotify.Create}, false},
	}
	for _, tc := range tests {
		if got := isFileEvent(tc.ev, path); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Both ways a settings file changes are seen: an editor writing it in
// place and the settings window replacing it atomically; a burst of writes
// is one change; closing quit ends the watch.
func TestWatchSeesEditsAndSaves(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		t.Skip("no file notifications here")
	}
	path := filepath.Join(t.TempDir(), "config.json")
	changed := make(chan struct{}, 16)
	var calls atomic.Int32
	quit := make(chan struct{})
	ended := make(chan error, 1)
	go func() {
		ended <- Watch(path, 100*time.Millisecond, quit, func() {
			calls.Add(1)
			changed <- struct{}{}
		})
	}()
	wait := func(what string) {
		t.Helper()
		select {
		case <-changed:
		case err := <-ended:
			t.Fatalf("%s: the watch ended: %v", what, err)
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: no change seen", what)
		}
	}
	// The watch starts asynchronously: repeat the first write until seen.
	first := time.NewTicker(200 * time.Millisecond)
	defer first.Stop()
	for seen := false; !seen; {
		os.WriteFile(path, []byte(`{"url": "https://a"}`), 0o600)
		select {
		case <-changed:
			seen = true
		case <-first.C:
		case <-time.After(10 * time.Second):
			t.Fatal("the first write was never seen")
		}
	}
	for len(changed) > 0 {
		<-changed
	}
	calls.Store(0)

	for i := range 5 { // an editor's save in several writes
		os.WriteFile(path, []byte(`{"url": "https://b`+string(rune('0'+i))+`"}`), 0o600)
	}
	wait("writes in place")
	if err := settings.WriteFileAtomic(path, []byte(`{"url": "https://c"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	wait("an atomic replace")
	if n := calls.Load(); n != 2 {
		t.Errorf("%d changes reported, want 2 (the burst is one)", n)
	}
	close(quit)
	select {
	case err := <-ended:
		if err != nil {
			t.Errorf("watch ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the watch did not end on quit")
	}
}

func TestWatchInAMissingFolderSaysSo(t *testing.T) {
	err := Watch(filepath.Join(t.TempDir(), "gone", "config.json"), time.Second, make(chan struct{}), func() {})
	if err == nil {
		t.Fatal("no error for a folder that does not exist")
	}
}
