package box

import (
	"context"
	"crypto/sha1" //nolint:gosec // G505: the fake Box checks the SHA-1 digest Box uses to name file content
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// signServer serves create/list/get/cancel over a fakeSign; createFn
// decides how each POST is answered (its attempt number is 1-based).
func signServer(t *testing.T, f *fakeSign, createFn func(n int, w http.ResponseWriter, body []byte)) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/2.0/sign_requests":
			body, _ := io.ReadAll(r.Body)
			f.mu.Lock()
			f.posts++
			n := f.posts
			f.mu.Unlock()
			createFn(n, w, body)
		case r.Method == http.MethodGet && r.URL.Path == "/2.0/sign_requests":
			if r.URL.Query().Get("limit") != "1000" {
				t.Errorf("reconcile list limit = %q", r.URL.Query().Get("limit"))
			}
			f.list(w)
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
			w.WriteHeader(500)
		}
	}))
}

func created(t *testing.T, f *fakeSign, w http.ResponseWriter, body []byte) SignRequest {
	sr, err := f.create(body)
	if err != nil {
		t.Error(err)
	}
	return sr
}

func TestCreateAdoptsAfter5xxWithEffect(t *testing.T) {
	f := &fakeSign{}
	// Box created it, then answered 500: after_effect.
	srv := signServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
		created(t, f, w, body)
		boxError(w, 500, "internal_server_error", "Internal Server Error", "rid-500")
	})
	defer srv.Close()
	// An older identical request, created before this attempt, must not be adopted.
	f.now = func() time.Time { return time.Now().Add(-time.Hour) }
	old, _ := f.create(mustJSON(t, sampleCreate()))
	f.now = nil
	f.posts = 0

	c, logs := newTestClient(t, srv, nil)
	sr, err := c.CreateSignRequest(t.Context(), sampleCreate())
	if err != nil {
		t.Fatal(err)
	}
	posts, lists, items := f.count()
	if posts != 1 || items != 2 || lists != 1 {
		t.Errorf("posts = %d (want 1), items = %d (want 2), lists = %d", posts, items, lists)
	}
	if sr.ID == old.ID || sr.ID != f.items[1].ID {
		t.Errorf("adopted %s, want %s", sr.ID, f.items[1].ID)
	}
	if !strings.Contains(logs.String(), "adopted the sign request") {
		t.Errorf("adoption not logged:\n%s", logs)
	}
}

// Issue 21: an ambiguous create whose lookup finds nothing is not resent
// (it was before): a list that lags behind the create, or a clock that
// misplaces it, would mail every signer twice. It fails, saying so.
func TestCreateNotResentWhenLookupFindsNothing(t *testing.T) {
	f := &fakeSign{}
	srv := signServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
		if n == 1 {
			boxError(w, 502, "bad_gateway", "Bad Gateway", "rid-502")
			return
		}
		writeJSON(w, 201, created(t, f, w, body))
	})
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	_, err := c.CreateSignRequest(t.Context(), sampleCreate())
	if !IsAmbiguousCreate(err) || !strings.Contains(err.Error(), "not resending") || !strings.Contains(err.Error(), "rid-502") {
		t.Fatalf("error = %v, want the ambiguous create, not resent", err)
	}
	posts, lists, items := f.count()
	if posts != 1 || lists != 2 || items != 0 {
		t.Errorf("posts = %d (want 1), lists = %d (want 2: a second look for a lagging list), items = %d", posts, lists, items)
	}
}

func TestCreateGivesUpAfterMaxRetries(t *testing.T) {
	f := &fakeSign{}
	srv := signServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
		boxError(w, 503, "unavailable", "Unavailable", "rid-503")
	})
	defer srv.Close()
	c, _ := newTestClient(t, srv, func(cfg *Config) { cfg.MaxRetries = new(2) })
	_, err := c.CreateSignRequest(t.Context(), sampleCreate())
	e, ok := AsError(err)
	if !ok || e.StatusCode != 503 || !strings.Contains(err.Error(), "rid-503") {
		t.Fatalf("error = %v", err)
	}
	// Issue 21: no resend after an ambiguous 503 (there were 3 posts).
	posts, lists, _ := f.count()
	if posts != 1 || lists != 2 {
		t.Errorf("posts = %d (want 1), lists = %d (want 2)", posts, lists)
	}
}

func TestCreateRetriedOn429(t *testing.T) {
	f := &fakeSign{}
	srv := signServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			boxError(w, 429, "rate_limit_exceeded", "Request rate limit exceeded, please try again later", "rid-429")
			return
		}
		writeJSON(w, 201, created(t, f, w, body))
	})
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	start := time.Now()
	if _, err := c.CreateSignRequest(t.Context(), sampleCreate()); err != nil {
		t.Fatal(err)
	}
	posts, lists, items := f.count()
	if posts != 2 || lists != 0 || items != 1 {
		t.Errorf("posts = %d, lists = %d, items = %d", posts, lists, items)
	}
	if time.Since(start) < 950*time.Millisecond {
		t.Errorf("Retry-After not honoured: %s", time.Since(start))
	}
}

func TestCreateNotResentOn4xx(t *testing.T) {
	f := &fakeSign{}
	srv := signServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
		boxError(w, 400, "bad_request", "Bad Request", "rid-400")
	})
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	if _, err := c.CreateSignRequest(t.Context(), sampleCreate()); err == nil {
		t.Fatal("no error")
	}
	if posts, lists, _ := f.count(); posts != 1 || lists != 0 {
		t.Errorf("posts = %d, lists = %d", posts, lists)
	}
}

func TestCreateAdoptsAfterDroppedConnection(t *testing.T) {
	f := &fakeSign{}
	srv := signServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
		created(t, f, w, body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	})
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	sr, err := c.CreateSignRequest(t.Context(), sampleCreate())
	if err != nil {
		t.Fatal(err)
	}
	posts, lists, items := f.count()
	if posts != 1 || lists != 1 || items != 1 || sr.ID != f.items[0].ID {
		t.Errorf("posts = %d, lists = %d, items = %d", posts, lists, items)
	}
}

func TestCreateAdoptsAfterTimeout(t *testing.T) {
	f := &fakeSign{}
	srv := signServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
		sr := created(t, f, w, body)
		time.Sleep(300 * time.Millisecond)
		writeJSON(w, 201, sr)
	})
	defer srv.Close()
	c, _ := newTestClient(t, srv, func(cfg *Config) { cfg.RequestTimeout = 100 * time.Millisecond })
	sr, err := c.CreateSignRequest(t.Context(), sampleCreate())
	if err != nil {
		t.Fatal(err)
	}
	if posts, _, items := f.count(); posts != 1 || items != 1 || sr.ID != f.items[0].ID {
		t.Errorf("posts = %d, items = %d", posts, items)
	}
}

// Nothing listening on loopback (the emulator is not running) cannot be
// fixed by retrying: the create fails on its first attempt, says so, and is
// known never to have been sent. A refused dial off loopback is still
// retried (TestUnfixableNetworkErrorsFailAtOnce).
func TestCreateRefusedOnLoopbackFailsAtOnce(t *testing.T) {
	// A listener that is closed: every dial is refused, nothing is sent.
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	c, err := New(Config{AccessToken: "t", APIBaseURL: base, MaxRetries: new(2)})
	if err != nil {
		t.Fatal(err)
	}
	c.retryBase, c.retryCap = time.Millisecond, time.Millisecond
	var attempts atomic.Int32
	c.cfg.Logger = func(_ context.Context, msg string, fields map[string]any) {
		if msg == "Box API request failed" {
			attempts.Add(1)
		}
	}
	_, err = c.CreateSignRequest(t.Context(), sampleCreate())
	if err == nil || !isDialError(err) || !wasNotSent(err) || !strings.Contains(err.Error(), "Nothing is listening") {
		t.Fatalf("error = %v", err)
	}
	if attempts.Load() != 1 {
		t.Errorf("attempts = %d, want 1", attempts.Load())
	}
}

func TestCreateIdenticalConcurrentNeverShareAnID(t *testing.T) {
	f := &fakeSign{}
	srv := signServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
		created(t, f, w, body)
		boxError(w, 500, "internal_server_error", "boom", "rid")
	})
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	var wg sync.WaitGroup
	ids := make([]string, 4)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sr, err := c.CreateSignRequest(t.Context(), sampleCreate())
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = sr.ID
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("ID %s returned twice: %v", id, ids)
		}
		seen[id] = true
	}
	if posts, _, items := f.count(); posts != 4 || items != 4 {
		t.Errorf("posts = %d, items = %d", posts, items)
	}
}

func TestCreatePacingAfter429(t *testing.T) {
	var mu sync.Mutex
	var limitedUntil time.Time
	var early int
	f := &fakeSign{}
	srv := signServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
		mu.Lock()
		now := time.Now()
		if n == 1 {
			limitedUntil = now.Add(time.Second)
			mu.Unlock()
			w.Header().Set("Retry-After", "1")
			boxError(w, 429, "rate_limit_exceeded", "slow down", "rid-429")
			return
		}
		if now.Before(limitedUntil.Add(-50 * time.Millisecond)) {
			early++
		}
		mu.Unlock()
		writeJSON(w, 201, created(t, f, w, body))
	})
	defer srv.Close()
	c, logs := newTestClient(t, srv, nil)

	// The first create hits the 429; the others start while it is limited.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := c.CreateSignRequest(t.Context(), sampleCreate()); err != nil {
			t.Error(err)
		}
	}()
	deadline := time.Now().Add(2 * time.Second)
	for {
		if p, _, _ := f.count(); p >= 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("first POST never arrived")
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	for i := range 19 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := sampleCreate()
			req.ExternalID = ptr(fmt.Sprintf("ext-%c", 'a'+i))
			if _, err := c.CreateSignRequest(t.Context(), req); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	posts, _, items := f.count()
	if posts != 21 || items != 20 {
		t.Errorf("posts = %d (want 21), items = %d (want 20)", posts, items)
	}
	if early != 0 {
		t.Errorf("%d creates were sent during the rate limit", early)
	}
	if !strings.Contains(logs.String(), "holding a sign request write") {
		t.Error("pacing not logged")
	}
}

func TestCreateRedactsSecretsInLogsAndErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/token" {
			writeJSON(w, 200, map[string]any{"access_token": "secret-access-token", "expires_in": 3600})
			return
		}
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), "correct-horse-battery") || !strings.Contains(string(body), "+15551234567") {
			t.Errorf("secrets not sent to Box: %s", body)
		}
		if strings.HasSuffix(r.URL.Path, "/bad") {
			writeJSON(w, 400, map[string]any{"type": "error", "status": 400, "code": "bad_request", "message": "password correct-horse-battery is too weak",
				"context_info": map[string]any{"errors": []any{map[string]any{"name": "verification_phone_number", "message": "+15551234567 is not valid"}}}, "request_id": "r1"})
			return
		}
		writeJSON(w, 201, map[string]any{"id": "sr-1", "type": "sign-request", "status": "converting", "signers": []any{
			map[string]any{"email": "alice@example.com", "verification_phone_number": "+15551234567", "embed_url": "https://app.box.com/sign/embed-secret", "iframeable_embed_url": "https://app.box.com/embed/iframe-secret"},
		}})
	}))
	defer srv.Close()
	c, logs := newTestClient(t, srv, func(cfg *Config) { ccg(cfg); cfg.ClientSecret = "the-client-secret" })
	sr, err := c.CreateSignRequest(t.Context(), sampleCreate())
	if err != nil {
		t.Fatal(err)
	}
	if sr.Signers[0].EmbedURL == nil || *sr.Signers[0].EmbedURL != "https://app.box.com/sign/embed-secret" {
		t.Error("the caller must still get the embed URL")
	}
	// An error that echoes the secrets.
	bad := sampleCreate()
	r := c.api(http.MethodPost, "/bad")
	r.body, r.contentType, r.secrets = mustJSON(t, bad), "application/json", createSecrets(bad)
	_, err = c.do(t.Context(), r, 201, nil)
	if err == nil {
		t.Fatal("no error")
	}
	out := logs.String() + "\n" + err.Error()
	for _, sec := range []string{"correct-horse-battery", "+15551234567", "embed-secret", "iframe-secret", "secret-access-token", "the-client-secret"} {
		if strings.Contains(out, sec) {
			t.Errorf("%q leaked:\n%s", sec, out)
		}
	}
	for _, want := range []string{`password\":\"[REDACTED]`, `verification_phone_number\":\"[REDACTED]`, `embed_url\":\"[REDACTED]`, `"Authorization":"Bearer [REDACTED]"`, `alice@example.com`, `"request_id":"r1"`, `"attempt":1`, `"status":201`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
}

func TestCancelAmbiguousButCancelled(t *testing.T) {
	var posts, gets atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/2.0/sign_requests/sr-1/cancel":
			posts.Add(1)
			boxError(w, 504, "gateway_timeout", "Gateway Timeout", "rid")
		case r.Method == http.MethodGet && r.URL.Path == "/2.0/sign_requests/sr-1":
			gets.Add(1)
			writeJSON(w, 200, map[string]any{"id": "sr-1", "status": "cancelled"})
		default:
			w.WriteHeader(404)
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	sr, err := c.CancelSignRequest(t.Context(), "sr-1")
	if err != nil || sr.Status != "cancelled" {
		t.Fatalf("cancel = %v, %v", sr, err)
	}
	if posts.Load() != 1 || gets.Load() != 1 {
		t.Errorf("posts = %d, gets = %d", posts.Load(), gets.Load())
	}
}

func TestCancelResentWhenNotCancelled(t *testing.T) {
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			if posts.Add(1) == 1 {
				boxError(w, 500, "internal_server_error", "oops", "rid")
				return
			}
			writeJSON(w, 200, map[string]any{"id": "sr-1", "status": "cancelled"})
		default:
			writeJSON(w, 200, map[string]any{"id": "sr-1", "status": "sent"})
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	sr, err := c.CancelSignRequest(t.Context(), "sr-1")
	if err != nil || sr.Status != "cancelled" || posts.Load() != 2 {
		t.Fatalf("cancel = %v, %v, posts = %d", sr, err, posts.Load())
	}
}

func TestResendAndCancelErrors(t *testing.T) {
	var resends atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/2.0/sign_requests/ok/resend":
			resends.Add(1)
			w.WriteHeader(202)
		case "/2.0/sign_requests/cool/resend":
			boxError(w, 400, "bad_request", "Bad Request", "rid")
		case "/2.0/sign_requests/signed/cancel":
			boxError(w, 400, "bad_request", "Bad Request", "rid")
		case "/2.0/sign_requests/gone/cancel":
			boxError(w, 404, "not_found", "Not Found", "rid")
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	if err := c.ResendSignRequest(t.Context(), "ok"); err != nil || resends.Load() != 1 {
		t.Errorf("resend: %v", err)
	}
	if err := c.ResendSignRequest(t.Context(), "cool"); err == nil {
		t.Error("resend in cooldown: no error")
	}
	if _, err := c.CancelSignRequest(t.Context(), "signed"); err == nil {
		t.Error("cancel signed: no error")
	}
	if _, err := c.CancelSignRequest(t.Context(), "gone"); !IsNotFound(err) {
		t.Errorf("cancel gone: %v", err)
	}
}

func TestListQueries(t *testing.T) {
	var queries sync.Map
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		queries.Store(r.URL.Path, r.URL.Query())
		switch r.URL.Path {
		case "/2.0/sign_requests":
			writeJSON(w, 200, map[string]any{"limit": 1000, "next_marker": "m2", "entries": []any{map[string]any{"id": "a", "status": "sent"}}})
		case "/2.0/sign_templates":
			writeJSON(w, 200, map[string]any{"limit": 10, "next_marker": nil, "prev_marker": nil, "entries": []any{map[string]any{"id": "t1", "name": "T"}}})
		case "/2.0/folders/0/items":
			writeJSON(w, 200, map[string]any{"limit": 100, "entries": []any{map[string]any{"type": "file", "id": "1", "name": "a.pdf"}}})
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	p, err := c.ListSignRequests(t.Context(), ListSignRequestsOptions{Marker: "m1", Limit: 5000, Senders: []string{"a@x.com", "b@x.com"}, SharedRequests: true})
	if err != nil || len(p.Entries) != 1 || p.NextMarker == nil || *p.NextMarker != "m2" {
		t.Fatalf("list = %+v, %v", p, err)
	}
	q, _ := queries.Load("/2.0/sign_requests")
	if got := q.(url.Values); got["marker"][0] != "m1" || got["limit"][0] != "1000" || got["senders"][0] != "a@x.com,b@x.com" || got["shared_requests"][0] != "true" {
		t.Errorf("query = %v", got)
	}
	tp, err := c.ListSignTemplates(t.Context(), "", 10)
	if err != nil || len(tp.Entries) != 1 || tp.NextMarker != nil {
		t.Fatalf("templates = %+v, %v", tp, err)
	}
	ip, err := c.ListFolderItems(t.Context(), "0", "mk", 100)
	if err != nil || len(ip.Entries) != 1 {
		t.Fatalf("items = %+v, %v", ip, err)
	}
	q, _ = queries.Load("/2.0/folders/0/items")
	if got := q.(url.Values); got["usemarker"][0] != "true" || got["marker"][0] != "mk" || got["limit"][0] != "100" {
		t.Errorf("items query = %v", got)
	}
}

func TestUploadFileAndCreateFolder(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/2.0/files/content":
			mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if err != nil || mt != "multipart/form-data" {
				t.Errorf("content type %q", r.Header.Get("Content-Type"))
			}
			mr := multipart.NewReader(r.Body, params["boundary"])
			var attrs struct {
				Name   string `json:"name"`
				Parent struct {
					ID string `json:"id"`
				} `json:"parent"`
			}
			var content []byte
			var order []string
			for {
				p, err := mr.NextPart()
				if err != nil {
					break
				}
				order = append(order, p.FormName())
				b, _ := io.ReadAll(p)
				if p.FormName() == "attributes" {
					_ = json.Unmarshal(b, &attrs)
				} else if p.FormName() == "file" {
					content = b
				}
			}
			if strings.Join(order, ",") != "attributes,file" || attrs.Name != "doc.pdf" || attrs.Parent.ID != "0" || string(content) != "%PDF-1.4 hello" {
				t.Errorf("upload = %v %+v %q", order, attrs, content)
			}
			writeJSON(w, 201, map[string]any{"total_count": 1, "entries": []any{map[string]any{"type": "file", "id": "f1", "name": "doc.pdf", "size": 14}}})
		case "/2.0/folders":
			writeJSON(w, 201, map[string]any{"type": "folder", "id": "d1", "name": "Contracts"})
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	f, err := c.UploadFile(t.Context(), "0", "doc.pdf", []byte("%PDF-1.4 hello"))
	if err != nil || f.ID != "f1" {
		t.Fatalf("upload = %+v, %v", f, err)
	}
	d, err := c.CreateFolder(t.Context(), "0", "Contracts")
	if err != nil || d.ID != "d1" {
		t.Fatalf("folder = %+v, %v", d, err)
	}
}

func TestMatchesCreate(t *testing.T) {
	since := time.Now().Add(-time.Minute)
	now := time.Now()
	req := sampleCreate()
	base := func() *SignRequest {
		return &SignRequest{
			ID: "x", CreatedAt: &now, Name: ptr("Contract.pdf"), ExternalID: ptr("ext-1"),
			SourceFiles:  []FileRef{{ID: "12345", Type: "file"}},
			ParentFolder: &FolderRef{ID: "678", Type: "folder"},
			SenderEmail:  ptr(requesterEmail),
			Signers: []SignRequestSigner{
				{Email: requesterEmail, Role: "final_copy_reader"},
				{Email: "alice@example.com", Role: "signer"},
				{Email: "BOB@example.com", Role: "signer", VerificationPhoneNumber: ptr("+15551234567")},
			},
		}
	}
	if !(adoptRule{since: since}).accepts(req, base()) {
		t.Fatal("base does not match")
	}
	mut := map[string]func(*SignRequest){
		"old":          func(s *SignRequest) { s.CreatedAt = ptr(since.Add(-time.Second)) },
		"no created":   func(s *SignRequest) { s.CreatedAt = nil },
		"name":         func(s *SignRequest) { s.Name = ptr("Other.pdf") },
		"external id":  func(s *SignRequest) { s.ExternalID = nil },
		"file":         func(s *SignRequest) { s.SourceFiles[0].ID = "999" },
		"template":     func(s *SignRequest) { s.TemplateID = ptr("t") },
		"signer order": func(s *SignRequest) { s.Signers[1], s.Signers[2] = s.Signers[2], s.Signers[1] },
		"extra signer": func(s *SignRequest) { s.Signers = append(s.Signers, SignRequestSigner{Email: "c@x.com"}) },
	}
	for name, m := range mut {
		s := base()
		m(s)
		if (adoptRule{since: since}).accepts(req, s) {
			t.Errorf("%s: matched", name)
		}
	}
	// Without the requester (the requester is one of the signers).
	s := base()
	s.Signers = s.Signers[1:]
	if !(adoptRule{since: since}).accepts(req, s) {
		t.Error("no requester: not matched")
	}
	// Template requests.
	treq := &SignRequestCreate{TemplateID: ptr("tpl"), Signers: []SignRequestCreateSigner{{Email: "alice@example.com"}}}
	ts := &SignRequest{CreatedAt: &now, TemplateID: ptr("tpl"), SourceFiles: []FileRef{{ID: "7"}}, Signers: []SignRequestSigner{{Email: requesterEmail, Role: "final_copy_reader"}, {Email: "Alice@example.com"}}}
	if !(adoptRule{since: since}).accepts(treq, ts) {
		t.Error("template request not matched")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUploadAdoptsFileAfterAmbiguousFailure(t *testing.T) {
	var uploads, gets atomic.Int32
	content := []byte("%PDF-1.4 body")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/2.0/files/content":
			if uploads.Add(1) == 1 {
				boxError(w, 500, "internal_server_error", "oops", "rid") // stored anyway
				return
			}
			writeJSON(w, 409, map[string]any{"type": "error", "status": 409, "code": "item_name_in_use", "message": "Item with the same name already exists",
				"context_info": map[string]any{"conflicts": map[string]any{"type": "file", "id": "f9", "name": "doc.pdf", "sha1": "d3b7e8c7d4b9fa2b4d67bd2a6d1f1a1b4d1b1b1b"}}})
		case "/2.0/files/f9":
			gets.Add(1)
			writeJSON(w, 200, map[string]any{"type": "file", "id": "f9", "name": "doc.pdf"})
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	// The conflicting file has another SHA-1: not ours, so an error.
	if _, err := c.UploadFile(t.Context(), "0", "doc.pdf", content); err == nil || gets.Load() != 0 {
		t.Fatalf("adopted a file with another SHA-1: %v", err)
	}
	if e, ok := AsError(err409(c, t, content)); !ok || e.StatusCode != 409 {
		t.Errorf("want a 409 error, got %v", e)
	}
}

func err409(c *Client, t *testing.T, content []byte) error {
	_, err := c.UploadFile(t.Context(), "0", "doc.pdf", content)
	return err
}

func TestUploadAdoptsSameContent(t *testing.T) {
	var uploads atomic.Int32
	content := []byte("%PDF-1.4 body")
	sum := sha1.Sum(content) //nolint:gosec // G401: Box identifies file content by SHA-1; not used for security
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/2.0/files/content":
			if uploads.Add(1) == 1 {
				boxError(w, 502, "bad_gateway", "oops", "rid")
				return
			}
			writeJSON(w, 409, map[string]any{"type": "error", "status": 409, "code": "item_name_in_use",
				"context_info": map[string]any{"conflicts": map[string]any{"type": "file", "id": "f9", "name": "doc.pdf", "sha1": hex.EncodeToString(sum[:])}}})
		case "/2.0/files/f9":
			writeJSON(w, 200, map[string]any{"type": "file", "id": "f9", "name": "doc.pdf",
				"created_at": time.Now().UTC().Format(time.RFC3339), "created_by": map[string]any{"type": "user", "id": "7"}})
		case "/2.0/users/me":
			writeJSON(w, 200, map[string]any{"type": "user", "id": "7", "login": "me@example.com"})
		}
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	f, err := c.UploadFile(t.Context(), "0", "doc.pdf", content)
	if err != nil || f.ID != "f9" || uploads.Load() != 2 {
		t.Fatalf("upload = %+v, %v, uploads = %d", f, err, uploads.Load())
	}
}

func TestNegativeMaxRetriesDisablesRetries(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		boxError(w, 500, "internal_server_error", "x", "r")
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, func(cfg *Config) { cfg.MaxRetries = new(-1) })
	if _, err := c.GetFile(t.Context(), "1"); err == nil || calls.Load() != 1 {
		t.Errorf("err = %v, calls = %d", err, calls.Load())
	}
}
