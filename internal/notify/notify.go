// Package notify shows the monitor's notifications as native desktop
// notifications (D-Bus org.freedesktop.Notifications on Linux, toasts on
// Windows) through beeep, with the app's name and a persistent icon file.
package notify

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/gen2brain/beeep"

	"pantau-efaktur/internal/version"
)

// Notifier shows one notification.
type Notifier interface {
	Notify(title, body string, urgent bool) error
}

// Desktop is the native notifier.
type Desktop struct {
	// IconPath is a PNG file that outlives the notification (notification
	// daemons read the file later; a temporary file can be gone by then).
	IconPath string
	// Sound plays the system's alert sound with urgent notifications.
	Sound bool
}

var appNameOnce sync.Once

// Notify implements Notifier. urgent marks "down" and "recovered": they
// stay on screen and, with Sound, make a sound on Windows (Linux daemons
// choose their own sound by urgency).
func (d Desktop) Notify(title, body string, urgent bool) error {
	appNameOnce.Do(func() { beeep.AppName = version.AppName })
	var err error
	if urgent && d.Sound && runtime.GOOS == "windows" {
		err = beeep.Alert(title, body, d.IconPath)
	} else {
		err = beeep.Notify(title, body, d.IconPath)
	}
	if err != nil {
		return fmt.Errorf("desktop notification %q: %w", title, err)
	}
	return nil
}
