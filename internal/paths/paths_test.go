package paths

import (
	"path/filepath"
	"runtime"
	"testing"
)

// The README tells users where settings, history and logs live; these
// tests pin those places (Linux layout; Windows and macOS come from the
// same os.UserConfigDir / os.UserCacheDir calls).
func TestLocations(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG layout is Linux-only")
	}
	tests := []struct {
		name                      string
		home, xdgConfig, xdgCache string
		pantauHome                string
		wantConfig, wantCache     string
	}{
		{name: "home only", home: "/home/ani",
			wantConfig: "/home/ani/.config/pantau-efaktur", wantCache: "/home/ani/.cache/pantau-efaktur"},
		{name: "XDG dirs win over HOME", home: "/home/ani", xdgConfig: "/x/conf", xdgCache: "/x/cache",
			wantConfig: "/x/conf/pantau-efaktur", wantCache: "/x/cache/pantau-efaktur"},
		{name: "PANTAU_EFAKTUR_HOME keeps everything in one place", home: "/home/ani", xdgConfig: "/x/conf",
			pantauHome: "/tmp/demo", wantConfig: "/tmp/demo", wantCache: "/tmp/demo/cache"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("HOME", tt.home)
			t.Setenv("XDG_CONFIG_HOME", tt.xdgConfig)
			t.Setenv("XDG_CACHE_HOME", tt.xdgCache)
			t.Setenv(HomeEnv, tt.pantauHome)

			for _, c := range []struct {
				what string
				fn   func() (string, error)
				want string
			}{
				{"ConfigDir", ConfigDir, tt.wantConfig},
				{"SettingsFile", SettingsFile, filepath.Join(tt.wantConfig, "config.json")},
				{"HistoryDir", HistoryDir, filepath.Join(tt.wantConfig, "history")},
				{"SnoozeFile", SnoozeFile, filepath.Join(tt.wantConfig, "snooze.json")},
				{"SocketPath", SocketPath, filepath.Join(tt.wantConfig, "agent.sock")},
				{"CacheDir", CacheDir, tt.wantCache},
			} {
				got, err := c.fn()
				if err != nil {
					t.Fatalf("%s: %v", c.what, err)
				}
				if got != c.want {
					t.Errorf("%s = %q, want %q", c.what, got, c.want)
				}
			}
		})
	}
}

// Without HOME and XDG variables (a stripped service environment) there is
// no user directory: every function says so instead of writing into the
// current directory.
func TestNoUserDirectory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG layout is Linux-only")
	}
	t.Setenv("HOME", "")
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv(HomeEnv, "")
	for what, fn := range map[string]func() (string, error){
		"ConfigDir": ConfigDir, "SettingsFile": SettingsFile, "HistoryDir": HistoryDir,
		"SnoozeFile": SnoozeFile, "SocketPath": SocketPath, "CacheDir": CacheDir,
	} {
		if got, err := fn(); err == nil {
			t.Errorf("%s = %q, want an error", what, got)
		}
	}
}
