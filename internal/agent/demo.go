package agent

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/probe"
	"pantau-efaktur/settings"
)

// DemoSteps is the --demo timeline: about two and a half minutes in which
// every colour and both notifications appear (online → re-checking → down
// → maintenance → back online → unsteady → this PC offline → online
// again). The unsteady server comes just before going offline, which
// forgets the tally, so the next round starts steady.
var DemoSteps = []fakesvc.Step{
	{Behaviour: fakesvc.OK, For: 20 * time.Second},
	{Behaviour: fakesvc.Down, For: 30 * time.Second},
	{Behaviour: fakesvc.Maintenance, For: 25 * time.Second},
	{Behaviour: fakesvc.OK, For: 20 * time.Second},
	{Behaviour: fakesvc.Flaky, For: 35 * time.Second},
	{Behaviour: fakesvc.Offline, For: 20 * time.Second},
}

// CoretaxSteps is Coretax's part of the same timeline: up while e-Faktur
// falls and comes back, a bad gateway of its own while e-Faktur is
// unsteady, and offline with the rest of this PC.
var CoretaxSteps = []fakesvc.Step{
	{Behaviour: fakesvc.OK, For: 95 * time.Second},
	{Behaviour: fakesvc.BadGateway, For: 35 * time.Second},
	{Behaviour: fakesvc.Offline, For: 20 * time.Second},
}

// demo is the in-process fake SVC and Coretax of --demo.
type demo struct {
	svc     *fakesvc.Service
	coretax *fakesvc.Service
	srv     *http.Server
	url     string
	cancel  context.CancelFunc
}

// demoAddr is where the demo's fake SVC listens when it can: the same
// address every run, so the demo's history (kept between runs) stays the
// history of one address, charts and uptime included. Taken (another demo,
// another program), any free port does.
var demoAddr = "127.0.0.1:47815"

func startDemo() (*demo, error) {
	ln, err := net.Listen("tcp", demoAddr)
	if err != nil {
		slog.Info("demo address taken: using another port", "addr", demoAddr, "err", err)
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("demo server: %w", err)
		}
	}
	d := &demo{svc: fakesvc.New(fakesvc.OK), coretax: fakesvc.New(fakesvc.OK)}
	d.srv = &http.Server{Handler: d.handler(), ReadHeaderTimeout: 5 * time.Second}
	d.url = "http://" + ln.Addr().String()
	go func() {
		if err := d.srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			slog.Error("demo server", "err", err)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	d.cancel = cancel
	go d.svc.Play(ctx, DemoSteps)
	go d.coretax.Play(ctx, CoretaxSteps)
	slog.Info("demo started", "url", d.url)
	return d, nil
}

// handler serves Coretax's sign-in page from its own fake, the rest from
// the SVC's.
func (d *demo) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", d.svc)
	mux.Handle(fakesvc.CoretaxPath, d.coretax)
	return mux
}

// apply points settings at the fake service with quick demo intervals.
func (d *demo) apply(s *settings.Settings) {
	s.URL = d.url + "/svc/MasterFakturService?wsdl"
	s.CoretaxURL = d.url + fakesvc.CoretaxPath
	s.CoretaxSlow = settings.Duration(2 * time.Second)
	s.Reference = d.url + "/_fake/generate_204"
	s.Interval = settings.Duration(5 * time.Second)
	s.Recheck = settings.Duration(2 * time.Second)
	s.DownInterval = settings.Duration(3 * time.Second)
	s.Timeout = settings.Duration(3 * time.Second)
	s.Slow = settings.Duration(time.Second)
	s.Proxy = string(probe.ProxyNone)
}

func (d *demo) stop() {
	d.cancel()
	_ = d.srv.Close()
}
