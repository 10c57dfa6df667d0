package tray

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
	"runtime"
	"sync"
	"syscall"
	"time"

	"fyne.io/systray"

	"pantau-efaktur/assets"
	"pantau-efaktur/internal/autostart"
	"pantau-efaktur/internal/browser"
	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/filewatch"
	"pantau-efaktur/internal/foreground"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/notify"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/internal/supervise"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
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
	settings    probe.Settings
	tr          *i18n.Translator
	notices     []string
	tray        bool
	trayProblem string
	trayReady   chan struct{} // closed once the tray icon is on the bus (onTrayReady)
	firstRun    bool          // no history yet: this account never ran the agent
	welcome     bool          // say where the icon is, once it is in a tray (firstRun with a host)
	checker     *probe.HTTPChecker
	lastHistErr time.Time
	// loaded is the digest of the settings file as last loaded, told is
	// that of an unreadable hand edit already told about (settingsEdited).
	loaded, told [sha256.Size]byte
	reloading    sync.Mutex // one reload at a time: the window's and a hand edit's
	muted        snooze     // the latest snooze chosen (see Snooze)

	mon      *probe.Monitor
	hist     *probe.History
	srv      *ipc.Server
	ui       *trayUI
	launcher *Launcher
	notes    chan probe.Notification
	quitOnce sync.Once
	quitCh   chan struct{}
	notifier func(level string) notify.Notifier
}

type agentFlags struct {
	url, proxy, reference, config, lang string
	demo                                bool
	monitor                             cmdline.MonitorFlags
}

// flagSet is the agent's FlagSet (ARCHITECTURE.md §7).
func (f *agentFlags) flagSet() *flag.FlagSet {
	fs := cmdline.NewFlagSet("pantau-efaktur")
	fs.StringVar(&f.url, "url", "", "")
	fs.StringVar(&f.proxy, "proxy", "", "")
	fs.StringVar(&f.reference, "reference", "", "")
	fs.StringVar(&f.config, "config", "", "")
	fs.StringVar(&f.lang, "lang", "", "")
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

// Main runs the agent and returns the exit code.
func Main(args []string, out cmdline.IO, logs Logs) int {
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
	a := &Agent{started: time.Now(), flags: f, logPath: logs.Path, previousCrash: logs.PreviousCrash, quitCh: make(chan struct{}), trayReady: make(chan struct{}),
		notes: make(chan probe.Notification, 16)}
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
		fmt.Fprintln(out.Stderr, i18n.New(a.flags.lang).T("app.no_user_dir"))
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
	opts := []probe.MonitorOption{probe.WithOpenOutages(open), probe.WithSnooze(muted.Until)}
	if owed, ok := a.owedRecovery(cfg, muted, open); ok {
		opts = append(opts, probe.WithOwedRecovery(owed))
	}
	a.mon, err = probe.NewMonitor(cfg, a.onEvent, opts...)
	if err != nil {
		fmt.Fprintln(out.Stderr, "pantau-efaktur: "+err.Error())
		return cmdline.ExitUsage
	}
	exe, _ := os.Executable()
	a.launcher = NewLauncher(exe, os.Environ(), func(w string) bool {
		return a.srv != nil && a.srv.SendTo(w, ipc.Response{OK: true, Event: ipc.EventRaise})
	})
	// Everything the socket's handlers read is set before it opens.
	bus, host, why := trayHost()
	a.mu.Lock()
	a.tray, a.trayProblem = host, why.Detail
	a.mu.Unlock()
	if bus {
		a.ui = &trayUI{}
	}
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
	a.welcome = a.firstRun && host
	if !host {
		wg.Go(func() { a.awaitTrayHost(bus, why) })
	}
	if bus {
		systray.SetTitle(version.AppName)
		systray.SetOnTapped(func() { a.showWindow("status") })
		runTray(a.onTrayReady, a.quitCh)
	} else {
		<-a.quitCh
	}

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

// loadSettings reads the settings file, lays the command-line flags over it
// and, for --demo, points it at the fake server. first is the start-up load.
func (a *Agent) loadSettings(first bool) (probe.LoadReport, error) {
	path := a.flags.config
	if path == "" {
		p, err := paths.SettingsFile()
		if err != nil {
			return probe.LoadReport{}, err
		}
		path = p
	}
	s, rep, err := probe.LoadSettings(path, time.Now())
	if err != nil {
		slog.Warn("settings not read", "err", err)
	}
	if !a.flags.demo {
		autostart.Adopt(&s, rep)
	}
	tr := i18n.New(s.Language)
	if a.flags.lang != "" {
		tr = i18n.New(a.flags.lang)
		s.Language = tr.Lang()
	}
	if err := cmdline.ApplyTargetFlags(tr, "pantau-efaktur", a.flags.url, a.flags.proxy, a.flags.reference, &s); err != nil {
		return rep, err
	}
	if err := a.flags.monitor.Apply(tr, "pantau-efaktur", &s); err != nil {
		return rep, err
	}
	if a.flags.demo {
		if a.demo == nil {
			d, err := startDemo()
			if err != nil {
				return rep, err
			}
			a.demo = d
		}
		a.demo.apply(&s)
	}
	if err := cmdline.ValidateForCommand(tr, "pantau-efaktur", s); err != nil {
		return rep, err
	}
	for _, fe := range rep.Invalid {
		slog.Warn("settings field ignored", "field", fe.Field, "err", fe.Error())
	}
	if rep.BrokenKeptAs != "" {
		slog.Warn("settings file unreadable, kept aside", "kept", rep.BrokenKeptAs)
	}
	a.applyAutostart(s.Autostart)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.configPath, a.settings, a.tr, a.loaded = path, s, tr, rep.Digest
	if first { // told once, at start
		a.notices = append(a.notices, tr.LoadNotice(rep)...)
	}
	if a.checker != nil {
		a.checker.Close()
	}
	a.checker = probe.NewHTTPChecker(s.CheckOptions(version.UserAgent()))
	return rep, nil
}

func (a *Agent) monitorConfigLocked() probe.MonitorConfig {
	return probe.MonitorConfig{Targets: a.settings.Targets(), Checker: a.checker,
		Policy: a.settings.Policy(), Notify: a.settings.Notify}
}

// openOutages finds, in history, outages the previous run of the agent left
// open (it was restarted, updated or logged off during an outage), so the
// monitor takes them up instead of announcing them again and telling only
// the minutes since this start when they end. An outage confirmed during
// the snooze still running was not told yet: it is marked held.
func (a *Agent) openOutages(cfg probe.MonitorConfig, muted snooze) map[string]probe.OpenOutage {
	var opts []probe.StatsOptions
	for _, t := range cfg.Targets {
		opts = append(opts, historyOptions(cfg, t))
	}
	open, err := probe.FindOpenOutages(a.historyDir, time.Now(), opts)
	if err != nil {
		slog.Warn("history unreadable: open outages not taken up", "err", err)
	}
	for id, o := range open {
		o.Held = muted.held(o)
		slog.Info("outage taken up from history", "target", id, "since", o.Start, "state", o.Last.Level, "reason", o.Last.Reason, "held", o.Held)
		open[id] = o
	}
	return open
}

// historyOptions reads t's history as the monitor of cfg saw it. A restart
// may cost a check or two; a longer gap, and nothing is known of what
// happened meanwhile.
func historyOptions(cfg probe.MonitorConfig, t probe.Target) probe.StatsOptions {
	return probe.StatsOptions{Target: t.ID, URL: t.URL, FailThreshold: cfg.Policy.FailThreshold,
		RecoverThreshold: cfg.Policy.RecoverThreshold, MaxGap: max(5*time.Minute, 2*cfg.Policy.DownInterval)}
}

// owedRecovery finds the "back online" the previous run held for the end of
// the mute still running, and lost by stopping (a reboot, an update): the
// user heard "down" and must still hear that it is over (see
// probe.OwedRecovery). Only the week before the mute is read.
func (a *Agent) owedRecovery(cfg probe.MonitorConfig, muted snooze, open map[string]probe.OpenOutage) (probe.Notification, bool) {
	if muted.Until.IsZero() || muted.From.IsZero() {
		return probe.Notification{}, false
	}
	now := time.Now()
	primary := cfg.Targets[0]
	recs, _, err := probe.LoadHistory(a.historyDir, muted.From.Add(-7*24*time.Hour), now)
	if err != nil {
		slog.Warn("history unreadable: a 'back online' held by the mute may be lost", "err", err)
		return probe.Notification{}, false
	}
	st := probe.Summarize(recs, now, historyOptions(cfg, primary))
	_, takenUp := open[primary.ID]
	n, ok := probe.OwedRecovery(st.Outages, primary.ID, muted.From, takenUp)
	if ok {
		slog.Info("'back online' held by the mute taken up from history", "since", n.Back, "outage", n.Outage, "earlier", n.Earlier)
	}
	return n, ok
}

// prepareFiles opens the history and writes the notification icons to the
// cache directory (notification daemons read the file after the call).
func (a *Agent) prepareFiles() {
	dir, err := paths.HistoryDir()
	if err == nil {
		a.hist, err = probe.OpenHistory(dir)
	}
	if err != nil {
		slog.Error("history unavailable", "err", err)
		tmp, _ := os.MkdirTemp("", "pantau-efaktur-history-")
		a.hist, _ = probe.OpenHistory(tmp)
	}
	a.historyDir = a.hist.Dir()
	if err == nil { // not for a stand-in history: that would welcome at every start
		empty, eerr := a.hist.Empty()
		a.firstRun = empty && eerr == nil
	}
	if _, err := a.hist.Prune(time.Now()); err != nil {
		slog.Warn("history prune", "err", err)
	}
	cache, err := paths.CacheDir()
	if err != nil {
		slog.Warn("no cache directory", "err", err)
		return
	}
	a.iconDir = filepath.Join(cache, "icons")
	if err := os.MkdirAll(a.iconDir, 0o700); err != nil {
		slog.Warn("icon directory", "err", err)
		return
	}
	write := func(name string, b []byte, err error) {
		if err == nil {
			err = probe.WriteFileAtomic(filepath.Join(a.iconDir, name+".png"), b, 0o644)
		}
		if err != nil {
			slog.Warn("notification icon", "icon", name, "err", err)
		}
	}
	for _, l := range assets.IconLevels {
		b, err := assets.LevelPNG(l, 64)
		write(l, b, err)
	}
	b, err := assets.AppPNG(64)
	write(appIcon, b, err)
}

// appIcon names the app's own icon among the notification icons (the
// others are named after levels).
const appIcon = "app"

// onEvent is the monitor's sink: it runs on the monitor's goroutines and
// must stay quick (no D-Bus round trips, no waiting on the user).
func (a *Agent) onEvent(e probe.Event) {
	switch e.Kind {
	case probe.EventCheck:
		if err := a.hist.Append(probe.RecordOf(*e.Result)); err != nil {
			a.mu.Lock()
			quiet := time.Since(a.lastHistErr) < time.Hour
			if !quiet {
				a.lastHistErr = time.Now()
			}
			a.mu.Unlock()
			if !quiet { // disk full: say it once an hour, keep monitoring
				slog.Error("history append", "err", err)
			}
		}
		r := e.Result
		slog.Info("check", "target", r.Target, "state", r.Level, "reason", r.Reason, "status", r.HTTPStatus,
			"ms", r.Phases.Total.Milliseconds(), "err", r.Error)
	case probe.EventState:
		slog.Info("state", "target", e.Target, "state", e.State.Level, "reason", e.State.Reason,
			"rechecking", e.State.Rechecking, "unsteady", e.State.Unsteady(), "previous", e.Previous)
	case probe.EventNotify:
		select {
		case a.notes <- *e.Notification:
		default:
			slog.Error("notification queue full: dropped", "kind", e.Notification.Kind)
		}
		return
	}
	a.refresh()
}

// refresh redraws the tray and tells the windows.
func (a *Agent) refresh() {
	states := a.mon.States()
	st := a.statusOf(states)
	if a.ui != nil {
		a.mu.Lock()
		tr := a.tr
		a.mu.Unlock()
		a.ui.update(BuildView(tr, states, st.SnoozedUntil, time.Now()))
	}
	if a.srv != nil {
		a.srv.Broadcast(ipc.Response{OK: true, Event: ipc.EventState, Status: &st})
	}
}

// notificationWorker shows notifications one at a time, off the monitor's
// goroutines (a slow notification daemon must not delay checks).
func (a *Agent) notificationWorker() {
	for {
		select {
		case <-a.quitCh:
			return
		case n := <-a.notes:
			a.mu.Lock()
			tr, sound := a.tr, a.settings.Notify.Sound
			a.mu.Unlock()
			title, body := tr.Notification(n)
			icon := map[probe.NotifyKind]string{probe.NotifyDown: "down", probe.NotifyRecovered: "up",
				probe.NotifyDegraded: "degraded", probe.NotifyOffline: "offline", probe.NotifyOnline: "up"}[n.Kind]
			var nt notify.Notifier = notify.Desktop{IconPath: a.iconPath(icon), Sound: sound}
			if a.notifier != nil {
				nt = a.notifier(icon)
			}
			urgent := n.Kind == probe.NotifyDown || n.Kind == probe.NotifyRecovered
			if err := nt.Notify(title, body, urgent); err != nil {
				slog.Error("notification not shown", "kind", n.Kind, "err", err)
			} else {
				slog.Info("notified", "kind", n.Kind, "title", title)
			}
		}
	}
}

func (a *Agent) iconPath(level string) string {
	if a.iconDir == "" {
		return ""
	}
	return filepath.Join(a.iconDir, level+".png")
}

// announceNotices shows start-up notices (broken settings, no tray) once.
func (a *Agent) announceNotices() {
	a.mu.Lock()
	notices := append([]string(nil), a.notices...)
	a.mu.Unlock()
	for _, n := range notices {
		a.showNotice(n)
	}
}

// showNotice shows one notice about the app itself (not the server).
func (a *Agent) showNotice(text string) { a.notifyAboutApp("degraded", text) }

// showWelcome tells a first-time user where the icon is and what it
// promises; it is not a notice (the status window does not keep it).
func (a *Agent) showWelcome(tr *i18n.Translator) {
	text := tr.T("agent.welcome")
	if runtime.GOOS == "windows" {
		text = tr.T("agent.welcome_windows")
	}
	a.notifyAboutApp(appIcon, text)
}

// notifyAboutApp is a notification in the app's name with one of the
// icons prepareFiles wrote.
func (a *Agent) notifyAboutApp(icon, text string) {
	nt := notify.Desktop{IconPath: a.iconPath(icon)}
	if err := nt.Notify(version.AppName, text, false); err != nil {
		slog.Warn("app notification not shown", "icon", icon, "err", err)
	}
}

// trayAbsence says why no tray icon can be shown: Key names the
// explanation for the user (translated, in the notice), Detail the
// technical one for the log and the diagnostics report.
type trayAbsence struct{ Key, Detail string }

// awaitTrayHost gives a tray host a moment to appear: started at login,
// the agent often runs before the panel does, and a status window with a
// "no tray" notice at every login would be a false alarm. If none comes,
// the user is told, and the status window opens once, since there is
// nothing else to see. A host that comes later still gets the icon
// (trayHostCame).
func (a *Agent) awaitTrayHost(bus bool, why trayAbsence) {
	waiting := func() { // status and diagnostics say the agent is waiting
		a.mu.Lock()
		a.trayProblem = why.Detail + "; waiting for one to appear"
		a.mu.Unlock()
		a.refresh()
	}
	if bus && waitTrayHost(trayHostWait(), a.quitCh, waiting) {
		a.trayHostCame()
		return
	}
	select {
	case <-a.quitCh:
		return
	default:
	}
	slog.Warn("no tray icon", "why", why.Detail)
	a.mu.Lock()
	a.trayProblem = why.Detail
	notice := a.tr.T("agent.no_tray", map[string]any{"Why": a.tr.T(why.Key)})
	a.notices = append(a.notices, notice)
	a.mu.Unlock()
	// The user would otherwise see nothing at all: show the status once,
	// then say why (in this order: whoever reads the notice finds the
	// window already opening, and a quit right after it cannot stop it).
	if err := a.launcher.Show("status"); err != nil {
		slog.Error("open status window", "err", err)
	}
	a.showNotice(notice)
	a.refresh()
	if bus && waitTrayHost(-1, a.quitCh, nil) {
		a.trayHostCame()
	}
}

// trayHostCame registers the icon with a tray host that appeared after
// the start, once the icon is on the bus.
func (a *Agent) trayHostCame() {
	select {
	case <-a.trayReady:
	case <-a.quitCh:
		return
	}
	registerTrayItem()
	a.mu.Lock()
	a.tray, a.trayProblem = true, ""
	a.mu.Unlock()
	slog.Info("tray host appeared")
	a.refresh()
}

func (a *Agent) pruneDaily() {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		select {
		case <-a.quitCh:
			return
		case <-t.C:
			if n, err := a.hist.Prune(time.Now()); err != nil || n > 0 {
				slog.Info("history pruned", "removed", n, "err", err)
			}
		}
	}
}

func (a *Agent) onTrayReady() {
	a.mu.Lock()
	tr := a.tr
	a.mu.Unlock()
	if a.welcome {
		// The first start ever: on Windows 11 a new tray icon hides behind
		// the ^ arrow, and nothing else shows that the app runs.
		go a.showWelcome(tr)
	}
	a.ui.build(tr, menuActions{
		checkNow:   a.checkNowFromMenu,
		show:       a.showWindow,
		openSVC:    a.openSVC,
		snooze:     a.Snooze,
		quit:       a.Quit,
		secondary:  3,
		snoozeFrom: time.Now,
	})
	a.refresh()
	close(a.trayReady)
}

func (a *Agent) showWindow(name string) {
	if err := a.launcher.Show(name); err != nil {
		slog.Error("open window", "window", name, "err", err)
	}
}

func (a *Agent) openSVC() {
	a.mu.Lock()
	u := a.settings.URL
	a.mu.Unlock()
	if err := browser.Open(u); err != nil {
		slog.Error("open browser", "err", err)
	}
}

// ---- ipc.Handler ----

// Status reports the agent's state.
func (a *Agent) Status() ipc.Status {
	var states []probe.State
	if a.mon != nil {
		states = a.mon.States()
	}
	return a.statusOf(states)
}

// statusOf reports the agent's state with the monitor's states given.
func (a *Agent) statusOf(states []probe.State) ipc.Status {
	a.mu.Lock()
	tr := a.tr
	st := ipc.Status{PID: os.Getpid(), SupervisorPID: a.supervisor, Version: version.Version, Lang: tr.Lang(), StartedAt: a.started,
		Tray: a.tray, TrayProblem: a.trayProblem, Demo: a.flags.demo, ConfigPath: a.configPath,
		HistoryDir: a.historyDir, LogPath: a.logPath, PreviousCrash: a.previousCrash, Settings: a.settings,
		Notices: append([]string(nil), a.notices...), SignInUnavailable: a.signInUnavailable}
	a.mu.Unlock()
	// A proxy password never leaves the agent (status --json, diagnostics).
	st.Settings.Proxy = probe.ProxySetting(st.Settings.Proxy).Redacted()
	for _, s := range states {
		msg := tr.Message(s.Last)
		if s.Last.CheckedAt.IsZero() {
			msg = tr.T("reason.unknown")
		}
		st.Targets = append(st.Targets, ipc.StateOf(s, msg))
	}
	if a.mon != nil {
		st.SnoozedUntil = a.mon.Snoozed()
	}
	return st
}

// checkNowFromMenu is "Periksa sekarang": the item shows the check at work
// until it ends (the new result then shows in the first menu line). A
// check ends within its timeout; the cap is for one dropped by a settings
// reload meanwhile.
func (a *Agent) checkNowFromMenu() {
	a.mu.Lock()
	tr := a.tr
	a.mu.Unlock()
	a.ui.setChecking(tr, true)
	select {
	case <-a.mon.CheckNow():
	case <-time.After(3 * time.Minute):
	case <-a.quitCh:
	}
	a.mu.Lock()
	tr = a.tr // the language may have changed meanwhile
	a.mu.Unlock()
	a.ui.setChecking(tr, false)
}

// CheckNow runs (or joins) a check and returns the primary's result.
func (a *Agent) CheckNow(ctx context.Context) (probe.Result, error) {
	select {
	case r := <-a.mon.CheckNow():
		return r, nil
	case <-ctx.Done():
		return probe.Result{}, ctx.Err()
	case <-a.quitCh:
		return probe.Result{}, errors.New("the agent is quitting")
	}
}

// Reload re-reads the settings file (the settings window saved it).
func (a *Agent) Reload() error {
	_, err := a.reload()
	return err
}

func (a *Agent) reload() (probe.LoadReport, error) {
	a.reloading.Lock()
	defer a.reloading.Unlock()
	rep, err := a.loadSettings(false)
	if err != nil {
		slog.Warn("reload refused", "err", err)
		return rep, err
	}
	a.mu.Lock()
	cfg, tr := a.monitorConfigLocked(), a.tr
	a.mu.Unlock()
	if err := a.mon.Reconfigure(cfg); err != nil {
		return rep, err
	}
	if a.ui != nil {
		a.ui.setTexts(tr)
	}
	slog.Info("settings reloaded")
	a.refresh()
	return rep, nil
}

// watchSettings takes up changes made to the settings file by hand (the
// settings window tells the agent itself, and is recognised as seen).
func (a *Agent) watchSettings() {
	a.mu.Lock()
	path := a.configPath
	a.mu.Unlock()
	if err := filewatch.Watch(path, filewatch.Settle, a.quitCh, a.settingsEdited); err != nil {
		slog.Warn("changes to the settings file need a restart", "err", err)
	}
}

// settingsEdited loads a settings file changed by something other than the
// settings window. An unreadable one (an editor's half-done save, a typo)
// is neither loaded nor moved aside, as it would be at start: the settings
// in use stay, and the user is told once per content. A removed file
// changes nothing either.
func (a *Agent) settingsEdited() {
	a.mu.Lock()
	path, loaded, told, tr := a.configPath, a.loaded, a.told, a.tr
	a.mu.Unlock()
	data, err := os.ReadFile(path)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			slog.Warn("settings file changed but not read", "err", err)
		}
		return
	}
	digest := probe.SettingsDigest(data)
	if digest == loaded || digest == told {
		return // a save the agent was told about, or content already refused
	}
	refuse := func(notice string) {
		a.mu.Lock()
		a.told = digest
		a.mu.Unlock()
		a.showNotice(notice)
	}
	if !probe.SettingsReadable(data) {
		slog.Warn("settings file changed but unreadable; the settings in use stay", "path", path)
		refuse(tr.T("settings.edit_unreadable", map[string]any{"Path": path}))
		return
	}
	slog.Info("settings file changed by hand")
	rep, err := a.reload()
	if err != nil {
		// A value the agent's command-line flags make invalid: the
		// message is the translated one the command line would print.
		refuse(err.Error())
		return
	}
	a.mu.Lock()
	tr = a.tr
	a.mu.Unlock()
	for _, n := range tr.LoadNotice(rep) {
		a.showNotice(n)
	}
}

// Show opens a window.
func (a *Agent) Show(window string) error { return a.launcher.Show(window) }

// Snooze holds notifications until the given time (zero: none).
func (a *Agent) Snooze(until time.Time) {
	a.mu.Lock()
	a.muted = a.muted.next(until, time.Now())
	muted := a.muted
	a.mu.Unlock()
	slog.Info("snooze", "from", muted.From, "until", until)
	// Kept before it is in force: whoever sees the mute may rely on the file.
	if path, err := paths.SnoozeFile(); err == nil {
		if err := saveSnooze(path, muted); err != nil {
			slog.Warn("snooze not remembered across a restart", "err", err)
		}
	}
	a.mon.SetSnooze(until)
	a.refresh()
}

// rememberedSnooze is a snooze chosen before the agent last stopped and
// still running (zero if none).
func (a *Agent) rememberedSnooze() snooze {
	path, err := paths.SnoozeFile()
	if err != nil {
		return snooze{}
	}
	muted, err := loadSnooze(path, time.Now())
	if err != nil {
		slog.Warn("remembered snooze ignored", "err", err)
		return snooze{}
	}
	if !muted.Until.IsZero() {
		a.mu.Lock()
		a.muted = muted
		if muted.From.IsZero() {
			// A file from before the start was kept: what this run holds
			// is known from now on.
			a.muted.From = time.Now()
		}
		a.mu.Unlock()
		slog.Info("snooze restored", "from", muted.From, "until", muted.Until)
	}
	return muted
}

// Quit stops the agent.
func (a *Agent) Quit() {
	a.quitOnce.Do(func() {
		slog.Info("quit requested")
		close(a.quitCh)
		if a.ui != nil {
			systray.Quit()
		}
	})
}

// applyAutostart makes "start at login" match the setting. The demo never
// touches it.
func (a *Agent) applyAutostart(on bool) {
	if a.flags.demo {
		return
	}
	exe, err := os.Executable()
	if err == nil {
		exe, _ = filepath.EvalSymlinks(exe)
		err = autostart.Set(on, exe)
	}
	if err != nil {
		slog.Warn("start at login not changed", "on", on, "err", err)
	}
}
