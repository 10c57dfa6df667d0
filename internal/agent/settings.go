package agent

import (
	"errors"
	"log/slog"
	"os"
	"pantau-efaktur/internal/autostart"
	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/filewatch"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
	"path/filepath"
	"time"
)

// loadSettings reads the settings file, lays the command-line flags over it
// and, for --demo, points it at the fake server. first is the start-up load.
func (a *Agent) loadSettings(first bool) (settings.LoadReport, error) {
	path := a.flags.target.Config
	if path == "" {
		p, err := paths.SettingsFile()
		if err != nil {
			return settings.LoadReport{}, err
		}
		path = p
	}
	s, rep, err := settings.Load(path, time.Now())
	if err != nil {
		slog.Warn("settings not read", "err", err)
	}
	if !a.flags.demo {
		autostart.Adopt(&s, rep)
	}
	lang := s.Language
	if a.flags.target.Lang != "" {
		lang = a.flags.target.Lang // refused by ParseCommandLine when unknown
	}
	tr := i18n.New(lang)
	if err := a.flags.target.Apply(tr, "pantau-efaktur", &s); err != nil {
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

func (a *Agent) monitorConfigLocked() monitor.Config {
	return a.settings.MonitorConfig(a.checker)
}

// Reload re-reads the settings file (the settings window saved it).
func (a *Agent) Reload() error {
	_, err := a.reload()
	return err
}

func (a *Agent) reload() (settings.LoadReport, error) {
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
	a.face.Relabel(tr)
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
	digest := settings.Digest(data)
	if digest == loaded || digest == told {
		return // a save the agent was told about, or content already refused
	}
	refuse := func(notice string) {
		a.mu.Lock()
		a.told = digest
		a.mu.Unlock()
		a.showNotice(notice)
	}
	if !settings.Readable(data) {
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
