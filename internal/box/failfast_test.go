package box

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// refusingTokenServer answers every token request with the OAuth2 error
// code after delay, and counts them.
func refusingTokenServer(t *testing.T, code string, delay time.Duration) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth2/token" {
			t.Errorf("an API call was made without a token: %s", r.URL.Path)
			return
		}
		n.Add(1)
		time.Sleep(delay)
		writeJSON(w, 400, map[string]any{"error": code, "error_description": "refused"})
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// concurrently runs f n times at once and returns the errors.
func concurrently(n int, f func() error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = f() })
	}
	wg.Wait()
	return errs
}

// A definitive refusal is asked for once, by concurrent and later callers
// alike; a refusal that might pass is asked for again by later callers.
func TestTokenRefusalRemembered(t *testing.T) {
	cases := []struct {
		code       string
		definitive bool
	}{
		{"invalid_client", true},
		{"invalid_grant", true},
		{"unauthorized_client", true},
		{"invalid_request", false},
	}
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			srv, n := refusingTokenServer(t, c.code, 50*time.Millisecond)
			cl, _ := newTestClient(t, srv, ccg)
			call := func() error { _, err := cl.CurrentUser(t.Context()); return err }
			errs := append(concurrently(8, call), call(), call())
			for _, err := range errs {
				ae, ok := errors.AsType[*AuthError](err)
				if !ok || ae.Code != c.code {
					t.Fatalf("error = %v, want the %s refusal", err, c.code)
				}
			}
			want := int32(1)
			if !c.definitive {
				want = 3 // one shared by the 8 concurrent callers, then one each
			}
			if got := n.Load(); got != want {
				t.Errorf("%d token requests, want %d", got, want)
			}
		})
	}
}

// When the caller whose fetch the others wait for gives up, a waiter still
// gets a token: it fetches one itself.
func TestTokenWaiterOutlivesCancelledLeader(t *testing.T) {
	var reqs atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/token" {
			if reqs.Add(1) == 1 {
				select { // the leader's fetch hangs until it is cancelled
				case <-release:
				case <-r.Context().Done():
				}
				return
			}
			writeJSON(w, 200, map[string]any{"access_token": "tok", "expires_in": 3600})
			return
		}
		writeJSON(w, 200, map[string]any{"type": "user", "id": "42"})
	}))
	defer srv.Close()
	defer close(release)
	c, _ := newTestClient(t, srv, ccg)
	leaderCtx, cancel := context.WithCancel(t.Context())
	leaderErr := make(chan error, 1)
	go func() { _, err := c.CurrentUser(leaderCtx); leaderErr <- err }()
	for reqs.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	waiterErr := make(chan error, 1)
	go func() { _, err := c.CurrentUser(t.Context()); waiterErr <- err }()
	time.Sleep(20 * time.Millisecond) // let the waiter join the fetch
	cancel()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Errorf("leader: %v, want its cancellation", err)
	}
	if err := <-waiterErr; err != nil {
		t.Errorf("waiter: %v", err)
	}
	if got := reqs.Load(); got != 2 {
		t.Errorf("%d token requests, want 2", got)
	}
}

// dialHook is an HTTP client whose dials go through dial, counted.
func dialHook(dial func(ctx context.Context, network, addr string) (net.Conn, error)) (*http.Client, *atomic.Int32) {
	var n atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		n.Add(1)
		return dial(ctx, network, addr)
	}}
	return &http.Client{Transport: tr}, &n
}

func failDial(err error) func(context.Context, string, string) (net.Conn, error) {
	return func(context.Context, string, string) (net.Conn, error) { return nil, err }
}

// Failures that no retry can fix end after one attempt, with a message that
// says what is wrong; the others are still retried.
func TestUnfixableNetworkErrorsFailAtOnce(t *testing.T) {
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	realDial := (&net.Dialer{}).DialContext
	refusedOff := &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 443},
		Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	cases := []struct {
		name     string
		base     string
		dial     func(context.Context, string, string) (net.Conn, error)
		auth     func(*Config)
		create   bool
		attempts int32
		want     string
	}{
		{"no such host", "https://api.box.invalid", failDial(&net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "no such host", Name: "api.box.invalid", IsNotFound: true}}), nil, false, 1, `"api.box.invalid" does not resolve`},
		{"no such host, token", "https://api.box.invalid", failDial(&net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "no such host", Name: "api.box.invalid", IsNotFound: true}}), ccg, false, 1, "requesting an access token"},
		{"http answering https", "https://" + strings.TrimPrefix(plain.URL, "http://"), realDial, nil, false, 1, "answered plain HTTP"},
		{"refused on loopback", closed.URL, realDial, nil, false, 1, "Nothing is listening on 127.0.0.1"},
		{"refused on loopback, create", closed.URL, realDial, nil, true, 1, "start the emulator"},
		{"temporary DNS failure", "https://api.box.invalid", failDial(&net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "server misbehaving", Name: "api.box.invalid", IsTemporary: true}}), nil, false, 4, "server misbehaving"},
		{"refused off loopback, create", "https://api.box.invalid", failDial(refusedOff), nil, true, 4, "connection refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hc, dials := dialHook(c.dial)
			srv := &httptest.Server{URL: c.base}
			cl, _ := newTestClient(t, srv, func(cfg *Config) {
				cfg.HTTPClient = hc
				if c.auth != nil {
					c.auth(cfg)
				}
			})
			var err error
			if c.create {
				_, err = cl.CreateSignRequest(t.Context(), sampleCreate())
			} else {
				_, err = cl.CurrentUser(t.Context())
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want it to say %q", err, c.want)
			}
			if got := dials.Load(); got != c.attempts {
				t.Errorf("%d attempts, want %d", got, c.attempts)
			}
			if c.create && !wasNotSent(err) {
				t.Errorf("a create that never left was treated as ambiguous: %v", err)
			}
		})
	}
}

// The authenticated user is asked of Box once per Client, however many
// callers want it; a failure is not remembered.
func TestAuthenticatedUserAskedOnce(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			boxError(w, 400, "bad_request", "first call fails", "r1")
			return
		}
		time.Sleep(20 * time.Millisecond)
		writeJSON(w, 200, map[string]any{"type": "user", "id": "42", "login": "sa@example.com"})
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	if _, err := c.AuthenticatedUser(t.Context()); err == nil {
		t.Fatal("the first call should fail")
	}
	errs := concurrently(8, func() error {
		u, err := c.AuthenticatedUser(t.Context())
		if err == nil && u.Login != "sa@example.com" {
			err = errors.New("wrong user " + u.Login)
		}
		return err
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := calls.Load(); got != 2 {
		t.Errorf("GET /users/me made %d times, want 2 (one failed, one shared)", got)
	}
}

// Box answers a client-credentials user grant that the app's settings
// refuse ("Generate user access tokens" off) with invalid_grant, as it
// answers a wrong secret: asking again cannot succeed, so the client asks
// once and says which setting to check.
func TestUserGrantRefusedBySettingsAskedOnce(t *testing.T) {
	emu, err := emulator.New(emulator.Options{Seed: true, UserTokensDisabled: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	defer srv.Close()
	cl, _ := newTestClient(t, srv, func(cfg *Config) {
		cfg.AccessToken = ""
		cfg.ClientID, cfg.ClientSecret, cfg.UserID = emulator.DefaultClientID, emulator.DefaultClientSecret, emu.Seeded().AdminUserID
	})
	for range 3 {
		_, err := cl.CurrentUser(t.Context())
		ae, ok := errors.AsType[*AuthError](err)
		if !ok || ae.Code != "invalid_grant" || !ae.Definitive() || !strings.Contains(err.Error(), "Generate user access tokens") {
			t.Fatalf("error = %v, want the definitive invalid_grant naming the setting", err)
		}
	}
	if n := emulatorCalls(t, srv.URL, "POST /oauth2/token"); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
}
