//go:build unix

package supervise

import (
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// childEnv makes the test binary play an agent: "exit3" exits 3, "wait"
// says it is ready and waits for a signal.
const childEnv = "SUPERVISE_TEST_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "exit3":
		if os.Getenv(Env) != "1" {
			os.Exit(9) // the agent must know it is the supervised one
		}
		os.Exit(3)
	case "wait":
		os.Stdout.WriteString("ready\n")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// readyWriter tells when the child printed "ready".
type readyWriter struct {
	once  sync.Once
	ready chan struct{}
}

func (w *readyWriter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), "ready") {
		w.once.Do(func() { close(w.ready) })
	}
	return len(p), nil
}

func TestProcessPassesTheExitCodeAndMarksTheChild(t *testing.T) {
	p := &Process{Path: os.Args[0], Args: []string{"-test.run=^$"}, Env: append(os.Environ(), childEnv+"=exit3"), Stdout: os.Stdout, Stderr: os.Stderr}
	code, stopped, err := p.Run()
	if err != nil || code != 3 || stopped {
		t.Fatalf("code %d stopped %v err %v, want 3", code, stopped, err)
	}
}

// Ctrl-C or the session's end reaches the supervisor: the agent gets it
// too, and its end is not a crash to restart.
func TestProcessPassesAStopSignalOn(t *testing.T) {
	w := &readyWriter{ready: make(chan struct{})}
	p := &Process{Path: os.Args[0], Args: []string{"-test.run=^$"}, Env: append(os.Environ(), childEnv+"=wait"), Stdout: w, Stderr: os.Stderr}
	type result struct {
		code    int
		stopped bool
		err     error
	}
	done := make(chan result, 1)
	go func() {
		code, stopped, err := p.Run()
		done <- result{code, stopped, err}
	}()
	select {
	case <-w.ready:
	case <-time.After(20 * time.Second):
		t.Fatal("child not started")
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-done:
		if r.err != nil || !r.stopped || r.code != 1 {
			t.Fatalf("code %d stopped %v err %v, want a stopped child (killed by the signal: 1)", r.code, r.stopped, r.err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the signal did not reach the child")
	}
}

func TestProcessThatCannotStart(t *testing.T) {
	p := &Process{Path: "/nonexistent/pantau-efaktur"}
	if _, _, err := p.Run(); err == nil || !strings.Contains(err.Error(), "start agent") {
		t.Fatalf("err %v", err)
	}
}
