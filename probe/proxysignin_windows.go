//go:build windows

package probe

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"syscall"

	"github.com/alexbrainman/sspi"
)

// On Windows the proxy sign-in is SSPI's, with the credentials of the user
// signed in to Windows (no password is asked or stored), as Edge does.
// Each security package is looked up when first needed, never at start: a
// Windows where NTLM is disabled or removed (or Wine without ntlm_auth)
// must still run, only without that sign-in.
func init() { PlatformProxySignIn = &sspiSignIn{} }

type sspiSignIn struct {
	once     sync.Map // scheme → func() (*sspi.PackageInfo, error)
	warnOnce sync.Map // scheme → struct{}: the log says so once
}

// pkg is the security package of scheme ("Negotiate" and "NTLM" are
// SSPI's own names for theirs).
func (s *sspiSignIn) pkg(scheme string) (*sspi.PackageInfo, error) {
	query, _ := s.once.LoadOrStore(scheme, sync.OnceValues(func() (*sspi.PackageInfo, error) {
		return sspi.QueryPackageInfo(scheme)
	}))
	info, err := query.(func() (*sspi.PackageInfo, error))()
	if err != nil {
		if _, told := s.warnOnce.LoadOrStore(scheme, struct{}{}); !told {
			slog.Warn("proxy sign-in with the Windows account is unavailable", "scheme", scheme, "err", err)
		}
		return nil, fmt.Errorf("%w: the Windows security package %s: %w", ErrSignInUnavailable, scheme, err)
	}
	return info, nil
}

func (s *sspiSignIn) Unavailable(scheme string) error {
	_, err := s.pkg(scheme)
	return err
}

func (s *sspiSignIn) Begin(scheme, host string) (ProxySignInSteps, error) {
	if scheme != "Negotiate" && scheme != "NTLM" {
		return nil, fmt.Errorf("no sign-in for scheme %q", scheme)
	}
	info, err := s.pkg(scheme)
	if err != nil {
		return nil, err
	}
	cred, err := sspi.AcquireCredentials("", scheme, sspi.SECPKG_CRED_OUTBOUND, nil)
	if err != nil {
		return nil, fmt.Errorf("the Windows account's credentials (%s): %w", scheme, err)
	}
	steps := &sspiSteps{cred: cred, ctx: sspi.NewClientContext(cred, sspi.ISC_REQ_CONNECTION), maxToken: info.MaxToken}
	if scheme == "Negotiate" {
		// Kerberos finds the proxy by its service name.
		if steps.target, err = syscall.UTF16PtrFromString("HTTP/" + host); err != nil {
			cred.Release()
			return nil, err
		}
	}
	return steps, nil
}

// sspiSteps is one SSPI sign-in: InitializeSecurityContext, fed each
// challenge of the proxy in turn.
type sspiSteps struct {
	cred     *sspi.Credentials
	ctx      *sspi.Context
	target   *uint16
	maxToken uint32
	started  bool
}

func (s *sspiSteps) Next(challenge []byte) ([]byte, error) {
	if s.started && len(challenge) == 0 {
		return nil, errors.New("the proxy sent no challenge")
	}
	in := sspi.SecBuffer{}
	in.Set(sspi.SECBUFFER_TOKEN, challenge)
	inDesc := &sspi.SecBufferDesc{Version: sspi.SECBUFFER_VERSION, BuffersCount: 1, Buffers: &in}
	if !s.started {
		inDesc = nil // the first token answers no challenge
	}
	token := make([]byte, s.maxToken)
	out := sspi.SecBuffer{}
	out.Set(sspi.SECBUFFER_TOKEN, token)
	outDesc := &sspi.SecBufferDesc{Version: sspi.SECBUFFER_VERSION, BuffersCount: 1, Buffers: &out}
	s.started = true
	switch ret := s.ctx.Update(s.target, outDesc, inDesc); ret {
	case sspi.SEC_E_OK, sspi.SEC_I_CONTINUE_NEEDED:
	case sspi.SEC_I_COMPLETE_NEEDED, sspi.SEC_I_COMPLETE_AND_CONTINUE:
		if ret := sspi.CompleteAuthToken(s.ctx.Handle, outDesc); ret != sspi.SEC_E_OK {
			return nil, ret
		}
	default:
		return nil, ret
	}
	if out.BufferSize == 0 {
		return nil, errors.New("the Windows sign-in gave an empty token")
	}
	return token[:out.BufferSize], nil
}

func (s *sspiSteps) Close() {
	if s.started {
		s.ctx.Release()
	}
	s.cred.Release()
}
