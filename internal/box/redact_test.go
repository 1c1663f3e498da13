package box

import (
	"net/http"
	"strings"
	"testing"
)

func TestRedactJSONNested(t *testing.T) {
	body := []byte(`{"name":"Contract","signers":[{"email":"a@example.com","password":"hunter22","verification_phone_number":"+15551234567","embed_url":"https://app.box.com/sign/xyz","iframeable_embed_url":"https://app.box.com/embed/xyz"},{"email":"b@example.com","verification_phone_number":null}],"access_token":"tok-abc"}`)
	got, ok := redactJSON(body)
	if !ok {
		t.Fatal("redactJSON failed")
	}
	for _, secret := range []string{"hunter22", "+15551234567", "https://app.box.com/sign/xyz", "embed/xyz", "tok-abc"} {
		if strings.Contains(got, secret) {
			t.Errorf("redacted JSON still contains %q: %s", secret, got)
		}
	}
	for _, keep := range []string{"Contract", "a@example.com", "b@example.com", `"verification_phone_number":null`} {
		if !strings.Contains(got, keep) {
			t.Errorf("redacted JSON lost %q: %s", keep, got)
		}
	}
}

func TestRedactForm(t *testing.T) {
	got := redactForm([]byte("grant_type=client_credentials&client_id=cid&client_secret=very-secret&box_subject_type=enterprise&box_subject_id=42&assertion=eyJhbGciOi.xyz.sig"))
	for _, secret := range []string{"very-secret", "eyJhbGciOi"} {
		if strings.Contains(got, secret) {
			t.Errorf("form still contains %q: %s", secret, got)
		}
	}
	for _, keep := range []string{"grant_type=client_credentials", "client_id=cid", "box_subject_id=42"} {
		if !strings.Contains(got, keep) {
			t.Errorf("form lost %q: %s", keep, got)
		}
	}
}

func TestRedactHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("Authorization", "Bearer abc.def")
	h.Set("As-User", "123")
	h.Set("Cookie", "session=zzz")
	got := redactHeaders(h)
	if got["Authorization"] != "Bearer [REDACTED]" {
		t.Errorf("Authorization = %q", got["Authorization"])
	}
	if got["Cookie"] != redacted {
		t.Errorf("Cookie = %q", got["Cookie"])
	}
	if got["As-User"] != "123" {
		t.Errorf("As-User = %q", got["As-User"])
	}
}

func TestRedactBodyByContentType(t *testing.T) {
	if got := redactBody("multipart/form-data; boundary=x", []byte("--x\r\nfile content\r\n"), nil); strings.Contains(got, "file content") {
		t.Errorf("multipart body logged: %s", got)
	}
	if got := redactBody("text/html", []byte("<html>secret</html>"), nil); strings.Contains(got, "secret") {
		t.Errorf("html body logged: %s", got)
	}
	got := redactBody("application/json", []byte(`{"message":"phone +15550001111 is invalid"}`), []string{"+15550001111"})
	if strings.Contains(got, "+15550001111") {
		t.Errorf("echoed secret not scrubbed: %s", got)
	}
	if got := redactBody("application/json", []byte(`{"password":`), nil); strings.Contains(got, "password") {
		t.Errorf("unparsable JSON logged: %s", got)
	}
}

func TestScrubString(t *testing.T) {
	got := scrubString(`bad value "p\"w<d" and p"w<d`, []string{`p"w<d`})
	if strings.Contains(got, `p"w<d`) || strings.Contains(got, `p\"w<d`) {
		t.Errorf("scrub left the secret: %s", got)
	}
}
