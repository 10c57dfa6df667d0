//go:build unix

package agent

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeWindow writes a window program that reports each start as one line
// (its shell commands given by what, with $REPORT the fifo) and returns it
// with the channel of reported lines.
func fakeWindow(t *testing.T, what string) (script string, starts <-chan string) {
	t.Helper()
	dir := t.TempDir()
	fifo := dir + "/starts"
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no fifo:", err)
	}
	// Opened for reading and writing: opening does not block, and the fifo
	// never reads as ended, so a start writing just as another one closes
	// is not lost (with a plain reader it could be: a test hung once).
	f, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	lines := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			lines <- strings.TrimSpace(sc.Text())
		}
	}()
	script = dir + "/fake-window"
	body := "#!/bin/sh\nREPORT=" + fifo + "\n" + what + "\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return script, lines
}

func TestLauncherNeverStartsTwoOfTheSame(t *testing.T) {
	// Each start reports its window, then stays open until killed.
	script, starts := fakeWindow(t, "echo \"$2\" > $REPORT\nexec sleep 30")
	// Nothing subscribes here: a raise reaches no window.
	raised := make(chan string, 8)
	l := NewLauncher(script, nil, func(w string) bool { raised <- w; return false })
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
	// Each request tries a raise first; the repeated ones stop there.
	var tries []string
	for len(raised) > 0 {
		tries = append(tries, <-raised)
	}
	if strings.Join(tries, " ") != "status status help status" {
		t.Fatalf("raised %q", tries)
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

// A window open but not started by this launcher (opened by hand, or by
// the agent before it restarted) is raised, not opened a second time.
func TestLauncherRaisesAWindowItDidNotStart(t *testing.T) {
	script, starts := fakeWindow(t, "echo \"$2\" > $REPORT\nexec sleep 30")
	var raised []string
	l := NewLauncher(script, nil, func(w string) bool {
		raised = append(raised, w)
		return w == "status" // subscribed: open
	})
	defer l.CloseAll()
	for _, w := range []string{"status", "help"} {
		if err := l.Show(w); err != nil {
			t.Fatal(err)
		}
	}
	if w := <-starts; w != "help" {
		t.Fatalf("started %s, want help", w)
	}
	if l.Running("status") {
		t.Fatal("a second status window counted as started")
	}
	if strings.Join(raised, " ") != "status help" {
		t.Fatalf("raised %q", raised)
	}
	if err := l.Show("status"); err != nil {
		t.Fatal(err)
	}
	if l.Running("status") || strings.Join(raised, " ") != "status help status" {
		t.Fatalf("asked again: running %v, raised %q", l.Running("status"), raised)
	}
}

// A window that fails at start (the screen could not be opened) is started
// once more; one that cannot work at all (program missing: 69) is not.
func TestLauncherRetriesATransientFailureOnce(t *testing.T) {
	for _, tc := range []struct {
		code   int
		starts int
	}{{1, 2}, {2, 2}, {69, 1}} {
		// Every start reports itself, then fails with the code.
		script, starts := fakeWindow(t, "echo start > $REPORT\nexit "+strconv.Itoa(tc.code))
		l := NewLauncher(script, nil, nil)
		if err := l.Show("status"); err != nil {
			t.Fatal(err)
		}
		n := 0
	count:
		for {
			select {
			case <-starts:
				n++
			case <-time.After(2 * time.Second): // no further start is coming
				break count
			}
		}
		if n != tc.starts {
			t.Errorf("exit %d: %d starts, want %d", tc.code, n, tc.starts)
		}
	}
}

// Windows the agent closes while quitting are not "failed at start": none
// is started again, and nothing new opens.
func TestLauncherDoesNotRestartWindowsItCloses(t *testing.T) {
	// Reports its start, then stays open until interrupted.
	script, starts := fakeWindow(t, "echo start > $REPORT\nexec sleep 60")
	l := NewLauncher(script, nil, nil)
	if err := l.Show("status"); err != nil {
		t.Fatal(err)
	}
	<-starts
	l.CloseAll()
	select {
	case <-starts:
		t.Fatal("a window closed by the agent was started again")
	case <-time.After(2 * time.Second): // no further start is coming
	}
	if err := l.Show("help"); err == nil {
		t.Error("a window opened while the agent quits")
	}
}

func TestLauncherRefusesUnknownWindows(t *testing.T) {
	l := NewLauncher("/bin/true", nil, nil)
	if err := l.Show("../../etc"); err == nil {
		t.Fatal("unknown window accepted")
	}
}
