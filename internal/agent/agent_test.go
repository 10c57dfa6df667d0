package agent

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"pantau-efaktur/internal/cmdline"
	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/paths"
	"pantau-efaktur/settings"
)

// Told to quit while a window is subscribed and a check is still waiting
// for DJP's answer, the agent ends: the check is called off and joined,
// the window is told to close, and the shutdown does not wait for the
// window to go.
func TestQuitWhileAWindowIsOpenAndACheckRuns(t *testing.T) {
	home := t.TempDir()
	t.Setenv(paths.HomeEnv, home)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // the login entry, never the user's own
	svc := fakesvc.New(fakesvc.OK)
	release := svc.Hold()
	defer release()
	checking := make(chan struct{}, 1)
	svc.OnRequest(func(fakesvc.Behaviour) {
		select {
		case checking <- struct{}{}:
		default:
		}
	})
	srv := httptest.NewServer(svc)
	defer srv.Close()
	s := settings.Default()
	s.URL, s.Reference, s.Proxy = srv.URL+"/svc?wsdl", srv.URL+"/_fake/generate_204", "none"
	s.Services.Coretax = false
	data, err := s.Encode()
	if err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(home, "config.json")
	if err := os.WriteFile(config, data, 0o600); err != nil {
		t.Fatal(err)
	}

	ended := make(chan int)
	var stderr bytes.Buffer
	go func() {
		ended <- Main([]string{"--config", config}, cmdline.IO{Stdout: &bytes.Buffer{}, Stderr: &stderr}, Logs{}, NoFace{})
	}()
	<-checking // the agent runs, and its first check waits for the server
	sock, _ := paths.SocketPath()
	window, err := ipc.Subscribe(context.Background(), sock, "status") // never cancelled: the window stays
	if err != nil {
		t.Fatal(err)
	}
	if first := <-window; first.Status == nil || first.Status.Targets[0].URL != s.URL {
		t.Fatalf("first status %+v", first)
	}
	if _, err := ipc.Do(sock, ipc.Request{Cmd: ipc.CmdQuit}, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-ended:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second): // a safety net, never a synchroniser
		t.Fatal("the agent did not end while a window stayed subscribed and a check ran")
	}
	for r := range window {
		if r.Event == ipc.EventQuit {
			return
		}
	}
	t.Fatal("the window was not told to close")
}
