// Package fakesvc is a stand-in for DJP's e-Faktur SVC web service: an
// http.Handler that can play, on demand, every answer the real service (or
// the network in front of it) has been seen to give. Tests, the tray's
// end-to-end test and `pantau-efaktur --demo` use it; it never talks to DJP.
//
// Control endpoints (for tests in another process):
//
//	GET /_fake/set?b=<behaviour>  switch behaviour
//	GET /_fake/state              current behaviour and request count (JSON)
//	GET /_fake/generate_204       always 204: a reference check that is up
package fakesvc

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Behaviour is one way the service can answer.
type Behaviour string

const (
	OK             Behaviour = "ok"               // the WSDL, 200
	Gzip           Behaviour = "gzip"             // the WSDL, gzip-encoded
	WrongType      Behaviour = "wrong_type"       // the WSDL served as text/html
	Slow           Behaviour = "slow"             // the WSDL after SlowDelay
	Maintenance    Behaviour = "maintenance"      // DJP's maintenance page, 200
	Maintenance503 Behaviour = "maintenance_503"  // DJP's maintenance page, 503
	ServerError    Behaviour = "server_error"     // 500 with a Java stack trace page
	BadGateway     Behaviour = "bad_gateway"      // 502 from a load balancer
	Flaky          Behaviour = "flaky"            // a bad node behind the balancer: 502 and the WSDL in turn
	NotFound       Behaviour = "not_found"        // 404
	WSDLMoved      Behaviour = "wsdl_moved"       // 404 but for the invoice validation service, which answers
	Captive        Behaviour = "captive"          // a hotel Wi-Fi login page, 200
	ProxyBlock     Behaviour = "proxy_block"      // a corporate proxy's block page, 200
	Forbidden      Behaviour = "forbidden"        // 403 from a WAF
	TooMany        Behaviour = "too_many"         // 429 with Retry-After
	Empty          Behaviour = "empty"            // 200, no body
	Truncated      Behaviour = "truncated"        // the WSDL cut in the middle
	InvalidXML     Behaviour = "invalid_xml"      // 200, XML-looking garbage
	Foreign        Behaviour = "foreign"          // another service's WSDL
	Huge           Behaviour = "huge"             // an endless body
	Drip           Behaviour = "drip"             // the WSDL, one byte per DripEvery
	RedirectLoop   Behaviour = "redirect_loop"    // 302 to itself forever
	RedirectOffWeb Behaviour = "redirect_off_web" // 302 to a file: address
	Down           Behaviour = "down"             // the connection is closed without an answer
	Hang           Behaviour = "hang"             // accepts and never answers
	// Offline: the service and /_fake/generate_204 both hang up, as if this
	// PC had lost its connection (the demo uses it to show grey).
	Offline Behaviour = "offline"
)

// All lists every behaviour.
var All = []Behaviour{OK, Gzip, WrongType, Slow, Maintenance, Maintenance503, ServerError,
	BadGateway, Flaky, NotFound, WSDLMoved, Captive, ProxyBlock, Forbidden, TooMany, Empty, Truncated,
	InvalidXML, Foreign, Huge, Drip, RedirectLoop, RedirectOffWeb, Down, Hang, Offline}

// Service is the fake SVC. The zero value is not usable; call New.
type Service struct {
	mu        sync.Mutex
	behaviour Behaviour
	requests  atomic.Int64
	onRequest func(Behaviour)
	held      chan struct{} // closed to release the answers held (nil: none)

	// SlowDelay is how long Slow waits before answering.
	SlowDelay time.Duration
	// DripEvery is the pause between bytes of Drip.
	DripEvery time.Duration
}

// New returns a service playing b.
func New(b Behaviour) *Service {
	return &Service{behaviour: b, SlowDelay: 6 * time.Second, DripEvery: time.Second}
}

// Set switches the behaviour for the next requests.
func (s *Service) Set(b Behaviour) {
	s.mu.Lock()
	s.behaviour = b
	s.mu.Unlock()
}

// Behaviour returns the current behaviour.
func (s *Service) Behaviour() Behaviour {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.behaviour
}

// Requests is the number of service requests answered so far (control
// endpoints excluded).
func (s *Service) Requests() int64 { return s.requests.Load() }

// OnRequest registers f to be called (on the request's goroutine) for every
// service request, with the behaviour played.
func (s *Service) OnRequest(f func(Behaviour)) {
	s.mu.Lock()
	s.onRequest = f
	s.mu.Unlock()
}

// Hold makes the service's answers wait until release is called (or the
// client gives up), so that a test can look at the app while its check is
// under way, without guessing how long that takes.
func (s *Service) Hold() (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.held = ch
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.held == ch {
				s.held = nil
			}
			s.mu.Unlock()
			close(ch)
		})
	}
}

// Parse turns a name into a behaviour.
func Parse(name string) (Behaviour, bool) {
	for _, b := range All {
		if string(b) == name {
			return b, true
		}
	}
	return "", false
}

// Names lists the behaviour names, sorted.
func Names() []string {
	out := make([]string, len(All))
	for i, b := range All {
		out[i] = string(b)
	}
	sort.Strings(out)
	return out
}

// ServeHTTP plays the current behaviour.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_fake/") {
		s.control(w, r)
		return
	}
	s.mu.Lock()
	b, hook, held := s.behaviour, s.onRequest, s.held
	s.mu.Unlock()
	s.requests.Add(1)
	if hook != nil {
		hook(b)
	}
	if held != nil {
		select {
		case <-held:
		case <-r.Context().Done():
			return
		}
	}
	s.play(b, w, r)
}

func (s *Service) control(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_fake/generate_204":
		if s.Behaviour() == Offline {
			hangUp(w)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case "/_fake/set":
		b, ok := Parse(r.URL.Query().Get("b"))
		if !ok {
			http.Error(w, "unknown behaviour; one of: "+strings.Join(Names(), ", "), http.StatusBadRequest)
			return
		}
		s.Set(b)
		fmt.Fprintln(w, b)
	case "/_fake/state":
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"behaviour": s.Behaviour(), "requests": s.Requests()})
	default:
		http.NotFound(w, r)
	}
}

// CoretaxPath is Coretax's sign-in page: where the service answers with
// it, it is Coretax (the other behaviours are the same).
const CoretaxPath = "/identityproviderportal/Account/Login"

// writeOK is the good answer: the WSDL, or Coretax's sign-in page.
func writeOK(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == CoretaxPath {
		writeHTML(w, http.StatusOK, coretaxSignIn)
		return
	}
	writeXML(w, http.StatusOK, WSDL())
}

func (s *Service) play(b Behaviour, w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	switch b {
	case OK:
		writeOK(w, r)
	case WrongType:
		h.Set("Content-Type", "text/html; charset=iso-8859-1")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(WSDL())
	case Gzip:
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(WSDL())
		_ = zw.Close()
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Type", "text/xml;charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.Bytes())
	case Slow:
		select {
		case <-time.After(s.SlowDelay):
		case <-r.Context().Done():
			return
		}
		writeOK(w, r)
	case Flaky:
		if s.requests.Load()%2 == 1 {
			b = BadGateway
			break
		}
		writeOK(w, r)
		return
	case Empty:
		h.Set("Content-Type", "text/xml;charset=utf-8")
		w.WriteHeader(http.StatusOK)
	case Truncated:
		full := WSDL()
		writeXML(w, http.StatusOK, full[:len(full)/2])
	case InvalidXML:
		writeXML(w, http.StatusOK, []byte(`<?xml version="1.0"?><wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"><a></b></wsdl:definitions>`))
	case Foreign:
		writeXML(w, http.StatusOK, ForeignWSDL())
	case Huge:
		h.Set("Content-Type", "text/xml;charset=utf-8")
		w.WriteHeader(http.StatusOK)
		chunk := bytes.Repeat([]byte("<item>padding</item>"), 3277) // ~64 KiB
		for {
			if _, err := w.Write(chunk); err != nil {
				return // the client hung up: stop, as a real server would
			}
		}
	case Drip:
		h.Set("Content-Type", "text/xml;charset=utf-8")
		w.WriteHeader(http.StatusOK)
		flusher, _ := w.(http.Flusher)
		for _, c := range WSDL() {
			if _, err := w.Write([]byte{c}); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
			select {
			case <-time.After(s.DripEvery):
			case <-r.Context().Done():
				return
			}
		}
	case RedirectLoop:
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
	case RedirectOffWeb:
		http.Redirect(w, r, "file:///C:/efaktur/offline.html", http.StatusFound)
	case WSDLMoved:
		if strings.HasPrefix(r.URL.Path, "/validasi/faktur/") {
			writeXML(w, http.StatusOK, []byte(validationAnswer))
			return
		}
		b = NotFound
	case Down, Offline:
		hangUp(w)
	case Hang:
		<-r.Context().Done()
	}
	if p, ok := pages[b]; ok {
		if b == TooMany {
			h.Set("Retry-After", "120")
		}
		writeHTML(w, p.status, p.body)
	}
}

// pages are the behaviours that answer with a fixed HTML page.
var pages = map[Behaviour]struct {
	status int
	body   string
}{
	Maintenance:    {http.StatusOK, maintenancePage},
	Maintenance503: {http.StatusServiceUnavailable, maintenancePage},
	ServerError:    {http.StatusInternalServerError, serverErrorPage},
	BadGateway:     {http.StatusBadGateway, "<html><body><h1>502 Bad Gateway</h1></body></html>"},
	// nginx's own page, as a web server without the service answers.
	NotFound:   {http.StatusNotFound, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"},
	Captive:    {http.StatusOK, captivePage},
	ProxyBlock: {http.StatusOK, proxyBlockPage},
	// A web application firewall's rejection, the way F5 words it.
	Forbidden: {http.StatusForbidden, "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. Please consult with your administrator.<br><br>Your support ID is: 1234567890123456789</body></html>"},
	TooMany:   {http.StatusTooManyRequests, "<html><body><h1>429 Too Many Requests</h1></body></html>"},
}

// hangUp closes the connection without an answer, like a dead backend behind
// a TCP proxy: the client sees EOF / connection reset.
func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // HTTP/2: abort the stream
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

func writeXML(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeHTML(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// Step is one stage of a scripted timeline.
type Step struct {
	Behaviour Behaviour
	For       time.Duration
}

// Round is how long one pass through steps takes.
func Round(steps []Step) time.Duration {
	var d time.Duration
	for _, st := range steps {
		d += st.For
	}
	return d
}

// At is the behaviour Play has set once elapsed has passed since it began:
// how a test plays a timeline on a fake clock.
func At(steps []Step, elapsed time.Duration) Behaviour {
	round := Round(steps)
	if round <= 0 {
		return ""
	}
	elapsed %= round
	for _, st := range steps {
		if elapsed < st.For {
			return st.Behaviour
		}
		elapsed -= st.For
	}
	return steps[len(steps)-1].Behaviour // not reached: elapsed < round
}

// Play runs steps in a loop until ctx ends (the --demo timeline).
func (s *Service) Play(ctx context.Context, steps []Step) {
	s.runScript(ctx, steps, time.After)
}

// runScript is Play with the waiting passed in, so a test can step the
// script by hand instead of sleeping through it.
func (s *Service) runScript(ctx context.Context, steps []Step, after func(time.Duration) <-chan time.Time) {
	if Round(steps) <= 0 {
		return // an empty or zero-length script would spin
	}
	for {
		for _, st := range steps {
			s.Set(st.Behaviour)
			select {
			case <-ctx.Done():
				return
			case <-after(st.For):
			}
		}
	}
}

// validationAnswer is the validation service's answer for an invoice DJP
// does not know.
const validationAnswer = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><resValidateFakturPm>` +
	`<statusApproval>Faktur tidak Valid, Tidak ditemukan data di DJP</statusApproval></resValidateFakturPm>`

const coretaxSignIn = `<!DOCTYPE html><html><head><title>Coretax DJP</title></head>
<body><form method="post">NPWP/NIK <input name="user"> Kata sandi <input type="password" name="password"></form></body></html>`

const maintenancePage = `<!DOCTYPE html>
<html><head><title>e-Faktur</title></head>
<body style="font-family:sans-serif;text-align:center">
<h2>Service e-Faktur Sedang Dalam Perbaikan</h2>
<p>Service e-Faktur sedang dalam perbaikan untuk release update terbaru.
Direktorat Jenderal Pajak mohon maaf atas ketidaknyamanan ini.</p>
</body></html>`

const serverErrorPage = `<html><head><title>Error 500</title></head><body>
<h1>HTTP Status 500 - Internal Server Error</h1>
<pre>javax.xml.ws.WebServiceException: java.sql.SQLTransientConnectionException: Connection is not available
	at com.sun.xml.ws.server.sei.EndpointMethodHandler.invoke(EndpointMethodHandler.java:300)</pre>
</body></html>`

const captivePage = `<!DOCTYPE html>
<html><head><title>Wi-Fi Login</title></head><body>
<form method="post" action="/login"><h1>Selamat datang di Hotel Wi-Fi</h1>
<p>Masukkan nomor kamar untuk terhubung ke internet.</p>
<input name="room"><input type="submit" value="Login"></form></body></html>`

const proxyBlockPage = `<!DOCTYPE html>
<html><head><title>Access Denied</title></head><body>
<h1>Access Denied</h1><p>Your request to svc.efaktur.pajak.go.id was blocked by the corporate web filter
(category: Uncategorized). Contact your IT helpdesk.</p></body></html>`
