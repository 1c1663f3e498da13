package box

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// callKind selects the retry policy of a call.
type callKind int

const (
	// kindIdempotent: retried on 429, 5xx and network errors.
	kindIdempotent callKind = iota
	// kindSafeOnly: a non-idempotent write, retried only when it
	// certainly did not take effect (429, connection refused / dial error).
	kindSafeOnly
	// kindSignWrite: like kindSafeOnly, and paced after a 429 (sign
	// request create and resend share Box's 100/min limit).
	kindSignWrite
)

type apiRequest struct {
	method      string
	url         string // full URL without query
	path        string // for logs and errors, e.g. /2.0/sign_requests
	query       url.Values
	body        []byte
	contentType string
	kind        callKind
	noAuth      bool        // token requests
	secrets     []string    // values to scrub from logs and errors
	maxRetries  int         // retries for this call; -1 means Config.MaxRetries
	header      http.Header // extra headers (If-Match, Content-MD5)
}

type apiResponse struct {
	status   int
	header   http.Header
	body     []byte
	attempts int
	// mayHaveActedAt: when the first attempt Box may have acted on began
	// (Box's clock); zero when every earlier attempt certainly had no
	// effect (a 429, a refused dial).
	mayHaveActedAt time.Time
}

// api builds a request for {APIBaseURL}/2.0{path}.
func (c *Client) api(method, path string) *apiRequest {
	return &apiRequest{method: method, url: c.apiBase + "/2.0" + path, path: "/2.0" + path, maxRetries: -1}
}

// send performs r with retries. It returns the final response whatever its
// status, or an error when no response was received. A 401 with a
// renewable token invalidates the token and retries once.
func (c *Client) send(ctx context.Context, r *apiRequest) (*apiResponse, error) {
	refreshed := false
	for {
		tok := ""
		if !r.noAuth {
			var err error
			tok, err = c.auth.token(ctx)
			if err != nil {
				return nil, &tokenFetchError{err: err}
			}
		}
		resp, err := c.doHTTP(ctx, r, tok)
		if err != nil {
			return resp, err
		}
		if resp.status == http.StatusUnauthorized && !r.noAuth && c.auth.refreshable() && !refreshed {
			refreshed = true
			c.log(ctx, "Box API returned 401: renewing the access token and retrying once", map[string]any{"method": r.method, "path": r.path})
			c.auth.invalidate(tok)
			continue
		}
		return resp, nil
	}
}

// doHTTP runs one logical request (its attempts) through retryablehttp.
func (c *Client) doHTTP(ctx context.Context, r *apiRequest, tok string) (*apiResponse, error) {
	ci := &callInfo{kind: r.kind, path: r.path, body: r.body, contentType: r.contentType, secrets: r.secrets}
	ctx = context.WithValue(ctx, callInfoKey{}, ci)
	req, err := c.newHTTPRequest(ctx, r, tok)
	if err != nil {
		return nil, err
	}
	if r.kind == kindSignWrite {
		if err := c.paceWait(ctx, r.method, r.path); err != nil {
			return nil, err
		}
	}
	resp, err := c.retryingClient(ctx, r, ci).Do(req)
	attempts := int(ci.attempts.Load())
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			// Both stay visible to errors.Is/As: callers test for the
			// cancellation, and wasNotSent for a dial or certificate error.
			err = fmt.Errorf("%w (%w)", ctxErr, err)
		}
		return &apiResponse{attempts: attempts, mayHaveActedAt: ci.actedAt()}, &transportError{method: r.method, path: r.path, attempts: attempts, err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return &apiResponse{attempts: attempts, mayHaveActedAt: ci.actedAt()}, &transportError{method: r.method, path: r.path, attempts: attempts, err: err}
	}
	return &apiResponse{status: resp.StatusCode, header: resp.Header, body: b, attempts: attempts, mayHaveActedAt: ci.actedAt()}, nil
}

// newHTTPRequest builds r's HTTP request with Box's headers.
func (c *Client) newHTTPRequest(ctx context.Context, r *apiRequest, tok string) (*retryablehttp.Request, error) {
	u := r.url
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body any
	if r.body != nil {
		body = r.body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.method, u, body)
	if err != nil {
		return nil, fmt.Errorf("box: building request %s %s: %w", r.method, r.path, err)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	for k, vs := range r.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if !r.noAuth && c.cfg.AsUserID != "" {
		req.Header.Set("As-User", c.cfg.AsUserID)
	}
	return req, nil
}

// retryingClient retries r as its kind allows, logs each wait, and holds
// sign request writes while Box's rate limit lasts.
func (c *Client) retryingClient(ctx context.Context, r *apiRequest, ci *callInfo) *retryablehttp.Client {
	maxRetries := r.maxRetries
	if maxRetries < 0 {
		maxRetries = c.maxRetries
	}
	return &retryablehttp.Client{
		HTTPClient:   c.httpClient,
		RetryMax:     maxRetries,
		RetryWaitMin: c.retryBase,
		RetryWaitMax: c.retryCap,
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			return checkRetry(ctx, r.kind, resp, err)
		},
		Backoff: func(_, _ time.Duration, attemptNum int, resp *http.Response) time.Duration {
			wait := c.backoff(attemptNum, resp)
			fields := map[string]any{"method": r.method, "path": r.path, "attempt": int(ci.attempts.Load()), "wait_ms": wait.Milliseconds()}
			if resp != nil {
				fields["status"] = resp.StatusCode
				if rid := headerRequestID(resp.Header); rid != "" {
					fields["request_id"] = rid
				}
			}
			c.log(ctx, "retrying Box API request", fields)
			return wait
		},
		PrepareRetry: func(req *http.Request) error {
			if r.kind == kindSignWrite {
				return c.paceWait(req.Context(), r.method, r.path)
			}
			return nil
		},
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// tokenFetchError: no access token could be obtained, so the request
// itself was never sent.
type tokenFetchError struct{ err error }

func (e *tokenFetchError) Error() string { return e.err.Error() }
func (e *tokenFetchError) Unwrap() error { return e.err }

// wasNotSent reports errors after which a request certainly had no effect.
func wasNotSent(err error) bool {
	var tfe *tokenFetchError
	if errors.As(err, &tfe) {
		return true
	}
	var te *transportError
	if !errors.As(err, &te) {
		return true // not a network failure of the request itself
	}
	// An unfixable failure (no such host, plain HTTP answering the TLS
	// handshake, a refused loopback dial) ends before any byte of the
	// request is written.
	return isDialError(te.err) || IsCertificateError(te.err) || unfixableNetError(te.err) != ""
}

// transportError is a request that got no HTTP response.
type transportError struct {
	method, path string
	attempts     int
	err          error
}

func (e *transportError) Error() string {
	msg := fmt.Sprintf("box: %s %s failed after %d attempt(s): %v", e.method, e.path, e.attempts, e.err)
	if why := unfixableNetError(e.err); why != "" {
		msg += ". " + why
	}
	return msg
}

func (e *transportError) Unwrap() error { return e.err }

// checkRetry is the retry policy for a call of the given kind.
func checkRetry(ctx context.Context, kind callKind, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		if err == nil && resp != nil {
			// Box answered a write that was seen through after the caller
			// gave up: hand over the answer (it may name a new request)
			// instead of the cancellation.
			return false, nil
		}
		return false, ctx.Err()
	}
	if err != nil {
		if unfixableNetError(err) != "" {
			return false, nil
		}
		if kind != kindIdempotent {
			// A write is resent only if it certainly never reached Box.
			return isDialError(err), nil
		}
		return !isPermanentNetError(err), nil
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return true, nil
	}
	if kind == kindIdempotent && (resp.StatusCode == 0 || (resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented)) {
		return true, nil
	}
	return false, nil
}

// isDialError reports whether err happened while connecting, before any
// byte of the request was sent (connection refused, DNS failure).
func isDialError(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// unfixableNetError says what is wrong when err is a network failure that
// no retry can fix, or returns "": a host name that does not resolve, a
// server that answers plain HTTP to HTTPS, and nothing listening on a
// loopback address (a local emulator that is not running). Retrying these
// for half a minute would only hide the mistake.
func unfixableNetError(err error) string {
	if dnsErr, ok := errors.AsType[*net.DNSError](err); ok && dnsErr.IsNotFound {
		return fmt.Sprintf("The host name %q does not resolve (no such host): check api_base_url and upload_base_url, and the machine's DNS", dnsErr.Name)
	}
	if strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return "The server answered plain HTTP to an HTTPS request: use an http:// URL for a local emulator, or check the URL's port"
	}
	if opErr, ok := errors.AsType[*net.OpError](err); ok && opErr.Op == "dial" && errors.Is(err, syscall.ECONNREFUSED) && isLoopbackAddr(opErr.Addr) {
		return fmt.Sprintf("Nothing is listening on %s: start the emulator (box-emulator) or check api_base_url", opErr.Addr)
	}
	return ""
}

// isLoopbackAddr reports whether a dialled address is on this machine.
func isLoopbackAddr(a net.Addr) bool {
	if a == nil {
		return false
	}
	host, _, err := net.SplitHostPort(a.String())
	return err == nil && isLoopbackHost(host)
}

// isPermanentNetError reports errors that retrying cannot fix.
func isPermanentNetError(err error) bool {
	if IsCertificateError(err) {
		return true
	}
	s := err.Error()
	for _, frag := range []string{"unsupported protocol scheme", "invalid header", "stopped after", "certificate"} {
		if strings.Contains(s, frag) {
			return true
		}
	}
	return false
}

// backoff returns the wait before retry number n+1: Retry-After when a 429
// or 503 carries one, otherwise base × 2^n with jitter (×0.5–1.5), capped.
func (c *Client) backoff(n int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, c.maxRetryAfter)
		}
	}
	return c.expBackoff(n)
}

func (c *Client) expBackoff(n int) time.Duration {
	if n > 30 {
		n = 30
	}
	d := c.retryBase << uint(n)
	if d > c.retryCap || d <= 0 {
		d = c.retryCap
	}
	d = time.Duration(float64(d) * (0.5 + rand.Float64())) //nolint:gosec // G404: retry jitter only spreads clients out; it needs no unpredictability
	if d > c.retryCap {
		d = c.retryCap
	}
	return d
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// do sends r and decodes a response of status want into out (if not nil).
func (c *Client) do(ctx context.Context, r *apiRequest, want int, out any) (*apiResponse, error) {
	resp, err := c.send(ctx, r)
	if err != nil {
		return resp, err
	}
	if resp.status != want {
		return resp, c.apiError(r, resp)
	}
	if out != nil {
		if err := json.Unmarshal(resp.body, out); err != nil {
			return resp, fmt.Errorf("box: decoding the response of %s %s (%d): %w", r.method, r.path, resp.status, err)
		}
	}
	return resp, nil
}

func (c *Client) apiError(r *apiRequest, resp *apiResponse) error {
	e := decodeAPIError(r.method, r.path, resp.status, resp.header, resp.body, r.secrets)
	if resp.status == http.StatusUnauthorized {
		if c.auth.grant == grantStatic {
			e.hint = "The access token is invalid or expired (developer tokens last 60 minutes): set a new one"
		} else {
			e.hint = "Box rejected a freshly obtained access token: check the app's authorization and scopes"
		}
	}
	if resp.status == http.StatusTooManyRequests && resp.attempts > 1 {
		e.hint = fmt.Sprintf("Still rate limited after %d attempts", resp.attempts)
	} else if resp.status >= 500 && resp.attempts > 1 {
		e.hint = fmt.Sprintf("Gave up after %d attempts", resp.attempts)
	}
	return e
}

// jsonBody marshals v for a request body.
func jsonBody(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func jsonUnmarshalQuiet(b []byte, v any) bool { return json.Unmarshal(b, v) == nil }
