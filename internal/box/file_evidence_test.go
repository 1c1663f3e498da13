package box

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A download follows Box's redirect to its one-time link without the
// access token, and the link never reaches the logs.
func TestDownloadFileFetchesTheLinkWithoutTheToken(t *testing.T) {
	const link = "/d/1/secret-link-token/download"
	var linkAuth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/2.0/files/42/content":
			if r.Header.Get("Authorization") != "Bearer dev-token-123" || r.URL.Query().Get("version") != "7" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			w.Header().Set("Location", link)
			w.WriteHeader(http.StatusFound)
		case link:
			linkAuth = append(linkAuth, r.Header.Get("Authorization"))
			_, _ = io.WriteString(w, "signed bytes")
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	c, logs := newTestClient(t, srv, nil)
	got, err := c.DownloadFile(t.Context(), "42", "7")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "signed bytes" {
		t.Errorf("content %q", got)
	}
	if len(linkAuth) != 1 || linkAuth[0] != "" {
		t.Errorf("the link was fetched with Authorization %q, want once without", linkAuth)
	}
	if strings.Contains(logs.String(), "secret-link-token") {
		t.Errorf("the download link reached the logs:\n%s", logs)
	}
}

// Cancel sends Box's SignRequestCancelRequest when there is a reason, and
// no body without one.
func TestCancelSignRequestWithReason(t *testing.T) {
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, r.Header.Get("Content-Type")+" "+string(b))
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"type":"sign-request","id":"sr1","status":"cancelled"}`)
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	if _, err := c.CancelSignRequestWithReason(t.Context(), "sr1", "Superseded"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CancelSignRequest(t.Context(), "sr1"); err != nil {
		t.Fatal(err)
	}
	want := []string{`application/json {"reason":"Superseded"}`, " "}
	if len(bodies) != 2 || bodies[0] != want[0] || bodies[1] != want[1] {
		t.Errorf("bodies %q, want %q", bodies, want)
	}
}

// What a signer typed never reaches the logs.
func TestSignerInputsAreRedacted(t *testing.T) {
	body := []byte(`{"signers":[{"email":"a@example.com","inputs":[{"document_tag_id":"ssn","text_value":"123-45-6789","type":"text"}]}]}`)
	got := redactBody("application/json", body, nil)
	if strings.Contains(got, "123-45-6789") || !strings.Contains(got, "a@example.com") {
		t.Errorf("redacted body %s", got)
	}
}
