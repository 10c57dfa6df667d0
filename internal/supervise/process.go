package supervise

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"slices"
	"sync/atomic"
)

// Process runs the agent program as a child: the same program and
// arguments, the same standard streams, the environment plus Env.
type Process struct {
	Path           string
	Args           []string
	Env            []string
	Stdout, Stderr io.Writer
}

// Run implements Child. A stop signal the supervisor receives (Ctrl-C,
// the session ending) is passed on to the agent, whose end then counts as
// wanted whatever its exit code.
func (p *Process) Run() (int, bool, error) {
	cmd := exec.Command(p.Path, p.Args...)
	cmd.Env = append(slices.Clone(p.Env), Env+"=1")
	cmd.Stdout, cmd.Stderr = stream(p.Stdout), stream(p.Stderr)
	cmd.SysProcAttr = childAttr()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, stopSignals...)
	defer signal.Stop(sigs)
	// Linux ends the child when the thread that started it ends (see
	// childAttr): keep this goroutine on its thread while the child runs.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := cmd.Start(); err != nil {
		return 0, false, fmt.Errorf("start agent %s: %w", p.Path, err)
	}
	if err := bindChild(cmd.Process); err != nil {
		slog.Warn("the agent may outlive its supervisor", "err", err)
	}
	var stopped atomic.Bool
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				stopped.Store(true)
				_ = cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return 0, false, fmt.Errorf("wait for agent: %w", err)
	}
	code := cmd.ProcessState.ExitCode()
	if code < 0 { // ended by a signal
		code = 1
	}
	return code, stopped.Load(), nil
}

// stream drops a standard stream that is not there: a Windows GUI program
// has no console, and its os.Stdout is a nil *os.File, which the child
// must not be handed.
func stream(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && f == nil {
		return nil
	}
	return w
}
