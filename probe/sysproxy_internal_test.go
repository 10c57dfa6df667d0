package probe

import (
	"context"
	"errors"
	"fmt"
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
