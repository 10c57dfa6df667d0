package cli

import (
	"bytes"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/i18n"
)

// Every flag a command accepts is on its help page, in both languages: a
// new flag without a line there fails here.
func TestHelpPagesListEveryFlag(t *testing.T) {
	t.Parallel()
	var cf, wcf cmdline.CheckFlags
	var mf cmdline.MonitorFlags
	var notifyMode, lang string
	var asJSON bool
	var ef exportFlags
	for _, tc := range []struct {
		page string
		fs   *flag.FlagSet
	}{
		{"check", cf.FlagSet("check")},
		{"watch", watchFlagSet(&wcf, &mf, &notifyMode)},
		{"status", statusFlagSet(&asJSON, &lang)},
		{"export", ef.flagSet()},
	} {
		for _, l := range i18n.Languages {
			page := i18n.New(l).Usage(tc.page)
			tc.fs.VisitAll(func(f *flag.Flag) {
				if !strings.Contains(page, "--"+f.Name) {
					t.Errorf("%s help (%s) does not mention --%s", tc.page, l, f.Name)
				}
			})
		}
	}
	for _, l := range i18n.Languages {
		overview := i18n.New(l).Usage("main")
		for _, cmd := range []string{"check", "watch", "status", "export", "window", "version"} {
			if !strings.Contains(overview, "pantau-efaktur "+cmd) {
				t.Errorf("the overview (%s) does not list %s", l, cmd)
			}
		}
	}
}

// --help prints the command's page in Bahasa Indonesia, or in English
// with --lang en (before or after --help), and nothing else.
func TestHelpSpeaksTheAskedLanguage(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "config.json")
	commands := []struct {
		page string
		run  func([]string, cmdline.IO) int
		pre  []string
	}{
		{"main", Help, nil},
		{"check", Check, []string{"--config", cfg}},
		{"watch", Watch, []string{"--config", cfg}},
		{"status", Status, nil},
		{"export", Export, nil},
		{"window", func(args []string, io cmdline.IO) int {
			_, _, code, _ := cmdline.ParseWindowArgs(args, io)
			return code
		}, []string{"status"}},
		{"quit", Quit, nil},
	}
	for _, c := range commands {
		for _, tc := range []struct {
			args []string
			lang string
		}{
			{[]string{"--help"}, "id"},
			{[]string{"-h"}, "id"},
			{[]string{"--lang", "en", "--help"}, "en"},
			{[]string{"--help", "--lang=en"}, "en"},
		} {
			var out, errOut bytes.Buffer
			code := c.run(append(append([]string{}, c.pre...), tc.args...), cmdline.IO{Stdout: &out, Stderr: &errOut})
			want := i18n.New(tc.lang).Usage(c.page)
			if code != 0 || out.String() != want || errOut.Len() != 0 {
				t.Errorf("%s %v: exit %d, stderr %q, stdout the %s page: %v", c.page, tc.args, code, errOut.String(), tc.lang, out.String() == want)
			}
		}
	}
	var out, errOut bytes.Buffer
	if code := Help(nil, cmdline.IO{Stdout: &out, Stderr: &errOut}); code != 0 || out.String() != i18n.New("id").Usage("main") {
		t.Errorf("help: exit %d, out %q", code, out.String())
	}
}

// An unknown --lang is a usage error in every command, as a bad --url is,
// and nothing else happens (status does not ask the agent, export writes
// nothing).
func TestUnknownLanguageIsAUsageError(t *testing.T) {
	t.Parallel()
	// Were the language accepted, check and watch would go no further than
	// this machine.
	local := []string{"--config", filepath.Join(t.TempDir(), "config.json"), "--url", "http://127.0.0.1:9/", "--reference", "off"}
	for name, c := range map[string]struct {
		run func([]string, cmdline.IO) int
		pre []string
	}{
		"help": {Help, nil}, "check": {Check, local}, "watch": {Watch, local}, "status": {Status, nil}, "export": {Export, nil},
		"window": {windowCode, []string{"status"}}, "quit": {Quit, nil},
	} {
		for _, lang := range [][]string{{"--lang", "fr"}, {"--lang=klingon"}} {
			args := append(append([]string{}, c.pre...), lang...)
			var out, errOut bytes.Buffer
			code := c.run(args, cmdline.IO{Stdout: &out, Stderr: &errOut})
			if code != cmdline.ExitUsage || out.Len() != 0 || strings.Count(errOut.String(), "\n") != 1 || !strings.Contains(errOut.String(), "--lang") {
				t.Errorf("%s %v: exit %d, stdout %q, stderr %q", name, args, code, out.String(), errOut.String())
			}
		}
	}
}

// A mistyped command is one line on stderr, in the language asked for,
// naming the program, the typo and where to look, with the usage exit code.
func TestUnknownCommandIsAUsageError(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"cek"}, []string{"pantau-efaktur: ", `"cek"`, "perintah tidak dikenal", "pantau-efaktur help"}},
		{[]string{"chek", "--lang", "en"}, []string{"pantau-efaktur: ", `"chek"`, "unknown command", "pantau-efaktur help"}},
		{[]string{"stat", "--lang=en", "--json"}, []string{`"stat"`, "unknown command"}},
		{[]string{"cek", "--lang", "fr"}, []string{`"cek"`, "perintah tidak dikenal"}},
	} {
		var out, errOut bytes.Buffer
		code := UnknownCommand(c.args, cmdline.IO{Stdout: &out, Stderr: &errOut})
		if code != cmdline.ExitUsage || out.Len() != 0 || strings.Count(errOut.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, out.String(), errOut.String())
		}
		for _, w := range c.want {
			if !strings.Contains(errOut.String(), w) {
				t.Errorf("%v: stderr %q lacks %q", c.args, errOut.String(), w)
			}
		}
	}
}

// `version` prints one line; an option it does not take is a usage error
// on stderr, never a version line a script would take for an answer.
func TestVersionTakesNoOptions(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{nil, 0, "Pantau e-Faktur 1.2.3\n", ""},
		{[]string{"--lang", "en"}, 0, "Pantau e-Faktur 1.2.3\n", ""},
		{[]string{"--json"}, cmdline.ExitUsage, "", "opsi tidak dikenal: --json"},
		{[]string{"--lang=en", "--json"}, cmdline.ExitUsage, "", "unknown option: --json"},
		{[]string{"extra"}, cmdline.ExitUsage, "", "extra"},
	} {
		var out, errOut bytes.Buffer
		code := Version(c.args, "Pantau e-Faktur 1.2.3", cmdline.IO{Stdout: &out, Stderr: &errOut})
		if code != c.code || out.String() != c.stdout || !strings.Contains(errOut.String(), c.stderr) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, out.String(), errOut.String())
		}
	}
}

// windowCode is `window`'s reading of its line as a command: its exit code.
func windowCode(args []string, io cmdline.IO) int {
	_, _, code, _ := cmdline.ParseWindowArgs(args, io)
	return code
}
