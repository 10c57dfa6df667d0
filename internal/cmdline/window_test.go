package cmdline

import (
	"bytes"
	"strings"
	"testing"

	"pantau-efaktur/internal/i18n"
)

// windowCode is ParseWindowArgs as a command: its exit code.
func windowCode(args []string, io IO) int {
	_, _, code, _ := ParseWindowArgs(args, io)
	return code
}

func TestParseWindowArgs(t *testing.T) {
	t.Parallel()
	usageID := i18n.New("id").T("usage.window") + "\n"
	for _, tc := range []struct {
		args       []string
		name, lang string
		ok         bool
		stderr     string // "" when ok; usageID for the one-line usage
	}{
		{args: []string{"status"}, name: "status", ok: true},
		{args: []string{"help", "--lang", "en"}, name: "help", lang: "en", ok: true},
		{args: []string{"settings", "--lang=EN"}, name: "settings", lang: "en", ok: true},
		{args: nil, stderr: usageID},
		{args: []string{"statuss"}, stderr: usageID},
		{args: []string{"--lang", "en", "status"}, stderr: i18n.New("en").T("usage.window") + "\n"},
		{args: []string{"status", "extra"}, stderr: "extra"},
		{args: []string{"status", "--json"}, stderr: "-json"},
	} {
		var out, errOut bytes.Buffer
		name, lang, code, ok := ParseWindowArgs(tc.args, IO{&out, &errOut})
		if ok != tc.ok || name != tc.name || lang != tc.lang || out.Len() != 0 {
			t.Errorf("%v: name %q lang %q ok %v stdout %q", tc.args, name, lang, ok, out.String())
		}
		if ok {
			if code != 0 || errOut.Len() != 0 {
				t.Errorf("%v: code %d stderr %q", tc.args, code, errOut.String())
			}
			continue
		}
		if code != ExitUsage || strings.Count(errOut.String(), "\n") != 1 || !strings.Contains(errOut.String(), strings.TrimSpace(tc.stderr)) {
			t.Errorf("%v: code %d stderr %q, want one line with %q", tc.args, code, errOut.String(), tc.stderr)
		}
	}
}
