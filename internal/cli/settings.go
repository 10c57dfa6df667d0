package cli

import (
	"fmt"
	"log/slog"
	"time"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/settings"
)

// loadSettingsForCLI reads the settings file (configPath or the default one)
// for a one-shot command. Problems with the file never stop the command:
// they are reported on stderr in the user's language, defaults are used.
func loadSettingsForCLI(configPath, langFlag string, io cmdline.IO) (settings.Settings, settings.LoadReport, *i18n.Translator) {
	if configPath == "" {
		p, err := paths.SettingsFile()
		if err != nil {
			slog.Warn("no settings file location", "err", err)
			s := settings.Default()
			return s, settings.LoadReport{Missing: true}, i18n.New(pickLang(langFlag, s.Language))
		}
		configPath = p
	}
	s, rep, err := settings.Load(configPath, time.Now())
	tr := i18n.New(pickLang(langFlag, s.Language))
	if err != nil {
		slog.Warn("settings not read", "path", configPath, "err", err)
		fmt.Fprintln(io.Stderr, tr.T("settings.unreadable", map[string]any{"Path": configPath}))
	}
	for _, line := range tr.LoadNotice(rep) {
		fmt.Fprintln(io.Stderr, line)
	}
	return s, rep, tr
}

func pickLang(flagValue, fileValue string) string {
	if l, ok := i18n.NormalizeLang(flagValue); ok && flagValue != "" {
		return l
	}
	return fileValue
}
