package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is the Now option for time-based rules.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is an emulator behind an httptest server, with a fake clock. Every
// Box API response that passes through env.do is checked against the
// OpenAPI extract (see conformance_test.go).
type env struct {
	t     *testing.T
	emu   *Emulator
	srv   *httptest.Server
	clock *fakeClock
	token string // the admin developer token by default
}

func newEnv(t *testing.T, opts Options) *env {
	t.Helper()
	clock := newClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	if opts.DeveloperTokenTTL == 0 {
		// Tests move the fake clock by days; the developer token's
		// 60-minute lifetime has its own test (TestDeveloperTokenExpiry).
		opts.DeveloperTokenTTL = 10 * 365 * 24 * time.Hour
	}
	emu, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	tok := opts.DeveloperToken
	if tok == "" {
		tok = "dev-token"
	}
	return &env{t: t, emu: emu, srv: srv, clock: clock, token: tok}
}

type result struct {
	status int
	header http.Header
	body   []byte
}

func (r result) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// errCode returns the ClientError code, checking the envelope's shape.
func (r result) errCode(t *testing.T) string {
	t.Helper()
	m := r.json(t)
	for _, k := range []string{"type", "status", "code", "message", "help_url", "request_id"} {
		if _, ok := m[k]; !ok {
			t.Fatalf("error envelope lacks %q: %s", k, r.body)
		}
	}
	if _, ok := m["context_info"]; !ok {
		t.Fatalf("error envelope lacks context_info: %s", r.body)
	}
	return m["code"].(string)
}

// do sends a request with the env's token. body may be nil, []byte, string
// or a value to encode as JSON.
func (e *env) do(method, path string, body any, headers ...string) result {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
		ct = "application/json"
	case string:
		rd = strings.NewReader(b)
		ct = "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
		ct = "application/json"
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if e.token != "" {
		req.Header.Set("Authorization", "Bearer "+e.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.send(req)
}

func (e *env) send(req *http.Request) result {
	e.t.Helper()
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	r := result{status: resp.StatusCode, header: resp.Header, body: b}
	conform(e.t, e.emu, req.Method, req.URL.Path, r)
	return r
}

// form posts to /oauth2/token.
func (e *env) form(values url.Values) result {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodPost, e.srv.URL+"/oauth2/token", strings.NewReader(values.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.send(req)
}

// upload posts a file with Box's multipart layout.
func (e *env) upload(parentID, name string, content []byte) result {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	attrs, _ := json.Marshal(map[string]any{"name": name, "parent": map[string]string{"id": parentID}})
	_ = mw.WriteField("attributes", string(attrs))
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodPost, e.srv.URL+"/api/2.0/files/content", &buf)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.token)
	return e.send(req)
}

// uploadID uploads and returns the new file's ID.
func (e *env) uploadID(parentID, name string) string {
	e.t.Helper()
	r := e.upload(parentID, name, minimalPDF(name))
	if r.status != 201 {
		e.t.Fatalf("upload: %d %s", r.status, r.body)
	}
	return r.json(e.t)["entries"].([]any)[0].(map[string]any)["id"].(string)
}

// folderID creates a folder under root and returns its ID.
func (e *env) folderID(name string) string {
	e.t.Helper()
	r := e.do("POST", "/2.0/folders", map[string]any{"name": name, "parent": map[string]string{"id": "0"}})
	if r.status != 201 {
		e.t.Fatalf("create folder: %d %s", r.status, r.body)
	}
	return r.json(e.t)["id"].(string)
}

// control calls an /_emulator endpoint (no token).
func (e *env) control(method, path string, body any) result {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

// createSR creates a sign request and fails the test unless it gets 201.
func (e *env) createSR(body map[string]any) map[string]any {
	e.t.Helper()
	r := e.do("POST", "/2.0/sign_requests", body)
	if r.status != 201 {
		e.t.Fatalf("create sign request: %d %s", r.status, r.body)
	}
	return r.json(e.t)
}

func fileRef(id string) []any { return []any{map[string]any{"type": "file", "id": id}} }

func signersOf(m map[string]any) []map[string]any {
	var out []map[string]any
	for _, s := range m["signers"].([]any) {
		out = append(out, s.(map[string]any))
	}
	return out
}

func mustStatus(t *testing.T, r result, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d: %s", r.status, want, r.body)
	}
}
