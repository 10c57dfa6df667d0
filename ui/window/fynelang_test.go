package window

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"pantau-efaktur/assets"
)

// Fyne's words follow the window's language whatever the system's: the
// export dialog of an Indonesian window says "Simpan Berkas", also on an
// English or German PC, and an English window says "Cancel" on a German one.
func TestFyneWordsFollowTheWindowLanguage(t *testing.T) {
	for _, env := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		t.Setenv(env, "")
	}
	for _, system := range []string{"en_US.UTF-8", "de_DE.UTF-8", "id_ID.UTF-8", "C.UTF-8"} {
		t.Setenv("LANG", system)
		for _, tc := range []struct{ lang, title, cancel, parent string }{
			{"id", "Simpan Berkas", "Batal", "Induk"},
			{"en", "Save File", "Cancel", "Parent"},
			{"id", "Simpan Berkas", "Batal", "Induk"}, // and back again
		} {
			a := test.NewTempApp(t)
			useFyneLanguage(tc.lang)
			if got := lang.X("file.parent", "Parent"); got != tc.parent {
				t.Errorf("system %s, window %s: file.parent %q, want %q", system, tc.lang, got, tc.parent)
			}
			w := test.NewTempWindow(t, widget.NewLabel(""))
			w.Resize(fyne.NewSize(800, 600))
			dialog.NewFileSave(func(fyne.URIWriteCloser, error) {}, w).Show()
			markup := test.RenderToMarkup(w.Canvas())
			for _, want := range []string{tc.title, ">" + tc.cancel + "<"} {
				if !strings.Contains(markup, want) {
					t.Errorf("system %s, window %s: the save dialog lacks %q", system, tc.lang, want)
				}
			}
			a.Quit()
		}
	}
}

// Opening a window sets Fyne's words to the window's language.
func TestOpenSetsFyneLanguage(t *testing.T) {
	t.Setenv("PANTAU_EFAKTUR_HOME", t.TempDir())
	for _, tc := range []struct{ lang, cancel string }{{"id", "Batal"}, {"en", "Cancel"}} {
		a := test.NewTempApp(t)
		w, _ := Open(a, Help, NewLink(filepath.Join(t.TempDir(), "none.sock"), Help), tc.lang)
		if got := lang.L("Cancel"); got != tc.cancel {
			t.Errorf("%s window: Fyne says %q, want %q", tc.lang, got, tc.cancel)
		}
		w.Close()
	}
}

// Every word Fyne v2.7.1 has is translated, in both languages.
func TestFyneStringsAreComplete(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Fatalf("find fyne's module: %v", err)
	}
	base, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "lang", "translations", "base.en.json"))
	if err != nil {
		t.Fatal(err)
	}
	keys := func(b []byte) map[string]bool {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		k := map[string]bool{}
		for key := range m {
			k[key] = true
		}
		return k
	}
	want := keys(base)
	for _, l := range []string{"id", "en"} {
		data, err := assets.FyneStrings(l)
		if err != nil {
			t.Fatal(err)
		}
		got := keys(data)
		for k := range want {
			if !got[k] {
				t.Errorf("%s: Fyne's %q is missing", l, k)
			}
		}
		for k := range got {
			if !want[k] {
				t.Errorf("%s: %q is not one of Fyne's words", l, k)
			}
		}
	}
}

// A window program hung on its way out (Fyne 2.7.1 can lose its stop hook
// as its main loop drains) is ended once its window has been closed for
// the grace, with exit code 0; an open window is never ended.
func TestWindowProgramEndsAfterItsWindowCloses(t *testing.T) {
	t.Setenv("PANTAU_EFAKTUR_HOME", t.TempDir())
	a := test.NewTempApp(t)
	w, closed := Open(a, Help, NewLink(filepath.Join(t.TempDir(), "none.sock"), Help), "id")
	exited := make(chan int, 1)
	go exitAfterClose(closed, time.Millisecond, func(code int) { exited <- code })
	w.Show()
	select {
	case <-closed:
		t.Fatal("closed reported for an open window")
	case <-exited:
		t.Fatal("ended while the window is open")
	default:
	}
	w.Close()
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("exit code %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("not ended after the window closed")
	}
}
