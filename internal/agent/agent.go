package agent

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"pantau-efaktur/history"
	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/foreground"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/notify"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/internal/supervise"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
)

// Agent is the running tray agent.
type Agent struct {
	started       time.Time
	configPath    string
	socketPath    string
	historyDir    string
	logPath       string
	previousCrash string // the crash report the previous run left, if any
	// signInUnavailable: the Windows proxy sign-ins this PC lacks (looked
	// up once at start; the log says so then).
	signInUnavailable []string
	supervisor        int // the supervisor's PID, 0 when unsupervised
	iconDir           string
	flags             agentFlags
	demo              *demo

	mu          sync.Mutex
	settings    settings.Settings
	tr          *i18n.Translator
	notices     []string
	tray        bool
	trayProblem string
	firstRun    bool // no history yet: this account never ran the agent
	checker     *probe.HTTPChecker
	lastHistErr time.Time
	// loaded is the digest of the settings file as last loaded, told is
	// that of an unreadable hand edit already told about (settingsEdited).
	loaded, told [sha256.Size]byte
	reloading    sync.Mutex // one reload at a time: the window's and a hand edit's
	muted        snooze     // the latest snooze chosen (see Snooze)

	mon      *monitor.Monitor
	hist     *history.History
	srv      *ipc.Server
	face     Face
	launcher *Launcher
	notes    chan monitor.Notification
	quitOnce sync.Once
	quitCh   chan struct{}
	notifier func(level string) notify.Notifier
}

type agentFlags struct {
	target  cmdline.CheckFlags // --url, --proxy, --reference, --lang, --config
	demo    bool
	monitor cmdline.MonitorFlags
}

// flagSet is the agent's FlagSet (ARCHITECTURE.md §7).
func (f *agentFlags) flagSet() *flag.FlagSet {
	fs := cmdline.NewFlagSet("pantau-efaktur")
	f.target.RegisterTarget(fs)
	fs.BoolVar(&f.demo, "demo", false, "")
	f.monitor.Register(fs)
	return fs
}

// Logs is where the agent's log goes, and the crash report its previous
// run left (empty if it ended cleanly), for the diagnostics.
type Logs struct {
	Path          string
	PreviousCrash string
}

// Face is the agent on the desktop: the tray icon and its menu (ui/tray).
// The agent calls it; the face reaches the agent through Agent's exported
// methods only.
type Face interface {
	// Attach says, before the control channel opens, whether an icon shows
	// (SetTray).
	Attach(a *Agent)
	// Run shows the face until quit is closed.
	Run(quit <-chan struct{})
	// Refresh redraws it (any goroutine).
	// The first services states are the services in use.
	Refresh(tr *i18n.Translator, states []monitor.State, services int, snoozedUntil time.Time)
	// Relabel takes up a new language.
	Relabel(tr *i18n.Translator)
	// Quit ends Run early.
	Quit()
}

// NoFace is an agent without a face: it monitors, notifies and serves the
// control channel until it is told to quit.
type NoFace struct{}

func (NoFace) Attach(*Agent)                                             {}
func (NoFace) Run(quit <-chan struct{})                                  { <-quit }
func (NoFace) Refresh(*i18n.Translator, []monitor.State, int, time.Time) {}
func (NoFace) Relabel(*i18n.Translator)                                  {}
func (NoFace) Quit()                                                     {}

// Main runs the agent shown by face and returns the exit code.
func Main(args []string, out cmdline.IO, logs Logs, face Face) int {
	var f agentFlags
	if _, code, ok := cmdline.ParseCommandLine(f.flagSet(), args, "pantau-efaktur", "agent", out); !ok {
		return code
	}
	if f.demo && os.Getenv(paths.HomeEnv) == "" {
		// The demo lives apart: its history and socket never mix with the real ones.
		cache, err := paths.CacheDir()
		if err == nil {
			os.Setenv(paths.HomeEnv, filepath.Join(cache, "demo"))
		}
	}
	a := &Agent{started: time.Now(), flags: f, logPath: logs.Path, previousCrash: logs.PreviousCrash, quitCh: make(chan struct{}),
		notes: make(chan monitor.Notification, 16), face: face}
	if code, done := a.singleInstance(out); done {
		return code
	}
	return a.run(out)
}

// singleInstance finds a running agent: if there is one, it is asked to
// show its status window and this launch ends (exit 0).
func (a *Agent) singleInstance(out cmdline.IO) (int, bool) {
	sock, err := paths.SocketPath()
	if err != nil {
		slog.Error("no place for the control socket", "err", err)
		fmt.Fprintln(out.Stderr, i18n.New(a.flags.target.Lang).T("app.no_user_dir"))
		return 1, true
	}
	a.socketPath = sock
	foreground.Allow() // the user started this launch: let the window come forward
	if _, err := ipc.Do(sock, ipc.Request{Cmd: ipc.CmdShow, Window: "status"}, 3*time.Second); err == nil {
		slog.Info("agent already running: asked it to show the status window")
		return 0, true
	}
	return 0, false
}

func (a *Agent) run(out cmdline.IO) int {
	ln, err := ipc.Listen(a.socketPath)
	if errors.Is(err, ipc.ErrAgentRunning) {
		foreground.Allow()
		_, _ = ipc.Do(a.socketPath, ipc.Request{Cmd: ipc.CmdShow, Window: "status"}, 3*time.Second)
		return 0
	}
	if err != nil {
		// Without the socket there is no single instance and no windows;
		// still better to monitor than to give up.
		slog.Error("control socket unavailable", "err", err)
	}

	if _, err := a.loadSettings(true); err != nil {
		fmt.Fprintln(out.Stderr, err.Error())
		if ln != nil {
			ln.Close()
		}
		return cmdline.ExitUsage
	}
	a.prepareFiles()
	a.signInUnavailable = probe.UnavailableSignIns(probe.PlatformProxySignIn)
	if os.Getenv(supervise.Env) == "1" {
		a.supervisor = os.Getppid()
	}

	a.mu.Lock()
	cfg := a.monitorConfigLocked()
	a.mu.Unlock()
	muted := a.rememberedSnooze()
	open := a.openOutages(cfg, muted)
	opts := []monitor.Option{monitor.WithOpenOutages(open), monitor.WithSnooze(muted.Until)}
	if owed, ok := a.owedRecovery(cfg, muted, open); ok {
		opts = append(opts, monitor.WithOwedRecovery(owed))
	}
	a.mon, err = monitor.New(cfg, a.onEvent, opts...)
	if err != nil {
		fmt.Fprintln(out.Stderr, "pantau-efaktur: "+err.Error())
		return cmdline.ExitUsage
	}
	exe, _ := os.Executable()
	a.launcher = NewLauncher(exe, os.Environ(), func(w string) bool {
		return a.srv != nil && a.srv.SendTo(w, ipc.Response{OK: true, Event: ipc.EventRaise})
	})
	// Everything the socket's handlers read is set before it opens.
	a.face.Attach(a)
	// Every goroutine of the agent is joined before the history closes: a
	// check, a prune or a reload must not write to a closed history.
	var wg sync.WaitGroup
	if ln != nil {
		a.srv = ipc.NewServer(ln, a)
		a.srv.OnLeave = a.launcher.Left
		wg.Go(func() {
			if err := a.srv.Serve(); err != nil {
				slog.Error("control socket", "err", err)
			}
		})
	}
	wg.Go(a.notificationWorker)
	wg.Go(a.pruneDaily)
	wg.Go(a.watchSettings)
	ctx, cancel := context.WithCancel(context.Background())
	wg.Go(func() { _ = a.mon.Run(ctx) })
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	wg.Go(func() {
		select {
		case <-sigs:
			a.Quit()
		case <-a.quitCh:
		}
	})

	a.announceNotices()
	a.face.Run(a.quitCh)

	cancel()
	if a.srv != nil {
		a.srv.Close()
	}
	a.launcher.CloseAll()
	if a.demo != nil {
		a.demo.stop()
	}
	wg.Wait()
	a.hist.Close()
	slog.Info("agent stopped")
	return 0
}
