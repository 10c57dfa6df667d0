package probe

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/html/charset"
)

// WSDL facts of ARCHITECTURE.md §1.
const (
	WSDLNamespace = "http://schemas.xmlsoap.org/wsdl/"
	// ServiceNamespace is the targetNamespace of the e-Faktur SVC WSDL.
	ServiceNamespace = "http://ws.services.etaxinvoice.pajak.go.id/"
)

// Expect says what a healthy answer of a target looks like.
type Expect string

const (
	// ExpectWSDL: the body must be the service's WSDL (the e-Faktur SVC).
	ExpectWSDL Expect = "wsdl"
	// ExpectPage: any 2xx page will do (e-Nofa, DJP Online websites).
	ExpectPage Expect = "page"
	// ExpectCoretax: Coretax's portal, whose error and maintenance pages
	// may come with a 2xx (ARCHITECTURE.md §1).
	ExpectCoretax Expect = "coretax"
	// ExpectValidation: the SVC's invoice validation service, whose XML
	// answer proves the SVC application is up.
	ExpectValidation Expect = "validation"
)

// ValidationRoot is the root element of the invoice validation service's answer.
const ValidationRoot = "resValidateFakturPm"

// Coretax's pages that say it is down: maintenance (its wording is not
// published; these are the usual ones) and the portal's own error pages.
var (
	coretaxMaintenance = [][]string{{"sedang", "dalam", "pemeliharaan"}, {"sedang", "pemeliharaan"}, {"under", "maintenance"}}
	coretaxErrorPages  = [][]string{{"an", "error", "occurred", "while", "processing", "your", "request"}, {"kesalahan", "sistem"}}
)

// Evidence is everything the classifier looks at; Check gathers it.
type Evidence struct {
	Status    int           // HTTP status, 0 when no response arrived
	Body      []byte        // at most the read limit
	Truncated bool          // the body was longer than the limit
	Err       error         // transport or body-read error
	Total     time.Duration // whole check
	Slow      time.Duration // slow threshold (0 = never slow)
	Expect    Expect        // what a healthy body is
	Namespace string        // expected targetNamespace for ExpectWSDL ("" = any)
	ProxyUsed bool          // the request went through a proxy
	// Redirects is true when the redirect limit stopped the request.
	Redirects bool
	// OffWebRedirect is the scheme of a redirect that was not followed
	// because it leaves the web (file, ftp, …); "" when none.
	OffWebRedirect string
}

// HasMaintenanceNotice reports whether body carries DJP's "Service e-Faktur
// sedang dalam perbaikan …" notice, whatever its case, line breaks or &nbsp;
// between the words. (A hand-written scan: a case-insensitive regexp took
// 60 % of the time of classifying a healthy 30 KB WSDL.)
func HasMaintenanceNotice(body []byte) bool {
	return hasPhrase(bytes.ToLower(body), []string{"sedang", "dalam", "perbaikan"})
}

// hasAnyPhrase reports whether body holds one of the phrases, as HasMaintenanceNotice.
func hasAnyPhrase(body []byte, phrases [][]string) bool {
	lower := bytes.ToLower(body)
	for _, p := range phrases {
		if hasPhrase(lower, p) {
			return true
		}
	}
	return false
}

// hasPhrase reports whether lower holds the words in a row, separated by
// white space or &nbsp;.
func hasPhrase(lower []byte, words []string) bool {
	for i := 0; ; {
		j := bytes.Index(lower[i:], []byte(words[0]))
		if j < 0 {
			return false
		}
		rest, ok := lower[i+j+len(words[0]):], true
		for _, w := range words[1:] {
			if rest, ok = skipGap(rest); !ok || !bytes.HasPrefix(rest, []byte(w)) {
				ok = false
				break
			}
			rest = rest[len(w):]
		}
		if ok {
			return true
		}
		i += j + 1
	}
}

// skipGap skips at least one separator between words: white space,
// &nbsp; or &#160;.
func skipGap(b []byte) ([]byte, bool) {
	n := len(b)
	for {
		switch {
		case len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r' || b[0] == '\f'):
			b = b[1:]
		case bytes.HasPrefix(b, []byte("&nbsp;")):
			b = b[6:]
		case bytes.HasPrefix(b, []byte("&#160;")):
			b = b[6:]
		case bytes.HasPrefix(b, []byte("\xc2\xa0")): // U+00A0 in UTF-8
			b = b[2:]
		default:
			return b, len(b) < n
		}
	}
}

// Classify decides the level and reason of one check. It is pure: the same
// evidence always gives the same answer. detail is a short English note for
// the diagnostics report (never shown as the main message).
func Classify(ev Evidence) (level Level, reason Reason, detail string) {
	if ev.Err != nil {
		// The status and part of the page arrived before the answer broke
		// off: DJP's maintenance notice among it is still the notice.
		if ev.Status != 0 && HasMaintenanceNotice(ev.Body) {
			return LevelDown, ReasonMaintenance, "the answer broke off after the notice"
		}
		reason, detail = classifyError(ev.Err, ev.ProxyUsed)
		if reason == ReasonConnect && detail == "" {
			detail = brokenAnswer(ev)
		}
		return reason.Level(), reason, detail
	}
	// The maintenance notice wins over the status: DJP has served it as 200
	// and as 503, and it is the one answer that says "down, on purpose".
	if HasMaintenanceNotice(ev.Body) || ev.Expect == ExpectCoretax && hasAnyPhrase(ev.Body, coretaxMaintenance) {
		return LevelDown, ReasonMaintenance, ""
	}
	switch s := ev.Status; {
	case s == 407:
		return LevelDegraded, ReasonProxy, "proxy authentication required"
	case s >= 500 && s <= 599:
		return LevelDown, ReasonServerError, fmt.Sprintf("HTTP %d", s)
	case s == 404 || s == 410:
		return LevelDegraded, ReasonNotFound, fmt.Sprintf("HTTP %d", s)
	case s >= 200 && s <= 299:
		if ev.Truncated {
			return LevelDegraded, ReasonUnexpectedContent, "body larger than the read limit"
		}
		switch ev.Expect {
		case ExpectWSDL:
			if ok, why := IsServiceWSDL(ev.Body, ev.Namespace); !ok {
				return LevelDegraded, ReasonUnexpectedContent, why
			}
		case ExpectValidation:
			if root := xmlRoot(ev.Body); root != ValidationRoot {
				return LevelDegraded, ReasonUnexpectedContent, fmt.Sprintf("root element %q is not %s", root, ValidationRoot)
			}
		case ExpectCoretax:
			if hasAnyPhrase(ev.Body, coretaxErrorPages) {
				return LevelDown, ReasonServerError, "Coretax's error page"
			}
		}
		if ev.Slow > 0 && ev.Total >= ev.Slow {
			return LevelDegraded, ReasonSlow, ""
		}
		return LevelUp, ReasonOK, ""
	default:
		detail = fmt.Sprintf("HTTP %d", s)
		if ev.Redirects {
			detail += ", stopped after too many redirects"
		}
		if ev.OffWebRedirect != "" {
			detail += ", its redirect to " + ev.OffWebRedirect + ": not followed"
		}
		return LevelDegraded, ReasonHTTPStatus, detail
	}
}

// brokenAnswer says, for the diagnostics, how an answer that came but could
// not be used failed: it broke off after its status line, or it was not HTTP
// at all (another service on the port, a device in the way). net/http has
// no error types for the latter; its texts are matched, and a test against
// real answers catches a change.
func brokenAnswer(ev Evidence) string {
	var corrupt flate.CorruptInputError
	if ev.Status != 0 && (errors.Is(ev.Err, gzip.ErrHeader) || errors.Is(ev.Err, gzip.ErrChecksum) || errors.As(ev.Err, &corrupt)) {
		// Not a break: the bytes came, but a proxy or the server garbled them.
		return fmt.Sprintf("the answer after HTTP %d says gzip but is not valid gzip, %d bytes decoded", ev.Status, len(ev.Body))
	}
	if ev.Status != 0 {
		return fmt.Sprintf("the answer broke off after HTTP %d, %d bytes in", ev.Status, len(ev.Body))
	}
	msg := ev.Err.Error()
	if strings.Contains(msg, "malformed HTTP") || strings.Contains(msg, "server response headers exceeded") {
		return "the answer is not HTTP (another service on this port, or a device in the way)"
	}
	return ""
}

// ProxyConnectError is a proxy's refusal of a CONNECT tunnel (HTTPS through
// a proxy), with the proxy's status code.
type ProxyConnectError struct {
	Status int
	// Challenges are the proxy's Proxy-Authenticate schemes (lower case)
	// with their tokens: what it would accept as a sign-in.
	Challenges map[string]string
	// SignIn is the Windows sign-in scheme the proxy refused ("" if none
	// was tried).
	SignIn string
}

func (e *ProxyConnectError) Error() string {
	if e.SignIn != "" {
		return fmt.Sprintf("proxy refused the tunnel after a %s sign-in with the Windows account: HTTP %d", e.SignIn, e.Status)
	}
	return fmt.Sprintf("proxy refused the tunnel: HTTP %d", e.Status)
}

// ErrProxyChoice wraps an error of the proxy choice itself (before any
// connection): the request was never sent.
var ErrProxyChoice = errors.New("choosing the proxy")

// classifyError maps a transport error to a reason. Order matters: a proxy
// failure can wrap a DNS error, a TLS failure can wrap a timeout.
func classifyError(err error, viaProxy bool) (Reason, string) {
	var pce *ProxyConnectError
	if errors.As(err, &pce) {
		switch pce.Status {
		case 502, 503, 504:
			// The proxy could not reach DJP: that is DJP (or the route to it)
			// failing, not the proxy. The reference check decides "offline".
			return ReasonConnect, fmt.Sprintf("proxy could not reach the server (HTTP %d)", pce.Status)
		}
		return ReasonProxy, fmt.Sprintf("proxy answered HTTP %d to CONNECT", pce.Status)
	}
	if errors.Is(err, ErrProxySignIn) {
		return ReasonProxy, "signing in to the proxy with the Windows account failed"
	}
	if errors.Is(err, ErrPACSlow) {
		return ReasonProxy, "automatic proxy configuration did not answer"
	}
	if errors.Is(err, ErrProxyChoice) {
		return ReasonProxy, "the proxy setting cannot be used"
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "proxyconnect" {
		return ReasonProxy, "cannot reach the proxy"
	}
	if isTimeout(err) {
		return ReasonTimeout, ""
	}
	// Certificate problems: split by what the user can do about them.
	var unknownCA x509.UnknownAuthorityError
	if errors.As(err, &unknownCA) {
		return ReasonTLSUntrusted, "certificate signed by an unknown authority"
	}
	var hostErr x509.HostnameError
	if errors.As(err, &hostErr) {
		// A certificate for another name: an intercepting proxy or a portal.
		return ReasonTLSUntrusted, "certificate is for another name"
	}
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) {
		if invalid.Reason == x509.Expired {
			return ReasonTLSClock, "certificate expired or not yet valid for this PC's clock"
		}
		return ReasonTLSUntrusted, "certificate invalid"
	}
	var sysRoots x509.SystemRootsError
	if errors.As(err, &sysRoots) {
		return ReasonTLSUntrusted, "no system certificates"
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		if dnsErr.IsTimeout {
			return ReasonTimeout, "DNS timeout"
		}
		return ReasonDNS, ""
	}
	if isConnectionFailure(err) {
		return ReasonConnect, ""
	}
	if isTLSFailure(err) {
		return ReasonTLS, ""
	}
	if viaProxy && strings.Contains(err.Error(), "Proxy Authentication Required") {
		return ReasonProxy, "proxy authentication required"
	}
	// Anything else from the transport means no usable answer arrived.
	return ReasonConnect, ""
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// isConnectionFailure: refused, reset, unreachable, or the peer hung up
// before answering. Resets during the TLS handshake land here too: that is
// how many firewalls block a host, and it is a network-level failure.
func isConnectionFailure(err error) bool {
	for _, e := range []error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED,
		syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ENETDOWN, syscall.EPIPE,
		io.EOF, io.ErrUnexpectedEOF} {
		if errors.Is(err, e) {
			return true
		}
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func isTLSFailure(err error) bool {
	var rh tls.RecordHeaderError
	var alert tls.AlertError
	var verr *tls.CertificateVerificationError
	var ech *tls.ECHRejectionError
	if errors.As(err, &rh) || errors.As(err, &alert) || errors.As(err, &verr) || errors.As(err, &ech) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "tls: ") || strings.Contains(msg, "HTTP response to HTTPS client")
}

// IsServiceWSDL reports whether body is a complete, well-formed WSDL 1.1
// document (root element definitions in the WSDL namespace, any prefix),
// and, when wantNS is set and the document declares a targetNamespace, that
// it is the expected one. why says what was wrong, for diagnostics.
func IsServiceWSDL(body []byte, wantNS string) (ok bool, why string) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(body)) == 0 {
		return false, "empty body"
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	d.CharsetReader = charset.NewReaderLabel
	seenRoot := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if !seenRoot {
				return false, "no root element"
			}
			return true, ""
		}
		if err != nil {
			return false, "not well-formed XML: " + err.Error()
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if seenRoot {
				continue
			}
			seenRoot = true
			if t.Name.Space != WSDLNamespace || t.Name.Local != "definitions" {
				return false, fmt.Sprintf("root element {%s}%s is not a WSDL definitions", t.Name.Space, t.Name.Local)
			}
			if wantNS != "" {
				for _, a := range t.Attr {
					if a.Name.Space == "" && a.Name.Local == "targetNamespace" && a.Value != wantNS {
						return false, "WSDL of another service: targetNamespace " + a.Value
					}
				}
			}
		case xml.CharData:
			if !seenRoot && len(bytes.TrimSpace(t)) > 0 {
				return false, "text before the root element"
			}
		}
	}
}

// xmlRoot is the local name of body's root element ("" when body is not XML).
func xmlRoot(body []byte) string {
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	d.CharsetReader = charset.NewReaderLabel
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if t, ok := tok.(xml.StartElement); ok {
			return t.Name.Local
		}
	}
}
