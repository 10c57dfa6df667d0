package probe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// A PAC evaluation that never returns is joined by the asker of the next
// configuration reload (Windows reloads every minute) rather than started
// again, and the evaluations running at once are bounded: a stuck WPAD
// lookup must not grow the agent by a goroutine a minute for days.
func TestStuckPACIsJoinedAcrossReloads(t *testing.T) {
	stuck := make(chan struct{})
	t.Cleanup(func() { close(stuck) })
	var started atomic.Int32
	pac := func(string) string {
		started.Add(1)
		<-stuck
		return "DIRECT"
	}
	ask := func(a *pacAsker, u string) error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		_, err := a.answer(ctx, u)
		return err
	}

	var a *pacAsker
	for reload := 0; reload < 50; reload++ {
		a = a.renewed(pac)
		for _, u := range []string{"https://efaktur.pajak.go.id/svc", "http://cp.cloudflare.com/generate_204"} {
			if err := ask(a, u); !errors.Is(err, ErrPACSlow) {
				t.Fatalf("reload %d: %v, want ErrPACSlow", reload, err)
			}
		}
	}
	if n := started.Load(); n != 2 {
		t.Errorf("%d PAC evaluations started over 50 reloads for 2 addresses, want 2", n)
	}

	for i := 0; i < 3*maxPACAnswers; i++ {
		if err := ask(a, fmt.Sprintf("https://host%d.example/", i)); !errors.Is(err, ErrPACSlow) {
			t.Fatalf("address %d: %v, want ErrPACSlow", i, err)
		}
	}
	if n := started.Load(); n > maxPACAnswers {
		t.Errorf("%d PAC evaluations running at once, want at most %d", n, maxPACAnswers)
	}
}

// Answers already given are forgotten at a reload (the network may have
// changed: office → home), so the new configuration is asked again.
func TestPACAnswersAreForgottenAtReload(t *testing.T) {
	var started atomic.Int32
	pac := func(string) string { started.Add(1); return "PROXY proxy.kantor:8080" }
	a := (*pacAsker)(nil).renewed(pac)
	for i := 0; i < 3; i++ {
		if ans, err := a.answer(context.Background(), "https://efaktur.pajak.go.id/svc"); err != nil || ans == "" {
			t.Fatalf("answer: %q, %v", ans, err)
		}
	}
	if n := started.Load(); n != 1 {
		t.Fatalf("asked %d times within one configuration, want 1", n)
	}
	a = a.renewed(pac)
	if _, err := a.answer(context.Background(), "https://efaktur.pajak.go.id/svc"); err != nil {
		t.Fatal(err)
	}
	if n := started.Load(); n != 2 {
		t.Errorf("asked %d times after a reload, want 2", n)
	}
}

// The system proxy is read once, kept for maxAge, and read again early
// after a check marked it stale (one read for several marks).
func TestReloadingProxy(t *testing.T) {
	now := time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC)
	loads := 0
	c := reloadingProxy{
		load:   func() func(*http.Request) (*url.URL, error) { loads++; return http.ProxyFromEnvironment },
		maxAge: time.Minute,
		now:    func() time.Time { return now },
	}
	steps := []struct {
		name  string
		do    func()
		loads int
	}{
		{"first use reads", func() {}, 1},
		{"within a minute: kept", func() { now = now.Add(59 * time.Second) }, 1},
		{"a minute old: read again", func() { now = now.Add(time.Second) }, 2},
		{"marked stale: read again at once", func() { c.markStale(); c.markStale() }, 3},
		{"stale is cleared by the read", func() { now = now.Add(time.Second) }, 3},
		{"clock set back: read again", func() { now = now.Add(-time.Hour) }, 4},
	}
	for _, s := range steps {
		s.do()
		c.current()
		if loads != s.loads {
			t.Fatalf("%s: %d reads, want %d", s.name, loads, s.loads)
		}
	}
}

// A check that fails at the network or proxy level through the system
// proxy marks it stale; a good check, or one through a proxy the user
// chose, does not.
func TestFailedCheckMarksTheSystemProxyStale(t *testing.T) {
	old := SystemProxyStale
	t.Cleanup(func() { SystemProxyStale = old })
	var marks atomic.Int32
	SystemProxyStale = func() { marks.Add(1) }

	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	defer ok.Close()
	refused := "http://127.0.0.1:1/svc"
	tests := []struct {
		name  string
		url   string
		proxy ProxySetting
		marks int32
	}{
		{"refused, system proxy", refused, ProxySystem, 1},
		{"refused, default (empty) setting", refused, "", 1},
		{"refused, no proxy", refused, ProxyNone, 0},
		{"refused, manual proxy", refused, "http://127.0.0.1:1", 0},
		{"answered, system proxy", ok.URL + "/generate_204", ProxySystem, 0},
	}
	for _, tc := range tests {
		marks.Store(0)
		Check(context.Background(), Target{ID: "efaktur", URL: tc.url, Expect: ExpectPage},
			Options{Proxy: tc.proxy, Timeout: 2 * time.Second, Reference: "off"})
		if got := marks.Load(); got != tc.marks {
			t.Errorf("%s: marked stale %d times, want %d", tc.name, got, tc.marks)
		}
	}
}
