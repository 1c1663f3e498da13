package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxUpload is Box's limit on a direct upload's file content (doc
// "Direct Uploads": 50 MB; larger files go through upload sessions).
const maxUpload = 50 << 20

// maxBody bounds request bodies: a direct upload of maxUpload bytes plus
// room for its multipart envelope and attributes part, so that the limit
// a client meets is the content's, answered by readUpload.
const maxBody = maxUpload + 1<<20

// errBodyTooLarge is a body beyond maxBody.
var errBodyTooLarge = errors.New("body too large")

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	defer r.Body.Close()
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxBody {
		return nil, errBodyTooLarge
	}
	return b, nil
}

// parseForm reads an application/x-www-form-urlencoded body (and the query,
// which some clients use for the token grant).
func parseForm(c *call) (url.Values, error) {
	form := url.Values{}
	ct, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if len(c.body) > 0 {
		if ct != "" && ct != "application/x-www-form-urlencoded" {
			return nil, errors.New("unsupported content type")
		}
		v, err := url.ParseQuery(string(c.body))
		if err != nil {
			return nil, err
		}
		form = v
	}
	for k, vs := range c.r.URL.Query() {
		if _, ok := form[k]; !ok {
			form[k] = vs
		}
	}
	return form, nil
}

// decodeJSON decodes a JSON object body. On failure it returns Box's 400,
// naming the field whose type was wrong when there is one.
func decodeJSON(body []byte, v any) *response {
	if len(bytes.TrimSpace(body)) == 0 {
		return errorResponse(http.StatusBadRequest, "bad_request", "Bad Request", map[string]any{
			"errors": []fieldError{{Reason: "invalid_parameter", Name: "body", Message: "A JSON body is required"}},
		})
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return badParam(te.Field, "Invalid value type, expected "+te.Type.String())
	}
	return errorResponse(http.StatusBadRequest, "bad_request", "Bad Request", map[string]any{
		"errors": []fieldError{{Reason: "invalid_parameter", Name: "body", Message: "Invalid JSON body"}},
	})
}

// pageLimit reads `limit` with Box's rules: default def, values above 1000
// are clamped (FIDELITY.md, "Paging"), anything that is not a positive integer is a 400.
func pageLimit(q url.Values, def int) (int, *response) {
	s := q.Get("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, badParam("limit", "limit must be an integer between 1 and 1000")
	}
	if n > 1000 {
		n = 1000
	}
	return n, nil
}

// pageOffset reads `offset` of the offset-paged lists: 0 by default,
// anything that is not a non-negative integer is a 400.
func pageOffset(q url.Values) (int, *response) {
	s := q.Get("offset")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, badParam("offset", "offset must be a non-negative integer")
	}
	return n, nil
}

// Markers are opaque to clients; ours encode a position.
func encodeMarker(prefix string, n int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(prefix + ":" + strconv.FormatInt(n, 10)))
}

func decodeMarker(prefix, m string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil {
		return 0, false
	}
	p, n, ok := strings.Cut(string(b), ":")
	if !ok || p != prefix {
		return 0, false
	}
	v, err := strconv.ParseInt(n, 10, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	return v, true
}

func strPtr(s string) *string { return &s }

// markerStart reads a marker: none, or "0", is the first page (Box treats
// marker=0 as the start; FIDELITY.md, "Paging"); anything else must be
// one of ours.
func markerStart(m, prefix string, first int64) (int64, *response) {
	if m == "" || m == "0" {
		return first, nil
	}
	n, ok := decodeMarker(prefix, m)
	if !ok {
		return 0, badParam("marker", "Invalid marker")
	}
	return n, nil
}
