//go:build unix

package tray

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

func TestLauncherNeverStartsTwoOfTheSame(t *testing.T) {
	dir := t.TempDir()
	script := dir + "/fake-window"
	fifo := dir + "/starts"
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no fifo:", err)
	}
	// Each start reports its window on the fifo, then stays open until killed.
	body := "#!/bin/sh\necho \"$2\" > " + fifo + "\nexec sleep 30\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	raised := make(chan string, 4)
	l := NewLauncher(script, nil, func(w string) bool { raised <- w; return true })
	starts := make(chan string, 4)
	go func() {
		for {
			b, err := os.ReadFile(fifo) // blocks until a start writes
			if err != nil {
				return
			}
			for _, w := range strings.Fields(string(b)) {
				starts <- w
			}
		}
	}()
	for _, w := range []string{"status", "status", "help", "status"} {
		if err := l.Show(w); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]int{}
	got[<-starts]++
	got[<-starts]++
	if got["status"] != 1 || got["help"] != 1 {
		t.Fatalf("started %v", got)
	}
	if r := <-raised; r != "status" {
		t.Fatalf("raised %q", r)
	}
	if !l.Running("status") || !l.Running("help") || l.Running("settings") {
		t.Fatal("running set wrong")
	}
	l.CloseAll()
	select {
	case w := <-starts:
		t.Fatalf("a third window started: %s", w)
	default:
	}
}
