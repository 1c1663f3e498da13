package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
)

// helpURL is the help_url Box puts in every ClientError.
const helpURL = "https://developer.box.com/guides/api-calls/permissions-and-errors/common-errors/"

// response is what a handler produces. Handlers return it instead of writing
// to the ResponseWriter so that ServeHTTP can apply faults after the
// operation took effect (after_effect) and count the final status.
type response struct {
	status int
	header http.Header
	body   []byte
}

func newResponse(status int) *response {
	return &response{status: status, header: http.Header{}}
}

// jsonResponse encodes v as the response body.
func jsonResponse(status int, v any) *response {
	resp := newResponse(status)
	b, err := json.Marshal(v)
	if err != nil {
		// Every value we encode is built by this package; failing here is a bug.
		panic("emulator: encoding response: " + err.Error())
	}
	resp.header.Set("Content-Type", "application/json")
	resp.body = b
	return resp
}

// clientError is Box's ClientError envelope.
type clientError struct {
	Type        string         `json:"type"`
	Status      int            `json:"status"`
	Code        string         `json:"code"`
	Message     string         `json:"message"`
	ContextInfo map[string]any `json:"context_info"`
	HelpURL     string         `json:"help_url"`
	RequestID   string         `json:"request_id"`
}

// fieldError is one entry of context_info.errors, the usual Box shape for
// validation failures.
type fieldError struct {
	Reason  string `json:"reason"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

// errorResponse builds a ClientError with a fresh request_id, as Box gives
// every error its own.
func errorResponse(status int, code, message string, contextInfo map[string]any) *response {
	id := newRequestID()
	resp := jsonResponse(status, clientError{
		Type:        "error",
		Status:      status,
		Code:        code,
		Message:     message,
		ContextInfo: contextInfo,
		HelpURL:     helpURL,
		RequestID:   id,
	})
	resp.header.Set("box-request-id", id)
	return resp
}

// badParam is the 400 Box gives for a missing or invalid parameter. The
// message must never contain a secret (password, phone number): callers pass
// the field name and a description of the rule, not the value.
func badParam(name, message string) *response {
	return errorResponse(http.StatusBadRequest, "bad_request", "Bad Request", map[string]any{
		"errors": []fieldError{{Reason: "invalid_parameter", Name: name, Message: message}},
	})
}

func notFound() *response {
	return errorResponse(http.StatusNotFound, "not_found", "Not Found", nil)
}

func methodNotAllowed() *response {
	return errorResponse(http.StatusMethodNotAllowed, "method_not_allowed", "Method Not Allowed", nil)
}

func rateLimited(retryAfter int) *response {
	resp := errorResponse(http.StatusTooManyRequests, "rate_limit_exceeded",
		"Request rate limit exceeded, please try again later", nil)
	resp.header.Set("Retry-After", strconv.Itoa(retryAfter))
	return resp
}

// codeForStatus picks the ClientError code Box uses for a bare status, used
// by injected faults.
func codeForStatus(status int) (code, message string) {
	switch status {
	case 400:
		return "bad_request", "Bad Request"
	case 401:
		return "unauthorized", "Unauthorized"
	case 403:
		return "forbidden", "Forbidden"
	case 404:
		return "not_found", "Not Found"
	case 409:
		return "conflict", "Conflict"
	case 429:
		return "rate_limit_exceeded", "Request rate limit exceeded, please try again later"
	case 500:
		return "internal_server_error", "Internal Server Error"
	case 502:
		return "bad_gateway", "Bad Gateway"
	case 503:
		return "unavailable", "Unavailable"
	case 504:
		return "gateway_timeout", "Gateway Timeout"
	}
	return "error", http.StatusText(status)
}

// oauthError is Box's OAuth2Error body, used only by /oauth2/token.
func oauthError(code, description string) *response {
	resp := jsonResponse(http.StatusBadRequest, map[string]string{
		"error":             code,
		"error_description": description,
	})
	resp.header.Set("box-request-id", newRequestID())
	return resp
}

// unauthorized is what Box answers on /2.0 for a missing, unknown or expired
// bearer token: an empty body and the reason in WWW-Authenticate.
func unauthorized(missing bool) *response {
	resp := newResponse(http.StatusUnauthorized)
	if missing {
		resp.header.Set("WWW-Authenticate", `Bearer realm="Service", error="invalid_request", error_description="The access token was not found."`)
	} else {
		resp.header.Set("WWW-Authenticate", `Bearer realm="Service", error="invalid_token", error_description="The access token provided is invalid."`)
	}
	return resp
}

func newRequestID() string {
	return randomHex(8)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// controlError is the body of /_emulator errors: the same envelope, so a test
// can read `code` the same way it does for Box errors.
func controlError(status int, code, message string) *response {
	return errorResponse(status, code, message, nil)
}

// forbidden is Box's 403 for an item the user can see but may not act on
// that way (FIDELITY.md, "Access").
func forbidden() *response {
	return errorResponse(http.StatusForbidden, "access_denied_insufficient_permissions",
		"Access denied - insufficient permission", nil)
}
