package provider

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
)

// trustingHTTPClient returns an HTTP client that verifies servers against
// the system's CA certificates plus those in the PEM file at path (for a
// TLS-inspecting proxy or a private endpoint). Verification is never
// turned off.
func trustingHTTPClient(path string) (*http.Client, error) {
	pem, err := os.ReadFile(path) //nolint:gosec // the user names the file on purpose
	if err != nil {
		return nil, fmt.Errorf("reading it failed: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("it holds no PEM certificate (a block starting with -----BEGIN CERTIFICATE-----)")
	}
	tr := &http.Transport{Proxy: http.ProxyFromEnvironment}
	if def, ok := http.DefaultTransport.(*http.Transport); ok {
		tr = def.Clone()
	}
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr}, nil
}

// withDialer returns a client whose transport, a copy of c's (or of Go's
// default), dials with dial and no proxy; TLS settings such as ca_cert_file's roots are
// kept. It serves the provider's test-only dial hook.
func withDialer(c *http.Client, dial func(ctx context.Context, network, addr string) (net.Conn, error)) *http.Client {
	var tr *http.Transport
	if c != nil {
		tr, _ = c.Transport.(*http.Transport)
	}
	if tr == nil {
		tr, _ = http.DefaultTransport.(*http.Transport)
	}
	if tr == nil {
		tr = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	tr = tr.Clone()
	tr.DialContext = dial
	tr.Proxy = nil // every connection goes where dial says, never to a proxy
	return &http.Client{Transport: tr}
}
