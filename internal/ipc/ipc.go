// Package ipc is the agent's control socket (ARCHITECTURE.md §6): JSON lines over
// a channel only the user can open: a Unix socket in the user's config
// directory (transport_unix.go), a named pipe on Windows
// (transport_windows.go). Commands: status, check, reload, show <window>,
// snooze, subscribe, quit.
package ipc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
)

// Commands.
const (
	CmdStatus    = "status"
	CmdCheck     = "check"
	CmdReload    = "reload"
	CmdShow      = "show"
	CmdRaise     = "raise" // bring an open window forward; fails when none is open
	CmdSnooze    = "snooze"
	CmdSubscribe = "subscribe"
	CmdQuit      = "quit"
)

// Subscription events.
const (
	EventState = "state" // the agent's status changed
	EventRaise = "raise" // bring the window to the front
	EventQuit  = "quit"  // the agent is quitting: close
)

// Request is one command line.
type Request struct {
	Cmd    string `json:"cmd"`
	Window string `json:"window,omitempty"` // show: which window; subscribe: who is asking
	Until  string `json:"until,omitempty"`  // snooze: RFC 3339 time, "" to end the snooze
}

// Response answers a request; subscriptions get one per event.
type Response struct {
	OK     bool          `json:"ok"`
	Error  string        `json:"error,omitempty"`
	Event  string        `json:"event,omitempty"`
	Status *Status       `json:"status,omitempty"`
	Result *probe.Result `json:"result,omitempty"`
}

// TargetState is one target as the agent sees it.
type TargetState struct {
	Target      string        `json:"target"`
	URL         string        `json:"url"`
	Level       probe.Level   `json:"level"`
	Reason      probe.Reason  `json:"reason"`
	Since       time.Time     `json:"since"`
	Rechecking  bool          `json:"rechecking"`
	NextCheck   time.Time     `json:"next_check"`
	OutageStart time.Time     `json:"outage_start"`
	Message     string        `json:"message"`
	Last        *probe.Result `json:"last,omitempty"`
	Recent      monitor.Tally `json:"recent"`
}

// Unsteady: the server answers but failed now and then lately.
func (t TargetState) Unsteady() bool { return monitor.Unsteady(t.Level, t.Recent) }

// MessageIn is the target's sentence in the reader's language. Message is
// in the agent's language; a window or `status --lang en` tells the last
// result again with its own translator.
func (t TargetState) MessageIn(tr interface{ Message(probe.Result) string }) string {
	if t.Last != nil {
		return tr.Message(*t.Last)
	}
	return t.Message
}

// StateOf converts a monitor state.
func StateOf(st monitor.State, message string) TargetState {
	ts := TargetState{Target: st.Target, URL: st.URL, Level: st.Level, Reason: st.Reason, Since: st.Since,
		Rechecking: st.Rechecking, NextCheck: st.NextCheck, OutageStart: st.OutageStart, Message: message,
		Recent: st.Recent}
	if !st.Last.CheckedAt.IsZero() {
		last := st.Last
		ts.Last = &last
	}
	return ts
}

// Status is what the agent reports about itself.
type Status struct {
	PID int `json:"pid"`
	// SupervisorPID is the process that restarts the agent after a crash
	// (0 when unsupervised): `quit` waits for both to end.
	SupervisorPID int           `json:"supervisor_pid,omitempty"`
	Version       string        `json:"version"`
	Lang          string        `json:"lang"`
	StartedAt     time.Time     `json:"started_at"`
	Targets       []TargetState `json:"targets"`
	// Services is how many of Targets, the first ones, are the services
	// in use (they drive the icon); the rest are extras.
	Services     int       `json:"services"`
	SnoozedUntil time.Time `json:"snoozed_until"`
	Tray         bool      `json:"tray"` // an icon is shown in a tray
	TrayProblem  string    `json:"tray_problem,omitempty"`
	Demo         bool      `json:"demo"`
	ConfigPath   string    `json:"config_path"`
	HistoryDir   string    `json:"history_dir"`
	LogPath      string    `json:"log_path"`
	// PreviousCrash is the report of the agent's previous run if it
	// crashed (an unrecovered panic), for the diagnostics.
	PreviousCrash string            `json:"previous_crash,omitempty"`
	Settings      settings.Settings `json:"settings"` // effective (flags applied)
	// SignInUnavailable: the Windows sign-ins to a proxy this PC lacks,
	// with why ("NTLM: …"), for the diagnostics.
	SignInUnavailable []string `json:"sign_in_unavailable,omitempty"`
	Notices           []string `json:"notices,omitempty"`
}

// InUse are the states of the services in use (one unknown before the
// agent told any).
func (s Status) InUse() []TargetState {
	if len(s.Targets) == 0 {
		return []TargetState{{Target: probe.PrimaryTargetID, Level: probe.LevelUnknown}}
	}
	return s.Targets[:min(max(s.Services, 1), len(s.Targets))]
}

// Primary is the first service in use: e-Faktur, unless only Coretax is.
func (s Status) Primary() TargetState { return s.InUse()[0] }

// Handler carries out commands for the server.
type Handler interface {
	Status() Status
	CheckNow(ctx context.Context) (probe.Result, error)
	Reload() error
	Show(window string) error
	Snooze(until time.Time)
	Quit()
}

// ErrAgentRunning: another agent already serves the socket.
var ErrAgentRunning = errors.New("another Pantau e-Faktur agent is running")

// Listen opens the control channel at path (a Unix socket file; on
// Windows the named pipe that stands for it). A socket file left by a
// crashed agent is removed; a channel that answers means another agent
// runs (ErrAgentRunning).
func Listen(path string) (net.Listener, error) {
	ln, err := listenLocal(path)
	if err == nil {
		return ln, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if c, derr := dial(ctx, path); derr == nil {
		c.Close()
		return nil, ErrAgentRunning
	}
	if rerr := removeStale(path); rerr != nil {
		return nil, fmt.Errorf("remove stale socket %s: %w (listen: %w)", path, rerr, err)
	}
	ln, err = listenLocal(path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	return ln, nil
}

// Server answers requests on a listener.
type Server struct {
	ln net.Listener
	h  Handler
	// OnLeave, if set, is called when a window's subscription ends: the
	// window is closing (before its process has exited).
	OnLeave func(window string)

	mu     sync.Mutex
	subs   map[*subscriber]struct{}
	closed bool // guarded by mu: no connection is taken on after Close
	wg     sync.WaitGroup
}

type subscriber struct {
	window string
	ch     chan Response
}

// NewServer serves h on ln; call Serve.
func NewServer(ln net.Listener, h Handler) *Server {
	return &Server{ln: ln, h: h, subs: map[*subscriber]struct{}{}}
}

// Serve accepts connections until Close.
func (s *Server) Serve() error {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("accept: %w", err)
		}
		// A connection accepted as Close runs is dropped: counting it in
		// after Close began waiting would race with the wait.
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return nil
		}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.serveConn(c)
		}()
	}
}

// Close stops listening, tells subscribers to quit and waits for them.
func (s *Server) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	err := s.ln.Close()
	s.Broadcast(Response{OK: true, Event: EventQuit})
	s.mu.Lock()
	for sub := range s.subs {
		close(sub.ch)
		delete(s.subs, sub)
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

// Broadcast sends an event to every subscriber; a subscriber too slow to
// keep up misses events rather than slowing the agent.
func (s *Server) Broadcast(r Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for sub := range s.subs {
		select {
		case sub.ch <- r:
		default:
		}
	}
}

// SendTo sends an event to the subscribers registered as window; it
// reports whether there was one.
func (s *Server) SendTo(window string, r Response) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	found := false
	for sub := range s.subs {
		if sub.window == window {
			found = true
			select {
			case sub.ch <- r:
			default:
			}
		}
	}
	return found
}

const maxRequest = 64 << 10

func (s *Server) serveConn(c net.Conn) {
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(io.LimitReader(c, maxRequest)) // no huge line is buffered
	line, err := r.ReadBytes('\n')
	if err != nil && len(line) == 0 {
		return
	}
	_ = c.SetReadDeadline(time.Time{})
	var req Request
	if err := json.Unmarshal(line, &req); err != nil {
		writeResponse(c, Response{Error: "bad request: " + err.Error()})
		return
	}
	if req.Cmd == CmdSubscribe {
		s.subscribe(c, req.Window)
		return
	}
	resp, err := s.do(req)
	if err != nil {
		resp = Response{Error: err.Error()}
	}
	writeResponse(c, resp)
}

// do carries out one command other than subscribe.
func (s *Server) do(req Request) (Response, error) {
	ok := Response{OK: true}
	switch req.Cmd {
	case CmdStatus:
		st := s.h.Status()
		return Response{OK: true, Status: &st}, nil
	case CmdCheck:
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		res, err := s.h.CheckNow(ctx)
		st := s.h.Status()
		return Response{OK: true, Result: &res, Status: &st}, err
	case CmdReload:
		return ok, s.h.Reload()
	case CmdShow:
		return ok, s.h.Show(req.Window)
	case CmdRaise:
		// Asked by a window program about to open: if that window is
		// already open (subscribed), it comes forward instead.
		if req.Window == "" || !s.SendTo(req.Window, Response{OK: true, Event: EventRaise}) {
			return ok, fmt.Errorf("no %q window is open", req.Window)
		}
		return ok, nil
	case CmdSnooze:
		var until time.Time
		if req.Until != "" {
			t, err := time.Parse(time.RFC3339, req.Until)
			if err != nil {
				return ok, fmt.Errorf("bad snooze time: %w", err)
			}
			until = t
		}
		s.h.Snooze(until)
		return ok, nil
	case CmdQuit:
		go s.h.Quit()
		return ok, nil
	}
	return ok, fmt.Errorf("unknown command %q", req.Cmd)
}

func (s *Server) subscribe(c net.Conn, window string) {
	sub := &subscriber{window: window, ch: make(chan Response, 16)}
	s.mu.Lock()
	closed := s.closed
	if !closed {
		s.subs[sub] = struct{}{}
	}
	s.mu.Unlock()
	if closed { // Close has begun: it waits for this connection, not for the window
		writeResponse(c, Response{OK: true, Event: EventQuit})
		return
	}
	st := s.h.Status()
	if !writeResponse(c, Response{OK: true, Event: EventState, Status: &st}) {
		s.drop(sub)
		return
	}
	// Notice the client going away even when no events flow.
	gone := make(chan struct{})
	go func() {
		_, _ = c.Read(make([]byte, 1))
		close(gone)
	}()
	for {
		select {
		case r, ok := <-sub.ch:
			if !ok {
				return
			}
			if !writeResponse(c, r) {
				s.drop(sub)
				return
			}
		case <-gone:
			s.drop(sub)
			return
		}
	}
}

func (s *Server) drop(sub *subscriber) {
	s.mu.Lock()
	_, ok := s.subs[sub]
	if ok {
		delete(s.subs, sub)
		close(sub.ch)
	}
	s.mu.Unlock()
	if ok && s.OnLeave != nil && sub.window != "" {
		s.OnLeave(sub.window)
	}
}

func writeResponse(c net.Conn, r Response) bool {
	b, err := json.Marshal(r)
	if err != nil {
		slog.Error("encode ipc response", "err", err)
		return false
	}
	_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, err = c.Write(append(b, '\n'))
	return err == nil
}

// ---- client ----

// Do sends one request and returns the answer.
func Do(path string, req Request, timeout time.Duration) (Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), min(timeout, 2*time.Second))
	c, err := dial(ctx, path)
	cancel()
	if err != nil {
		return Response{}, fmt.Errorf("connect to the agent at %s: %w", path, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(timeout))
	sc, err := send(c, req)
	if err != nil {
		return Response{}, err
	}
	if !sc.Scan() {
		err := sc.Err()
		if err == nil {
			err = errors.New("the agent closed the connection")
		}
		return Response{}, fmt.Errorf("read answer to %s: %w", req.Cmd, err)
	}
	var resp Response
	if err := json.Unmarshal(sc.Bytes(), &resp); err != nil {
		return Response{}, fmt.Errorf("decode answer to %s: %w", req.Cmd, err)
	}
	if !resp.OK {
		return resp, fmt.Errorf("agent: %s", resp.Error)
	}
	return resp, nil
}

// Subscribe streams the agent's events for window until ctx ends or the
// agent goes away (then the channel closes).
func Subscribe(ctx context.Context, path, window string) (<-chan Response, error) {
	c, err := dial(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("connect to the agent at %s: %w", path, err)
	}
	sc, err := send(c, Request{Cmd: CmdSubscribe, Window: window})
	if err != nil {
		c.Close()
		return nil, err
	}
	out := make(chan Response, 16)
	go func() {
		<-ctx.Done()
		c.Close()
	}()
	go func() {
		defer close(out)
		defer c.Close()
		for sc.Scan() {
			var r Response
			if json.Unmarshal(sc.Bytes(), &r) != nil {
				continue
			}
			select {
			case out <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// send writes req and gives a reader of the answer lines.
func send(c net.Conn, req Request) (*bufio.Scanner, error) {
	b, _ := json.Marshal(req)
	if _, err := c.Write(append(b, '\n')); err != nil {
		return nil, fmt.Errorf("send %s: %w", req.Cmd, err)
	}
	sc := bufio.NewScanner(c)
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	return sc, nil
}
