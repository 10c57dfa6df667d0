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
		// Kerberos finds the proxy by its service name.
		return &negotiateSteps{cred: cred, spn: "HTTP/" + host}, nil
	case "NTLM":
		cred, err := ntlm.AcquireCurrentUserCredentials()
		if err != nil {
			return nil, fmt.Errorf("the Windows account's credentials (NTLM): %w", err)
		}
		return &ntlmSteps{cred: cred}, nil
	}
	return nil, fmt.Errorf("no sign-in for scheme %q", scheme)
}

type negotiateSteps struct {
	cred *sspi.Credentials
	spn  string
	ctx  *negotiate.ClientContext
}

func (s *negotiateSteps) Next(challenge []byte) ([]byte, error) {
	if s.ctx == nil {
		ctx, token, err := negotiate.NewClientContext(s.cred, s.spn)
		if err != nil {
			return nil, err
		}
		s.ctx = ctx
		return token, nil
	}
	if len(challenge) == 0 {
		return nil, errors.New("the proxy sent no challenge")
	}
	_, token, err := s.ctx.Update(challenge)
	return token, err
}

func (s *negotiateSteps) Close() {
	if s.ctx != nil {
		s.ctx.Release()
	}
	s.cred.Release()
}

type ntlmSteps struct {
	cred *sspi.Credentials
	ctx  *ntlm.ClientContext
}

func (s *ntlmSteps) Next(challenge []byte) ([]byte, error) {
	if s.ctx == nil {
		ctx, token, err := ntlm.NewClientContext(s.cred)
		if err != nil {
			return nil, err
		}
		s.ctx = ctx
		return token, nil
	}
	if len(challenge) == 0 {
		return nil, errors.New("the proxy sent no challenge")
	}
	return s.ctx.Update(challenge)
}

func (s *ntlmSteps) Close() {
	if s.ctx != nil {
		s.ctx.Release()
	}
	s.cred.Release()
}
