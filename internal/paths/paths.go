// Package paths says where Pantau e-Faktur keeps its files (ARCHITECTURE.md §6):
// settings and history under the user's config directory, logs under the
// user's cache directory.
package paths

import (
	"fmt"
	"os"
	"path/filepath"
)

// AppDir is the directory name under the user's config and cache dirs.
const AppDir = "pantau-efaktur"

// HomeEnv overrides ConfigDir: the demo runs in its own directory so it
// never mixes with the real history, and tests use it to stay apart.
const HomeEnv = "PANTAU_EFAKTUR_HOME"

// ConfigDir is os.UserConfigDir()/pantau-efaktur, or $PANTAU_EFAKTUR_HOME.
func ConfigDir() (string, error) {
	if dir := os.Getenv(HomeEnv); dir != "" {
		return dir, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config directory: %w", err)
	}
	return filepath.Join(base, AppDir), nil
}

// inConfigDir is name in ConfigDir.
func inConfigDir(name string) (string, error) {
	dir, err := ConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// SettingsFile is the default settings file.
func SettingsFile() (string, error) { return inConfigDir("config.json") }

// HistoryDir holds one JSON-lines file per day.
func HistoryDir() (string, error) { return inConfigDir("history") }

// SnoozeFile remembers "mute notifications until …" across a restart of
// the agent (a log-off, a restart of the PC).
func SnoozeFile() (string, error) { return inConfigDir("snooze.json") }

// SocketPath is the agent's control socket.
func SocketPath() (string, error) { return inConfigDir("agent.sock") }

// CacheDir is os.UserCacheDir()/pantau-efaktur (logs, icon files for
// notifications), or $PANTAU_EFAKTUR_HOME/cache.
func CacheDir() (string, error) {
	if dir := os.Getenv(HomeEnv); dir != "" {
		return filepath.Join(dir, "cache"), nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the user cache directory: %w", err)
	}
	return filepath.Join(base, AppDir), nil
}
