// Package i18n holds every text people read, in Bahasa Indonesia (the
// default) and English, for all processes: CLI, tray, notifications and
// windows. Texts live in assets/i18n/<lang>.json (go-i18n format); this
// package adds the helpers that turn the domain's stable words (levels,
// reasons, durations) into sentences.
package i18n

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"pantau-efaktur/assets"
)

// Languages supported, the first being the default.
var Languages = []string{"id", "en"}

// DefaultLang is Bahasa Indonesia: the users read it first.
const DefaultLang = "id"

var (
	bundleOnce sync.Once
	bundle     *i18n.Bundle
	bundleErr  error
)

func loadBundle() (*i18n.Bundle, error) {
	bundleOnce.Do(func() {
		b := i18n.NewBundle(language.Indonesian)
		entries, err := fs.ReadDir(assets.I18N, "i18n")
		if err != nil {
			bundleErr = fmt.Errorf("read embedded translations: %w", err)
			return
		}
		for _, e := range entries {
			data, err := fs.ReadFile(assets.I18N, path.Join("i18n", e.Name()))
			if err != nil {
				bundleErr = fmt.Errorf("read %s: %w", e.Name(), err)
				return
			}
			if _, err := b.ParseMessageFileBytes(data, e.Name()); err != nil {
				bundleErr = fmt.Errorf("parse %s: %w", e.Name(), err)
				return
			}
		}
		bundle = b
	})
	return bundle, bundleErr
}

// Translator renders texts in one language. It is safe for concurrent use.
type Translator struct {
	lang string
	loc  *i18n.Localizer
}

// NormalizeLang maps user input ("en", "EN", "en_US.UTF-8", "id-ID", "") to a
// supported language code; ok is false for an unsupported one.
func NormalizeLang(s string) (lang string, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return DefaultLang, true
	}
	if i := strings.IndexAny(s, "_-."); i > 0 {
		s = s[:i]
	}
	switch s {
	case "id", "in", "ind", "indonesian", "bahasa":
		return "id", true
	case "en", "eng", "english":
		return "en", true
	}
	return DefaultLang, false
}

// New returns a translator for lang ("id" or "en"; anything else gives id).
// The embedded files are checked by tests, so a load failure is a build bug:
// New then still works and returns message IDs.
func New(lang string) *Translator {
	lang, _ = NormalizeLang(lang)
	b, err := loadBundle()
	if err != nil {
		return &Translator{lang: lang}
	}
	return &Translator{lang: lang, loc: i18n.NewLocalizer(b, lang, DefaultLang)}
}

// Lang is the translator's language code.
func (t *Translator) Lang() string { return t.lang }

// T renders message id with optional template data (a map or struct).
// A missing message renders as its id, which tests forbid.
func (t *Translator) T(id string, data ...any) string {
	if t.loc == nil {
		return id
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(data) > 0 {
		cfg.TemplateData = data[0]
	}
	s, err := t.loc.Localize(cfg)
	if err != nil {
		return id
	}
	return s
}

// N renders a message with plural forms for count; the template sees
// {{.Count}} and every key of data.
func (t *Translator) N(id string, count int, data map[string]any) string {
	if t.loc == nil {
		return id
	}
	td := map[string]any{"Count": count}
	for k, v := range data {
		td[k] = v
	}
	s, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: td})
	if err != nil {
		return id
	}
	return s
}

// UsageCommands are the commands with a --help page in assets/usage/<lang>/.
var UsageCommands = []string{"main", "agent", "check", "watch", "status", "export", "window", "quit"}

// Usage is the --help page of a command ("main" for the overview) in the
// translator's language, falling back to the default language. Tests make
// sure every page exists in every language.
func (t *Translator) Usage(command string) string {
	for _, lang := range []string{t.lang, DefaultLang} {
		if b, err := fs.ReadFile(assets.Usage, path.Join("usage", lang, command+".txt")); err == nil {
			return string(b)
		}
	}
	return command + "\n"
}
