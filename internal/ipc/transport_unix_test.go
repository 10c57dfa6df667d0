//go:build !windows

package ipc

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
)

func TestSocketDirectoryIsPrivate(t *testing.T) {
	path, _, _ := start(t)
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("socket directory %v %v", fi.Mode(), err)
	}
}

func TestStaleSocketIsReplacedAndLiveOneIsNot(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "agent.sock")
	// A crashed agent leaves its socket file behind.
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatal("stale socket not left behind")
	}
	ln2, err := Listen(path)
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	defer ln2.Close()
	go func() {
		for {
			c, err := ln2.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	if _, err := Listen(path); !errors.Is(err, ErrAgentRunning) {
		t.Fatalf("second listener: %v", err)
	}
}
