package box

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// This file holds every redaction rule of the client. The transport calls
// these helpers before anything reaches Config.Logger.

const redacted = "[REDACTED]"

// maxLoggedBody bounds the size of a body rendered into a log message.
const maxLoggedBody = 16 << 10

// sensitiveJSONKeys are JSON object keys whose values are never logged,
// wherever they appear in a request or response body.
var sensitiveJSONKeys = map[string]bool{
	"password":                  true,
	"verification_phone_number": true,
	"phone_number":              true,
	"embed_url":                 true,
	"iframeable_embed_url":      true,
	// What a signer typed into the document (a sign request's
	// signers[].inputs): the signer's own data, sensitive in the provider.
	// Templates' inputs, which hold no values, are masked with them.
	"inputs":        true,
	"access_token":  true,
	"refresh_token": true,
	"client_secret": true,
	"assertion":     true,
	"private_key":   true,
	"privatekey":    true,
	"passphrase":    true,
	"clientsecret":  true,
}

// sensitiveFormKeys are form fields (token requests) whose values are never logged.
var sensitiveFormKeys = map[string]bool{
	"client_secret":      true,
	"assertion":          true,
	"refresh_token":      true,
	"code":               true,
	"subject_token":      true,
	"actor_token":        true,
	"password":           true,
	"access_token":       true,
	"client_assertion":   true,
	"box_shared_link":    false,
	"box_subject_id":     false,
	"box_subject_type":   false,
	"client_id":          false,
	"grant_type":         false,
	"subject_token_type": false,
}

// sensitiveHeaders are HTTP headers whose values are never logged.
var sensitiveHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Set-Cookie":          true,
}

// redactHeaders returns a loggable copy of h.
func redactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		v := strings.Join(vs, ", ")
		if sensitiveHeaders[ck] {
			if scheme, _, ok := strings.Cut(v, " "); ok && ck != "Cookie" && ck != "Set-Cookie" {
				v = scheme + " " + redacted
			} else {
				v = redacted
			}
		}
		out[ck] = v
	}
	return out
}

// redactBody renders body for a log message according to its content type:
// JSON with sensitive keys masked, forms with sensitive fields masked, and
// anything else (multipart uploads, binary) as a size only. secrets are
// extra literal values to mask wherever they appear.
func redactBody(contentType string, body []byte, secrets []string) string {
	if len(body) == 0 {
		return ""
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	var out string
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || (mt == "" && looksLikeJSON(body)):
		s, ok := redactJSON(body)
		if !ok {
			return fmt.Sprintf("[%d bytes of unparsable JSON]", len(body))
		}
		out = s
	case mt == "application/x-www-form-urlencoded":
		out = redactForm(body)
	default:
		if mt == "" {
			mt = "unknown content type"
		}
		return fmt.Sprintf("[%d bytes, %s]", len(body), mt)
	}
	out = scrubString(out, secrets)
	if len(out) > maxLoggedBody {
		out = out[:maxLoggedBody] + "…(truncated)"
	}
	return out
}

func looksLikeJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

// redactJSON masks the values of sensitiveJSONKeys at any depth. A null
// value stays null so the log still shows whether the field was set.
func redactJSON(body []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", false
	}
	v = redactValue(v)
	out, err := json.Marshal(v)
	if err != nil {
		return "", false
	}
	return string(out), true
}

func redactValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if sensitiveJSONKeys[strings.ToLower(k)] && val != nil {
				t[k] = redacted
				continue
			}
			t[k] = redactValue(val)
		}
		return t
	case []any:
		for i := range t {
			t[i] = redactValue(t[i])
		}
		return t
	default:
		return v
	}
}

// redactForm masks sensitive fields of an x-www-form-urlencoded body.
// Unknown fields are kept; an unparsable form is shown as a size only.
func redactForm(body []byte) string {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return fmt.Sprintf("[%d bytes of unparsable form]", len(body))
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		for _, v := range vals[k] {
			// Values are escaped again, so that a value cannot pass for
			// another field ("note=&client_secret=x") in the log.
			v = url.QueryEscape(v)
			if sensitiveFormKeys[strings.ToLower(k)] {
				v = redacted
			}
			parts = append(parts, url.QueryEscape(k)+"="+v)
		}
	}
	return strings.Join(parts, "&")
}

// scrubString replaces each secret value (and its JSON-escaped form) in s.
// Very short values are skipped: masking "1" everywhere would garble text
// without protecting anything.
func scrubString(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) < 3 {
			continue
		}
		s = strings.ReplaceAll(s, sec, redacted)
		for _, esc := range jsonEscapes(sec) {
			if esc != sec {
				s = strings.ReplaceAll(s, esc, redacted)
			}
		}
	}
	return s
}

// scrubJSON scrubs secrets from every string and number of a JSON
// document after decoding it, so that no escaping (`\/`, `\u002b`) hides
// one from scrubString. Unparsable input is scrubbed as text.
func scrubJSON(raw []byte, secrets []string) []byte {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []byte(scrubString(string(raw), secrets))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(scrubValue(v, secrets)); err != nil {
		return []byte(scrubString(string(raw), secrets))
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func scrubValue(v any, secrets []string) any {
	switch t := v.(type) {
	case string:
		return scrubString(t, secrets)
	case json.Number:
		if s := scrubString(t.String(), secrets); s != t.String() {
			return s
		}
		return t
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			out[scrubString(k, secrets)] = scrubValue(val, secrets)
		}
		return out
	case []any:
		for i := range t {
			t[i] = scrubValue(t[i], secrets)
		}
		return t
	}
	return v
}

// createSecrets returns the secret values of a create body, to scrub from
// logs and errors even where the server echoes them in free text.
func createSecrets(req *SignRequestCreate) []string {
	if req == nil {
		return nil
	}
	var out []string
	for _, s := range req.Signers {
		if s.Password != nil && *s.Password != "" {
			out = append(out, *s.Password)
		}
		if s.VerificationPhoneNumber != nil && *s.VerificationPhoneNumber != "" {
			out = append(out, *s.VerificationPhoneNumber)
		}
	}
	return out
}

// jsonEscapes returns the forms s takes inside a JSON string, with and
// without HTML escaping.
func jsonEscapes(s string) []string {
	var out []string
	if b, err := json.Marshal(s); err == nil {
		out = append(out, string(b[1:len(b)-1]))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if enc.Encode(s) == nil {
		b := bytes.TrimRight(buf.Bytes(), "\n")
		out = append(out, string(b[1:len(b)-1]))
	}
	return out
}
