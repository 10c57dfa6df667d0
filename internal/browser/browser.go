// Package browser opens an http(s) address in the user's browser.
package browser

import (
	"fmt"
	"net/url"
	"os/exec"
	"runtime"
)

// Command is the program and arguments that open u on goos; only http and
// https addresses are accepted, so nothing else is ever handed to the OS.
func Command(goos, u string) ([]string, error) {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return nil, fmt.Errorf("not a web address: %q", u)
	}
	switch goos {
	case "windows":
		return []string{"rundll32", "url.dll,FileProtocolHandler", p.String()}, nil
	case "darwin":
		return []string{"open", p.String()}, nil
	}
	return []string{"xdg-open", p.String()}, nil
}

// Open starts the browser on u and does not wait for it.
func Open(u string) error {
	argv, err := Command(runtime.GOOS, u)
	if err != nil {
		return err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open %s: %w", u, err)
	}
	go cmd.Wait() // reap it
	return nil
}
