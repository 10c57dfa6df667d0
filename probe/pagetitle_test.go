package probe_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"pantau-efaktur/internal/fakesvc"
	"pantau-efaktur/probe"
)

func TestPageTitle(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Akses ditolak ", 40)
	tests := []struct {
		name, body, contentType, want string
	}{
		{"captive portal", "<html><head><title>Wi-Fi Login</title></head><body>…</body></html>", "text/html", "Wi-Fi Login"},
		{"upper case tags", "<HTML><HEAD><TITLE>Websense</TITLE></HEAD></HTML>", "", "Websense"},
		{"entities decoded", "<title>Access Denied &amp; Logged &#8211; FortiGuard</title>", "", "Access Denied & Logged – FortiGuard"},
		{"white space collapsed", "<title>\r\n\t  Login \n\n Hotspot\tKantor  </title>", "", "Login Hotspot Kantor"},
		{"no title", "<html><body><h1>403 Forbidden</h1></body></html>", "", ""},
		{"empty title", "<title>   </title>", "", ""},
		{"the WSDL has none", string(fakesvc.WSDL()), "text/xml", ""},
		{"plain text", "Service Unavailable", "text/plain", ""},
		{"json", `{"title":"x"}`, "application/json", ""},
		{"svg title is a tooltip", "<body><svg><title>logo</title></svg><p>x</p></body>", "", ""},
		{"page title after an svg", "<svg><title>logo</title></svg><title>Blocked</title>", "", "Blocked"},
		{"unclosed at the end", "<html><head><title>Login Wi-Fi", "", "Login Wi-Fi"},
		{"tags inside are text", "<title>a <b>b</b></title>", "", "a <b>b</b>"},
		{"bidi override and controls dropped", "<title>Login\u202e nigoL\u200b\x07 Portal</title>", "", "Login nigoL Portal"},
		{"invalid UTF-8 dropped", "<meta charset=utf-8><title>Log\xffin</title>", "", "Login"},
		{"charset from meta", "<meta charset=\"iso-8859-1\"><title>Acc\xe8s refus\xe9</title>", "", "Accès refusé"},
		{"charset from the header", "<title>Caf\xe9 Wi-Fi</title>", "text/html; charset=windows-1252", "Café Wi-Fi"},
		{"long title cut", "<title>" + long + "</title>", "", string([]rune(strings.TrimSpace(long))[:79]) + "…"},
		{"huge title cut", "<title>" + strings.Repeat("a", 2<<20) + "</title>", "", strings.Repeat("a", 79) + "…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := probe.PageTitle([]byte(tc.body), tc.contentType); got != tc.want {
				t.Errorf("PageTitle = %q, want %q", got, tc.want)
			}
		})
	}
}

// Whatever a hostile server sends, the title is short, valid UTF-8 and
// free of control and format characters: it goes into tooltips and
// notifications as it is.
func FuzzPageTitle(f *testing.F) {
	for _, s := range []string{"<title>x</title>", "<svg><title>", "<title>\u202eabc", "<meta charset=utf-16><title>a</title>", string(fakesvc.WSDL())} {
		f.Add([]byte(s), "text/html")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		got := probe.PageTitle(body, contentType)
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > 80 || got != strings.TrimSpace(got) {
			t.Fatalf("title %q: invalid, too long or padded", got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || (unicode.IsSpace(r) && r != ' ') {
				t.Fatalf("title %q carries %U", got, r)
			}
		}
	})
}
