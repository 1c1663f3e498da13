package box

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// IsCertificateError reports whether err is (or wraps) a failure to verify
// the server's TLS certificate. Such a request never left the client: the
// handshake fails before any byte of it is sent, and retrying cannot help.
func IsCertificateError(err error) bool {
	var verifyErr *tls.CertificateVerificationError
	var invalidErr x509.CertificateInvalidError
	var authErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	return errors.As(err, &verifyErr) || errors.As(err, &invalidErr) || errors.As(err, &authErr) || errors.As(err, &hostErr)
}
