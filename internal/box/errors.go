package box

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error is a Box API error: the ClientError envelope of a non-2xx response
// from /2.0 (or the upload API), with the request it answered. Code is an
// open string: Box uses many more codes than its spec lists.
type Error struct {
	StatusCode  int
	Code        string
	Message     string
	HelpURL     string
	RequestID   string
	ContextInfo json.RawMessage
	Method      string
	Path        string

	// hint is extra advice appended to the message (e.g. an expired
	// developer token). It never holds a secret.
	hint string
}

// Error renders a one-line description fit for a diagnostic, e.g.
// `Box API error: POST /2.0/sign_requests returned 400 bad_request: "Bad Request" (request_id: abc123)`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("Box API error: ")
	if e.Method != "" || e.Path != "" {
		fmt.Fprintf(&b, "%s %s returned ", e.Method, e.Path)
	} else {
		b.WriteString("HTTP ")
	}
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if msg != "" {
		fmt.Fprintf(&b, ": %q", msg)
	}
	if details := e.contextDetails(); len(details) > 0 {
		b.WriteString(" [" + strings.Join(details, "; ") + "]")
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request_id: %s)", e.RequestID)
	}
	if e.hint != "" {
		b.WriteString(". " + e.hint)
	}
	return b.String()
}

// FieldError is one entry of a ClientError's context_info.errors: Box's
// usual way of naming the parameter it refused, as a JSON path in the
// request body (signers[1].email).
type FieldError struct {
	Reason  string `json:"reason"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

// FieldErrors returns the context_info.errors entries, if any.
func (e *Error) FieldErrors() []FieldError {
	if len(e.ContextInfo) == 0 {
		return nil
	}
	var ci struct {
		Errors []FieldError `json:"errors"`
	}
	if json.Unmarshal(e.ContextInfo, &ci) != nil {
		return nil
	}
	return ci.Errors
}

// contextDetails renders the usual context_info.errors[] entries, and the
// names of conflicting items (409) when present.
func (e *Error) contextDetails() []string {
	var out []string
	for _, item := range e.FieldErrors() {
		var parts []string
		if item.Name != "" {
			parts = append(parts, item.Name)
		}
		if item.Message != "" {
			parts = append(parts, item.Message)
		} else if item.Reason != "" {
			parts = append(parts, item.Reason)
		}
		if len(parts) > 0 {
			out = append(out, strings.Join(parts, ": "))
		}
	}
	if len(out) == 0 && len(e.ContextInfo) > 0 {
		var ci struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(e.ContextInfo, &ci) == nil && ci.Message != "" {
			out = append(out, ci.Message)
		}
	}
	return out
}

// IsNotFound reports whether err is (or wraps) a Box 404 error.
func IsNotFound(err error) bool {
	e, ok := AsError(err)
	return ok && e.StatusCode == http.StatusNotFound
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// AuthError is a failure to obtain an access token from Box's token
// endpoint. It carries Box's OAuth2Error {error, error_description}; it
// never holds a credential.
type AuthError struct {
	Grant       string // "client_credentials" or "jwt"
	StatusCode  int
	Code        string // OAuth2 error, e.g. invalid_grant
	Description string // OAuth2 error_description
}

func (e *AuthError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Box authentication failed (%s grant): token endpoint returned %d", grantLabel(e.Grant), e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Description != "" {
		fmt.Fprintf(&b, ": %q", e.Description)
	}
	switch e.Code {
	case "invalid_client":
		b.WriteString(". Check the client ID and client secret")
	case "unauthorized_client":
		b.WriteString(". An enterprise admin must authorize the app in the Box Admin Console")
	case "invalid_grant":
		if e.Grant == "jwt" {
			b.WriteString(". Check the JWT config (public key ID, enterprise or user ID) and that the machine clock is correct")
		} else {
			b.WriteString(". Check the client ID, client secret and the enterprise or user ID; a user ID also needs the app's " +
				"\"Generate user access tokens\" setting (Box answers the same when it is off)")
		}
	}
	return b.String()
}

// Definitive reports whether Box refused the credentials themselves (a
// wrong client ID or secret, a bad JWT key or subject, an app the admin
// has not authorized): asking again with the same settings cannot succeed.
func (e *AuthError) Definitive() bool {
	if e.Code == "invalid_grant" && strings.Contains(e.Description, "'jti'") {
		// A reused jti says nothing of the credentials: the next token
		// request signs a new one.
		return false
	}
	switch e.Code {
	case "invalid_client", "invalid_grant", "unauthorized_client":
		return true
	}
	return false
}

func grantLabel(g string) string {
	switch g {
	case "jwt":
		return "JWT"
	case "client_credentials":
		return "client credentials"
	}
	return g
}

// decodeAPIError builds an *Error from a non-2xx response. secrets are
// values (passwords, phone numbers) that must not appear in the error even
// if the server echoes them.
func decodeAPIError(method, path string, status int, header http.Header, body []byte, secrets []string) *Error {
	e := &Error{StatusCode: status, Method: method, Path: path}
	var env struct {
		Type        string          `json:"type"`
		Code        string          `json:"code"`
		Message     string          `json:"message"`
		HelpURL     string          `json:"help_url"`
		RequestID   string          `json:"request_id"`
		ContextInfo json.RawMessage `json:"context_info"`
		// OAuth2-style bodies occasionally appear on /2.0 too.
		OAuthError       string `json:"error"`
		OAuthDescription string `json:"error_description"`
	}
	if len(body) > 0 && json.Unmarshal(body, &env) == nil {
		e.Code = env.Code
		e.Message = env.Message
		e.HelpURL = env.HelpURL
		e.RequestID = env.RequestID
		if len(env.ContextInfo) > 0 && string(env.ContextInfo) != "null" {
			e.ContextInfo = env.ContextInfo
		}
		if e.Code == "" && env.OAuthError != "" {
			e.Code = env.OAuthError
		}
		if e.Message == "" && env.OAuthDescription != "" {
			e.Message = env.OAuthDescription
		}
	}
	if e.RequestID == "" {
		e.RequestID = headerRequestID(header)
	}
	if status == http.StatusUnauthorized && e.Code == "" {
		// Box's 401 on /2.0 usually has an empty body and a WWW-Authenticate header.
		code, desc := parseWWWAuthenticate(header.Get("WWW-Authenticate"))
		if code != "" {
			e.Code = code
		}
		if e.Message == "" && desc != "" {
			e.Message = desc
		}
	}
	if len(secrets) > 0 {
		e.Message = scrubString(e.Message, secrets)
		if len(e.ContextInfo) > 0 {
			e.ContextInfo = scrubJSON(e.ContextInfo, secrets)
		}
	}
	return e
}

func headerRequestID(h http.Header) string {
	for _, k := range []string{"Box-Request-Id", "X-Box-Request-Id", "Request-Id", "X-Request-Id"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// parseWWWAuthenticate extracts error and error_description from
// `Bearer realm="Service", error="invalid_token", error_description="..."`.
func parseWWWAuthenticate(v string) (code, desc string) {
	if v == "" {
		return "", ""
	}
	get := func(key string) string {
		i := strings.Index(v, key+"=\"")
		if i < 0 {
			return ""
		}
		rest := v[i+len(key)+2:]
		j := strings.IndexByte(rest, '"')
		if j < 0 {
			return ""
		}
		return rest[:j]
	}
	return get("error"), get("error_description")
}

// ConflictingItem is the item a 409 item_name_in_use names in
// context_info.conflicts (an object for uploads and updates, a list for
// folder creates): its type ("file", "folder") and ID.
func (e *Error) ConflictingItem() (typ, id string, ok bool) {
	if e.StatusCode != http.StatusConflict || len(e.ContextInfo) == 0 {
		return "", "", false
	}
	body, err := json.Marshal(map[string]json.RawMessage{"context_info": e.ContextInfo})
	if err != nil {
		return "", "", false
	}
	for _, c := range conflicts(body) {
		if c.ID != "" {
			return c.Type, c.ID, true
		}
	}
	return "", "", false
}
