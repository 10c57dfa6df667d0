package browser

import (
	"strings"
	"testing"
)

func TestCommand(t *testing.T) {
	for _, tc := range []struct{ goos, want string }{
		{"linux", "xdg-open https://svc.efaktur.pajak.go.id/svc?wsdl"},
		{"windows", "rundll32 url.dll,FileProtocolHandler https://svc.efaktur.pajak.go.id/svc?wsdl"},
		{"darwin", "open https://svc.efaktur.pajak.go.id/svc?wsdl"},
	} {
		argv, err := Command(tc.goos, "https://svc.efaktur.pajak.go.id/svc?wsdl")
		if err != nil || strings.Join(argv, " ") != tc.want {
			t.Errorf("%s: %v %v", tc.goos, argv, err)
		}
	}
	for _, bad := range []string{"file:///etc/passwd", "javascript:alert(1)", "calc.exe", "", "https://"} {
		if _, err := Command("windows", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
