package agent

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"slices"
	"sync"
	"time"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/foreground"
)

// Launcher starts `pantau-efaktur window <name>` processes, never two of
// the same: a second request raises the running one instead.
type Launcher struct {
	exe   string
	env   []string
	raise func(window string) bool // asks a running window to come forward

	mu      sync.Mutex
	running map[string]*exec.Cmd
	closed  bool // CloseAll was called: the agent is quitting
}

// NewLauncher launches exe (this program) with env.
func NewLauncher(exe string, env []string, raise func(string) bool) *Launcher {
	return &Launcher{exe: exe, env: env, raise: raise, running: map[string]*exec.Cmd{}}
}

// Show opens window name, or raises it if it is open.
func (l *Launcher) Show(name string) error {
	if !slices.Contains(cmdline.WindowNames, name) {
		return fmt.Errorf("unknown window %q", name)
	}
	// Asked from a tray click (this process has the user's input): the
	// window, new or raised, may take the foreground.
	foreground.Allow()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return fmt.Errorf("open the %s window: the agent is quitting", name)
	}
	if _, ok := l.running[name]; ok {
		if l.raise != nil {
			l.raise(name) // false: still starting up, it will show itself
		}
		return nil
	}
	// Open but not started here: by hand, or before the agent restarted
	// (windows outlive an agent crash and reconnect to the new one).
	if l.raise != nil && l.raise(name) {
		slog.Info("window open from elsewhere: raised it", "window", name)
		return nil
	}
	return l.startLocked(name, true)
}

// quickFailure is how soon a failing window counts as "did not start" (a
// screen that could not be opened, for a moment): it is started once more.
const quickFailure = 3 * time.Second

// transient tells a failure worth a second try (the screen could not be
// opened, a crash) from one that would only repeat: a missing window
// program (69) or a usage error (64).
func transient(err error) bool {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code := ee.ExitCode()
		return code != cmdline.ExitNoAgent && code != cmdline.ExitUsage
	}
	return true
}

func (l *Launcher) startLocked(name string, retry bool) error {
	cmd := exec.Command(l.exe, "window", name)
	cmd.Env = l.env
	// What a window prints (a crash, a GL driver complaint) goes to the log.
	out := &lineLogger{window: name}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the %s window: %w", name, err)
	}
	l.running[name] = cmd
	started := time.Now()
	slog.Info("window started", "window", name, "pid", cmd.Process.Pid)
	go func() {
		err := cmd.Wait()
		slog.Info("window closed", "window", name, "err", err)
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.running[name] == cmd {
			delete(l.running, name)
			// A window the agent itself closed (quitting) is not a failure.
			if err != nil && retry && !l.closed && time.Since(started) < quickFailure && transient(err) {
				slog.Warn("window failed at start: trying once more", "window", name)
				if err := l.startLocked(name, false); err != nil {
					slog.Error("window", "window", name, "err", err)
				}
			}
		}
	}()
	return nil
}

// Left forgets window name when it unsubscribes, i.e. while it closes:
// its process may take a moment to end, and a click in that moment must
// open a new window, not "raise" the one going away.
func (l *Launcher) Left(name string) {
	l.mu.Lock()
	delete(l.running, name)
	l.mu.Unlock()
}

// Running reports whether window name is open.
func (l *Launcher) Running(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.running[name]
	return ok
}

// CloseAll ends every window (the agent is quitting; windows were also
// told over the socket, this is for those that did not listen).
func (l *Launcher) CloseAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	for _, cmd := range l.running {
		if cmd.Process != nil {
			_ = cmd.Process.Signal(os.Interrupt)
		}
	}
}

// lineLogger logs what a window process writes, a line at a time (at most
// 200 lines per window, so a noisy driver cannot fill the disk).
type lineLogger struct {
	window string
	mu     sync.Mutex
	buf    []byte
	lines  int
}

func (w *lineLogger) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		if w.lines < 200 {
			slog.Warn("window output", "window", w.window, "line", string(w.buf[:i]))
			w.lines++
		}
		w.buf = w.buf[i+1:]
	}
	if len(w.buf) > 4096 {
		w.buf = w.buf[:0]
	}
	return len(p), nil
}
