// Package window holds the Fyne windows (status, help, settings). Each runs
// in its own short-lived process (`pantau-efaktur window <name>`), started
// by the agent and ended when the window closes: the GL loop that Fyne needs
// costs CPU and memory only while a window is actually open (ARCHITECTURE.md §2).
package window

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"runtime"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver"
	"fyne.io/fyne/v2/driver/desktop"

	"pantau-efaktur/assets"
	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/foreground"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/internal/version"
)

// Names of the windows.
const (
	Status   = "status"
	Help     = "help"
	Settings = "settings"
)

// Main runs `pantau-efaktur window <name>` and returns the exit code.
func Main(args []string, out cmdline.IO) (code int) {
	name, lang, code, ok := cmdline.ParseWindowArgs(args, out)
	if !ok {
		return code
	}
	// What this program itself says (no display, already open) is in the
	// forced language, else the one in the settings file.
	tr := i18n.ForUser()
	if lang != "" {
		tr = i18n.New(lang)
	}
	sock, err := paths.SocketPath()
	if err != nil {
		slog.Error("no place for the control socket", "err", err)
		fmt.Fprintln(out.Stderr, tr.T("app.no_user_dir"))
		return 1
	}
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		fmt.Fprintln(out.Stderr, tr.T("win.no_display"))
		return 1
	}
	// Opened by hand (a shortcut, a script) while the same window is open:
	// that one comes forward, as with the tray's clicks, and no second
	// copy starts. Without an agent, or with an older one, this fails
	// quickly and the window opens.
	foreground.Allow()
	if _, err := ipc.Do(sock, ipc.Request{Cmd: ipc.CmdRaise, Window: name}, time.Second); err == nil {
		slog.Info("window already open: raised it", "window", name)
		fmt.Fprintln(out.Stdout, tr.T("win.already_open", map[string]any{"Window": tr.T("win." + name + "_title")}))
		return 0
	}
	// The graphics driver panics when the screen cannot be opened: say so
	// in words (the agent tries once more), not with a stack trace.
	defer func() {
		if r := recover(); r != nil {
			slog.Error("window failed", "window", name, "panic", fmt.Sprint(r))
			fmt.Fprintln(out.Stderr, tr.T("win.cannot_open", map[string]any{"Display": os.Getenv("DISPLAY")}))
			code = 1
		}
	}()
	a := app.NewWithID(version.AppID)
	if icon, err := assets.AppPNG(256); err == nil {
		a.SetIcon(fyne.NewStaticResource("pantau-efaktur.png", icon))
	}
	w, closed := Open(a, name, NewLink(sock, name), lang)
	go exitAfterClose(closed, closeGrace, os.Exit)
	start := time.Now()
	w.Show()
	slog.Info("window shown", "window", name, "after", time.Since(start))
	a.Run()
	return 0
}

// closeGrace is how long the window program may take to end once its
// window is closed (it takes about 0.1 s) before it is ended outright.
const closeGrace = 3 * time.Second

// exitAfterClose ends the process if it is still there grace after the
// window closed. Fyne 2.7.1 can hang on its way out: a stop hook queued
// just as the main loop drains its queue is never run, and Run then waits
// for it for ever (seen under load: a closed window's process, 138 MB,
// still there 23 minutes later). Nothing is left to do once the window
// is closed (settings are saved by the Save button, not at exit), so
// ending the process loses nothing.
func exitAfterClose(closed <-chan struct{}, grace time.Duration, exit func(int)) {
	<-closed
	time.Sleep(grace)
	slog.Warn("the window program did not end after its window closed; ending it", "after", grace)
	exit(0)
}

// Open builds window name on app a. lang forces a language ("" follows the
// agent, or the settings file while the agent is away). closed is closed
// when the window is.
func Open(a fyne.App, name string, link *Link, lang string) (w fyne.Window, closed <-chan struct{}) {
	w = a.NewWindow(version.AppName)
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	var view interface {
		update(st ipc.Status, connected bool)
	}
	// closeView ends what a view runs beside the UI (the settings file watch).
	closeView := func() {
		if c, ok := view.(interface{ close() }); ok {
			c.close()
		}
	}
	w.SetOnClosed(func() {
		cancel()
		closeView()
		a.Quit()
		close(done)
	})
	// Ctrl+W and Escape close the window, as people expect of a dialog.
	closeWin := func(fyne.Shortcut) { w.Close() }
	w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyW, Modifier: fyne.KeyModifierShortcutDefault}, closeWin)
	w.Canvas().SetOnTypedKey(closeOnEscape(w))
	pick := func(st ipc.Status, connected bool) *i18n.Translator {
		switch {
		case lang != "":
			return i18n.New(lang)
		case connected && st.Lang != "":
			return i18n.New(st.Lang)
		}
		return i18n.ForUser()
	}
	var current *i18n.Translator
	build := func(tr *i18n.Translator) {
		closeView()
		current = tr
		useFyneLanguage(tr.Lang())
		switch name {
		case Status:
			v := newStatusView(tr, link, a, func(f func()) { go f() })
			view = v
			w.SetTitle(version.AppName + " — " + tr.T("win.status_title"))
			w.SetContent(v.content)
			w.Resize(fyne.NewSize(760, 720))
		case Help:
			v := newHelpView(tr, a)
			view = v
			w.SetTitle(version.AppName + " — " + tr.T("win.help_title"))
			w.SetContent(v.content)
			w.Resize(fyne.NewSize(760, 720))
		case Settings:
			v := newSettingsView(tr, link, w, fyne.Do)
			view = v
			w.SetTitle(version.AppName + " — " + tr.T("win.settings_title"))
			w.SetContent(v.content)
			w.Resize(fyne.NewSize(640, 720))
		}
	}
	build(pick(ipc.Status{}, false))
	link.onStatus = func(st ipc.Status, connected bool) {
		fyne.Do(func() {
			if tr := pick(st, connected); tr.Lang() != current.Lang() {
				build(tr)
			}
			view.update(st, connected)
		})
	}
	link.onRaise = func() { fyne.Do(func() { bringForward(w) }) }
	link.onQuit = func() { fyne.Do(w.Close) }
	go link.Run(ctx)
	return w, done
}

// bringForward shows w in front: restored first where Fyne's focus request
// leaves a minimised window on the taskbar (Windows).
func bringForward(w fyne.Window) {
	if nw, ok := w.(driver.NativeWindow); ok {
		nw.RunNative(func(ctx any) { foreground.Restore(nativeHandle(ctx)) })
	}
	w.RequestFocus()
}

// nativeHandle is the window handle foreground.Restore needs from what
// RunNative passes: the HWND on Windows, 0 elsewhere.
func nativeHandle(ctx any) uintptr {
	if c, ok := ctx.(driver.WindowsWindowContext); ok {
		return c.HWND
	}
	return 0
}

// Link keeps a window connected to the agent: it subscribes, passes on
// state, and reconnects every two seconds while the agent is away.
type Link struct {
	sock, window string
	onStatus     func(st ipc.Status, connected bool)
	onRaise      func()
	onQuit       func()
	retry        time.Duration
}

// NewLink is a link to the agent's socket for window.
func NewLink(sock, window string) *Link {
	return &Link{sock: sock, window: window, retry: 2 * time.Second}
}

// Run keeps the subscription alive until ctx ends.
func (l *Link) Run(ctx context.Context) {
	for ctx.Err() == nil {
		ch, err := ipc.Subscribe(ctx, l.sock, l.window)
		if err == nil {
			for r := range ch {
				switch r.Event {
				case ipc.EventState:
					if r.Status != nil && l.onStatus != nil {
						l.onStatus(*r.Status, true)
					}
				case ipc.EventRaise:
					if l.onRaise != nil {
						l.onRaise()
					}
				case ipc.EventQuit:
					if l.onQuit != nil {
						l.onQuit()
					}
					return
				}
			}
		}
		if ctx.Err() != nil {
			return
		}
		if l.onStatus != nil {
			l.onStatus(ipc.Status{}, false)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(l.retry):
		}
	}
}

// Do sends one command to the agent.
func (l *Link) Do(req ipc.Request, timeout time.Duration) (ipc.Response, error) {
	return ipc.Do(l.sock, req, timeout)
}

func openURL(a fyne.App, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		slog.Warn("not opened", "url", raw)
		return
	}
	if err := a.OpenURL(u); err != nil {
		slog.Error("open url", "url", raw, "err", err)
	}
}

func mustURL(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return u
}

// closeOnEscape closes w on Escape, but not while a dialog (a question, the
// file chooser) is open over it: there Escape closing the whole window would
// drop the form the question is about.
func closeOnEscape(w fyne.Window) func(*fyne.KeyEvent) {
	return func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape && w.Canvas().Overlays().Top() == nil {
			w.Close()
		}
	}
}
