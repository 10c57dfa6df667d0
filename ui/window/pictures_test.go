//go:build linux

package window_test

import (
	"os"
	"os/exec"
	"pantau-efaktur/monitor"
	"pantau-efaktur/settings"
	"path/filepath"
	"testing"
	"time"

	"pantau-efaktur/internal/ipc"
	"pantau-efaktur/internal/testbin"
	"pantau-efaktur/internal/version"
	"pantau-efaktur/probe"
	"pantau-efaktur/ui/window"
)

// The status window in each state the agent reports, drawn by the window
// program on a virtual screen, its badge in the level's colour. A stand-in
// plays the agent, so the state is one of an ordinary day (a check a
// minute, answers of about 200 ms, up for hours) rather than the fast
// schedule of the end-to-end test: these are the README's pictures.
func TestStatusWindowInEachState(t *testing.T) {
	need(t, "Xvfb", "openbox", "wmctrl", "xdotool", "import")
	display := startXvfb(t)
	bin := testbin.BuildNoRace(t)
	svc := settings.Default().URL
	// The version the agent would tell: the release's, as the binary has it.
	fyneApp, err := os.ReadFile(filepath.Join("..", "..", "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	version.FromFyneApp(fyneApp)
	now := time.Now().Truncate(time.Second)
	result := func(level probe.Level, reason probe.Reason, status int, server, total time.Duration) probe.Result {
		r := probe.Result{Target: probe.PrimaryTargetID, URL: svc, Level: level, Reason: reason, HTTPStatus: status,
			Phases: probe.Phases{DNS: 4 * time.Millisecond, Connect: 18 * time.Millisecond, TLS: 42 * time.Millisecond,
				TTFB: server, Total: total}, CheckedAt: now.Add(-23 * time.Second)}
		if status == 0 {
			r.Phases = probe.Phases{DNS: total, Total: total}
		}
		return r
	}
	up := result(probe.LevelUp, probe.ReasonOK, 200, 131*time.Millisecond, 231*time.Millisecond)
	up.Bytes = 30_412
	slow := result(probe.LevelDegraded, probe.ReasonSlow, 200, 5480*time.Millisecond, 5612*time.Millisecond)
	maintenance := result(probe.LevelDown, probe.ReasonMaintenance, 503, 31*time.Millisecond, 97*time.Millisecond)
	offline := result(probe.LevelOffline, probe.ReasonOffline, 0, 0, 12*time.Millisecond)
	offline.Cause = probe.ReasonDNS
	offline.Reference = &probe.Reference{URL: "http://connectivitycheck.gstatic.com/generate_204"}
	// A bad node behind DJP's balancer: every minute's check gets a 502,
	// its re-check the service.
	badGateway := result(probe.LevelDown, probe.ReasonServerError, 502, 12*time.Millisecond, 78*time.Millisecond)
	shaky := monitor.Tally{Checks: 10, Failures: 5, Episodes: 5}
	// Coretax's sign-in behind a bad gateway for 40 minutes, beside an
	// e-Faktur that works.
	coretaxDown := result(probe.LevelDown, probe.ReasonServerError, 502, 2100*time.Millisecond, 2230*time.Millisecond)
	coretaxDown.Target, coretaxDown.URL = probe.CoretaxTargetID, settings.DefaultCoretaxURL

	for _, c := range []struct {
		file, lang string
		last       probe.Result
		since      time.Duration // how long the agent has seen the state
		tail       time.Duration // how much of the history's end is like last
		next       time.Duration // from the last check to the next
		colour     [3]uint8
		failing    []probe.Result // a flaky tail: each check fails, its re-check is last
		recent     monitor.Tally
		coretax    *probe.Result // Coretax in use too, in this state for 40 minutes
	}{
		// Up since the history's blip five hours ago (its answers vary).
		{"status-up.png", "id", up, 5 * time.Hour, 0, time.Minute, green, nil, monitor.Tally{}, nil},
		{"status-up-en.png", "en", up, 5 * time.Hour, 0, time.Minute, green, nil, monitor.Tally{}, nil},
		{"status-degraded.png", "id", slow, 3 * time.Minute, 3 * time.Minute, time.Minute, yellow, nil, monitor.Tally{}, nil},
		{"status-down.png", "id", maintenance, 12 * time.Minute, 12 * time.Minute, 30 * time.Second, red, nil, monitor.Tally{}, nil},
		{"status-offline.png", "id", offline, 2 * time.Minute, 2 * time.Minute, 30 * time.Second, grey, nil, monitor.Tally{}, nil},
		// Green by policy, yet failing every other check: the advice says so.
		{"status-unsteady.png", "id", up, 5 * time.Hour, 12 * time.Minute, 50 * time.Second, green, []probe.Result{badGateway}, shaky, nil},
		// Both services in use: the window opens on the one in trouble.
		{"status-coretax-down.png", "id", up, 5 * time.Hour, 0, time.Minute, red, nil, monitor.Tally{}, &coretaxDown},
		{"status-coretax-down-en.png", "en", up, 5 * time.Hour, 0, time.Minute, red, nil, monitor.Tally{}, &coretaxDown},
	} {
		t.Run(c.file, func(t *testing.T) {
			home := t.TempDir()
			writeHistory(t, filepath.Join(home, "history"), now, c.last, c.tail, c.failing...)
			// The state began at the first check in it, on a minute mark
			// as the history's checks.
			since := now.Add(-c.since).Truncate(time.Minute).Add(time.Minute)
			p := ipc.StateOf(monitor.State{Target: probe.PrimaryTargetID, URL: svc, Level: c.last.Level, Reason: c.last.Reason,
				Since: since, NextCheck: c.last.CheckedAt.Add(c.next), Last: c.last, Recent: c.recent}, "")
			if c.last.Level == probe.LevelDown {
				p.OutageStart = p.Since
			}
			settings := settings.Default()
			settings.Services.Coretax = c.coretax != nil
			targets, rows := []ipc.TargetState{p}, 45
			if c.coretax != nil {
				writeHistory(t, filepath.Join(home, "history"), now, *c.coretax, 40*time.Minute)
				coretax := ipc.StateOf(monitor.State{Target: probe.CoretaxTargetID, URL: c.coretax.URL, Level: c.coretax.Level,
					Reason: c.coretax.Reason, Since: now.Add(-40 * time.Minute).Truncate(time.Minute), NextCheck: c.coretax.CheckedAt.Add(30 * time.Second),
					OutageStart: now.Add(-40 * time.Minute).Truncate(time.Minute), Last: *c.coretax}, "")
				targets, rows = append(targets, coretax), 250 // under the check button and the tabs
			}
			ln, err := ipc.Listen(filepath.Join(home, "agent.sock"))
			if err != nil {
				t.Fatal(err)
			}
			srv := ipc.NewServer(ln, window.StubAgent{St: ipc.Status{Version: version.Version, Lang: "id", StartedAt: now.Add(-26 * time.Hour),
				Targets: targets, Services: len(targets), Tray: true, Settings: settings}})
			go srv.Serve()
			defer srv.Close()

			env := append(os.Environ(), "PANTAU_EFAKTUR_HOME="+home, "DISPLAY="+display, "LANG=en_US.UTF-8",
				"FYNE_THEME=light", "FYNE_SCALE=1", "XDG_CONFIG_HOME="+filepath.Join(home, "xdg"))
			d := &desktop{t: t, env: env, home: home}
			cmd := exec.Command(bin, "window", "status", "--lang", c.lang)
			cmd.Env = env
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { cmd.Process.Kill(); cmd.Wait() }()
			win, _ := d.findWindow("Pantau e-Faktur — Status", 20*time.Second) // the same in both languages
			save(t, d.waitColour(win, c.colour, rows, 15000), c.file, true)
		})
	}
}
