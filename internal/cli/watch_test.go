package cli

import (
	"encoding/json"
	"testing"
	"time"

	"pantau-efaktur/internal/i18n"
	"pantau-efaktur/monitor"
	"pantau-efaktur/probe"
)

// A "recovered" line gives the outage's length in seconds; other lines have none.
func TestNotifyLineOutage(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	up := probe.Result{Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK}
	for _, tc := range []struct {
		name    string
		n       monitor.Notification
		outageS any // nil: no key
	}{
		{"down", monitor.Notification{Kind: monitor.NotifyDown, Target: "efaktur", Reason: probe.ReasonConnect}, nil},
		{"one outage", monitor.Notification{Kind: monitor.NotifyRecovered, Target: "efaktur", Reason: probe.ReasonConnect, Outage: 23 * time.Minute, Result: up}, 1380.0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			line, err := EventJSON(monitor.Event{Kind: monitor.EventNotify, At: at, Target: "efaktur", Notification: &tc.n}, i18n.New("en"))
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(line, &got); err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			if got["outage_s"] != tc.outageS {
				t.Fatalf("outage_s %v; want %v in %s", got["outage_s"], tc.outageS, line)
			}
		})
	}
}

// A state line says whether the server is unsteady, with the numbers, so a
// script can tell "green and fine" from "green but failing now and then".
func TestStateLineUnsteady(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		recent   monitor.Tally
		unsteady bool
	}{
		{"steady", monitor.Tally{Checks: 10, Failures: 1, Episodes: 1}, false},
		{"unsteady", monitor.Tally{Checks: 10, Failures: 4, Episodes: 3}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := monitor.State{Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK, Recent: tc.recent,
				Last: probe.Result{Target: "efaktur", Level: probe.LevelUp, Reason: probe.ReasonOK, CheckedAt: at}}
			line, err := EventJSON(monitor.Event{Kind: monitor.EventState, At: at, Target: "efaktur", State: &st, Previous: probe.LevelUp}, i18n.New("en"))
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Unsteady *bool         `json:"unsteady"`
				Recent   monitor.Tally `json:"recent"`
			}
			if err := json.Unmarshal(line, &got); err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			if got.Unsteady == nil || *got.Unsteady != tc.unsteady || got.Recent != tc.recent {
				t.Fatalf("%s", line)
			}
		})
	}
}
