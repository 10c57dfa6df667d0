package probe_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/probe"
)

const wsdlHead = `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="http://ws.services.etaxinvoice.pajak.go.id/" name="endpoint/MasterFakturService">`

func TestIsServiceWSDL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		ok   bool
	}{
		{"real", string(fakesvc.WSDL()), true},
		{"minimal", wsdlHead + `</wsdl:definitions>`, true},
		{"BOM and declaration", "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + wsdlHead + `</wsdl:definitions>`, true},
		{"leading whitespace and comment", "\n\n  <!-- JAX-WS -->\n" + wsdlHead + `</wsdl:definitions>`, true},
		{"default namespace, no prefix", `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="http://ws.services.etaxinvoice.pajak.go.id/"></definitions>`, true},
		{"other prefix", `<w:definitions xmlns:w="http://schemas.xmlsoap.org/wsdl/"></w:definitions>`, true},
		{"latin-1 declaration", `<?xml version="1.0" encoding="ISO-8859-1"?>` + wsdlHead + "<!-- caf\xe9 --></wsdl:definitions>", true},
		{"empty", "", false},
		{"whitespace only", " \n\t", false},
		{"html", "<!DOCTYPE html><html><body>Login</body></html>", false},
		{"truncated", wsdlHead + `<wsdl:types>`, false},
		{"wrong namespace", `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/2"></wsdl:definitions>`, false},
		{"WSDL 2.0 description", `<description xmlns="http://www.w3.org/ns/wsdl"></description>`, false},
		{"foreign service", string(fakesvc.ForeignWSDL()), false},
		{"other xml", `<?xml version="1.0"?><resValidateFakturPm><kdJenisTransaksi>01</kdJenisTransaksi></resValidateFakturPm>`, false},
		{"text before root", "error " + wsdlHead + `</wsdl:definitions>`, false},
		{"soap fault", `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault/></S:Body></S:Envelope>`, false},
		{"mismatched tags", wsdlHead + `<a></b></wsdl:definitions>`, false},
		{"unknown charset", `<?xml version="1.0" encoding="x-klingon"?>` + wsdlHead + `</wsdl:definitions>`, false},
	}
	for _, tc := range tests {
		ok, why := probe.IsServiceWSDL([]byte(tc.body), probe.ServiceNamespace)
		if ok != tc.ok {
			t.Errorf("%s: got %v (%s), want %v", tc.name, ok, why, tc.ok)
		}
		if !ok && why == "" {
			t.Errorf("%s: rejected without a reason", tc.name)
		}
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	wsdl := fakesvc.WSDL()
	maint := []byte("<p>Service e-Faktur SEDANG DALAM\n  PERBAIKAN untuk release update terbaru.</p>")
	tests := []struct {
		name   string
		ev     probe.Evidence
		level  probe.Level
		reason probe.Reason
	}{
		{"wsdl", probe.Evidence{Status: 200, Body: wsdl, Expect: probe.ExpectWSDL}, probe.LevelUp, probe.ReasonOK},
		{"wsdl 203", probe.Evidence{Status: 203, Body: wsdl, Expect: probe.ExpectWSDL}, probe.LevelUp, probe.ReasonOK},
		{"slow", probe.Evidence{Status: 200, Body: wsdl, Expect: probe.ExpectWSDL, Total: 6 * time.Second, Slow: 5 * time.Second}, probe.LevelDegraded, probe.ReasonSlow},
		{"just under slow", probe.Evidence{Status: 200, Body: wsdl, Expect: probe.ExpectWSDL, Total: 4 * time.Second, Slow: 5 * time.Second}, probe.LevelUp, probe.ReasonOK},
		{"maintenance 200", probe.Evidence{Status: 200, Body: maint, Expect: probe.ExpectWSDL}, probe.LevelDown, probe.ReasonMaintenance},
		{"maintenance 503", probe.Evidence{Status: 503, Body: maint}, probe.LevelDown, probe.ReasonMaintenance},
		{"maintenance 404", probe.Evidence{Status: 404, Body: maint}, probe.LevelDown, probe.ReasonMaintenance},
		{"maintenance nbsp", probe.Evidence{Status: 200, Body: []byte("sedang&nbsp;dalam&nbsp;perbaikan")}, probe.LevelDown, probe.ReasonMaintenance},
		{"500", probe.Evidence{Status: 500}, probe.LevelDown, probe.ReasonServerError},
		{"503 no notice", probe.Evidence{Status: 503, Body: []byte("busy")}, probe.LevelDown, probe.ReasonServerError},
		{"404", probe.Evidence{Status: 404}, probe.LevelDegraded, probe.ReasonNotFound},
		{"410", probe.Evidence{Status: 410}, probe.LevelDegraded, probe.ReasonNotFound},
		{"407", probe.Evidence{Status: 407}, probe.LevelDegraded, probe.ReasonProxy},
		{"403", probe.Evidence{Status: 403}, probe.LevelDegraded, probe.ReasonHTTPStatus},
		{"429", probe.Evidence{Status: 429}, probe.LevelDegraded, probe.ReasonHTTPStatus},
		{"304", probe.Evidence{Status: 304}, probe.LevelDegraded, probe.ReasonHTTPStatus},
		{"html 200", probe.Evidence{Status: 200, Body: []byte("<html>login</html>"), Expect: probe.ExpectWSDL}, probe.LevelDegraded, probe.ReasonUnexpectedContent},
		{"truncated read", probe.Evidence{Status: 200, Body: wsdl, Truncated: true, Expect: probe.ExpectWSDL}, probe.LevelDegraded, probe.ReasonUnexpectedContent},
		{"page target html", probe.Evidence{Status: 200, Body: []byte("<html>Coretax</html>"), Expect: probe.ExpectPage}, probe.LevelUp, probe.ReasonOK},
		{"page target slow", probe.Evidence{Status: 200, Expect: probe.ExpectPage, Total: 9 * time.Second, Slow: 5 * time.Second}, probe.LevelDegraded, probe.ReasonSlow},
		{"timeout", probe.Evidence{Err: context.DeadlineExceeded}, probe.LevelDown, probe.ReasonTimeout},
		{"refused", probe.Evidence{Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}, probe.LevelDown, probe.ReasonConnect},
		{"reset", probe.Evidence{Err: fmt.Errorf("read: %w", syscall.ECONNRESET)}, probe.LevelDown, probe.ReasonConnect},
		{"eof", probe.Evidence{Err: io.EOF}, probe.LevelDown, probe.ReasonConnect},
		{"dns", probe.Evidence{Err: &net.DNSError{Err: "no such host", Name: "svc.efaktur.pajak.go.id", IsNotFound: true}}, probe.LevelDown, probe.ReasonDNS},
		{"dns timeout", probe.Evidence{Err: &net.DNSError{Err: "i/o timeout", IsTimeout: true}}, probe.LevelDown, probe.ReasonTimeout},
		{"proxy dial", probe.Evidence{Err: &net.OpError{Op: "proxyconnect", Err: syscall.ECONNREFUSED}, ProxyUsed: true}, probe.LevelDegraded, probe.ReasonProxy},
		{"proxy 407 connect", probe.Evidence{Err: &probe.ProxyConnectError{Status: 407}, ProxyUsed: true}, probe.LevelDegraded, probe.ReasonProxy},
		{"proxy 403 connect", probe.Evidence{Err: &probe.ProxyConnectError{Status: 403}, ProxyUsed: true}, probe.LevelDegraded, probe.ReasonProxy},
		{"proxy 504 connect", probe.Evidence{Err: &probe.ProxyConnectError{Status: 504}, ProxyUsed: true}, probe.LevelDown, probe.ReasonConnect},
		// A PAC script past the deadline is the proxy's fault, though the
		// deadline passed: not "timeout" (down).
		{"pac too slow", probe.Evidence{Err: fmt.Errorf("%w: %w", probe.ErrProxyChoice, fmt.Errorf("%w: %w", probe.ErrPACSlow, context.DeadlineExceeded))}, probe.LevelDegraded, probe.ReasonProxy},
		{"proxy choice failed", probe.Evidence{Err: fmt.Errorf("%w: %w", probe.ErrProxyChoice, errors.New("bad proxy URL"))}, probe.LevelDegraded, probe.ReasonProxy},
		{"other error", probe.Evidence{Err: errors.New("something odd")}, probe.LevelDown, probe.ReasonConnect},
	}
	for _, tc := range tests {
		level, reason, _ := probe.Classify(tc.ev)
		if level != tc.level || reason != tc.reason {
			t.Errorf("%s: got %s/%s, want %s/%s", tc.name, level, reason, tc.level, tc.reason)
		}
	}
}

func TestEveryReasonHasALevel(t *testing.T) {
	t.Parallel()
	for _, r := range probe.AllReasons {
		if r.Level() == probe.LevelUnknown {
			t.Errorf("reason %s has no level", r)
		}
	}
}

func TestReadBounded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		size, limit int64
		truncated   bool
	}{{0, 10, false}, {10, 10, false}, {11, 10, true}, {1 << 20, 1000, true}} {
		r := &countingReader{r: bytes.NewReader(make([]byte, tc.size))}
		body, trunc, err := probe.ReadBounded(r, tc.limit)
		if err != nil || trunc != tc.truncated || int64(len(body)) != min(tc.size, tc.limit) {
			t.Errorf("size %d limit %d: len %d truncated %v err %v", tc.size, tc.limit, len(body), trunc, err)
		}
		if r.n > tc.limit+1 {
			t.Errorf("size %d limit %d: read %d bytes, more than limit+1", tc.size, tc.limit, r.n)
		}
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// endless repeats its pattern forever.
type endless struct {
	pattern []byte
	off     int
}

func (e *endless) Read(p []byte) (int, error) {
	if len(e.pattern) == 0 {
		e.pattern = []byte{0}
	}
	for i := range p {
		p[i] = e.pattern[e.off%len(e.pattern)]
		e.off++
	}
	return len(p), nil
}

// FuzzClassify: the classifier never panics, its level always matches its
// reason, it only says "ok" for a real WSDL, and reading a body never goes
// past the limit, whatever the server sends.
func FuzzClassify(f *testing.F) {
	f.Add(200, fakesvc.WSDL())
	f.Add(200, fakesvc.ForeignWSDL())
	f.Add(503, []byte("Service e-Faktur sedang dalam perbaikan"))
	f.Add(200, []byte("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"/>"))
	f.Add(302, []byte(""))
	f.Add(200, []byte("<a><b><c>"+strings.Repeat("<d>", 1000)))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 100 + abs(status)%500
		const limit = 4096
		r := &countingReader{r: io.LimitReader(&endless{pattern: body}, 1<<30)}
		read, truncated, err := probe.ReadBounded(r, limit)
		if err != nil {
			t.Fatal(err)
		}
		if r.n > limit+1 || len(read) > limit {
			t.Fatalf("read %d bytes (kept %d) with limit %d", r.n, len(read), limit)
		}
		for _, expect := range []probe.Expect{probe.ExpectWSDL, probe.ExpectPage} {
			for _, in := range []struct {
				b         []byte
				truncated bool
			}{{body, false}, {read, truncated}} {
				b := in.b
				level, reason, _ := probe.Classify(probe.Evidence{Status: status, Body: b, Truncated: in.truncated, Expect: expect, Namespace: probe.ServiceNamespace})
				if level != reason.Level() {
					t.Fatalf("level %s but reason %s", level, reason)
				}
				if expect == probe.ExpectWSDL && reason == probe.ReasonOK {
					if ok, why := probe.IsServiceWSDL(b, probe.ServiceNamespace); !ok {
						t.Fatalf("ok for a body that is not the WSDL (%s): %q", why, b)
					}
				}
			}
		}
	})
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// BenchmarkClassifyWSDL measures classifying the ~30 KB WSDL (the work done
// on every successful check).
func BenchmarkClassifyWSDL(b *testing.B) {
	wsdl := fakesvc.WSDL()
	b.SetBytes(int64(len(wsdl)))
	b.ReportAllocs()
	for b.Loop() {
		if _, r, _ := probe.Classify(probe.Evidence{Status: 200, Body: wsdl, Expect: probe.ExpectWSDL, Namespace: probe.ServiceNamespace}); r != probe.ReasonOK {
			b.Fatal(r)
		}
	}
}
