package probe

import (
	"maps"
	"net/http"
	"testing"
)

func TestProxyChallenges(t *testing.T) {
	for _, tc := range []struct {
		name   string
		lines  []string
		want   map[string]string
		scheme string
	}{
		{"schemes on their own lines", []string{"Negotiate", "NTLM", `Basic realm="Kantor Pusat"`},
			map[string]string{"negotiate": "", "ntlm": "", "basic": ""}, "Negotiate"},
		{"on one line", []string{`NTLM, Basic realm="a, b"`}, map[string]string{"ntlm": "", "basic": ""}, "NTLM"},
		{"a challenge with padding", []string{"NTLM TlRMTVNTUAACAAAA=="}, map[string]string{"ntlm": "TlRMTVNTUAACAAAA=="}, "NTLM"},
		{"Negotiate's token", []string{"Negotiate oYGzMIGwoAMKAQGhDAYKKwYBBAGCNwICCqKBmgSBlw=="},
			map[string]string{"negotiate": "oYGzMIGwoAMKAQGhDAYKKwYBBAGCNwICCqKBmgSBlw=="}, "Negotiate"},
		{"case as the proxy likes it", []string{"negotiate"}, map[string]string{"negotiate": ""}, "Negotiate"},
		{"Digest is not a sign-in", []string{`Digest realm="x", qop="auth", nonce="abc="`}, map[string]string{"digest": ""}, ""},
		{"none", nil, map[string]string{}, ""},
	} {
		h := http.Header{}
		for _, l := range tc.lines {
			h.Add("Proxy-Authenticate", l)
		}
		got := proxyChallenges(h)
		if !maps.Equal(got, tc.want) || signInScheme(got) != tc.scheme {
			t.Errorf("%s: %v (scheme %q), want %v (%q)", tc.name, got, signInScheme(got), tc.want, tc.scheme)
		}
	}
}
