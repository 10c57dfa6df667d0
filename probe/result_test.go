package probe_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
)

// The status window reads the agent's results as JSON: what the
// diagnostics report shows must survive the trip.
func TestResultJSONRoundTrip(t *testing.T) {
	in := probe.Result{Target: "efaktur", URL: settings.DefaultURL, Level: probe.LevelUp, Reason: probe.ReasonOK, HTTPStatus: 200,
		Phases: probe.Phases{DNS: 3 * time.Millisecond, Total: 180 * time.Millisecond}, Bytes: 31000,
		Proxy: "http://proxy.kantor:8080", ProxySignIn: "NTLM", RetryAfter: 2 * time.Minute, PageTitle: "x",
		RedirectedTo: "https://efaktur.pajak.go.id/maintenance",
		CheckedAt:    time.Date(2026, 11, 26, 10, 42, 0, 0, time.UTC)}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"proxy_sign_in":"NTLM"`) {
		t.Fatalf("JSON %s lacks the sign-in", b)
	}
	var out probe.Result
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Proxy != in.Proxy || out.ProxySignIn != in.ProxySignIn || out.RedirectedTo != in.RedirectedTo || out.Phases != in.Phases || out.RetryAfter != in.RetryAfter || !out.CheckedAt.Equal(in.CheckedAt) {
		t.Fatalf("round trip: %+v, want %+v", out, in)
	}
	direct, _ := json.Marshal(probe.Result{Level: probe.LevelUp})
	if strings.Contains(string(direct), "proxy_sign_in") {
		t.Fatalf("a direct check names a sign-in: %s", direct)
	}
}
