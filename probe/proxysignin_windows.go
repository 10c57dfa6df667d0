//go:build windows

package probe

import (
	"errors"
	"fmt"

	"github.com/alexbrainman/sspi"
	"github.com/alexbrainman/sspi/negotiate"
	"github.com/alexbrainman/sspi/ntlm"
)

// On Windows the proxy sign-in is SSPI's, with the credentials of the user
// signed in to Windows (no password is asked or stored), as Edge does.
func init() { PlatformProxySignIn = sspiSignIn{} }

type sspiSignIn struct{}

func (sspiSignIn) Begin(scheme, host string) (ProxySignInSteps, error) {
	switch scheme {
	case "Negotiate":
		cred, err := negotiate.AcquireCurrentUserCredentials()
		if err != nil {
			return nil, fmt.Errorf("the Windows account's credentials (Negotiate): %w", err)
		}
		s := &sspiSteps{cred: cred}
		s.begin = func() ([]byte, error) {
			// Kerberos finds the proxy by its service name.
			ctx, token, err := negotiate.NewClientContext(cred, "HTTP/"+host)
			if err != nil {
				return nil, err
			}
			s.release = ctx.Release
			s.update = func(challenge []byte) ([]byte, error) {
				_, token, err := ctx.Update(challenge)
				return token, err
			}
			return token, nil
		}
		return s, nil
	case "NTLM":
		cred, err := ntlm.AcquireCurrentUserCredentials()
		if err != nil {
			return nil, fmt.Errorf("the Windows account's credentials (NTLM): %w", err)
		}
		s := &sspiSteps{cred: cred}
		s.begin = func() ([]byte, error) {
			ctx, token, err := ntlm.NewClientContext(cred)
			if err != nil {
				return nil, err
			}
			s.release, s.update = ctx.Release, ctx.Update
			return token, nil
		}
		return s, nil
	}
	return nil, fmt.Errorf("no sign-in for scheme %q", scheme)
}

// sspiSteps is one SSPI sign-in: begin makes the first token (and sets
// update and release), update answers each challenge.
type sspiSteps struct {
	cred    *sspi.Credentials
	begin   func() ([]byte, error)
	update  func(challenge []byte) ([]byte, error)
	release func() error
}

func (s *sspiSteps) Next(challenge []byte) ([]byte, error) {
	if s.update == nil {
		return s.begin()
	}
	if len(challenge) == 0 {
		return nil, errors.New("the proxy sent no challenge")
	}
	return s.update(challenge)
}

func (s *sspiSteps) Close() {
	if s.release != nil {
		s.release()
	}
	s.cred.Release()
}
