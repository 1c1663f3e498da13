package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestFaults(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.uploadID("0", "a.pdf")
	body := map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(f)}

	// Status faults, twice, on a route template; then normal service.
	mustStatus(t, e.control("POST", "/_emulator/faults", map[string]any{
		"method": "GET", "path": "/2.0/sign_requests/{id}", "status": 503, "times": 2, "retry_after": 7}), 201)
	for i := 0; i < 2; i++ {
		r := e.do("GET", "/2.0/sign_requests/whatever", nil)
		mustStatus(t, r, 503)
		if r.errCode(t) != "unavailable" || r.header.Get("Retry-After") != "7" {
			t.Errorf("fault: %s %q", r.body, r.header.Get("Retry-After"))
		}
	}
	mustStatus(t, e.do("GET", "/2.0/sign_requests/whatever", nil), 404)

	// after_effect: the request is created, the client sees a 500.
	mustStatus(t, e.control("POST", "/_emulator/faults", map[string]any{
		"method": "POST", "path": "/2.0/sign_requests", "status": 500, "after_effect": true}), 201)
	mustStatus(t, e.do("POST", "/2.0/sign_requests", body), 500)
	list := e.do("GET", "/2.0/sign_requests", nil).json(t)["entries"].([]any)
	if len(list) != 1 {
		t.Fatalf("after_effect did not create: %d", len(list))
	}

	// drop_connection with after_effect: created, no response.
	mustStatus(t, e.control("POST", "/_emulator/faults", map[string]any{
		"method": "POST", "path": "/2.0/sign_requests", "drop_connection": true, "after_effect": true}), 201)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.srv.URL+"/2.0/sign_requests", strings.NewReader(`{"signers":[{"email":"s@example.com"}],"source_files":[{"type":"file","id":"`+f+`"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer dev-token")
	if resp, err := e.srv.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped connection answered %d", resp.StatusCode)
	}
	if n := len(e.do("GET", "/2.0/sign_requests", nil).json(t)["entries"].([]any)); n != 2 {
		t.Errorf("dropped after_effect: %d requests", n)
	}

	// drop without after_effect on the token endpoint: nothing happens.
	mustStatus(t, e.control("POST", "/_emulator/faults", map[string]any{"path": "/oauth2/token", "drop_connection": true}), 201)
	req, err = http.NewRequestWithContext(t.Context(), http.MethodPost, e.srv.URL+"/oauth2/token", strings.NewReader(ccg("enterprise", "1000").Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, err := e.srv.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("token endpoint not dropped")
	}
	mustStatus(t, e.form(ccg("enterprise", "1000")), 200)

	// delay.
	mustStatus(t, e.control("POST", "/_emulator/faults", map[string]any{"path": "/2.0/users/me", "status": 502, "delay": "50ms"}), 201)
	start := time.Now()
	mustStatus(t, e.do("GET", "/2.0/users/me", nil), 502)
	if time.Since(start) < 50*time.Millisecond {
		t.Error("delay not applied")
	}

	// DELETE clears pending faults.
	mustStatus(t, e.control("POST", "/_emulator/faults", map[string]any{"path": "/2.0/users/me", "times": 5}), 201)
	mustStatus(t, e.control("DELETE", "/_emulator/faults", nil), 204)
	mustStatus(t, e.do("GET", "/2.0/users/me", nil), 200)
	mustStatus(t, e.control("POST", "/_emulator/faults", map[string]any{"status": 503}), 400)

	// Stats count every API request, failures and drops included, by route template.
	stats := e.control("GET", "/_emulator/stats", nil).json(t)["requests"].(map[string]any)
	get := stats["GET /2.0/sign_requests/{id}"].(map[string]any)
	if get["503"].(float64) != 2 || get["404"].(float64) != 1 {
		t.Errorf("GET stats %v", get)
	}
	post := stats["POST /2.0/sign_requests"].(map[string]any)
	if post["500"].(float64) != 1 || post["dropped"].(float64) != 1 {
		t.Errorf("POST stats %v", post)
	}
	tok := stats["POST /oauth2/token"].(map[string]any)
	if tok["200"].(float64) != 1 || tok["dropped"].(float64) != 1 {
		t.Errorf("token stats %v", tok)
	}
	for k := range stats {
		if strings.Contains(k, "_emulator") {
			t.Errorf("control call counted: %s", k)
		}
	}
}

func TestLatency(t *testing.T) {
	e := newEnv(t, Options{Latency: 30 * time.Millisecond})
	start := time.Now()
	mustStatus(t, e.do("GET", "/2.0/users/me", nil), 200)
	if time.Since(start) < 30*time.Millisecond {
		t.Error("latency not applied")
	}
}

// A 400 fault with a field answers in Box's shape for a refused parameter:
// context_info.errors names the field, as the create validation does.
func TestFaultFieldError(t *testing.T) {
	e := newEnv(t, Options{})
	mustStatus(t, e.control("POST", "/_emulator/faults", map[string]any{
		"method": "POST", "path": "/2.0/sign_requests", "status": 400,
		"field": "signers[1].email", "field_message": "Each signer must have a unique email address"}), 201)
	r := e.do("POST", "/2.0/sign_requests", map[string]any{})
	mustStatus(t, r, 400)
	out := r.json(t)
	errs, _ := out["context_info"].(map[string]any)["errors"].([]any)
	if out["code"] != "bad_request" || len(errs) != 1 {
		t.Fatalf("fault body: %s", r.body)
	}
	fe := errs[0].(map[string]any)
	if fe["name"] != "signers[1].email" || fe["reason"] != "invalid_parameter" || fe["message"] != "Each signer must have a unique email address" {
		t.Errorf("field error: %v", fe)
	}
	// One use only: the next create is validated as usual.
	mustStatus(t, e.do("POST", "/2.0/sign_requests", map[string]any{}), 400)
	if e.do("POST", "/2.0/sign_requests", map[string]any{}).json(t)["context_info"].(map[string]any)["errors"].([]any)[0].(map[string]any)["name"] == "signers[1].email" {
		t.Error("fault used twice")
	}
}
