package tray

import (
	"log/slog"
	"runtime"
	"sync"
	"time"

	"fyne.io/systray"

	"pantau-efaktur/assets"
	"pantau-efaktur/internal/i18n"
)

// menuActions are what the menu items do; the agent provides them.
type menuActions struct {
	checkNow   func()
	show       func(window string)
	openSVC    func()
	snooze     func(until time.Time)
	quit       func()
	lines      int // number of state lines to make room for
	snoozeFrom func() time.Time
}

// trayUI owns the systray icon and menu. All systray calls are safe from
// any goroutine.
type trayUI struct {
	mu       sync.Mutex
	icon     string // name of the icon shown, to set it only on change
	tooltip  string
	status   *systray.MenuItem
	second   []*systray.MenuItem
	check    *systray.MenuItem
	showSt   *systray.MenuItem
	help     *systray.MenuItem
	openSVC  *systray.MenuItem
	snooze   *systray.MenuItem
	snooze1h *systray.MenuItem
	snoozeTm *systray.MenuItem
	snoozeOf *systray.MenuItem
	settings *systray.MenuItem
	quit     *systray.MenuItem
	titles   map[*systray.MenuItem]string // last title set, to skip no-op updates
	checking bool                         // a check from the menu is running
}

// setTitle renames an item only when the text changes (each rename is a
// D-Bus layout update for the panel).
func (u *trayUI) setTitle(it *systray.MenuItem, s string) {
	if u.titles == nil {
		u.titles = map[*systray.MenuItem]string{}
	}
	if u.titles[it] == s {
		return
	}
	u.titles[it] = s
	it.SetTitle(s)
}

// iconBytes is the tray icon for a name: ICO on Windows, PNG elsewhere.
func iconBytes(name string) []byte {
	var b []byte
	var err error
	if runtime.GOOS == "windows" {
		b, err = assets.LevelICO(name)
	} else {
		b, err = assets.LevelPNG(name, 32)
	}
	if err != nil {
		slog.Error("tray icon missing", "icon", name, "err", err)
	}
	return b
}

// build creates the menu (call from systray's onReady).
func (u *trayUI) build(tr *i18n.Translator, a menuActions) {
	u.mu.Lock()
	defer u.mu.Unlock()
	systray.SetIcon(iconBytes("unknown"))
	u.icon = "unknown"
	u.status = systray.AddMenuItem(tr.T("tray.status_unknown", map[string]any{"Service": tr.ServiceName("efaktur")}), "")
	u.status.Disable()
	for range a.lines - 1 {
		it := systray.AddMenuItem("", "")
		it.Disable()
		it.Hide()
		u.second = append(u.second, it)
	}
	systray.AddSeparator()
	u.check = systray.AddMenuItem(tr.T("tray.check_now"), "")
	u.showSt = systray.AddMenuItem(tr.T("tray.show_status"), "")
	u.help = systray.AddMenuItem(tr.T("tray.help"), "")
	u.openSVC = systray.AddMenuItem(tr.T("tray.open_svc"), "")
	u.snooze = systray.AddMenuItem(tr.T("tray.snooze"), "")
	u.snooze1h = u.snooze.AddSubMenuItem(tr.T("tray.snooze_1h"), "")
	u.snoozeTm = u.snooze.AddSubMenuItem(tr.T("tray.snooze_tomorrow"), "")
	u.snoozeOf = u.snooze.AddSubMenuItem(tr.T("tray.snooze_off"), "")
	u.snoozeOf.Disable()
	u.settings = systray.AddMenuItem(tr.T("tray.settings"), "")
	systray.AddSeparator()
	u.quit = systray.AddMenuItem(tr.T("tray.quit"), "")

	on := func(it *systray.MenuItem, f func()) {
		go func() {
			for range it.ClickedCh {
				f()
			}
		}()
	}
	on(u.check, a.checkNow)
	on(u.showSt, func() { a.show("status") })
	on(u.help, func() { a.show("help") })
	on(u.openSVC, a.openSVC)
	on(u.snooze1h, func() { a.snooze(a.snoozeFrom().Add(time.Hour)) })
	on(u.snoozeTm, func() { a.snooze(TomorrowAt8(a.snoozeFrom())) })
	on(u.snoozeOf, func() { a.snooze(time.Time{}) })
	on(u.settings, func() { a.show("settings") })
	on(u.quit, a.quit)
}

// setTexts renames the fixed items (after a language change).
func (u *trayUI) setTexts(tr *i18n.Translator) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.check == nil {
		return
	}
	u.setTitle(u.check, checkTitle(tr, u.checking))
	for it, id := range map[*systray.MenuItem]string{
		u.showSt: "tray.show_status", u.help: "tray.help",
		u.openSVC: "tray.open_svc", u.snooze1h: "tray.snooze_1h", u.snoozeTm: "tray.snooze_tomorrow",
		u.snoozeOf: "tray.snooze_off", u.settings: "tray.settings", u.quit: "tray.quit",
	} {
		u.setTitle(it, tr.T(id))
	}
}

// setChecking shows a check asked from the menu at work: "Periksa
// sekarang" reads "Memeriksa…" and takes no click until the check ends.
// On a slow server a check takes up to the whole timeout, and a click with
// no sign would be clicked again and again.
func (u *trayUI) setChecking(tr *i18n.Translator, on bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.check == nil {
		return
	}
	u.checking = on
	u.setTitle(u.check, checkTitle(tr, on))
	if on {
		u.check.Disable()
	} else {
		u.check.Enable()
	}
}

func checkTitle(tr *i18n.Translator, checking bool) string {
	if checking {
		return tr.T("tray.checking")
	}
	return tr.T("tray.check_now")
}

// update shows a view; the icon is set only when it changes (each set is a
// D-Bus signal and makes the panel redraw).
func (u *trayUI) update(v View) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.status == nil {
		return
	}
	if v.Icon != u.icon {
		systray.SetIcon(iconBytes(v.Icon))
		u.icon = v.Icon
	}
	tip := v.Tooltip
	if runtime.GOOS == "windows" {
		tip = v.TooltipWithin(WindowsTooltipMax)
	}
	if tip != u.tooltip {
		systray.SetTooltip(tip)
		u.tooltip = tip
	}
	u.setTitle(u.status, v.Lines[0])
	for i, it := range u.second {
		if i+1 < len(v.Lines) {
			if u.titles[it] == "" {
				it.Show()
			}
			u.setTitle(it, v.Lines[i+1])
		} else if u.titles[it] != "" {
			it.Hide()
			u.setTitle(it, "")
		}
	}
	u.setTitle(u.snooze, v.SnoozeLine)
	if v.Snoozed {
		u.snoozeOf.Enable()
	} else {
		u.snoozeOf.Disable()
	}
}
