// Package dbustest is a desktop made of D-Bus parts, for end-to-end tests
// of the tray agent: a private session bus, a StatusNotifierWatcher (the
// tray host), a notification server that records what it is shown, and
// helpers to read the tray icon and click its menu (com.canonical.dbusmenu).
package dbustest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// Bus is a private dbus-daemon.
type Bus struct {
	Address string
	Conn    *dbus.Conn // the test's own connection
	cmd     *exec.Cmd
}

// StartBus starts a private session bus, or skips the test when
// dbus-daemon is missing (unless PANTAU_REQUIRE_E2E is set: `make test`
// installs it, so there a missing daemon is a failure).
func StartBus(t testing.TB) *Bus {
	t.Helper()
	path, err := exec.LookPath("dbus-daemon")
	if err != nil {
		if os.Getenv("PANTAU_REQUIRE_E2E") != "" {
			t.Fatal("dbus-daemon is missing (apt-get install dbus)")
		}
		t.Skip("dbus-daemon not installed")
	}
	cmd := exec.Command(path, "--session", "--nofork", "--print-address=1", "--nopidfile")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("dbus-daemon gave no address: %v", err)
	}
	b := &Bus{Address: strings.TrimSpace(addr), cmd: cmd}
	b.Conn, err = dbus.Connect(b.Address)
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("connect to the test bus: %v", err)
	}
	t.Cleanup(func() {
		b.Conn.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	return b
}

// Env is the environment entry that points programs at this bus.
func (b *Bus) Env() string { return "DBUS_SESSION_BUS_ADDRESS=" + b.Address }

// ---- StatusNotifierWatcher ----

// Item is a registered tray item.
type Item struct {
	Sender string          // unique bus name of the program
	Path   dbus.ObjectPath // its StatusNotifierItem object
}

// Watcher is a minimal org.kde.StatusNotifierWatcher.
type Watcher struct {
	Items chan Item
}

// RegisterStatusNotifierItem is called by tray programs.
func (w *Watcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	it := Item{Sender: string(sender), Path: "/StatusNotifierItem"}
	if strings.HasPrefix(service, "/") {
		it.Path = dbus.ObjectPath(service)
	} else if service != "" {
		it.Sender = service
	}
	select {
	case w.Items <- it:
	default:
	}
	return nil
}

// RegisterStatusNotifierHost is part of the interface; unused.
func (w *Watcher) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

// StartWatcher claims org.kde.StatusNotifierWatcher on the bus.
func (b *Bus) StartWatcher(t testing.TB) *Watcher {
	t.Helper()
	w, err := ExportWatcher(b.Conn)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// ExportWatcher serves a StatusNotifierWatcher on conn (also used by the
// fakehost tool of scripts/bench.sh).
func ExportWatcher(conn *dbus.Conn) (*Watcher, error) {
	w := &Watcher{Items: make(chan Item, 16)}
	if err := conn.Export(w, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		return nil, err
	}
	return w, claim(conn, "org.kde.StatusNotifierWatcher")
}

func claim(c *dbus.Conn, name string) error {
	reply, err := c.RequestName(name, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		return fmt.Errorf("claim %s: %v (reply %v)", name, err, reply)
	}
	return nil
}

// ---- org.freedesktop.Notifications ----

// Notification is one notification a program showed.
type Notification struct {
	App, Icon, Summary, Body string
	Hints                    map[string]dbus.Variant
	At                       time.Time
}

// Notifier records notifications.
type Notifier struct {
	mu   sync.Mutex
	all  []Notification
	Seen chan Notification
	next uint32
}

// Notify implements the spec's method.
func (n *Notifier) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	nt := Notification{App: app, Icon: icon, Summary: summary, Body: body, Hints: hints, At: time.Now()}
	n.mu.Lock()
	n.all = append(n.all, nt)
	n.next++
	id := n.next
	n.mu.Unlock()
	select {
	case n.Seen <- nt:
	default:
	}
	return id, nil
}

// GetCapabilities implements the spec's method.
func (n *Notifier) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"body", "icon-static", "persistence"}, nil
}

// GetServerInformation implements the spec's method.
func (n *Notifier) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "dbustest", "pantau-efaktur", "1.0", "1.2", nil
}

// CloseNotification implements the spec's method.
func (n *Notifier) CloseNotification(uint32) *dbus.Error { return nil }

// All returns every notification so far.
func (n *Notifier) All() []Notification {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Notification(nil), n.all...)
}

// StartNotifier claims org.freedesktop.Notifications on the bus.
func (b *Bus) StartNotifier(t testing.TB) *Notifier {
	t.Helper()
	n, err := ExportNotifier(b.Conn)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// ExportNotifier serves org.freedesktop.Notifications on conn.
func ExportNotifier(conn *dbus.Conn) (*Notifier, error) {
	n := &Notifier{Seen: make(chan Notification, 64)}
	if err := conn.Export(n, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		return nil, err
	}
	return n, claim(conn, "org.freedesktop.Notifications")
}

// ---- reading a tray item ----

// Pixmap is one IconPixmap entry: ARGB32, network byte order.
type Pixmap struct {
	W, H int32
	Pix  []byte
}

// IconPixmap reads the item's icon.
func (b *Bus) IconPixmap(it Item) ([]Pixmap, error) {
	var v dbus.Variant
	err := b.Conn.Object(it.Sender, it.Path).Call("org.freedesktop.DBus.Properties.Get", 0,
		"org.kde.StatusNotifierItem", "IconPixmap").Store(&v)
	if err != nil {
		return nil, fmt.Errorf("get IconPixmap: %w", err)
	}
	var px []Pixmap
	if err := dbus.Store([]any{v.Value()}, &px); err != nil {
		return nil, fmt.Errorf("decode IconPixmap: %w", err)
	}
	return px, nil
}

// Property reads a StatusNotifierItem property.
func (b *Bus) Property(it Item, name string) (any, error) {
	var v dbus.Variant
	err := b.Conn.Object(it.Sender, it.Path).Call("org.freedesktop.DBus.Properties.Get", 0,
		"org.kde.StatusNotifierItem", name).Store(&v)
	return v.Value(), err
}

// Dominant is the most frequent opaque colour of a pixmap, as "#rrggbb".
func Dominant(p Pixmap) string {
	count := map[string]int{}
	for i := 0; i+3 < len(p.Pix); i += 4 {
		if p.Pix[i] == 0xff {
			count[fmt.Sprintf("#%02x%02x%02x", p.Pix[i+1], p.Pix[i+2], p.Pix[i+3])]++
		}
	}
	best, n := "", 0
	for c, k := range count {
		if k > n {
			best, n = c, k
		}
	}
	return best
}

// IconSignals subscribes to the item's NewIcon signals.
func (b *Bus) IconSignals(t testing.TB, it Item) <-chan *dbus.Signal {
	t.Helper()
	if err := b.Conn.AddMatchSignal(dbus.WithMatchSender(it.Sender), dbus.WithMatchMember("NewIcon")); err != nil {
		t.Fatal(err)
	}
	ch := make(chan *dbus.Signal, 256)
	b.Conn.Signal(ch)
	return ch
}

// ---- com.canonical.dbusmenu ----

// MenuItem is one entry of the tray menu.
type MenuItem struct {
	ID       int32
	Label    string
	Enabled  bool
	Visible  bool
	Children []MenuItem
}

// Menu reads the item's menu layout.
func (b *Bus) Menu(it Item) ([]MenuItem, error) {
	menuPath := dbus.ObjectPath("/StatusNotifierItem/menu")
	if v, err := b.Property(it, "Menu"); err == nil {
		if p, ok := v.(dbus.ObjectPath); ok {
			menuPath = p
		}
	}
	var rev uint32
	var layout []any
	call := b.Conn.Object(it.Sender, menuPath).Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{})
	if call.Err != nil {
		return nil, fmt.Errorf("GetLayout: %w", call.Err)
	}
	if len(call.Body) < 2 {
		return nil, fmt.Errorf("GetLayout: short answer")
	}
	rev, _ = call.Body[0].(uint32)
	_ = rev
	layout, ok := call.Body[1].([]any)
	if !ok {
		return nil, fmt.Errorf("GetLayout: layout is %T", call.Body[1])
	}
	root := parseLayout(layout)
	return root.Children, nil
}

func parseLayout(raw []any) MenuItem {
	var m MenuItem
	if len(raw) < 3 {
		return m
	}
	m.ID, _ = raw[0].(int32)
	props, _ := raw[1].(map[string]dbus.Variant)
	m.Enabled, m.Visible = true, true
	if v, ok := props["label"]; ok {
		m.Label, _ = v.Value().(string)
	}
	if v, ok := props["enabled"]; ok {
		m.Enabled, _ = v.Value().(bool)
	}
	if v, ok := props["visible"]; ok {
		m.Visible, _ = v.Value().(bool)
	}
	children, _ := raw[2].([]dbus.Variant)
	for _, c := range children {
		if cr, ok := c.Value().([]any); ok {
			m.Children = append(m.Children, parseLayout(cr))
		}
	}
	return m
}

// Find returns the first item whose label is label (depth first).
func Find(items []MenuItem, label string) (MenuItem, bool) {
	for _, it := range items {
		if it.Label == label {
			return it, true
		}
		if c, ok := Find(it.Children, label); ok {
			return c, true
		}
	}
	return MenuItem{}, false
}

// Click sends a "clicked" event to a menu entry.
func (b *Bus) Click(it Item, id int32) error {
	menuPath := dbus.ObjectPath("/StatusNotifierItem/menu")
	call := b.Conn.Object(it.Sender, menuPath).Call("com.canonical.dbusmenu.Event", 0, id, "clicked",
		dbus.MakeVariant(""), uint32(time.Now().Unix()))
	return call.Err
}

// Activate is a left click on the icon.
func (b *Bus) Activate(it Item) error {
	return b.Conn.Object(it.Sender, it.Path).Call("org.kde.StatusNotifierItem.Activate", 0, int32(0), int32(0)).Err
}
