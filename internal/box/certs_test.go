package box

import (
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A server whose certificate is not trusted never sees the request: the
// create fails at once with a certificate error, is not retried, and is
// not taken for an ambiguous create (no listing, no "check Box" advice).
func TestUntrustedCertificateIsNotAmbiguous(t *testing.T) {
	calls := 0
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls++ }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	c, logs := newTestClient(t, srv, nil)
	_, err := c.CreateSignRequest(t.Context(), sampleCreate())
	if !IsCertificateError(err) {
		t.Fatalf("error = %v, want a certificate error", err)
	}
	var amb *ambiguousCreateError
	if errors.As(err, &amb) {
		t.Errorf("a refused handshake was treated as an ambiguous create: %v", err)
	}
	if calls != 0 {
		t.Errorf("the server handled %d requests", calls)
	}
	if n := len(logs.lines); n != 1 {
		t.Errorf("%d attempts logged, want 1 (no retry, no listing):\n%s", n, logs)
	}
}
