package cmdline

import (
	"errors"
	"strings"
	"testing"

	"pantau-efaktur/internal/i18n"
)

// Every error the flag package can give becomes a sentence in the user's
// language naming the option as it is typed (--url); the errors come from
// real parses, so a changed flag package text fails here, not in front of
// a user.
func TestFlagErrorsAreTranslated(t *testing.T) {
	tests := []struct {
		args   []string
		id, en string
	}{
		{[]string{"--bogus"}, "opsi tidak dikenal: --bogus", "unknown option: --bogus"},
		{[]string{"-bogus=1"}, "opsi tidak dikenal: --bogus", "unknown option: --bogus"},
		{[]string{"--url"}, "opsi --url memerlukan nilai", "option --url needs a value"},
		{[]string{"--json=maybe"}, `opsi --json tidak menerima nilai "maybe"`, `option --json takes no value "maybe"`},
		{[]string{"--days=x"}, `nilai "x" untuk --days tidak valid`, `value "x" for --days is not valid`},
		{[]string{"---x"}, "penulisan opsi salah: ---x", "badly written option: ---x"},
	}
	for _, tc := range tests {
		for lang, want := range map[string]string{"id": tc.id, "en": tc.en} {
			fs := NewFlagSet("test")
			fs.String("url", "", "")
			fs.Bool("json", false, "")
			fs.Func("days", "", func(string) error { return errors.New("not a number") })
			err := fs.Parse(tc.args)
			if err == nil {
				t.Fatalf("%v parsed", tc.args)
			}
			got := translateFlagError(i18n.New(lang), "pantau-efaktur test", err).Error()
			if !strings.Contains(got, want) || !strings.HasPrefix(got, "pantau-efaktur test: ") ||
				strings.Contains(got, "flag") || strings.Contains(got, "parse error") {
				t.Errorf("%s %v: %q, want %q", lang, tc.args, got, want)
			}
		}
	}
}
