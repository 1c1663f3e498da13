package box

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewCredentialValidation(t *testing.T) {
	jwtCfg := &JWTConfig{ClientID: "cid", ClientSecret: "sec-XYZZY", PublicKeyID: "kid", PrivateKey: testKeyPEM(t), EnterpriseID: "1"}
	cases := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"none", Config{}, "no credentials"},
		{"token and ccg", Config{AccessToken: "t", ClientID: "c", ClientSecret: "s", EnterpriseID: "1"}, "more than one"},
		{"token and jwt", Config{AccessToken: "t", JWT: jwtCfg}, "more than one"},
		{"ccg and jwt", Config{ClientID: "c", ClientSecret: "s", EnterpriseID: "1", JWT: jwtCfg}, "more than one"},
		{"ccg no secret", Config{ClientID: "c", EnterpriseID: "1"}, "missing client secret"},
		{"ccg no id", Config{ClientSecret: "s", UserID: "1"}, "missing client ID"},
		{"ccg no subject", Config{ClientID: "c", ClientSecret: "s"}, "enterprise ID or user ID"},
		{"ccg both subjects", Config{ClientID: "c", ClientSecret: "s", EnterpriseID: "1", UserID: "2"}, "not both"},
		{"only enterprise", Config{EnterpriseID: "1"}, "missing client ID, client secret"},
		{"jwt no key", Config{JWT: &JWTConfig{ClientID: "c", ClientSecret: "s", PublicKeyID: "k", EnterpriseID: "1"}}, "privateKey"},
		{"jwt no subject", Config{JWT: &JWTConfig{ClientID: "c", ClientSecret: "s", PublicKeyID: "k", PrivateKey: testKeyPEM(t)}}, "enterpriseID or userID"},
		{"jwt bad key", Config{JWT: &JWTConfig{ClientID: "c", ClientSecret: "s", PublicKeyID: "k", PrivateKey: "nope", EnterpriseID: "1"}}, "not a PEM block"},
		{"token ok", Config{AccessToken: "t"}, ""},
		{"ccg enterprise ok", Config{ClientID: "c", ClientSecret: "s", EnterpriseID: "1"}, ""},
		{"ccg user ok", Config{ClientID: "c", ClientSecret: "s", UserID: "2"}, ""},
		{"jwt ok", Config{JWT: jwtCfg}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.cfg)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if c.cfg.APIBaseURL != DefaultAPIBaseURL || c.cfg.UploadBaseURL != DefaultUploadBaseURL || c.maxRetries != 5 || c.cfg.RequestTimeout != 60*time.Second || c.cfg.Now == nil {
					t.Errorf("defaults not applied: %+v", c.cfg)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.wantErr)
			}
			for _, secret := range []string{"sec-XYZZY", "BEGIN", "nope"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error leaks %q: %v", secret, err)
				}
			}
		})
	}
}

func TestNewBaseURLs(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:1234", "http://LocalHost:1234", "http://[::1]:9", "http://127.9.9.9", "https://api.box.com", "https://proxy.example.com/box/"} {
		t.Run("accepts "+u, func(t *testing.T) {
			if _, err := New(Config{AccessToken: "t", APIBaseURL: u, UploadBaseURL: u}); err != nil {
				t.Errorf("%s refused: %v", u, err)
			}
		})
	}
	for _, u := range []string{"http://api.box.com", "http://10.0.0.1:8080", "http://localhost.example.com", "ftp://127.0.0.1", "api.box.com", "https://user:pw@api.box.com"} {
		t.Run("refuses "+u, func(t *testing.T) {
			if _, err := New(Config{AccessToken: "t", APIBaseURL: u}); err == nil {
				t.Errorf("API base %s accepted", u)
			}
			if _, err := New(Config{AccessToken: "t", UploadBaseURL: u}); err == nil {
				t.Errorf("upload base %s accepted", u)
			}
		})
	}
	// The client adds /2.0 (and /api/2.0 for uploads) itself.
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"API base with /2.0", Config{AccessToken: "t", APIBaseURL: "https://api.box.com/2.0"}},
		{"API base with /2.0/", Config{AccessToken: "t", APIBaseURL: "http://127.0.0.1:9/2.0/"}},
		{"upload base with /api/2.0", Config{AccessToken: "t", UploadBaseURL: "https://upload.box.com/api/2.0"}},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), "which the client adds") {
				t.Errorf("error = %v", err)
			}
		})
	}
	c, err := New(Config{AccessToken: "t", APIBaseURL: "https://proxy.example.com/box/"})
	if err != nil || c.apiBase != "https://proxy.example.com/box" {
		t.Errorf("apiBase = %q, %v", c.apiBase, err)
	}
}

func TestHeadersUserAgentAsUser(t *testing.T) {
	var tokenAsUser, apiAsUser, apiUA, auth atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/oauth2/token":
			tokenAsUser.Store(r.Header.Get("As-User"))
			writeJSON(w, 200, map[string]any{"access_token": "ccg-tok", "expires_in": 3600, "token_type": "bearer"})
		case "/2.0/users/me":
			apiAsUser.Store(r.Header.Get("As-User"))
			apiUA.Store(r.Header.Get("User-Agent"))
			auth.Store(r.Header.Get("Authorization"))
			writeJSON(w, 200, map[string]any{"type": "user", "id": "42", "login": "u@example.com"})
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, func(cfg *Config) {
		cfg.AccessToken = ""
		cfg.ClientID, cfg.ClientSecret, cfg.EnterpriseID = "cid", "csecret", "999"
		cfg.AsUserID = "777"
	})
	u, err := c.CurrentUser(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "42" {
		t.Errorf("user = %+v", u)
	}
	if got := apiAsUser.Load(); got != "777" {
		t.Errorf("As-User = %v", got)
	}
	if got := tokenAsUser.Load(); got != "" {
		t.Errorf("As-User sent to the token endpoint: %v", got)
	}
	if got := apiUA.Load(); got != "terraform-provider-box/test Terraform/1.11.0" {
		t.Errorf("User-Agent = %v", got)
	}
	if got := auth.Load(); got != "Bearer ccg-tok" {
		t.Errorf("Authorization = %v", got)
	}
}

func TestCCGFormFields(t *testing.T) {
	for _, tc := range []struct {
		name           string
		ent, user      string
		wantType, want string
	}{
		{"enterprise", "999", "", "enterprise", "999"},
		{"user", "", "555", "user", "555"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var form atomic.Value
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/oauth2/token" {
					if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
						t.Errorf("content type %q", ct)
					}
					_ = r.ParseForm()
					form.Store(r.PostForm)
					writeJSON(w, 200, map[string]any{"access_token": "tok", "expires_in": 3600})
					return
				}
				writeJSON(w, 200, map[string]any{"id": "1"})
			}))
			defer srv.Close()
			c, _ := newTestClient(t, srv, func(cfg *Config) {
				cfg.AccessToken = ""
				cfg.ClientID, cfg.ClientSecret, cfg.EnterpriseID, cfg.UserID = "cid", "csecret", tc.ent, tc.user
			})
			if _, err := c.CurrentUser(t.Context()); err != nil {
				t.Fatal(err)
			}
			f := form.Load().(url.Values)
			want := map[string]string{"grant_type": "client_credentials", "client_id": "cid", "client_secret": "csecret", "box_subject_type": tc.wantType, "box_subject_id": tc.want}
			for k, v := range want {
				if len(f[k]) != 1 || f[k][0] != v {
					t.Errorf("%s = %v, want %q", k, f[k], v)
				}
			}
		})
	}
}

func TestTokenEndpointError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "Grant credentials are invalid"})
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, func(cfg *Config) {
		cfg.AccessToken = ""
		cfg.ClientID, cfg.ClientSecret, cfg.EnterpriseID = "cid", "csecret-value", "999"
	})
	_, err := c.CurrentUser(t.Context())
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("want AuthError, got %v", err)
	}
	if ae.Code != "invalid_grant" || ae.StatusCode != 400 || !strings.Contains(err.Error(), "Grant credentials are invalid") || !strings.Contains(err.Error(), "client credentials") {
		t.Errorf("error = %v", err)
	}
	if strings.Contains(err.Error(), "csecret-value") {
		t.Errorf("error leaks the secret: %v", err)
	}
}

// tokenServer counts token requests and checks API calls carry a token it issued.
type tokenServer struct {
	mu        sync.Mutex
	tokenReqs int
	apiCalls  int
	delay     time.Duration
	expiresIn int
	rejectTok map[string]bool // tokens the API answers 401 to
}

func (ts *tokenServer) handler(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/token" {
			ts.mu.Lock()
			ts.tokenReqs++
			n := ts.tokenReqs
			ts.mu.Unlock()
			time.Sleep(ts.delay)
			exp := ts.expiresIn
			if exp == 0 {
				exp = 3600
			}
			writeJSON(w, 200, map[string]any{"access_token": "tok" + strconv.Itoa(n), "expires_in": exp, "token_type": "bearer", "restricted_to": []any{}})
			return
		}
		ts.mu.Lock()
		ts.apiCalls++
		reject := ts.rejectTok[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		ts.mu.Unlock()
		if reject {
			w.Header().Set("WWW-Authenticate", `Bearer realm="Service", error="invalid_token", error_description="The access token provided is invalid."`)
			w.WriteHeader(401)
			return
		}
		writeJSON(w, 200, map[string]any{"type": "user", "id": "42"})
	}
}

func ccg(cfg *Config) {
	cfg.AccessToken = ""
	cfg.ClientID, cfg.ClientSecret, cfg.EnterpriseID = "cid", "csecret", "999"
}

func TestTokenReuseAcrossConcurrentCalls(t *testing.T) {
	ts := &tokenServer{delay: 50 * time.Millisecond}
	srv := httptest.NewServer(ts.handler(t))
	defer srv.Close()
	c, _ := newTestClient(t, srv, ccg)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.CurrentUser(t.Context())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if ts.tokenReqs != 1 || ts.apiCalls != 20 {
		t.Errorf("token requests = %d (want 1), API calls = %d (want 20)", ts.tokenReqs, ts.apiCalls)
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	ts := &tokenServer{expiresIn: 3600}
	srv := httptest.NewServer(ts.handler(t))
	defer srv.Close()
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	c, _ := newTestClient(t, srv, func(cfg *Config) {
		ccg(cfg)
		cfg.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	})
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	call := func() {
		t.Helper()
		if _, err := c.CurrentUser(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	call()
	advance(3000 * time.Second)
	call()
	if ts.tokenReqs != 1 {
		t.Fatalf("token renewed too early: %d requests", ts.tokenReqs)
	}
	advance(550 * time.Second) // 3550 s: within the 60 s margin
	call()
	if ts.tokenReqs != 2 {
		t.Fatalf("token not renewed before expiry: %d requests", ts.tokenReqs)
	}
}

func Test401RefreshesOnceAndRetries(t *testing.T) {
	ts := &tokenServer{rejectTok: map[string]bool{"tok1": true}}
	srv := httptest.NewServer(ts.handler(t))
	defer srv.Close()
	c, logs := newTestClient(t, srv, ccg)
	if _, err := c.CurrentUser(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ts.tokenReqs != 2 || ts.apiCalls != 2 {
		t.Errorf("token requests = %d (want 2), API calls = %d (want 2)", ts.tokenReqs, ts.apiCalls)
	}
	// The new token is kept.
	if _, err := c.CurrentUser(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ts.tokenReqs != 2 {
		t.Errorf("token requests = %d after a later call", ts.tokenReqs)
	}
	if strings.Contains(logs.String(), "tok1") || strings.Contains(logs.String(), "tok2") {
		t.Errorf("logs contain a token:\n%s", logs)
	}

	// Always 401: one refresh, then a clear error.
	ts2 := &tokenServer{rejectTok: map[string]bool{"tok1": true, "tok2": true, "tok3": true}}
	srv2 := httptest.NewServer(ts2.handler(t))
	defer srv2.Close()
	c2, _ := newTestClient(t, srv2, ccg)
	_, err := c2.CurrentUser(t.Context())
	e, ok := AsError(err)
	if !ok || e.StatusCode != 401 || e.Code != "invalid_token" {
		t.Fatalf("error = %v", err)
	}
	if ts2.tokenReqs != 2 || ts2.apiCalls != 2 {
		t.Errorf("token requests = %d, API calls = %d, want 2 and 2", ts2.tokenReqs, ts2.apiCalls)
	}
}

func TestDeveloperToken401(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("WWW-Authenticate", `Bearer realm="Service", error="invalid_token", error_description="The access token provided is invalid."`)
		w.WriteHeader(401)
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	_, err := c.GetSignRequest(t.Context(), "abc")
	e, ok := AsError(err)
	if !ok || e.StatusCode != 401 {
		t.Fatalf("error = %v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "invalid or expired") || !strings.Contains(msg, "GET /2.0/sign_requests/abc returned 401 invalid_token") {
		t.Errorf("message = %s", msg)
	}
	if strings.Contains(msg, "dev-token-123") {
		t.Errorf("message leaks the token: %s", msg)
	}
	if calls.Load() != 1 {
		t.Errorf("calls = %d, want 1", calls.Load())
	}
	if IsNotFound(err) {
		t.Error("IsNotFound on a 401")
	}
}

func TestErrorDecoding(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/2.0/sign_requests":
			writeJSON(w, 400, map[string]any{
				"type": "error", "status": 400, "code": "bad_request", "message": "Bad Request",
				"context_info": map[string]any{"errors": []any{
					map[string]any{"reason": "invalid_parameter", "name": "signers[0].email", "message": "Invalid email"},
					map[string]any{"reason": "invalid_parameter", "name": "days_valid", "message": "must be <= 730"},
				}},
				"help_url": "https://developer.box.com/x", "request_id": "abc123",
			})
		case "/2.0/sign_requests/missing":
			boxError(w, 404, "not_found", "Not Found", "rid404")
		case "/2.0/sign_templates/x":
			boxError(w, 403, "shiny_new_code", "Something new", "rid403")
		case "/2.0/files/1":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(418)
			_, _ = io.WriteString(w, "<html>teapot</html>")
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)

	_, err := c.CreateSignRequest(t.Context(), sampleCreate())
	e, ok := AsError(err)
	if !ok {
		t.Fatalf("not an *Error: %v", err)
	}
	if e.StatusCode != 400 || e.Code != "bad_request" || e.RequestID != "abc123" || e.Method != "POST" || e.Path != "/2.0/sign_requests" || e.HelpURL == "" || len(e.ContextInfo) == 0 {
		t.Errorf("decoded = %+v", e)
	}
	want := `Box API error: POST /2.0/sign_requests returned 400 bad_request: "Bad Request" [signers[0].email: Invalid email; days_valid: must be <= 730] (request_id: abc123)`
	if err.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", err.Error(), want)
	}

	_, err = c.GetSignRequest(t.Context(), "missing")
	if !IsNotFound(err) {
		t.Errorf("IsNotFound false for %v", err)
	}
	_, err = c.GetSignTemplate(t.Context(), "x")
	if e, ok := AsError(err); !ok || e.Code != "shiny_new_code" || e.StatusCode != 403 {
		t.Errorf("unknown code: %v", err)
	}
	_, err = c.GetFile(t.Context(), "1")
	if e, ok := AsError(err); !ok || e.StatusCode != 418 || strings.Contains(err.Error(), "<html>") {
		t.Errorf("non-JSON error: %v", err)
	}
	if IsNotFound(errors.New("x")) || IsNotFound(nil) {
		t.Error("IsNotFound on a plain error")
	}
}

func Test429RetryAfterHonoured(t *testing.T) {
	var calls atomic.Int32
	var first, second atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n == 1 {
			first.Store(time.Now().UnixNano())
			w.Header().Set("Retry-After", "1")
			boxError(w, 429, "rate_limit_exceeded", "Request rate limit exceeded, please try again later", "rl1")
			return
		}
		second.Store(time.Now().UnixNano())
		writeJSON(w, 200, map[string]any{"id": "42"})
	}))
	defer srv.Close()
	c, logs := newTestClient(t, srv, nil)
	if _, err := c.CurrentUser(t.Context()); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Fatalf("calls = %d", calls.Load())
	}
	if gap := time.Duration(second.Load() - first.Load()); gap < 950*time.Millisecond {
		t.Errorf("retried after %s, want >= 1s", gap)
	}
	if !strings.Contains(logs.String(), "retrying Box API request") {
		t.Errorf("retry not logged:\n%s", logs)
	}
}

func Test5xxRetriedUpToMaxRetries(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		boxError(w, 503, "unavailable", "Unavailable", "req-5xx")
	}))
	defer srv.Close()
	c, logs := newTestClient(t, srv, func(cfg *Config) { cfg.MaxRetries = new(2) })
	_, err := c.GetFolder(t.Context(), "0")
	if calls.Load() != 3 {
		t.Errorf("calls = %d, want 3", calls.Load())
	}
	e, ok := AsError(err)
	if !ok || e.StatusCode != 503 || e.RequestID != "req-5xx" || !strings.Contains(err.Error(), "request_id: req-5xx") || !strings.Contains(err.Error(), "3 attempts") {
		t.Errorf("error = %v", err)
	}
	if !strings.Contains(logs.String(), `"attempt":3`) || !strings.Contains(logs.String(), `"request_id":"req-5xx"`) {
		t.Errorf("attempts not logged:\n%s", logs)
	}
}

func TestNetworkErrorRetried(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		writeJSON(w, 200, map[string]any{"id": "0", "type": "folder"})
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	if _, err := c.GetFolder(t.Context(), "0"); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Errorf("calls = %d", calls.Load())
	}
}

func TestContextCancellationStopsRetries(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		boxError(w, 429, "rate_limit_exceeded", "slow down", "r")
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.CurrentUser(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %s", time.Since(start))
	}

	// A hanging server: cancellation interrupts the request itself.
	block := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer hang.Close()
	defer close(block)
	c2, _ := newTestClient(t, hang, nil)
	ctx2, cancel2 := context.WithCancel(t.Context())
	go func() { time.Sleep(100 * time.Millisecond); cancel2() }()
	start = time.Now()
	_, err = c2.CreateSignRequest(ctx2, sampleCreate())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %s", time.Since(start))
	}
}

func TestRequestTimeoutPerAttempt(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
			return
		}
		writeJSON(w, 200, map[string]any{"id": "f"})
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, func(cfg *Config) { cfg.RequestTimeout = 100 * time.Millisecond })
	if _, err := c.GetFile(t.Context(), "f"); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 {
		t.Errorf("calls = %d", calls.Load())
	}
}
