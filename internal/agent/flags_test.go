package agent

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/i18n"
)

// Every flag of the agent is on its help page, in both languages.
func TestAgentHelpListsEveryFlag(t *testing.T) {
	var f agentFlags
	fs := f.flagSet()
	for _, l := range i18n.Languages {
		page := i18n.New(l).Usage("agent")
		fs.VisitAll(func(fl *flag.Flag) {
			if !strings.Contains(page, "--"+fl.Name) {
				t.Errorf("agent help (%s) does not mention --%s", l, fl.Name)
			}
		})
	}
}

// The agent's command line behaves as the other commands': the help page in
// the asked language, a bad flag or language as one localised line and
// exit 64, before anything starts (no socket, no tray, no check).
func TestAgentCommandLine(t *testing.T) {
	t.Setenv("PANTAU_EFAKTUR_HOME", t.TempDir())
	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"--help"}, 0, i18n.New("id").Usage("agent"), ""},
		{[]string{"--lang", "en", "-h"}, 0, i18n.New("en").Usage("agent"), ""},
		{[]string{"--lang", "fr"}, cmdline.ExitUsage, "", "--lang \"fr\" tidak didukung"},
		{[]string{"--bogus"}, cmdline.ExitUsage, "", "opsi tidak dikenal: --bogus"},
		{[]string{"--lang=en", "--bogus"}, cmdline.ExitUsage, "", "unknown option: --bogus"},
		{[]string{"--demo", "later"}, cmdline.ExitUsage, "", "later"},
		{[]string{"--services", "efaktur,djp"}, cmdline.ExitUsage, "", "--services \"djp\" tidak dikenal"},
		{[]string{"--coretax-url", "coretaxdjp"}, cmdline.ExitUsage, "", "coretaxdjp"},
	} {
		var out, errOut bytes.Buffer
		code := Main(tc.args, cmdline.IO{Stdout: &out, Stderr: &errOut}, Logs{}, NoFace{})
		if code != tc.code || out.String() != tc.stdout {
			t.Errorf("%v: exit %d, stdout %q", tc.args, code, out.String())
		}
		if tc.stderr == "" && errOut.Len() != 0 || tc.stderr != "" && (!strings.Contains(errOut.String(), tc.stderr) || strings.Count(errOut.String(), "\n") != 1) {
			t.Errorf("%v: stderr %q, want one line with %q", tc.args, errOut.String(), tc.stderr)
		}
	}
}
