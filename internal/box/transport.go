package box

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// maxResponseBody bounds what the client reads from a response.
const maxResponseBody = 64 << 20

// callInfo travels in a request's context from the client to its
// transport: one per logical call, shared by its retry attempts.
type callInfo struct {
	kind        callKind
	path        string
	body        []byte
	contentType string
	secrets     []string
	attempts    atomic.Int32

	// mayHaveActedAt is when the first attempt began that Box may have
	// acted on (a 5xx or a failure after the connection was made; never a
	// 429 or a refused dial); zero when none.
	mu             sync.Mutex
	mayHaveActedAt time.Time
}

// noteAttempt records an attempt that may have taken effect.
func (ci *callInfo) noteAttempt(start time.Time, resp *http.Response, err error) {
	acted := (err != nil && !isDialError(err)) || (err == nil && resp.StatusCode >= 500)
	if !acted {
		return
	}
	ci.mu.Lock()
	defer ci.mu.Unlock()
	if ci.mayHaveActedAt.IsZero() {
		ci.mayHaveActedAt = start
	}
}

func (ci *callInfo) actedAt() time.Time {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	return ci.mayHaveActedAt
}

type callInfoKey struct{}

func callInfoFrom(ctx context.Context) *callInfo {
	ci, _ := ctx.Value(callInfoKey{}).(*callInfo)
	return ci
}

// transport does, for every attempt, the jobs that must see the request
// on the wire: it shields a write from cancellation, buffers the response
// body, records the "not before" time of a 429 on a sign request write, and
// logs the attempt at DEBUG with secrets redacted. (The pacing wait itself
// happens before each attempt, outside the per-attempt timeout.)
type transport struct {
	c    *Client
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ci := callInfoFrom(req.Context())
	if ci == nil {
		ci = &callInfo{kind: kindIdempotent, path: req.URL.Path}
	}
	attempt := int(ci.attempts.Add(1))
	// Without a Logger nobody reads the fields: skip redacting the bodies.
	logging := t.c.cfg.Logger != nil
	var fields map[string]any
	if logging {
		fields = requestLogFields(req, ci, attempt)
	}

	if ci.kind != kindIdempotent {
		// A write on the wire is seen through when the caller gives up
		// (Terraform cancels the context on Ctrl-C): Box may act on it
		// anyway, and only its answer tells the caller what to record, so
		// that the next apply neither loses nor repeats it. It gets
		// writeGrace more, within the deadlines (per attempt, resource
		// timeouts). Waits before and between attempts stay cancellable:
		// nothing is on the wire then.
		ctx, cancel := shieldWrite(req.Context(), t.c.writeGrace)
		defer cancel()
		req = req.WithContext(ctx)
	}

	boxStart := t.c.boxNow() // on Box's clock, to compare with what Box stamps
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	var body []byte
	if err == nil {
		body, err = bufferBody(resp)
	}
	if err == nil {
		if logging {
			addResponseLogFields(fields, resp, body, ci)
		}
		t.recordPacing(resp, ci)
		t.c.noteBoxDate(resp.Header)
	}
	ci.noteAttempt(boxStart, resp, err)
	if !logging {
		if err != nil {
			return nil, err
		}
		return resp, nil
	}
	fields["duration_ms"] = time.Since(start).Milliseconds()
	if err != nil {
		fields["error"] = scrubString(err.Error(), ci.secrets)
		t.c.log(req.Context(), "Box API request failed", fields)
		return nil, err
	}
	t.c.log(req.Context(), "Box API request", fields)
	return resp, nil
}

// requestLogFields describes an attempt's request for the log, secrets
// redacted.
func requestLogFields(req *http.Request, ci *callInfo, attempt int) map[string]any {
	fields := map[string]any{
		"method":          req.Method,
		"path":            ci.path,
		"attempt":         attempt,
		"request_headers": redactHeaders(req.Header),
	}
	if q := req.URL.RawQuery; q != "" {
		fields["query"] = q
	}
	reqBody := ci.body
	if reqBody == nil && req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(io.LimitReader(rc, maxLoggedBody*4))
			rc.Close()
		}
	}
	ct := ci.contentType
	if ct == "" {
		ct = req.Header.Get("Content-Type")
	}
	if b := redactBody(ct, reqBody, ci.secrets); b != "" {
		fields["request_body"] = b
	}
	return fields
}

// bufferBody reads the whole response body here so that a connection
// dropped mid-body is a transport error (ambiguous, like any other) and so
// that it can be logged.
func bufferBody(resp *http.Response) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return body, nil
}

// addResponseLogFields describes a buffered response for the log.
func addResponseLogFields(fields map[string]any, resp *http.Response, body []byte, ci *callInfo) {
	fields["status"] = resp.StatusCode
	if rid := requestIDOf(resp.Header, body); rid != "" {
		fields["request_id"] = rid
	}
	if b := redactBody(resp.Header.Get("Content-Type"), body, ci.secrets); b != "" {
		fields["response_body"] = b
	}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		fields["retry_after"] = ra
	}
}

// recordPacing holds every sign request write until the time a 429 on one
// of them names, so that concurrent creates do not hammer Box.
func (t *transport) recordPacing(resp *http.Response, ci *callInfo) {
	if resp.StatusCode != http.StatusTooManyRequests || ci.kind != kindSignWrite {
		return
	}
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		t.c.paceUntil(time.Now().Add(min(d, t.c.maxRetryAfter)))
	}
}

// shieldWrite returns a context with ctx's values and deadline that a
// cancellation of ctx reaches only grace later.
func shieldWrite(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	var shielded context.Context
	var cancel context.CancelFunc
	if dl, ok := ctx.Deadline(); ok {
		shielded, cancel = context.WithDeadline(context.WithoutCancel(ctx), dl)
	} else {
		shielded, cancel = context.WithCancel(context.WithoutCancel(ctx))
	}
	var mu sync.Mutex
	var timer *time.Timer
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		timer = time.AfterFunc(grace, cancel)
	})
	return shielded, func() {
		stop()
		mu.Lock()
		if timer != nil {
			timer.Stop()
		}
		mu.Unlock()
		cancel()
	}
}

func requestIDOf(h http.Header, body []byte) string {
	if rid := headerRequestID(h); rid != "" {
		return rid
	}
	if len(body) == 0 || len(body) > 64<<10 || !looksLikeJSON(body) {
		return ""
	}
	var v struct {
		RequestID string `json:"request_id"`
	}
	if jsonUnmarshalQuiet(body, &v) {
		return v.RequestID
	}
	return ""
}

// paceWait holds a sign request write until the shared "not before" time
// set by a 429, so that concurrent creates do not hammer Box.
func (c *Client) paceWait(ctx context.Context, method, path string) error {
	c.paceMu.Lock()
	nb := c.notBefore
	c.paceMu.Unlock()
	d := time.Until(nb)
	if d <= 0 {
		return nil
	}
	c.log(ctx, "Box rate limit: holding a sign request write", map[string]any{"method": method, "path": path, "wait_ms": d.Milliseconds()})
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) paceUntil(t time.Time) {
	c.paceMu.Lock()
	defer c.paceMu.Unlock()
	if t.After(c.notBefore) {
		c.notBefore = t
	}
}
