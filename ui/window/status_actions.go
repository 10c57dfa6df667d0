package window

import (
	"errors"
	"log/slog"
	"pantau-efaktur/history"
	"pantau-efaktur/internal/foreground"
	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/settings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

func (v *statusView) checkNow() {
	v.checkBtn.Disable()
	v.spinner.Start()
	v.checkInfo.SetText(v.tr.T("win.checking"))
	go func() {
		resp, err := v.link.Do(ipc.Request{Cmd: ipc.CmdCheck}, 60*time.Second)
		fyne.Do(func() {
			v.spinner.Stop()
			v.checkBtn.Enable()
			if err != nil || resp.Result == nil {
				v.checkInfo.SetText(v.tr.T("win.agent_away_short"))
				return
			}
			v.checkInfo.SetText(v.tr.T("win.checked", map[string]any{"Level": v.tr.Level(resp.Result.Level), "MS": resp.Result.Phases.Total.Milliseconds()}))
			if resp.Status != nil {
				v.update(*resp.Status, true)
			}
		})
	}()
}

// unmute ends the mute ("Nyalakan lagi" of the tray menu); the agent's
// answer to it is a new state without the mute, which hides the row.
func (v *statusView) unmute() {
	go func() {
		if _, err := v.link.Do(ipc.Request{Cmd: ipc.CmdSnooze}, 5*time.Second); err != nil {
			slog.Warn("unmute", "err", err)
		}
	}()
}

func (v *statusView) show(window string) {
	foreground.Allow() // the user clicked here: the other window may come forward
	if _, err := v.link.Do(ipc.Request{Cmd: ipc.CmdShow, Window: window}, 5*time.Second); err != nil {
		slog.Warn("show window", "window", window, "err", err)
	}
}

func (v *statusView) openSVC() {
	v.mu.Lock()
	u := v.status.Settings.URL
	v.mu.Unlock()
	if u == "" {
		u = settings.DefaultURL
	}
	openURL(v.app, u)
}

// DiagnosticsText is the current diagnostics report.
func (v *statusView) DiagnosticsText() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return Diagnostics(v.tr, v.status, v.connected, v.recs, v.panes[0].stats, time.Now())
}

func (v *statusView) copyDiagnostics() {
	v.app.Clipboard().SetContent(v.DiagnosticsText())
	v.checkInfo.SetText(v.tr.T("win.copied"))
}

func (v *statusView) exportCSV() {
	win := v.app.Driver().AllWindows()
	if len(win) == 0 {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		v.saveCSV(w, win[0])
	}, win[0])
	d.SetFileName(history.ExportFileName(time.Now(), ".csv"))
	// Fyne's default leaves room for two folders side by side: use the window.
	size := win[0].Canvas().Size()
	d.Resize(fyne.NewSize(size.Width-40, size.Height-80))
	d.Show()
}

// saveCSV writes the loaded checks to w (the file the user chose) and says
// how it went: a line under the buttons, or a dialog on win in the user's
// words when the disk is full or the folder read-only.
func (v *statusView) saveCSV(w fyne.URIWriteCloser, win fyne.Window) {
	v.mu.Lock()
	recs := append([]history.Record(nil), v.recs...)
	v.mu.Unlock()
	err := history.WriteCSV(w, recs, csvSeparator(v.tr))
	// The close can be where a full disk shows: it is part of the export.
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		slog.Error("export csv", "path", w.URI().Path(), "err", err)
		dialog.ShowError(errors.New(v.tr.T("export.failed", map[string]any{"Why": v.tr.FileProblem(err)})), win)
		return
	}
	v.checkInfo.SetText(v.tr.T("export.done", map[string]any{"Count": len(recs), "Path": w.URI().Path()}))
}

// csvSeparator: a spreadsheet set to Indonesian expects ";" (the comma is
// its decimal separator).
func csvSeparator(tr *i18n.Translator) rune {
	if tr.Lang() == "id" {
		return ';'
	}
	return ','
}
