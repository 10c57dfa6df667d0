package version

import (
	"os"
	"strings"
	"testing"
)

func TestFromFyneApp(t *testing.T) {
	defer func(v string) { Version = v }(Version)
	data, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	Version = "dev"
	FromFyneApp(data)
	if Version == "dev" || !strings.Contains(string(data), `Version = "`+Version+`"`) {
		t.Fatalf("version %q not from FyneApp.toml", Version)
	}
	// A version stamped at build time wins.
	Version = "9.9.9"
	FromFyneApp(data)
	if Version != "9.9.9" {
		t.Fatal("ldflags version overridden")
	}
	// Garbage keeps "dev".
	Version = "dev"
	FromFyneApp([]byte("[[[not toml"))
	if Version != "dev" {
		t.Fatal(Version)
	}
	if !strings.Contains(UserAgent(), "PantauEFaktur/") || !strings.Contains(String(), AppName) {
		t.Fatal(UserAgent(), String())
	}
}
