package window

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"pantau-efaktur/internal/filewatch"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// watch follows hand edits of the settings file at path while the window
// is open (see fileChanged).
func (v *settingsView) watch(path string) {
	if path == v.watched {
		return
	}
	v.close()
	stop := make(chan struct{})
	v.watched, v.stopWatch = path, stop
	go func() {
		if err := filewatch.Watch(path, filewatch.Settle, stop, func() { v.onUI(v.fileChanged) }); err != nil {
			slog.Warn("hand edits of the settings file are seen when the window opens again", "err", err)
		}
	}()
}

// close ends the watch; the window is closed or replaced.
func (v *settingsView) close() {
	if v.stopWatch != nil {
		close(v.stopWatch)
		v.stopWatch, v.watched = nil, ""
	}
}

// fileChanged takes up an edit of the settings file made elsewhere (in
// Notepad, as the README shows) while the window is open: an untouched form
// shows the new content; a form with changes of the user's own keeps them
// and says so, and saving will ask (askReplace). A file caught half-saved
// or unreadable is left alone: it is not moved aside from under its editor,
// and the agent tells the user about it.
func (v *settingsView) fileChanged() {
	data, err := os.ReadFile(v.path)
	if err != nil || settings.Digest(data) == v.seen || !settings.Readable(data) {
		return // removed, this window's own save, or not a settings file (yet)
	}
	if v.replace != nil || v.edited() {
		v.status.SetText(v.tr.T("win.changed_meanwhile"))
		return
	}
	v.reload("win.loaded_changes")
}

// reload fills the form from the file again, saying why first, then what
// the load found (a field left at its default, a damaged file kept aside).
func (v *settingsView) reload(why string) {
	v.load(v.path)
	v.status.SetText(strings.TrimSpace(v.tr.T(why) + "\n" + v.status.Text))
}

func (v *settingsView) save() {
	s, ok := v.validate()
	if !ok {
		return
	}
	kept := ""
	if v.unreadable {
		// Replacing the unreadable file the user was shown: keep a copy,
		// their hand edit may hold something they want back.
		if data, err := os.ReadFile(v.path); err == nil && settings.Digest(data) == v.seen && !settings.Readable(data) {
			k, err := settings.KeepBroken(v.path, time.Now())
			if err != nil {
				slog.Error("keep the unreadable settings file", "err", err)
				v.status.SetText(v.tr.T("win.save_failed", map[string]any{"Why": v.tr.FileProblem(err)}))
				return
			}
			kept = k
		}
	}
	seen, err := v.write(v.path, s, v.seen)
	if err != nil && kept != "" {
		// A failed save changes nothing: the user's file goes back where
		// it was, or, when that cannot be, they are told where it is.
		if perr := putBack(kept, v.path); perr != nil {
			slog.Error("put the unreadable settings file back", "kept", kept, "err", perr)
		} else {
			kept = ""
		}
	}
	if errors.Is(err, settings.ErrChanged) {
		slog.Info("settings file changed elsewhere since the window read it; asking")
		v.askReplace(seen)
		return
	}
	if err != nil {
		slog.Error("save settings", "err", err)
		said := v.tr.T("win.save_failed", map[string]any{"Why": v.tr.FileProblem(err)})
		if kept != "" {
			said += "\n" + v.tr.T("win.broken_kept", map[string]any{"Kept": kept})
		}
		v.status.SetText(said)
		return
	}
	v.base, v.seen, v.unreadable = s, seen, false
	said := v.tr.T("win.saved")
	if _, err := v.link.Do(ipc.Request{Cmd: ipc.CmdReload}, 10*time.Second); err != nil {
		said = v.tr.T("win.saved_agent_away")
	}
	if kept != "" {
		said += "\n" + v.tr.T("win.broken_kept", map[string]any{"Kept": kept})
	}
	v.status.SetText(said)
}

// putBack returns a settings file kept aside to path, unless something
// has taken path meanwhile (os.Rename would replace it without a word).
func putBack(kept, path string) error {
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("put %s back: %s is taken", kept, path)
	}
	if err := os.Rename(kept, path); err != nil {
		return fmt.Errorf("put %s back: %w", kept, err)
	}
	return nil
}

// askReplace is for a save that meets a file changed elsewhere since the
// window read it (by hand in Notepad, as the README shows, while this window
// stood open). Neither side is dropped unasked: the user replaces the file
// with the form, loads the file into the form, or goes back to the form.
// other is the digest of the file's current content.
func (v *settingsView) askReplace(other [sha256.Size]byte) {
	text := widget.NewLabel(v.tr.T("win.changed_elsewhere"))
	text.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	replace := widget.NewButton(v.tr.T("win.btn_replace"), func() {
		d.Hide()
		v.seen = other // what the user has now agreed to replace
		v.save()
	})
	replace.Importance = widget.DangerImportance
	reload := widget.NewButton(v.tr.T("win.btn_load_file"), func() {
		d.Hide()
		v.reload("win.loaded_file")
	})
	back := widget.NewButton(v.tr.T("win.btn_back"), func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons(v.tr.T("win.changed_title"), text, v.win)
	d.SetButtons([]fyne.CanvasObject{back, reload, replace})
	d.Resize(fyne.NewSize(460, 0))
	d.SetOnClosed(func() { v.replace = nil })
	v.replace = d
	d.Show()
}

// minTestGap is the least time between two checks of the Tes button: like
// "Periksa sekarang" (at most one per 3 s), clicks in a hurry on a fast
// answer never turn into a stream of requests to DJP.
const minTestGap = 3 * time.Second

// test runs one check of each service in use with what is in the form now.
func (v *settingsView) test() {
	s, _ := v.Collect()
	targets, n := s.Monitored()
	targets = targets[:n]
	if n == 0 {
		targets = []probe.Target{s.PrimaryTarget()}
	}
	for _, t := range targets {
		if err := settings.ValidateURL(t.URL); err != nil {
			field := map[string]string{probe.PrimaryTargetID: "url", probe.CoretaxTargetID: "coretax_url"}[t.ID]
			v.testOut.SetText(v.tr.FieldError(settings.FieldError{Field: field, Code: settings.CodeURL, Value: t.URL, Problem: settings.ProblemOf(err)}))
			return
		}
	}
	opts := s.CheckOptions(version.UserAgent())
	if _, err := probe.ParseProxySetting(s.Proxy); err != nil {
		opts.Proxy = probe.ProxySystem
	}
	if s.Timeout.D() < time.Second || s.Timeout.D() > 2*time.Minute {
		opts.Timeout = probe.DefaultTimeout
	}
	v.testBtn.Disable()
	v.testOut.SetText(v.tr.T("win.checking"))
	tr, start := v.tr, time.Now()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		var lines []string
		for _, t := range targets {
			res := probe.Check(ctx, t, opts)
			res.Message = tr.Message(res)
			line := strings.TrimSpace(tr.ResultLine(res))
			if len(targets) > 1 {
				line = tr.ServiceName(t.ID) + ": " + line
			}
			lines = append(lines, line)
		}
		v.onUI(func() {
			v.testOut.SetText(strings.Join(lines, "\n"))
			if wait := v.testGap - time.Since(start); wait > 0 {
				time.AfterFunc(wait, func() { v.onUI(v.testBtn.Enable) })
				return
			}
			v.testBtn.Enable()
		})
	}()
}
