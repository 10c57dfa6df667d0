package probe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"pantau-efaktur/probe"
)

const signIn = `<!DOCTYPE html><html><head><title>Coretax DJP</title></head><body><form>NPWP <input name="user"></form></body></html>`

// Coretax is checked with its own rules: its error and maintenance pages
// may come with 200, and its sign-in is allowed to be slower.
func TestCoretaxRules(t *testing.T) {
	page := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(status)
			w.Write([]byte(body))
		}
	}
	cases := []struct {
		name   string
		h      http.HandlerFunc
		level  probe.Level
		reason probe.Reason
	}{
		{"sign-in page", page(200, signIn), probe.LevelUp, probe.ReasonOK},
		{"after redirects", func(w http.ResponseWriter, r *http.Request) {
			if n := len(r.URL.Query().Get("hop")); n < 3 {
				http.Redirect(w, r, "/login?hop="+strings.Repeat("x", n+1), http.StatusFound)
				return
			}
			page(200, signIn)(w, r)
		}, probe.LevelUp, probe.ReasonOK},
		{"slower than its threshold", func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(150 * time.Millisecond)
			page(200, signIn)(w, r)
		}, probe.LevelDegraded, probe.ReasonSlow},
		{"500", page(500, "<h1>Internal Server Error</h1>"), probe.LevelDown, probe.ReasonServerError},
		{"502", page(502, "<center>502 Bad Gateway</center>"), probe.LevelDown, probe.ReasonServerError},
		{"503", page(503, "Service Unavailable"), probe.LevelDown, probe.ReasonServerError},
		{"504", page(504, "Gateway Time-out"), probe.LevelDown, probe.ReasonServerError},
		{"maintenance, 200", page(200, "<p>Coretax sedang dalam\n pemeliharaan. Mohon maaf.</p>"), probe.LevelDown, probe.ReasonMaintenance},
		{"maintenance, 503", page(503, "<p>The site is UNDER&nbsp;MAINTENANCE</p>"), probe.LevelDown, probe.ReasonMaintenance},
		{"maintenance, the e-Faktur notice", page(200, "Sedang dalam perbaikan"), probe.LevelDown, probe.ReasonMaintenance},
		{"ASP.NET error page, 200", page(200, "<h1>Error.</h1><h2>An error occurred while processing your request.</h2>"), probe.LevelDown, probe.ReasonServerError},
		{"Kesalahan Sistem, 200", page(200, "<div>Kesalahan Sistem</div>"), probe.LevelDown, probe.ReasonServerError},
		{"404", page(404, "Not Found"), probe.LevelDegraded, probe.ReasonNotFound},
		{"410", page(410, "Gone"), probe.LevelDegraded, probe.ReasonNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.h)
			defer srv.Close()
			target := probe.Target{ID: "coretax", URL: srv.URL + "/identityproviderportal/Account/Login", Expect: probe.ExpectCoretax, Slow: 100 * time.Millisecond}
			r := probe.Check(context.Background(), target, probe.Options{Proxy: probe.ProxyNone, Reference: "off", Slow: time.Hour})
			if r.Level != c.level || r.Reason != c.reason {
				t.Fatalf("%s %s (%s), want %s %s", r.Level, r.Reason, r.Detail, c.level, c.reason)
			}
		})
	}
	// Network failures are told as for e-Faktur.
	r := probe.Check(context.Background(), probe.Target{ID: "coretax", URL: "http://" + closedPort(t) + "/", Expect: probe.ExpectCoretax},
		probe.Options{Proxy: probe.ProxyNone, Reference: "off"})
	if r.Level != probe.LevelDown || r.Reason != probe.ReasonConnect {
		t.Fatalf("closed port: %s %s", r.Level, r.Reason)
	}
}

// fakeSVC answers the WSDL address and the validation service as told,
// and counts the requests to each.
type fakeSVC struct {
	mu               sync.Mutex
	wsdl, validation http.HandlerFunc
	asked            []string
}

func (f *fakeSVC) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	wsdl, val := f.wsdl, f.validation
	f.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/validasi/faktur/") {
		f.record("validation")
		val(w, r)
		return
	}
	f.record("wsdl")
	wsdl(w, r)
}

func (f *fakeSVC) record(s string) {
	f.mu.Lock()
	f.asked = append(f.asked, s)
	f.mu.Unlock()
}

func (f *fakeSVC) take() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := strings.Join(f.asked, ",")
	f.asked = nil
	return s
}

func answer(status int, ctype, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		w.Write([]byte(body))
	}
}

const validationXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><resValidateFakturPm><statusApproval>Faktur tidak Valid, Tidak ditemukan data di DJP</statusApproval></resValidateFakturPm>`

// When the WSDL address is not found, the SVC's invoice validation service
// is the second witness: its XML answer means the SVC is up. Anything else
// keeps the WSDL address's verdict, and maintenance or 5xx there is never
// overruled.
func TestSVCSecondWitness(t *testing.T) {
	notFound := answer(404, "text/html", "<html><head><title>404 Not Found</title></head></html>")
	cases := []struct {
		name             string
		wsdl, validation http.HandlerFunc
		level            probe.Level
		reason           probe.Reason
		via, asked       string
	}{
		{"validation answers XML", notFound, answer(200, "application/xml", validationXML), probe.LevelUp, probe.ReasonOK, probe.ViaValidation, "wsdl,validation"},
		{"validation not found either", notFound, notFound, probe.LevelDegraded, probe.ReasonNotFound, "", "wsdl,validation"},
		{"validation answers a page", notFound, answer(200, "text/html", "<html><body>Welcome</body></html>"), probe.LevelDegraded, probe.ReasonNotFound, "", "wsdl,validation"},
		{"WSDL address in maintenance", answer(503, "text/html", "Service e-Faktur sedang dalam perbaikan"), answer(200, "application/xml", validationXML), probe.LevelDown, probe.ReasonMaintenance, "", "wsdl"},
		{"WSDL address 502", answer(502, "text/html", "Bad Gateway"), answer(200, "application/xml", validationXML), probe.LevelDown, probe.ReasonServerError, "", "wsdl"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			svc := &fakeSVC{wsdl: c.wsdl, validation: c.validation}
			srv := httptest.NewServer(svc)
			defer srv.Close()
			target := probe.Target{ID: "efaktur", URL: srv.URL + "/svc/MasterFakturService?wsdl", Expect: probe.ExpectWSDL}
			r := probe.Check(context.Background(), target, probe.Options{Proxy: probe.ProxyNone, Reference: "off"})
			if r.Level != c.level || r.Reason != c.reason || r.Via != c.via || r.URL != target.URL {
				t.Fatalf("%s %s via %q at %s (%s), want %s %s via %q", r.Level, r.Reason, r.Via, r.URL, r.Detail, c.level, c.reason, c.via)
			}
			if got := svc.take(); got != c.asked {
				t.Fatalf("asked %s, want %s", got, c.asked)
			}
		})
	}
}

// Once the validation service has answered, a check is one request to it;
// the WSDL address is tried again once an hour, and the validation service
// failing sends the check back to the WSDL address at once.
func TestSVCSecondWitnessIsAskedDirectlyThen(t *testing.T) {
	svc := &fakeSVC{wsdl: answer(404, "text/html", "Not Found"), validation: answer(200, "application/xml", validationXML)}
	srv := httptest.NewServer(svc)
	defer srv.Close()
	now := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	c := probe.NewHTTPChecker(probe.Options{Proxy: probe.ProxyNone, Reference: "off", Now: func() time.Time { return now }})
	defer c.Close()
	target := probe.Target{ID: "efaktur", URL: srv.URL + "/svc/MasterFakturService?wsdl", Expect: probe.ExpectWSDL}
	step := func(after time.Duration, asked string, via string) {
		t.Helper()
		now = now.Add(after)
		r := c.Check(context.Background(), target)
		if got := svc.take(); got != asked || r.Via != via {
			t.Fatalf("after %v: asked %s via %q, want %s via %q", after, got, r.Via, asked, via)
		}
	}
	step(0, "wsdl,validation", probe.ViaValidation)
	step(time.Minute, "validation", probe.ViaValidation)
	step(59*time.Minute, "wsdl,validation", probe.ViaValidation) // an hour since the WSDL address was tried
	step(time.Minute, "validation", probe.ViaValidation)
	svc.mu.Lock()
	svc.validation = answer(404, "text/html", "Not Found")
	svc.mu.Unlock()
	step(time.Minute, "validation,wsdl,validation", "")
	step(time.Minute, "wsdl,validation", "")
}
