package box

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// Without a Logger the transport skips the log fields (and so the
// redaction of bodies), but not what the client learns from an attempt:
// the attempts are counted for the error and the answer is read as usual.
func TestTransportWithoutLogger(t *testing.T) {
	noLogger := func(cfg *Config) { cfg.Logger = nil; cfg.MaxRetries = new(2) }

	t.Run("answer", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, map[string]any{"id": "42", "type": "folder", "name": "Contracts"})
		}))
		defer srv.Close()
		c, logs := newTestClient(t, srv, noLogger)
		f, err := c.GetFolder(t.Context(), "42")
		if err != nil || f.ID != "42" || f.Name != "Contracts" {
			t.Errorf("GetFolder = %+v, %v; want folder 42 named Contracts", f, err)
		}
		if logs.String() != "" {
			t.Errorf("logged without a Logger:\n%s", logs)
		}
	})

	t.Run("5xx attempts counted", func(t *testing.T) {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			boxError(w, 503, "unavailable", "Unavailable", "req-nolog")
		}))
		defer srv.Close()
		c, _ := newTestClient(t, srv, noLogger)
		_, err := c.GetFolder(t.Context(), "0")
		e, ok := AsError(err)
		if calls.Load() != 3 || !ok || e.RequestID != "req-nolog" || !strings.Contains(err.Error(), "3 attempts") {
			t.Errorf("calls = %d, error = %v; want 3 calls and an error naming 3 attempts and req-nolog", calls.Load(), err)
		}
	})

	t.Run("dropped connection attempts counted", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
		}))
		defer srv.Close()
		c, _ := newTestClient(t, srv, noLogger)
		_, err := c.GetFolder(t.Context(), "0")
		if err == nil || !strings.Contains(err.Error(), "failed after 3 attempt(s)") {
			t.Errorf("error = %v; want a transport error after 3 attempt(s)", err)
		}
	})
}
