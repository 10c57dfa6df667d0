package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/probe"
)

// quitAgent plays a running agent whose process is proc: asked to quit, it
// ends proc a moment later, as the agent ends after answering.
type quitAgent struct {
	proc *exec.Cmd
	quit chan struct{}
}

func (q *quitAgent) Status() ipc.Status                             { return ipc.Status{PID: q.proc.Process.Pid} }
func (q *quitAgent) CheckNow(context.Context) (probe.Result, error) { return probe.Result{}, nil }
func (q *quitAgent) Reload() error                                  { return nil }
func (q *quitAgent) Show(string) error                              { return nil }
func (q *quitAgent) Snooze(time.Time)                               {}
func (q *quitAgent) Quit()                                          { close(q.quit) }

// `quit` returns once the agent's process has ended, not merely when the
// agent said yes: the uninstaller removes the program file next.
func TestQuitWaitsForTheAgentToEnd(t *testing.T) {
	home := t.TempDir()
	t.Setenv(paths.HomeEnv, home)
	ln, err := ipc.Listen(filepath.Join(home, "agent.sock"))
	if err != nil {
		t.Fatal(err)
	}
	proc := exec.Command(os.Args[0], "-test.run=^$", "-test.timeout=1m") // stands for the agent's process
	proc.Env = append(os.Environ(), "PANTAU_TEST_HANG=1")
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	agent := &quitAgent{proc: proc, quit: make(chan struct{})}
	srv := ipc.NewServer(ln, agent)
	go srv.Serve()
	ending := make(chan struct{}) // closed just before the process is ended
	reaped := make(chan struct{})
	defer func() { <-reaped }()
	go func() {
		defer close(reaped)
		<-agent.quit
		srv.Close()
		time.Sleep(300 * time.Millisecond) // the agent closes its history, then ends
		close(ending)
		proc.Process.Kill()
		proc.Wait()
	}()

	var out, errOut bytes.Buffer
	code := Quit([]string{"--lang", "en"}, cmdline.IO{Stdout: &out, Stderr: &errOut})
	select {
	case <-ending:
	default:
		t.Fatal("quit returned while the agent's process was still running")
	}
	if code != 0 || !strings.Contains(out.String(), "Pantau e-Faktur has quit.") {
		t.Fatalf("exit %d, %q %q", code, out.String(), errOut.String())
	}
	// Nothing left to quit.
	out.Reset()
	errOut.Reset()
	if code := Quit(nil, cmdline.IO{Stdout: &out, Stderr: &errOut}); code != cmdline.ExitNoAgent || !strings.Contains(errOut.String(), "tidak berjalan") {
		t.Fatalf("without an agent: exit %d, %q", code, errOut.String())
	}
}

// TestMain lets the test binary stand for an agent's process that runs
// until it is ended (PANTAU_TEST_HANG).
func TestMain(m *testing.M) {
	if os.Getenv("PANTAU_TEST_HANG") != "" {
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	os.Exit(m.Run())
}
