package box

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The fuzz targets of the client: what it decodes from Box (errors,
// responses, token answers) and the JWT config file users hand it. Each
// checks that nothing panics and that no secret comes out where it must
// not. `make test` runs each for a few seconds, `make fuzz` longer; seed
// inputs live in testdata/fuzz/<target>.

// FuzzDecodeAPIError: whatever Box answers, building the error never
// panics, and a secret the request carried never appears in the server's
// free text of the error (message, context_info), however it is escaped.
func FuzzDecodeAPIError(f *testing.F) {
	f.Add(400, []byte(`{"type":"error","status":400,"code":"bad_request","message":"weak password hunter22","request_id":"abc","context_info":{"errors":[{"reason":"invalid_parameter","name":"password","message":"hunter22 is too weak"}]}}`), "hunter22")
	f.Add(409, []byte(`{"code":"conflict","context_info":{"conflicts":[{"name":"a\/b\/c"}],"message":"a\/b\/c exists"}}`), "a/b/c")
	f.Add(400, []byte(`{"context_info":{"errors":[{"name":"verification_phone_number","message":"\u002b15551234567 invalid"}]}}`), "+15551234567")
	f.Add(401, []byte(``), "token")
	f.Add(500, []byte(`{"error":"invalid_grant","error_description":"secret\u0021 rejected"}`), "secret!")
	f.Fuzz(func(t *testing.T, status int, body []byte, secret string) {
		h := http.Header{}
		h.Set("Box-Request-Id", "rid-1")
		h.Set("WWW-Authenticate", `Bearer realm="Service", error="invalid_token", error_description="The access token expired"`)
		e := decodeAPIError(http.MethodPost, "/2.0/sign_requests", status, h, body, []string{secret})
		_ = e.Error()
		if len(secret) < 3 || strings.ContainsAny(secret, "[]") || strings.Contains(redacted, secret) {
			return // too short to scrub, or could be made by the scrubbing itself
		}
		if strings.Contains(e.Message, secret) {
			t.Fatalf("the error message repeats the secret: %q", e.Message)
		}
		// Any reader of context_info decodes it: look at what it decodes to.
		dec := json.NewDecoder(bytes.NewReader(e.ContextInfo))
		dec.UseNumber()
		var ci any
		if len(e.ContextInfo) > 0 && dec.Decode(&ci) == nil {
			if s := stringWith(ci, secret); s != "" {
				t.Fatalf("context_info repeats the secret in %q", s)
			}
		}
	})
}

// stringWith returns a key, string or number in v that contains sub.
func stringWith(v any, sub string) string {
	switch t := v.(type) {
	case string:
		if strings.Contains(t, sub) {
			return t
		}
	case json.Number:
		if strings.Contains(t.String(), sub) {
			return t.String()
		}
	case map[string]any:
		for k, val := range t {
			if strings.Contains(k, sub) {
				return k
			}
			if s := stringWith(val, sub); s != "" {
				return s
			}
		}
	case []any:
		for _, val := range t {
			if s := stringWith(val, sub); s != "" {
				return s
			}
		}
	}
	return ""
}

// FuzzRedactBody: a logged body keeps no value of a sensitive JSON key or
// form field, and the log of a form parses back to the same fields.
func FuzzRedactBody(f *testing.F) {
	f.Add([]byte(`{"signers":[{"email":"a@example.com","password":"pw-1","verification_phone_number":"+15551234567"}]}`), false)
	f.Add([]byte(`{"Password":"x","nested":{"ACCESS_TOKEN":"t","list":[{"embed_url":"https://app.box.com/sign/x"}]}}`), false)
	f.Add([]byte(`grant_type=client_credentials&client_id=id&client_secret=s3cret&note=%26client_secret%3Dfake`), true)
	f.Add([]byte(`assertion=eyJ.x.y&client_secret=&password=p%20w`), true)
	f.Fuzz(func(t *testing.T, body []byte, form bool) {
		if form {
			out := redactBody("application/x-www-form-urlencoded", body, nil)
			in, err := url.ParseQuery(string(body))
			if err != nil {
				return
			}
			got, err := url.ParseQuery(out)
			if err != nil {
				t.Fatalf("the logged form does not parse: %q", out)
			}
			for k, vs := range in {
				for i, v := range vs {
					want := v
					if sensitiveFormKeys[strings.ToLower(k)] {
						want = redacted
					}
					if i >= len(got[k]) || got[k][i] != want {
						t.Fatalf("field %q logged as %q, want %q (log %q)", k, got[k], want, out)
					}
				}
			}
			return
		}
		_ = redactBody("application/json", body, nil)
		out, ok := redactJSON(body)
		if !ok {
			return
		}
		dec := json.NewDecoder(strings.NewReader(out))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("the logged JSON does not parse: %v", err)
		}
		if p := unredacted(v, ""); p != "" {
			t.Fatalf("sensitive key %s logged: %s", p, out)
		}
	})
}

// unredacted returns the path of a sensitive key whose value is neither
// redacted nor null.
func unredacted(v any, at string) string {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if sensitiveJSONKeys[strings.ToLower(k)] && val != nil && val != redacted {
				return at + "." + k
			}
			if p := unredacted(val, at+"."+k); p != "" {
				return p
			}
		}
	case []any:
		for i, val := range t {
			if p := unredacted(val, fmt.Sprintf("%s[%d]", at, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

// FuzzParseJWTConfig: any config file parses or fails without panicking;
// neither a parsed config's String nor an error repeats the client
// secret, the passphrase or the private key.
func FuzzParseJWTConfig(f *testing.F) {
	// No seed holds a valid key: checking one is slow enough under the
	// fuzzer's instrumentation to stall it (TestParseJWTConfig covers
	// valid keys).
	cfg := func(secret, pass, pk string, ent any) []byte {
		b, _ := json.Marshal(map[string]any{
			"boxAppSettings": map[string]any{"clientID": "cid", "clientSecret": secret,
				"appAuth": map[string]any{"publicKeyID": "kid", "privateKey": pk, "passphrase": pass}},
			"enterpriseID": ent,
		})
		return b
	}
	f.Add(cfg("client-secret-1", "pass-phrase", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "1000"))
	f.Add(cfg("client-secret-1", "", "-----BEGIN SECRET STUFF-----\nAAAA\n-----END SECRET STUFF-----\n", nil))
	f.Add([]byte(`{"boxAppSettings":{"clientSecret":12}}`))
	f.Add([]byte(`{"boxAppSettings":`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseJWTConfig(data)
		if err == nil {
			shown := fmt.Sprintf("%s %v %+v %#v", got.String(), got, got, got)
			masked := *got
			masked.ClientSecret, masked.Passphrase, masked.PrivateKey = "#", "#", "#"
			for _, v := range []string{got.ClientSecret, got.Passphrase, got.PrivateKey} {
				if len(v) >= 6 && strings.Contains(shown, v) && !strings.Contains(masked.String(), v) {
					t.Fatalf("the parsed config prints a secret: %s", shown)
				}
			}
		}
		// Differential: an error that repeats a secret field's value must
		// repeat it whatever the field holds, or it came from the field.
		var doc map[string]any
		if json.Unmarshal(data, &doc) != nil {
			return
		}
		app, _ := doc["boxAppSettings"].(map[string]any)
		if app == nil {
			return
		}
		auth, _ := app["appAuth"].(map[string]any)
		fields := []struct {
			m    map[string]any
			name string
		}{{app, "clientSecret"}, {auth, "passphrase"}, {auth, "privateKey"}}
		for _, fl := range fields {
			v, ok := fl.m[fl.name].(string)
			if fl.m == nil || !ok || len(v) < 6 {
				continue
			}
			orig, _ := json.Marshal(doc)
			fl.m[fl.name] = strings.Repeat("#", len(v))
			masked, _ := json.Marshal(doc)
			fl.m[fl.name] = v
			_, e1 := ParseJWTConfig(orig)
			_, e2 := ParseJWTConfig(masked)
			if e1 != nil && strings.Contains(e1.Error(), v) && (e2 == nil || !strings.Contains(e2.Error(), v)) {
				t.Fatalf("the error repeats the %s: %v", fl.name, e1)
			}
		}
	})
}

// fuzzTransport answers the token endpoint and the API from functions.
type fuzzTransport struct {
	token  func() (int, []byte)
	api    func() (int, []byte)
	tokens int
}

func (f *fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	status, body := f.api()
	if r.URL.Path == "/oauth2/token" {
		f.tokens++
		status, body = f.token()
	}
	return &http.Response{
		StatusCode: status, Status: http.StatusText(status), Request: r,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
	}, nil
}

const (
	fuzzClientSecret = "fuzz-client-secret-5d1"
	fuzzToken        = "fuzz-access-token-9c3"
)

// FuzzResponses: whatever Box answers to a token request or an API call,
// the client neither panics nor puts the client secret or the access token
// into an error; and a token Box says is valid for at least 10 seconds is
// reused for the next call instead of fetched again.
func FuzzResponses(f *testing.F) {
	sr := []byte(`{"type":"sign-request","id":"8ee0f4d4-0f5d-4b3e-8b6a-6b3b0f0a0a01","status":"sent","signers":[{"email":"a@example.com","role":"signer"}]}`)
	f.Add(uint8(0), 200, []byte(`{"access_token":"t1","expires_in":3600,"token_type":"bearer"}`))
	f.Add(uint8(0), 200, []byte(`{"access_token":"t1","expires_in":1e300}`))
	f.Add(uint8(0), 200, []byte(`{"access_token":"t1","expires_in":"3600"}`))
	f.Add(uint8(0), 400, []byte(`{"error":"invalid_client","error_description":"The client credentials are invalid"}`))
	f.Add(uint8(1), 200, sr)
	f.Add(uint8(1), 404, []byte(`{"type":"error","status":404,"code":"not_found","request_id":"r"}`))
	f.Add(uint8(2), 200, []byte(`{"limit":1000,"next_marker":null,"entries":[`+string(sr)+`]}`))
	f.Add(uint8(3), 400, []byte(`{"type":"error","code":"bad_request"}`))
	f.Add(uint8(4), 503, []byte(`<html>busy</html>`))
	f.Fuzz(func(t *testing.T, op uint8, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 100 + (status%500+500)%500
		}
		goodToken := func() (int, []byte) {
			return 200, []byte(`{"access_token":"` + fuzzToken + `","expires_in":3600}`)
		}
		ft := &fuzzTransport{token: goodToken, api: func() (int, []byte) { return 200, sr }}
		if op%5 == 0 {
			ft.token = func() (int, []byte) { return status, body }
		} else {
			ft.api = func() (int, []byte) { return status, body }
		}
		c, err := New(Config{
			APIBaseURL: "https://api.box.test", UploadBaseURL: "https://upload.box.test",
			ClientID: "cid", ClientSecret: fuzzClientSecret, EnterpriseID: "1000",
			MaxRetries: new(-1), RequestTimeout: 5 * time.Second,
			HTTPClient: &http.Client{Transport: ft},
		})
		if err != nil {
			t.Fatal(err)
		}
		c.retryBase, c.retryCap = time.Microsecond, time.Microsecond
		ctx := context.Background()
		id := "8ee0f4d4-0f5d-4b3e-8b6a-6b3b0f0a0a01"
		switch op % 5 {
		case 0, 1:
			_, err = c.GetSignRequest(ctx, id)
		case 2:
			_, err = c.ListSignRequests(ctx, ListSignRequestsOptions{Limit: 10})
		case 3:
			_, err = c.CancelSignRequest(ctx, id)
		case 4:
			_, err = c.CreateSignRequest(ctx, sampleCreate())
		}
		if err != nil {
			for _, s := range []string{fuzzClientSecret, fuzzToken, "correct-horse-battery", "+15551234567"} {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("the error repeats a secret: %v", err)
				}
			}
			return
		}
		if op%5 != 0 {
			return
		}
		var tr struct {
			ExpiresIn any `json:"expires_in"`
		}
		_ = json.Unmarshal(body, &tr)
		if n, ok := tr.ExpiresIn.(float64); ok && n >= 10 {
			before := ft.tokens
			if _, err := c.GetSignRequest(ctx, id); err != nil {
				t.Fatal(err)
			}
			if ft.tokens != before {
				t.Fatalf("a token valid for %gs was fetched again on the next call", n)
			}
		}
	})
}
