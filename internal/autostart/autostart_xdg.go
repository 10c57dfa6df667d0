//go:build linux || freebsd || openbsd || netbsd

package autostart

import (
	"fmt"
	"os"
	"path/filepath"
)

// Path is the XDG autostart file ($XDG_CONFIG_HOME/autostart/…).
func Path() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the autostart directory: %w", err)
	}
	return filepath.Join(dir, "autostart", FileName+".desktop"), nil
}

// Set makes exe start at login (enabled) or not.
func Set(enabled bool, exe string) error { return setFile(Path, DesktopEntry(exe), enabled) }

// Enabled reports whether an autostart entry exists.
func Enabled() (bool, error) { return fileExists(Path) }
