package tray

import (
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sync"
)

// Windows the agent can open.
var Windows = []string{"status", "help", "settings"}

// Launcher starts `pantau-efaktur window <name>` processes, never two of
// the same: a second request raises the running one instead.
type Launcher struct {
	exe   string
	env   []string
	raise func(window string) bool // asks a running window to come forward

	mu      sync.Mutex
	running map[string]*exec.Cmd
}

// NewLauncher launches exe (this program) with env.
func NewLauncher(exe string, env []string, raise func(string) bool) *Launcher {
	return &Launcher{exe: exe, env: env, raise: raise, running: map[string]*exec.Cmd{}}
}

// Show opens window name, or raises it if it is open.
func (l *Launcher) Show(name string) error {
	valid := false
	for _, w := range Windows {
		valid = valid || w == name
	}
	if !valid {
		return fmt.Errorf("unknown window %q", name)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.running[name]; ok {
		if l.raise != nil && l.raise(name) {
			return nil
		}
		return nil // starting up: it will show itself
	}
	cmd := exec.Command(l.exe, "window", name)
	cmd.Env = l.env
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the %s window: %w", name, err)
	}
	l.running[name] = cmd
	slog.Info("window started", "window", name, "pid", cmd.Process.Pid)
	go func() {
		err := cmd.Wait()
		slog.Info("window closed", "window", name, "err", err)
		l.mu.Lock()
		if l.running[name] == cmd {
			delete(l.running, name)
		}
		l.mu.Unlock()
	}()
	return nil
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
	for _, cmd := range l.running {
		if cmd.Process != nil {
			_ = cmd.Process.Signal(os.Interrupt)
		}
	}
}
