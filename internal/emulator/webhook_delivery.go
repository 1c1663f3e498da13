package emulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"
	"time"

	"github.com/google/uuid"
)

// WebhookOptions configures webhook deliveries. Zero values get the
// documented defaults.
type WebhookOptions struct {
	// PrimaryKey and SecondaryKey are the app's signature keys (Box makes
	// them in the Developer Console only). An empty key sends no header of
	// its kind.
	PrimaryKey   string
	SecondaryKey string
	// RootCAsPEM holds extra CA certificates trusted for receivers, on
	// top of the system's, so a test receiver can use its own certificate.
	RootCAsPEM []byte
	// RetryDelay is the wait before the first retry; each next one doubles,
	// up to a minute. Default 1s (Box waits 5 minutes: the emulator is
	// quicker so that a test sees retries).
	RetryDelay time.Duration
	// MaxRetries is how often a failed delivery is retried: default 10, as
	// Box's guide says; negative means none.
	MaxRetries int
	// AttemptTimeout bounds one attempt: default 30s, Box's.
	AttemptTimeout time.Duration
	// Dial replaces the network dialer (tests). Whatever it is, a
	// delivery goes only to loopback addresses.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

const maxRetryDelay = time.Minute

// Delivery outcomes as GET /_emulator/webhook_deliveries lists them.
const (
	deliveryPending      = "pending"       // not answered 2xx yet; a retry is due
	deliveryDelivered    = "delivered"     // a 2xx came back
	deliveryFailed       = "failed"        // every attempt failed
	deliveryNotDelivered = "not_delivered" // not a loopback address: never contacted
)

type deliveryAttempt struct {
	DeliveryID string    `json:"delivery_id"`
	At         time.Time `json:"at"`
	StatusCode int       `json:"status_code,omitempty"`
	Error      string    `json:"error,omitempty"`
}

type delivery struct {
	EventID   string            `json:"event_id"`
	WebhookID string            `json:"webhook_id"`
	Trigger   string            `json:"trigger"`
	Address   string            `json:"address"`
	Status    string            `json:"status"`
	Reason    string            `json:"reason,omitempty"`
	Attempts  []deliveryAttempt `json:"attempts"`
	Payload   json.RawMessage   `json:"payload"`
}

// hookRuntime sends deliveries in the background. Every goroutine it starts
// ends on its own after at most MaxRetries+1 attempts, or at Close.
type hookRuntime struct {
	opts    WebhookOptions
	now     func() time.Time
	started time.Time
	client  *http.Client

	mu      sync.Mutex
	log     []*delivery
	timers  map[string]*time.Timer
	stopped bool
	stop    chan struct{}
	wg      sync.WaitGroup
}

var errNotLoopback = errors.New("the emulator delivers to loopback addresses only")

func newHookRuntime(opts WebhookOptions, now func() time.Time) (*hookRuntime, error) {
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = time.Second
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 10
	}
	if opts.AttemptTimeout <= 0 {
		opts.AttemptTimeout = 30 * time.Second
	}
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if len(opts.RootCAsPEM) > 0 && !roots.AppendCertsFromPEM(opts.RootCAsPEM) {
		return nil, errors.New("emulator: webhook CA file: no PEM certificate found")
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: onlyLoopback}
	dial := opts.Dial
	if dial == nil {
		dial = dialer.DialContext
	}
	transport := &http.Transport{
		Proxy:               nil, // never through a proxy: deliveries stay on this machine
		DialContext:         loopbackDial(dial),
		TLSClientConfig:     &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: 10 * time.Second,
		MaxIdleConns:        4,
		IdleConnTimeout:     5 * time.Second,
	}
	return &hookRuntime{
		opts: opts, now: now, started: now(),
		client: &http.Client{Transport: transport, Timeout: opts.AttemptTimeout,
			// A redirect is a failed delivery, never a second address.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		timers: map[string]*time.Timer{},
		stop:   make(chan struct{}),
	}, nil
}

// onlyLoopback refuses, at the socket, any address that is not loopback:
// whatever a name resolves to, nothing off the machine is dialled.
func onlyLoopback(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return errNotLoopback
	}
	return nil
}

// loopbackDial checks the address before any dial hook sees it.
func loopbackDial(dial func(context.Context, string, string) (net.Conn, error)) func(context.Context, string, string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil || !loopbackHost(host) {
			return nil, errNotLoopback
		}
		return dial(ctx, network, addr)
	}
}

// webhookSignature is Box's signature: base64 of HMAC-SHA256, keyed by a
// signature key, over the body's bytes followed by the timestamp header's
// ("Signature Verification" guide).
func webhookSignature(key string, body []byte, timestamp string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	m.Write([]byte(timestamp))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// enqueue records a delivery and sends it in the background.
func (h *hookRuntime) enqueue(w *webhook, trigger string, payload map[string]any) {
	body, err := json.Marshal(payload)
	if err != nil {
		panic("emulator: encoding webhook payload: " + err.Error())
	}
	eventID, _ := payload["id"].(string) // the event ID the payload builders set
	d := &delivery{EventID: eventID, WebhookID: w.ID, Trigger: trigger, Address: w.Address,
		Status: deliveryPending, Attempts: []deliveryAttempt{}, Payload: body}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.log = append(h.log, d)
	if u, err := url.Parse(w.Address); err != nil || !loopbackHost(u.Hostname()) {
		d.Status, d.Reason = deliveryNotDelivered, errNotLoopback.Error()+"; this address was not contacted"
		return
	}
	if h.stopped {
		d.Status, d.Reason = deliveryFailed, "the emulator is shutting down"
		return
	}
	h.wg.Add(1)
	go h.run(d, body)
}

// run attempts a delivery until a 2xx, MaxRetries retries, or Close.
func (h *hookRuntime) run(d *delivery, body []byte) {
	defer h.wg.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-h.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	delay := h.opts.RetryDelay
	for try := 0; ; try++ {
		a := h.attempt(ctx, d, body)
		h.mu.Lock()
		d.Attempts = append(d.Attempts, a)
		done := a.StatusCode >= 200 && a.StatusCode < 300
		switch {
		case done:
			d.Status = deliveryDelivered
		case try >= h.opts.MaxRetries:
			d.Status, d.Reason = deliveryFailed, fmt.Sprintf("no 2xx after %d attempts", try+1)
			done = true
		}
		h.mu.Unlock()
		if done {
			return
		}
		select {
		case <-time.After(delay):
		case <-h.stop:
			h.mu.Lock()
			d.Status, d.Reason = deliveryFailed, "the emulator stopped before the next retry"
			h.mu.Unlock()
			return
		}
		delay = min(2*delay, maxRetryDelay)
	}
}

// attempt POSTs the payload once with Box's headers. Each attempt has its
// own delivery ID and timestamp, and so its own signatures; the body, and
// the event ID in it, stay the same ("V2 Webhooks" guide).
func (h *hookRuntime) attempt(ctx context.Context, d *delivery, body []byte) deliveryAttempt {
	now := h.now().UTC()
	a := deliveryAttempt{DeliveryID: uuid.NewString(), At: now}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Address, bytes.NewReader(body))
	if err != nil {
		a.Error = err.Error()
		return a
	}
	ts := now.Format(time.RFC3339)
	// Box's spelling of the header names, kept as they are on the wire.
	req.Header["BOX-DELIVERY-ID"] = []string{a.DeliveryID}
	req.Header["BOX-DELIVERY-TIMESTAMP"] = []string{ts}
	if h.opts.PrimaryKey != "" {
		req.Header["BOX-SIGNATURE-PRIMARY"] = []string{webhookSignature(h.opts.PrimaryKey, body, ts)}
	}
	if h.opts.SecondaryKey != "" {
		req.Header["BOX-SIGNATURE-SECONDARY"] = []string{webhookSignature(h.opts.SecondaryKey, body, ts)}
	}
	req.Header["BOX-SIGNATURE-VERSION"] = []string{"1"}
	req.Header["BOX-SIGNATURE-ALGORITHM"] = []string{"HmacSHA256"}
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	req.Header.Set("User-Agent", "Box-WH-Client/0.1")
	resp, err := h.client.Do(req)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	a.StatusCode = resp.StatusCode
	return a
}

// after runs f once after wait, at most one pending timer per key.
func (h *hookRuntime) after(key string, wait time.Duration, f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopped || h.timers[key] != nil {
		return
	}
	h.wg.Add(1)
	h.timers[key] = time.AfterFunc(wait, func() {
		defer h.wg.Done()
		select {
		case <-h.stop:
			return
		default:
		}
		f()
	})
}

// close cancels pending retries and timers and waits for every goroutine.
func (h *hookRuntime) close() {
	h.mu.Lock()
	if h.stopped {
		h.mu.Unlock()
		return
	}
	h.stopped = true
	close(h.stop)
	for _, t := range h.timers {
		if t.Stop() {
			h.wg.Done() // never ran: its Done is ours to call
		}
	}
	h.mu.Unlock()
	h.wg.Wait()
}

func (h *hookRuntime) deliveries() []delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]delivery, 0, len(h.log))
	for _, d := range h.log {
		c := *d
		c.Attempts = append([]deliveryAttempt{}, d.Attempts...)
		out = append(out, c)
	}
	return out
}

func (h *hookRuntime) clearLog() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.log = nil
}

// Close stops webhook deliveries: pending retries end as failed, and Close
// returns once no delivery goroutine is left. The API keeps serving.
func (e *Emulator) Close() error {
	e.hooks.close()
	return nil
}

func (e *Emulator) webhookControls() []control {
	return []control{
		{Method: "GET", Path: "/_emulator/webhook_deliveries",
			Doc: "webhook deliveries: event, webhook, address, status (pending, delivered, failed, not_delivered), attempts with status codes, payload",
			handle: func(e *Emulator, _ []string, _ []byte) *response {
				return jsonResponse(http.StatusOK, map[string]any{"entries": e.hooks.deliveries()})
			}},
		{Method: "DELETE", Path: "/_emulator/webhook_deliveries", Doc: "clear the webhook delivery log",
			handle: func(e *Emulator, _ []string, _ []byte) *response {
				e.hooks.clearLog()
				return newResponse(http.StatusNoContent)
			}},
	}
}
