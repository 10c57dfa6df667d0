package window

import (
	"log/slog"

	"fyne.io/fyne/v2/lang"

	"pantau-efaktur/assets"
)

// useFyneLanguage makes Fyne's own words (the save dialog of "Ekspor CSV",
// OK/Batal of its dialogs, Potong/Salin/Tempel in a field's menu) speak the
// window's language instead of the system's: an Indonesian window on an
// English Windows would otherwise ask "Save File … Cancel", and Fyne has no
// Indonesian at all.
//
// Fyne picks its language from the system locale and has no setter, so the
// strings are registered under that very locale: an exact match always
// wins. Registering again (the language changed in the settings) replaces
// them.
func useFyneLanguage(code string) {
	data, err := assets.FyneStrings(code)
	if err == nil {
		err = lang.AddTranslationsForLocale(data, lang.SystemLocale())
	}
	if err != nil {
		// Fyne falls back to its English: a cosmetic loss, not a failure.
		slog.Warn("fyne words stay in the system language", "lang", code, "err", err)
	}
}
