package i18n

import (
	"time"

	"pantau-efaktur/internal/paths"
	"pantau-efaktur/settings"
)

// ForUser is a translator in the language of the user's settings file, for
// when the agent cannot be asked (it is away, or it is what stopped).
func ForUser() *Translator {
	lang := DefaultLang
	if p, err := paths.SettingsFile(); err == nil {
		lang = settings.Language(p)
	}
	return New(lang)
}

// FieldName is the label of a settings field ("interval" → "Interval pemeriksaan").
func (t *Translator) FieldName(field string) string {
	id := "field." + field
	if s := t.T(id); s != id {
		return s
	}
	return field
}

// FieldError explains a settings problem naming the field and, where there
// is one, the allowed range.
func (t *Translator) FieldError(fe settings.FieldError) string {
	data := map[string]any{
		"Field": t.FieldName(fe.Field),
		"Value": t.rangeValue(fe.Value),
		"Min":   t.rangeValue(fe.Min),
		"Max":   t.rangeValue(fe.Max),
		"Why":   t.URLProblem(fe.Problem),
	}
	switch fe.Code {
	case settings.CodeRange, settings.CodeURL, settings.CodeProxy, settings.CodeProxyPort, settings.CodeReference, settings.CodeLanguage, settings.CodeSlowVsTimeout,
		settings.CodeNoService:
		return t.T("fielderr."+string(fe.Code), data)
	}
	return t.T("fielderr.unreadable", data)
}

// URLProblem says how to fix an address ("" reads as "write a full
// http(s) address").
func (t *Translator) URLProblem(p settings.URLProblem) string {
	switch p {
	case settings.URLBadChars, settings.URLCredentials, settings.URLBadPort:
		return t.T("urlproblem." + string(p))
	}
	return t.T("urlproblem.form")
}

// rangeValue renders "10s" as "10 detik"; other values pass unchanged.
func (t *Translator) rangeValue(v string) string {
	if d, err := time.ParseDuration(v); err == nil && v != "0" {
		if d < time.Second {
			return v
		}
		return t.Duration(d)
	}
	return v
}

// LoadNotice is what to tell the user (once) about the settings file.
func (t *Translator) LoadNotice(rep settings.LoadReport) []string {
	var out []string
	if rep.BrokenKeptAs != "" {
		out = append(out, t.T("settings.broken", map[string]any{"Path": rep.Path, "Kept": rep.BrokenKeptAs}))
	}
	for _, fe := range rep.Invalid {
		out = append(out, t.T("settings.invalid_field", map[string]any{"Why": t.FieldError(fe)}))
	}
	return out
}
