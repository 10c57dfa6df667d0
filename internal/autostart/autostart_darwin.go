//go:build darwin

package autostart

import (
	"fmt"
	"os"
	"path/filepath"
)

// Path is ~/Library/LaunchAgents/<id>.plist.
func Path() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the home directory: %w", err)
	}
	return filepath.Join(home, "Library", "LaunchAgents", FileName+".plist"), nil
}

// Set writes or removes the LaunchAgent.
func Set(enabled bool, exe string) error { return setFile(Path, LaunchAgentPlist(exe), enabled) }

// Enabled reports whether the LaunchAgent exists.
func Enabled() (bool, error) { return fileExists(Path) }
