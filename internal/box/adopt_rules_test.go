package box

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// A token request retried after a timeout or a 5xx signs a new assertion:
// Box accepts a jti once, and the attempt that failed may have used it. A
// refusal of a reused jti is retried, never kept as a refusal of the
// credentials.
func TestJWTRetrySignsFreshJTI(t *testing.T) {
	for name, first := range map[string]func(w http.ResponseWriter){
		"502 first": func(w http.ResponseWriter) { boxError(w, 502, "bad_gateway", "Bad Gateway", "rid") },
		"reused jti first": func(w http.ResponseWriter) {
			writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "Please check the 'jti' claim. A unique 'jti' value is required."})
		},
	} {
		t.Run(name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			var tokenReqs atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/oauth2/token" {
					writeJSON(w, 200, map[string]any{"id": "42", "type": "user"})
					return
				}
				n := tokenReqs.Add(1)
				_ = r.ParseForm()
				claims := jwt.MapClaims{}
				if _, err := jwt.ParseWithClaims(r.PostForm.Get("assertion"), claims, func(*jwt.Token) (any, error) { return &testRSAKey(t).PublicKey, nil }); err != nil {
					t.Errorf("assertion: %v", err)
				}
				jti, _ := claims["jti"].(string)
				mu.Lock()
				seen[jti]++
				reused := seen[jti] > 1
				mu.Unlock()
				switch {
				case reused:
					writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "Please check the 'jti' claim. A unique 'jti' value is required."})
				case n == 1:
					first(w)
				default:
					writeJSON(w, 200, map[string]any{"access_token": "tok", "expires_in": 3600})
				}
			}))
			defer srv.Close()
			jc, err := ParseJWTConfig(jwtConfigJSON(t, testKeyPEM(t), "", nil))
			if err != nil {
				t.Fatal(err)
			}
			c, _ := newTestClient(t, srv, func(cfg *Config) { cfg.AccessToken = ""; cfg.JWT = jc })
			if _, err := c.CurrentUser(t.Context()); err != nil {
				t.Fatalf("CurrentUser: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if tokenReqs.Load() != 2 || len(seen) != 2 {
				t.Errorf("token requests = %d with %d distinct jti, want 2 and 2", tokenReqs.Load(), len(seen))
			}
		})
	}
}

// A reused-jti refusal is not a refusal of the credentials.
func TestReusedJTIRefusalNotDefinitive(t *testing.T) {
	reused := &AuthError{Code: "invalid_grant", Description: "Please check the 'jti' claim. A unique 'jti' value is required."}
	other := &AuthError{Code: "invalid_grant", Description: "Invalid refresh token"}
	if reused.Definitive() || !other.Definitive() {
		t.Errorf("Definitive: reused jti = %v (want false), other invalid_grant = %v (want true)", reused.Definitive(), other.Definitive())
	}
}

// conflictServer answers a folder create or an upload with first, then
// with a 409 naming item 77, whose created_by and created_at it sets.
func conflictServer(t *testing.T, first func(w http.ResponseWriter), by string, at time.Time) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var gets atomic.Int32
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		item := map[string]any{"id": "77", "name": "doc.pdf", "sha1": SHA1Hex([]byte("%PDF body")),
			"created_at": at.UTC().Format(time.RFC3339), "created_by": map[string]any{"type": "user", "id": by}}
		switch r.URL.Path {
		case "/2.0/folders", "/api/2.0/files/content":
			typ := "folder"
			if strings.Contains(r.URL.Path, "files") {
				typ = "file"
			}
			item["type"] = typ
			if n.Add(1) == 1 {
				first(w)
				return
			}
			writeJSON(w, 409, map[string]any{"type": "error", "status": 409, "code": "item_name_in_use", "request_id": "rid-409",
				"context_info": map[string]any{"conflicts": []any{item}}})
		case "/2.0/folders/77", "/2.0/files/77":
			gets.Add(1)
			item["type"] = strings.TrimSuffix(strings.Split(r.URL.Path, "/")[2], "s")
			writeJSON(w, 200, item)
		case "/2.0/users/me":
			writeJSON(w, 200, map[string]any{"type": "user", "id": "7", "login": "me@example.com"})
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &gets
}

// Folder and file creates adopt the item of a 409 only after an attempt
// that may have taken effect (a 5xx), and only an item this user created
// after that attempt began. After a 429, which never took effect, the 409
// names someone else's item: the create fails, naming it.
func TestCreate409AfterAttempt(t *testing.T) {
	now := time.Now()
	cases := []struct {
		name  string
		first func(w http.ResponseWriter)
		by    string
		at    time.Time
		adopt bool
	}{
		{"after 502, mine, new", func(w http.ResponseWriter) { boxError(w, 502, "bad_gateway", "x", "r") }, "7", now, true},
		{"after 429", func(w http.ResponseWriter) { boxError(w, 429, "rate_limit_exceeded", "x", "r") }, "7", now, false},
		{"after 502, another user's", func(w http.ResponseWriter) { boxError(w, 502, "bad_gateway", "x", "r") }, "8", now, false},
		{"after 502, made an hour before", func(w http.ResponseWriter) { boxError(w, 502, "bad_gateway", "x", "r") }, "7", now.Add(-time.Hour), false},
	}
	for _, tc := range cases {
		for _, kind := range []string{"folder", "file"} {
			t.Run(tc.name+"/"+kind, func(t *testing.T) {
				srv, _ := conflictServer(t, tc.first, tc.by, tc.at)
				c, _ := newTestClient(t, srv, nil)
				var id string
				var err error
				if kind == "folder" {
					var f *Folder
					if f, err = c.CreateFolder(t.Context(), "0", "doc.pdf"); f != nil {
						id = f.ID
					}
				} else {
					var f *File
					if f, err = c.UploadFile(t.Context(), "0", "doc.pdf", []byte("%PDF body")); f != nil {
						id = f.ID
					}
				}
				if tc.adopt {
					if err != nil || id != "77" {
						t.Fatalf("got %q, %v; want item 77 adopted", id, err)
					}
					return
				}
				e, ok := AsError(err)
				if !ok || e.StatusCode != 409 || id != "" {
					t.Fatalf("got %q, %v; want the 409", id, err)
				}
				if typ, cid, found := e.ConflictingItem(); !found || cid != "77" || typ != kind {
					t.Errorf("the 409 names %s %s (%v), want %s 77", typ, cid, found, kind)
				}
			})
		}
	}
}

// Box's clock decides what is recent, not this machine's: a local clock
// an hour ahead (or behind) neither hides an orphan nor widens the window.
func TestOrphanWindowOnBoxClock(t *testing.T) {
	for _, skew := range []time.Duration{time.Hour, -time.Hour} {
		t.Run(skew.String(), func(t *testing.T) {
			e := newEmuBox(t)
			orphan, err := e.client(t, 0).CreateSignRequest(t.Context(), e.body(1))
			if err != nil {
				t.Fatal(err)
			}
			c := e.client(t, 30*time.Minute)
			c.cfg.Now = func() time.Time { return time.Now().Add(skew) }
			o, err := c.FindOrphan(t.Context(), e.body(1))
			if err != nil || o == nil || o.Request.ID != orphan.ID {
				t.Fatalf("FindOrphan with the local clock %s off = %+v, %v; want %s", skew, o, err, orphan.ID)
			}
		})
	}
}

// An ambiguous create measures "since the attempt began" on Box's clock:
// with the local clock two minutes ahead, the request the attempt made is
// still found (it was re-sent before).
func TestAmbiguousCreateOnBoxClock(t *testing.T) {
	e := newEmuBox(t)
	fault(t, e.srv.URL, `{"method": "POST", "path": "/2.0/sign_requests", "status": 500, "times": 1, "after_effect": true}`)
	c := e.client(t, 0)
	c.cfg.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	if _, err := c.CurrentUser(t.Context()); err != nil { // learns Box's clock
		t.Fatal(err)
	}
	sr, adopted, err := c.CreateOrAdoptSignRequest(t.Context(), e.body(1), CreateOptions{AllowIdentical: true})
	if err != nil || adopted == nil || adopted.Reason != AdoptedAfterAmbiguousCreate {
		t.Fatalf("create = %+v, %+v, %v; want the request found after the 500", sr, adopted, err)
	}
	if n := e.calls(t, routeCreate); n != 1 {
		t.Errorf("creates = %d, want 1", n)
	}
}

// An orphan walk cut short by its page cap cannot say there is no orphan:
// the create fails, naming the cap, and sends nothing.
func TestOrphanWalkPageCapFailsClosed(t *testing.T) {
	e := newEmuBox(t)
	old := e.client(t, 0)
	for i := range 3 {
		if _, err := old.CreateSignRequest(t.Context(), e.body(100+i)); err != nil {
			t.Fatal(err)
		}
	}
	c := e.client(t, time.Hour)
	c.orphanPages = 2
	before := e.calls(t, routeCreate)
	// Pages of one entry: the emulator's list honours limit.
	c.listLimit = 1
	_, _, err := c.CreateOrAdoptSignRequest(t.Context(), e.body(1), CreateOptions{})
	r, ok := AsOrphanRefusal(err)
	if !ok || r.Reason != RefusedPageCap || !strings.Contains(err.Error(), "2 pages") {
		t.Fatalf("error = %v, want the page-cap refusal", err)
	}
	if n := e.calls(t, routeCreate); n != before {
		t.Errorf("creates = %d, want none", n-before)
	}
}

// fault injects one failure into the emulator at base.
func fault(t *testing.T, base, body string) {
	t.Helper()
	resp, err := http.Post(base+"/_emulator/faults", "application/json", strings.NewReader(body)) //nolint:noctx // a test's call to the loopback emulator
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("fault %s: HTTP %d", body, resp.StatusCode)
	}
}

// Adoption and cancellation are exclusive within a process: a destroy
// never cancels a request a create adopted; a planned adoption that a
// destroy reaches first is lost (the create then fails, sending nothing);
// a request the state tracks is never planned for adoption, and a plan
// that chose one the state turns out to track is caught.
func TestClaimsExclusive(t *testing.T) {
	e := newEmuBox(t)
	c := e.client(t, time.Hour)
	if !c.claimAdoption("adopted", false) || !c.claimAdoption("adopted", true) {
		t.Fatal("plan then adopt")
	}
	if c.ClaimCancel("adopted") {
		t.Error("a destroy may cancel a request a create adopted")
	}
	if !c.claimAdoption("planned", false) || !c.ClaimCancel("planned") {
		t.Fatal("a destroy must win over a planned adoption")
	}
	if _, err := c.AdoptSignRequest(t.Context(), "planned", e.body(1)); !IsAdoptionLost(err) {
		t.Errorf("adopting a request this apply cancels: %v, want the adoption lost", err)
	}
	if !c.Track("tracked") || c.claimAdoption("tracked", false) {
		t.Error("a tracked request was planned for adoption")
	}
	if !c.claimAdoption("chosen", false) || c.Track("chosen") {
		t.Error("tracking a request a plan chose to adopt must report the conflict")
	}
}
