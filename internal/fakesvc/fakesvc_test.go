package fakesvc

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestControlEndpoints(t *testing.T) {
	svc := New(OK)
	srv := httptest.NewServer(svc)
	defer srv.Close()

	if code, _ := get(t, srv.URL+"/svc"); code != 200 || svc.Requests() != 1 {
		t.Fatalf("service request: %d, count %d", code, svc.Requests())
	}
	if code, _ := get(t, srv.URL+"/_fake/set?b=not_found"); code != 200 || svc.Behaviour() != NotFound {
		t.Fatalf("set: %d, behaviour %s", code, svc.Behaviour())
	}
	if code, _ := get(t, srv.URL+"/svc"); code != 404 {
		t.Fatalf("after set: %d", code)
	}
	if code, body := get(t, srv.URL+"/_fake/set?b=nonsense"); code != 400 || svc.Behaviour() != NotFound {
		t.Fatalf("bad set: %d %q, behaviour %s", code, body, svc.Behaviour())
	}
	if code, _ := get(t, srv.URL+"/_fake/generate_204"); code != 204 {
		t.Fatalf("generate_204: %d", code)
	}
	_, body := get(t, srv.URL+"/_fake/state")
	var st struct {
		Behaviour string `json:"behaviour"`
		Requests  int64  `json:"requests"`
	}
	if err := json.Unmarshal([]byte(body), &st); err != nil || st.Behaviour != "not_found" || st.Requests != 2 {
		t.Fatalf("state %q (%v): control requests must not count", body, err)
	}
}

func TestEveryBehaviourParses(t *testing.T) {
	for _, b := range All {
		if got, ok := Parse(string(b)); !ok || got != b {
			t.Errorf("%s does not parse", b)
		}
	}
}

// The script sets each behaviour, waits its step's time, and starts over
// after the last; cancelling ends it. Waits are stepped by hand.
func TestPlayFollowsTheScript(t *testing.T) {
	svc := New(OK)
	type wait struct {
		d    time.Duration
		seen Behaviour
		fire chan time.Time
	}
	waits := make(chan wait)
	after := func(d time.Duration) <-chan time.Time {
		w := wait{d, svc.Behaviour(), make(chan time.Time, 1)}
		waits <- w
		return w.fire
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		svc.runScript(ctx, []Step{{Down, time.Minute}, {Maintenance, time.Hour}}, after)
		close(done)
	}()
	for i, want := range []wait{{d: time.Minute, seen: Down}, {d: time.Hour, seen: Maintenance}, {d: time.Minute, seen: Down}} {
		var got wait
		select {
		case got = <-waits:
		case <-done:
			t.Fatalf("script ended before wait %d", i)
		}
		if got.d != want.d || got.seen != want.seen {
			t.Fatalf("wait %d: %s for %v, want %s for %v", i, got.seen, got.d, want.seen, want.d)
		}
		if i < 2 {
			got.fire <- time.Time{}
		}
	}
	cancel()
	<-done
	if got := svc.Behaviour(); got != Down {
		t.Errorf("after cancel: %s, want it left at Down", got)
	}
}

func TestPlayOfNoStepsReturns(t *testing.T) {
	svc := New(OK)
	svc.runScript(context.Background(), nil, func(time.Duration) <-chan time.Time {
		t.Fatal("an empty script must not wait")
		return nil
	})
	svc.runScript(context.Background(), []Step{{Down, 0}}, func(time.Duration) <-chan time.Time {
		t.Fatal("a zero-length script must not spin")
		return nil
	})
	if got := svc.Behaviour(); got != OK {
		t.Errorf("behaviour %s, want OK untouched", got)
	}
}

func TestAtFollowsTheScriptRoundAfterRound(t *testing.T) {
	steps := []Step{{OK, 10 * time.Second}, {Down, 5 * time.Second}, {Maintenance, time.Second}}
	if got := Round(steps); got != 16*time.Second {
		t.Fatalf("Round = %v, want 16s", got)
	}
	for _, tc := range []struct {
		elapsed time.Duration
		want    Behaviour
	}{
		{0, OK},
		{10*time.Second - 1, OK},
		{10 * time.Second, Down},
		{15*time.Second - 1, Down},
		{15 * time.Second, Maintenance},
		{16 * time.Second, OK}, // the next round
		{16*time.Second + 12*time.Second, Down},
	} {
		if got := At(steps, tc.elapsed); got != tc.want {
			t.Errorf("At(%v) = %s, want %s", tc.elapsed, got, tc.want)
		}
	}
	if got := At(nil, time.Second); got != "" {
		t.Errorf("At on no steps = %q, want none", got)
	}
}

// A held answer waits for its release: a client that gives up meanwhile
// gets nothing; after release the waiting request is answered, and later
// requests are not held.
func TestHoldKeepsTheAnswerUntilReleased(t *testing.T) {
	svc := New(OK)
	arrived := make(chan struct{}, 4)
	svc.OnRequest(func(Behaviour) { arrived <- struct{}{} })
	srv := httptest.NewServer(svc)
	defer srv.Close()
	release := svc.Hold()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/svc", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d while held", resp.StatusCode)
	}
	<-arrived
	answered := make(chan int, 1)
	go func() {
		code, _ := get(t, srv.URL+"/svc")
		answered <- code
	}()
	<-arrived
	release()
	release() // twice is harmless
	if code := <-answered; code != http.StatusOK {
		t.Fatalf("after release: %d", code)
	}
	if code, _ := get(t, srv.URL+"/svc"); code != http.StatusOK {
		t.Fatalf("a later request: %d", code)
	}
}

// Flaky answers 502 and the WSDL in turn, whatever came before.
func TestFlakyAlternates(t *testing.T) {
	svc := New(OK)
	srv := httptest.NewServer(svc)
	defer srv.Close()
	get(t, srv.URL+"/svc") // one request before: the turn follows the count
	svc.Set(Flaky)
	var codes []int
	for range 4 {
		code, _ := get(t, srv.URL+"/svc")
		codes = append(codes, code)
	}
	if codes[0] == codes[1] || codes[0] != codes[2] || codes[1] != codes[3] || (codes[0] != 502 && codes[0] != 200) || codes[0]+codes[1] != 702 {
		t.Fatalf("codes %v, want 502 and 200 in turn", codes)
	}
}
