//go:build !windows

package autostart

import (
	"errors"
	"fmt"
	"os"
	"pantau-efaktur/settings"
	"path/filepath"
	"runtime"
)

// Path is the login entry file: a LaunchAgent on macOS
// (~/Library/LaunchAgents), an XDG autostart entry elsewhere.
func Path() (string, error) {
	dir, err := os.UserConfigDir() // macOS: ~/Library/Application Support
	if err != nil {
		return "", fmt.Errorf("find the autostart directory: %w", err)
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(dir, "..", "LaunchAgents", FileName+".plist"), nil
	}
	return filepath.Join(dir, "autostart", FileName+".desktop"), nil
}

// Set makes exe start at login (enabled) or not.
func Set(enabled bool, exe string) error {
	entry := DesktopEntry(exe)
	if runtime.GOOS == "darwin" {
		entry = LaunchAgentPlist(exe)
	}
	return setFile(Path, entry, enabled)
}

// Enabled reports whether the entry file is there.
func Enabled() (bool, error) {
	p, err := Path()
	if err != nil {
		return false, err
	}
	_, err = os.Stat(p)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// setFile writes want to the entry file at path() (enabled) or removes
// it; it writes only when the content differs (the program moved, or the
// switch was flipped).
func setFile(path func() (string, error), want string, enabled bool) error {
	p, err := path()
	if err != nil {
		return err
	}
	if !enabled {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove %s: %w", p, err)
		}
		return nil
	}
	if have, err := os.ReadFile(p); err == nil && string(have) == want {
		return nil
	}
	return settings.WriteFileAtomic(p, []byte(want), 0o644)
}
