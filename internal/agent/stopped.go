package agent

import (
	"path/filepath"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/internal/notify"
	"pantau-efaktur/internal/paths"
)

// TellStopped tells the user that the agent stopped for good after
// crashing again and again (see package supervise). Its icon is gone, and
// without this nothing would say that DJP is no longer watched. logsDir is
// where the crash reports are, for the helpdesk.
func TellStopped(n notify.Notifier, logsDir string) error {
	tr := i18n.ForUser()
	return n.Notify(tr.T("agent.stopped.title"), tr.T("agent.stopped.body", map[string]any{"Dir": logsDir}), true)
}

// StoppedNotifier is the desktop notifier with the app's icon, as the
// agent left it in the cache for its own notifications.
func StoppedNotifier() notify.Notifier {
	d := notify.Desktop{}
	if cache, err := paths.CacheDir(); err == nil {
		d.IconPath = filepath.Join(cache, "icons", appIcon+".png")
	}
	return d
}
