package agent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pantau-efaktur/internal/paths"
)

type shown struct{ title, body string }

type recorder struct{ got []shown }

func (r *recorder) Notify(title, body string, urgent bool) error {
	if !urgent {
		r.got = append(r.got, shown{"NOT URGENT " + title, body})
		return nil
	}
	r.got = append(r.got, shown{title, body})
	return nil
}

// The user hears, in the settings' language, that nothing watches DJP any
// more, what to do, and where the reports for the helpdesk are.
func TestTellStopped(t *testing.T) {
	for _, tc := range []struct {
		settings string
		want     []string
	}{
		{"", []string{"Pantau e-Faktur berhenti", "tidak dipantau", "Jalankan Pantau e-Faktur lagi", "/logs/here"}},
		{`{"language": "en"}`, []string{"Pantau e-Faktur stopped", "not being watched", "Start Pantau e-Faktur again", "/logs/here"}},
	} {
		home := t.TempDir()
		t.Setenv(paths.HomeEnv, home)
		if tc.settings != "" {
			if err := os.WriteFile(filepath.Join(home, "config.json"), []byte(tc.settings), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		r := &recorder{}
		if err := TellStopped(r, "/logs/here"); err != nil {
			t.Fatal(err)
		}
		if len(r.got) != 1 {
			t.Fatalf("notifications %+v", r.got)
		}
		text := r.got[0].title + " | " + r.got[0].body
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%q lacks %q", text, w)
			}
		}
	}
}
