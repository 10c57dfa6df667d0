//go:build windows

package ipc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows the control channel is a named pipe that only the current
// user may open, as Tailscale's is: AF_UNIX is missing where %APPDATA% is
// redirected to a network share, on older builds, and under Wine, while a
// named pipe works on every Windows. A pipe vanishes with its process, so
// there is no stale file to remove. Its name is derived from the socket
// path, so that two homes (the demo, the tests) never meet.

// PipeName is the pipe that stands for the control socket at path.
func PipeName(path string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(filepath.Clean(path))))
	return `\\.\pipe\pantau-efaktur-` + hex.EncodeToString(sum[:8])
}

func listenLocal(path string) (net.Listener, error) {
	sid, err := currentUserSID()
	if err != nil {
		return nil, err
	}
	// Full access for this user alone; no one else, not even an
	// administrator's process, may connect.
	sd, err := windows.SecurityDescriptorFromString("D:P(A;;GA;;;" + sid + ")")
	if err != nil {
		return nil, fmt.Errorf("pipe security descriptor: %w", err)
	}
	name := PipeName(path)
	// FILE_FLAG_FIRST_PIPE_INSTANCE refuses a second agent on Windows, not
	// under Wine: an agent that answers is looked for first as well.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	c, derr := dial(ctx, path)
	cancel()
	if derr == nil {
		c.Close()
		return nil, fmt.Errorf("pipe %s: %w", name, windows.ERROR_PIPE_BUSY)
	}
	l := &pipeListener{name: name, sa: &windows.SecurityAttributes{SecurityDescriptor: sd}}
	l.sa.Length = uint32(unsafe.Sizeof(*l.sa))
	if l.name16, err = windows.UTF16PtrFromString(name); err != nil {
		return nil, err
	}
	if l.pending, err = l.newInstance(true); err != nil {
		return nil, fmt.Errorf("create pipe %s: %w", name, err)
	}
	if l.connected, err = windows.CreateEvent(nil, 1, 0, nil); err != nil {
		windows.CloseHandle(l.pending)
		return nil, fmt.Errorf("create event: %w", err)
	}
	if l.closing, err = windows.CreateEvent(nil, 1, 0, nil); err != nil {
		windows.CloseHandle(l.pending)
		windows.CloseHandle(l.connected)
		return nil, fmt.Errorf("create event: %w", err)
	}
	return l, nil
}

func removeStale(string) error { return nil }

func currentUserSID() (string, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", fmt.Errorf("the current user's SID: %w", err)
	}
	return u.User.Sid.String(), nil
}

// pipeListener keeps one unconnected pipe instance waiting; Accept hands
// over the one a client connected to and puts a new one in its place.
type pipeListener struct {
	name      string
	name16    *uint16
	sa        *windows.SecurityAttributes
	connected windows.Handle // signalled when a client connects to pending
	closing   windows.Handle // signalled by Close

	mu        sync.Mutex
	pending   windows.Handle
	accepting bool
	closed    bool
}

func (l *pipeListener) newInstance(first bool) (windows.Handle, error) {
	flags := uint32(windows.PIPE_ACCESS_DUPLEX | windows.FILE_FLAG_OVERLAPPED)
	if first {
		flags |= windows.FILE_FLAG_FIRST_PIPE_INSTANCE // fails if another agent owns the name
	}
	return windows.CreateNamedPipe(l.name16, flags,
		windows.PIPE_TYPE_BYTE|windows.PIPE_READMODE_BYTE|windows.PIPE_WAIT|windows.PIPE_REJECT_REMOTE_CLIENTS,
		windows.PIPE_UNLIMITED_INSTANCES, 64<<10, 64<<10, 0, l.sa)
}

func (l *pipeListener) Accept() (net.Conn, error) {
	for {
		l.mu.Lock()
		if l.closed {
			l.mu.Unlock()
			return nil, net.ErrClosed
		}
		l.accepting = true
		h := l.pending
		l.mu.Unlock()

		err := l.connect(h)

		l.mu.Lock()
		l.accepting = false
		if l.closed {
			l.release()
			l.mu.Unlock()
			return nil, net.ErrClosed
		}
		if err != nil {
			// A client that came and went before it was taken (ERROR_NO_DATA):
			// the same instance waits for the next one.
			windows.DisconnectNamedPipe(h)
			l.mu.Unlock()
			continue
		}
		next, nerr := l.newInstance(false)
		if nerr != nil {
			windows.DisconnectNamedPipe(h)
			l.mu.Unlock()
			return nil, fmt.Errorf("new instance of %s: %w", l.name, nerr)
		}
		l.pending = next
		l.mu.Unlock()
		return newPipeConn(h, l.name)
	}
}

// connect waits for a client on h, or for Close.
func (l *pipeListener) connect(h windows.Handle) error {
	windows.ResetEvent(l.connected)
	ov := windows.Overlapped{HEvent: l.connected}
	err := windows.ConnectNamedPipe(h, &ov)
	switch {
	case err == nil, errors.Is(err, windows.ERROR_PIPE_CONNECTED):
		return nil
	case !errors.Is(err, windows.ERROR_IO_PENDING):
		return err
	}
	which, err := windows.WaitForMultipleObjects([]windows.Handle{l.connected, l.closing}, false, windows.INFINITE)
	if err != nil || which != windows.WAIT_OBJECT_0 {
		windows.CancelIoEx(h, &ov)
	}
	var n uint32
	return windows.GetOverlappedResult(h, &ov, &n, true)
}

func (l *pipeListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	windows.SetEvent(l.closing)
	if !l.accepting {
		l.release()
	}
	return nil
}

// release closes the waiting instance and the events (l.mu held, closed,
// no Accept running).
func (l *pipeListener) release() {
	windows.CloseHandle(l.pending)
	windows.CloseHandle(l.connected)
	windows.CloseHandle(l.closing)
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr(l.name) }

type pipeAddr string

func (pipeAddr) Network() string  { return "pipe" }
func (a pipeAddr) String() string { return string(a) }

// pipeConn is a connected pipe end. Its handle is overlapped, so the
// runtime poller gives it deadlines, and Close ends a pending Read.
type pipeConn struct {
	*os.File
	addr pipeAddr
}

func newPipeConn(h windows.Handle, name string) (net.Conn, error) {
	f := os.NewFile(uintptr(h), name)
	if f == nil {
		return nil, fmt.Errorf("pipe %s: invalid handle", name)
	}
	return &pipeConn{File: f, addr: pipeAddr(name)}, nil
}

func (c *pipeConn) LocalAddr() net.Addr  { return c.addr }
func (c *pipeConn) RemoteAddr() net.Addr { return c.addr }

func dial(ctx context.Context, path string) (net.Conn, error) {
	name := PipeName(path)
	name16, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	for {
		h, err := windows.CreateFile(name16, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING,
			windows.FILE_FLAG_OVERLAPPED|windows.SECURITY_SQOS_PRESENT|windows.SECURITY_IDENTIFICATION, 0)
		if err == nil {
			return newPipeConn(h, name)
		}
		if !errors.Is(err, windows.ERROR_PIPE_BUSY) {
			return nil, &net.OpError{Op: "dial", Net: "pipe", Addr: pipeAddr(name), Err: err}
		}
		// Every instance is taken for the moment: the agent puts a new one
		// out as soon as it has taken a connection.
		select {
		case <-ctx.Done():
			return nil, &net.OpError{Op: "dial", Net: "pipe", Addr: pipeAddr(name), Err: ctx.Err()}
		case <-time.After(10 * time.Millisecond):
		}
	}
}
