package probe

import (
	"maps"
	"net/http"
	"slices"
	"testing"
)

func TestProxyChallenges(t *testing.T) {
	for _, tc := range []struct {
		name    string
		lines   []string
		want    map[string]string
		schemes []string
	}{
		{"schemes on their own lines", []string{"Negotiate", "NTLM", `Basic realm="Kantor Pusat"`},
			map[string]string{"negotiate": "", "ntlm": "", "basic": ""}, []string{"Negotiate", "NTLM"}},
		{"on one line", []string{`NTLM, Basic realm="a, b"`}, map[string]string{"ntlm": "", "basic": ""}, []string{"NTLM"}},
		{"a challenge with padding", []string{"NTLM TlRMTVNTUAACAAAA=="}, map[string]string{"ntlm": "TlRMTVNTUAACAAAA=="}, []string{"NTLM"}},
		{"Negotiate's token", []string{"Negotiate oYGzMIGwoAMKAQGhDAYKKwYBBAGCNwICCqKBmgSBlw=="},
			map[string]string{"negotiate": "oYGzMIGwoAMKAQGhDAYKKwYBBAGCNwICCqKBmgSBlw=="}, []string{"Negotiate"}},
		{"case as the proxy likes it", []string{"negotiate"}, map[string]string{"negotiate": ""}, []string{"Negotiate"}},
		{"Digest is not a sign-in", []string{`Digest realm="x", qop="auth", nonce="abc="`}, map[string]string{"digest": ""}, nil},
		{"none", nil, map[string]string{}, nil},
	} {
		h := http.Header{}
		for _, l := range tc.lines {
			h.Add("Proxy-Authenticate", l)
		}
		got := proxyChallenges(h)
		if !maps.Equal(got, tc.want) || !slices.Equal(offeredSignIns(got, everySignIn{}), tc.schemes) {
			t.Errorf("%s: %v (sign-ins %q), want %v (%q)", tc.name, got, offeredSignIns(got, everySignIn{}), tc.want, tc.schemes)
		}
	}
}

// everySignIn is a platform where every sign-in is available.
type everySignIn struct{}

func (everySignIn) Begin(string, string) (ProxySignInSteps, error) { return nil, nil }
func (everySignIn) Unavailable(string) error                       { return nil }
