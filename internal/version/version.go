// Package version holds the build's version, stamped in by the Makefile with
// -ldflags "-X pantau-efaktur/internal/version.Version=... -X ...Commit=...".
package version

import (
	"runtime"

	"github.com/BurntSushi/toml"
)

var (
	// Version is the release version ("dev" for a plain `go build`).
	Version = "dev"
	// Commit is the short git revision of the build, when known.
	Commit = ""
)

// AppName is the product name shown to users.
const AppName = "Pantau e-Faktur"

// AppID is the reverse-DNS identifier used by Fyne, notifications and autostart.
const AppID = "id.pantau.efaktur"

// UserAgent names the app and its version so DJP's operators can tell who is
// knocking (and how often) if they ever look at their logs.
func UserAgent() string {
	return "PantauEFaktur/" + Version + " (" + runtime.GOOS + "; tray monitor, 1 check/min)"
}

// String is the human version line of `pantau-efaktur version`.
func String() string {
	s := AppName + " " + Version
	if Commit != "" {
		s += " (" + Commit + ")"
	}
	return s + " " + runtime.GOOS + "/" + runtime.GOARCH + " " + runtime.Version()
}

// FromFyneApp takes the version from FyneApp.toml (embedded by main), the
// one place a release sets it, unless the build stamped one with -ldflags.
func FromFyneApp(data []byte) {
	if Version != "dev" {
		return
	}
	var meta struct {
		Details struct {
			Version string
			Build   int
		}
	}
	if _, err := toml.Decode(string(data), &meta); err == nil && meta.Details.Version != "" {
		Version = meta.Details.Version
	}
}
