package ipc

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pantau-efaktur/probe"
)

type fakeHandler struct {
	mu      sync.Mutex
	shown   []string
	reloads int
	snooze  time.Time
	quit    chan struct{}
}

func (f *fakeHandler) Status() Status {
	return Status{PID: 42, Targets: []TargetState{{Target: "efaktur", Level: probe.LevelDown, Reason: probe.ReasonMaintenance}}}
}
func (f *fakeHandler) CheckNow(context.Context) (probe.Result, error) {
	return probe.Result{Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK, CheckedAt: time.Now()}, nil
}
func (f *fakeHandler) Reload() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reloads++
	if f.reloads > 1 {
		return errors.New("settings invalid")
	}
	return nil
}
func (f *fakeHandler) Show(w string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if w != "status" && w != "help" && w != "settings" {
		return errors.New("no such window")
	}
	f.shown = append(f.shown, w)
	return nil
}
func (f *fakeHandler) Snooze(t time.Time) { f.mu.Lock(); f.snooze = t; f.mu.Unlock() }
func (f *fakeHandler) Quit()              { close(f.quit) }

func start(t *testing.T) (string, *Server, *fakeHandler) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cfg", "agent.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	h := &fakeHandler{quit: make(chan struct{})}
	s := NewServer(ln, h)
	go s.Serve()
	t.Cleanup(func() { s.Close() })
	return path, s, h
}

func TestCommands(t *testing.T) {
	path, _, h := start(t)
	r, err := Do(path, Request{Cmd: CmdStatus}, time.Second)
	if err != nil || r.Status == nil || r.Status.PID != 42 || r.Status.Primary().Reason != probe.ReasonMaintenance {
		t.Fatalf("status: %+v %v", r, err)
	}
	r, err = Do(path, Request{Cmd: CmdCheck}, time.Second)
	if err != nil || r.Result == nil || r.Result.Reason != probe.ReasonOK {
		t.Fatalf("check: %+v %v", r, err)
	}
	if _, err := Do(path, Request{Cmd: CmdShow, Window: "help"}, time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := Do(path, Request{Cmd: CmdShow, Window: "bogus"}, time.Second); err == nil || !strings.Contains(err.Error(), "no such window") {
		t.Fatalf("bad window: %v", err)
	}
	if _, err := Do(path, Request{Cmd: CmdReload}, time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := Do(path, Request{Cmd: CmdReload}, time.Second); err == nil {
		t.Fatal("reload error not passed on")
	}
	until := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	if _, err := Do(path, Request{Cmd: CmdSnooze, Until: until.Format(time.RFC3339)}, time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := Do(path, Request{Cmd: CmdSnooze, Until: "tomorrow"}, time.Second); err == nil {
		t.Fatal("bad snooze time accepted")
	}
	if _, err := Do(path, Request{Cmd: "dance"}, time.Second); err == nil {
		t.Fatal("unknown command accepted")
	}
	h.mu.Lock()
	if len(h.shown) != 1 || h.shown[0] != "help" || !h.snooze.Equal(until) {
		t.Errorf("handler saw %v %v", h.shown, h.snooze)
	}
	h.mu.Unlock()
	if _, err := Do(path, Request{Cmd: CmdQuit}, time.Second); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.quit:
	case <-time.After(5 * time.Second):
		t.Fatal("quit not delivered")
	}
}

func mustDial(t *testing.T, path string) net.Conn {
	t.Helper()
	c, err := dial(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A second agent finds the first one's channel taken.
func TestLiveChannelIsNotTakenOver(t *testing.T) {
	path, _, _ := start(t)
	if _, err := Listen(path); !errors.Is(err, ErrAgentRunning) {
		t.Fatalf("second listener: %v", err)
	}
}

func TestGarbageAndHugeRequests(t *testing.T) {
	path, _, _ := start(t)
	c := mustDial(t, path)
	c.Write([]byte("not json\n"))
	buf := make([]byte, 200)
	n, _ := c.Read(buf)
	c.Close()
	if !strings.Contains(string(buf[:n]), "bad request") {
		t.Fatalf("garbage: %q", buf[:n])
	}
	c = mustDial(t, path)
	go c.Write([]byte(strings.Repeat("x", 1<<20)))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, _ = c.Read(buf)
	c.Close()
	// The server must answer (or hang up) without reading a megabyte line.
	if _, err := Do(path, Request{Cmd: CmdStatus}, time.Second); err != nil {
		t.Fatalf("server broken by a huge line: %v (got %q)", err, buf[:n])
	}
}

func TestSubscribeBroadcastAndRaise(t *testing.T) {
	path, s, _ := start(t)
	left := make(chan string, 2)
	s.OnLeave = func(w string) { left <- w }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := Subscribe(ctx, path, "status")
	if err != nil {
		t.Fatal(err)
	}
	first := <-ch
	if first.Event != EventState || first.Status == nil {
		t.Fatalf("first event %+v", first)
	}
	s.Broadcast(Response{OK: true, Event: EventState, Status: &Status{PID: 7}})
	if r := <-ch; r.Status == nil || r.Status.PID != 7 {
		t.Fatalf("broadcast %+v", r)
	}
	if s.SendTo("help", Response{OK: true, Event: EventRaise}) {
		t.Fatal("raise sent to a window that is not there")
	}
	if !s.SendTo("status", Response{OK: true, Event: EventRaise}) {
		t.Fatal("raise not sent")
	}
	if r := <-ch; r.Event != EventRaise {
		t.Fatalf("raise %+v", r)
	}
	// The same over the socket, as a window program about to open asks.
	if _, err := Do(path, Request{Cmd: CmdRaise, Window: "status"}, time.Second); err != nil {
		t.Fatalf("raise an open window: %v", err)
	}
	if r := <-ch; r.Event != EventRaise {
		t.Fatalf("raise over the socket %+v", r)
	}
	for _, w := range []string{"help", ""} {
		if _, err := Do(path, Request{Cmd: CmdRaise, Window: w}, time.Second); err == nil || !strings.Contains(err.Error(), "window is open") {
			t.Errorf("raise %q, which is not open: %v", w, err)
		}
	}
	// A second window comes and goes: its leaving is reported.
	ctx2, cancel2 := context.WithCancel(context.Background())
	ch2, _ := Subscribe(ctx2, path, "help")
	<-ch2
	cancel2()
	if w := <-left; w != "help" {
		t.Fatalf("left %q", w)
	}
	s.Close()
	if r := <-ch; r.Event != EventQuit {
		t.Fatalf("close: %+v", r)
	}
	if _, ok := <-ch; ok {
		t.Fatal("subscription not closed")
	}
}

func TestDoWithoutAgent(t *testing.T) {
	if _, err := Do(filepath.Join(t.TempDir(), "agent.sock"), Request{Cmd: CmdStatus}, time.Second); err == nil {
		t.Fatal("no error without an agent")
	}
}

// The agent closes its socket while windows and status commands still
// knock (the session is ending): Close returns, and under -race no
// connection is counted in while Close waits for the others.
func TestCloseWhileClientsKeepConnecting(t *testing.T) {
	for range 20 {
		path, s, _ := start(t)
		stop := make(chan struct{})
		served := make(chan struct{}, 1)
		var clients sync.WaitGroup
		for range 8 {
			clients.Add(1)
			go func() {
				defer clients.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := Do(path, Request{Cmd: CmdStatus}, time.Second); err == nil {
						select {
						case served <- struct{}{}:
						default:
						}
					}
				}
			}()
		}
		<-served // the clients are knocking
		done := make(chan struct{})
		go func() { s.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Close did not return")
		}
		close(stop)
		clients.Wait()
	}
}

// signalListener tells when a connection was counted in by Serve (Serve
// is back for the next one) and when Close began.
type signalListener struct {
	net.Listener
	accepted, closing chan struct{}
	handed            bool // the last Accept gave a connection (Serve's goroutine only)
}

func (l *signalListener) Accept() (net.Conn, error) {
	if l.handed {
		l.accepted <- struct{}{}
	}
	c, err := l.Listener.Accept()
	l.handed = err == nil
	return c, err
}

func (l *signalListener) Close() error {
	close(l.closing)
	return l.Listener.Close()
}

// A window that connected just before the agent began to close, and asks
// to subscribe just after, is told to quit: Close returns although the
// window stays connected (it would otherwise wait for it forever).
func TestCloseReturnsWhileAWindowSubscribesLate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "agent.sock")
	ln, err := Listen(path)
	if err != nil {
		t.Fatal(err)
	}
	sl := &signalListener{Listener: ln, accepted: make(chan struct{}, 1), closing: make(chan struct{})}
	s := NewServer(sl, &fakeHandler{quit: make(chan struct{})})
	go s.Serve()
	c := mustDial(t, path)
	defer c.Close()
	<-sl.accepted // counted in: Close will wait for it
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	<-sl.closing
	if _, err := c.Write([]byte(`{"cmd":"subscribe","window":"status"}` + "\n")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waits for a window that subscribed as it closed")
	}
}
