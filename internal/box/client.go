package box

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Logger receives the client's debug messages. The provider passes a tflog
// adapter; the client itself knows nothing of Terraform. Fields never hold
// secrets: the client redacts before it calls Logger.
type Logger func(ctx context.Context, msg string, fields map[string]any)

// Config configures a Client. Exactly one of the credential groups is set:
// AccessToken; ClientID+ClientSecret with EnterpriseID or UserID; or JWT.
type Config struct {
	APIBaseURL    string // e.g. https://api.box.com (no /2.0)
	UploadBaseURL string // e.g. https://upload.box.com

	AccessToken  string
	ClientID     string
	ClientSecret string
	EnterpriseID string
	UserID       string
	JWT          *JWTConfig

	AsUserID       string
	MaxRetries     *int          // retries after the first attempt: nil means DefaultMaxRetries, 0 (or less) none
	RequestTimeout time.Duration // per HTTP attempt
	UserAgent      string
	HTTPClient     *http.Client // optional: base transport (TLS roots); the client wraps it
	Logger         Logger       // optional
	Now            func() time.Time
	// OrphanWindow is how far back CreateSignRequest looks for a matching
	// live request an interrupted run left behind, to adopt it instead of
	// sending again; 0 turns the search off.
	OrphanWindow time.Duration
}

// JWTConfig is the app config file Box's Developer Console downloads.
type JWTConfig struct {
	ClientID     string
	ClientSecret string
	PublicKeyID  string
	PrivateKey   string // PEM, usually ENCRYPTED PRIVATE KEY (PKCS#8)
	Passphrase   string
	EnterpriseID string
	UserID       string

	// key is the decrypted private key, set by ParseJWTConfig or New.
	key signerKey
}

// String never prints the secret fields.
func (j *JWTConfig) String() string {
	if j == nil {
		return "<nil>"
	}
	return fmt.Sprintf("JWTConfig{ClientID: %q, PublicKeyID: %q, EnterpriseID: %q, UserID: %q, ClientSecret: %s, PrivateKey: %s, Passphrase: %s}",
		j.ClientID, j.PublicKeyID, j.EnterpriseID, j.UserID, redacted, redacted, redacted)
}

// GoString keeps %#v from printing secrets too.
func (j *JWTConfig) GoString() string { return j.String() }

// Defaults applied by New.
const (
	DefaultAPIBaseURL     = "https://api.box.com"
	DefaultUploadBaseURL  = "https://upload.box.com"
	DefaultMaxRetries     = 5
	DefaultRequestTimeout = 60 * time.Second
	defaultUserAgent      = "terraform-provider-box"
)

// Client is a Box API client safe for concurrent use.
type Client struct {
	cfg Config

	apiBase    string
	uploadBase string
	httpClient *http.Client
	auth       *tokenSource
	maxRetries int // Config.MaxRetries resolved

	// Backoff between retries of 5xx and network errors: base × 2^n with
	// jitter, capped. Tests shrink them.
	retryBase time.Duration
	retryCap  time.Duration
	// maxRetryAfter caps how long a Retry-After is honoured.
	maxRetryAfter time.Duration
	// createSkew is how far before an ambiguous create attempt a listed
	// sign request's created_at may be and still be adopted.
	createSkew time.Duration
	// reconcilePages bounds the pages listed when looking for a sign
	// request an ambiguous create may have made.
	reconcilePages int
	// orphanPages bounds the pages of the one orphan walk per Client, of
	// listLimit entries each (Box's maximum; tests shrink it).
	orphanPages int
	listLimit   int64
	orphans     orphanIndex
	// writeGrace is how long a write already on the wire may still take
	// once the caller cancels (Ctrl-C), so that its answer is not lost.
	writeGrace time.Duration

	// Pacing of sign request writes (create, resend) after a 429.
	paceMu    sync.Mutex
	notBefore time.Time

	// claimed holds what this Client (one provider process: a plan, or an
	// apply) knows of each sign request: tracked by the state, created,
	// adopted or cancelled here. Adoption and cancellation are exclusive.
	claimMu sync.Mutex
	claimed map[string]claimKind
	// boxOffset is Box's clock minus ours, from the Date header of Box's
	// latest answer (nanoseconds); see boxNow.
	boxOffset atomic.Int64
	// me is the authenticated user, once asked (AuthenticatedUser).
	meMu sync.Mutex
	me   *User
	// createLocks serialises creates that could match the same listed
	// sign request (same files/template, signers and external ID).
	createLocks keyedLocks
}

// New validates cfg, applies defaults and returns a Client. It makes no
// network call: the token is fetched on first use.
func New(cfg Config) (*Client, error) {
	if err := validateCredentials(&cfg); err != nil {
		return nil, err
	}
	if cfg.APIBaseURL == "" {
		cfg.APIBaseURL = DefaultAPIBaseURL
	}
	if cfg.UploadBaseURL == "" {
		cfg.UploadBaseURL = DefaultUploadBaseURL
	}
	apiBase, err := checkBaseURL("API base URL", cfg.APIBaseURL, apiVersionPath)
	if err != nil {
		return nil, err
	}
	uploadBase, err := checkBaseURL("upload base URL", cfg.UploadBaseURL, uploadVersionPath)
	if err != nil {
		return nil, err
	}
	if cfg.RequestTimeout < 0 {
		return nil, fmt.Errorf("box: RequestTimeout must be positive, got %s", cfg.RequestTimeout)
	}
	if cfg.OrphanWindow < 0 {
		return nil, fmt.Errorf("box: OrphanWindow must not be negative, got %s", cfg.OrphanWindow)
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = defaultUserAgent
	}

	c := &Client{
		cfg:            cfg,
		maxRetries:     retriesOf(cfg.MaxRetries),
		apiBase:        apiBase,
		uploadBase:     uploadBase,
		retryBase:      time.Second,
		retryCap:       30 * time.Second,
		maxRetryAfter:  10 * time.Minute,
		createSkew:     time.Minute,
		reconcilePages: 10,
		orphanPages:    20,
		listLimit:      maxListLimit,
		writeGrace:     30 * time.Second,
		claimed:        map[string]claimKind{},
	}

	var base http.RoundTripper
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		base = cfg.HTTPClient.Transport
	} else if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		base = dt.Clone()
	} else {
		// Something replaced http.DefaultTransport with its own
		// RoundTripper: use that one, as http.DefaultClient would.
		base = http.DefaultTransport
	}
	c.httpClient = &http.Client{
		Transport: &transport{c: c, base: base},
		Timeout:   cfg.RequestTimeout,
		// Box never redirects API calls; a redirect would carry the
		// Authorization header to another host, so refuse it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	c.auth, err = newTokenSource(c)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// The paths the client puts after each base URL, so a base URL must not
// end in them: https://api.box.com/2.0 would call /2.0/2.0/... and get 404s.
const (
	apiVersionPath    = "/2.0"
	uploadVersionPath = "/api/2.0"
)

// CheckAPIBaseURL reports whether raw is acceptable as the API base URL
// (see checkBaseURL), so that a caller can name its own setting.
func CheckAPIBaseURL(raw string) error {
	_, err := checkBaseURL("URL", raw, apiVersionPath)
	return err
}

// CheckUploadBaseURL is CheckAPIBaseURL for the upload base URL.
func CheckUploadBaseURL(raw string) error {
	_, err := checkBaseURL("URL", raw, uploadVersionPath)
	return err
}

// checkBaseURL accepts https URLs, and http URLs whose host is loopback,
// so that a token never crosses a network in clear text; the URL must not
// end in versionPath, which the client adds itself.
func checkBaseURL(what, raw, versionPath string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("box: invalid %s %q: %w", what, raw, err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("box: invalid %s %q: it needs a scheme and a host, e.g. https://api.box.com", what, raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("box: invalid %s: user info is not allowed in the URL", what)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("box: invalid %s %q: it must not have a query or fragment", what, raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return "", fmt.Errorf("box: refusing plain http %s %q: use https, or http only with a loopback host (localhost, 127.0.0.0/8, ::1)", what, raw)
		}
	default:
		return "", fmt.Errorf("box: invalid %s %q: scheme must be https", what, raw)
	}
	base := strings.TrimRight(u.String(), "/")
	if strings.HasSuffix(base, versionPath) {
		return "", fmt.Errorf("box: invalid %s %q: leave out %s, which the client adds to every call; use %q", what, raw, versionPath, strings.TrimSuffix(base, versionPath))
	}
	return base, nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopbackURL reports whether raw names a loopback host (localhost in
// any case, 127.0.0.0/8 or ::1): the one rule for where plain http is
// allowed and where the emulator is assumed.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && isLoopbackHost(u.Hostname())
}

// retriesOf resolves Config.MaxRetries.
func retriesOf(n *int) int {
	if n == nil {
		return DefaultMaxRetries
	}
	return max(*n, 0)
}

func (c *Client) now() time.Time { return c.cfg.Now() }

// boxNow is Box's time now: this machine's clock corrected by the Date
// header of Box's latest answer. Which requests count as recent must not
// depend on a local clock that runs ahead or behind.
func (c *Client) boxNow() time.Time { return c.now().Add(time.Duration(c.boxOffset.Load())) }

// noteBoxDate records Box's clock from a response's Date header.
func (c *Client) noteBoxDate(h http.Header) {
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		c.boxOffset.Store(int64(d.Sub(c.now())))
	}
}

func (c *Client) log(ctx context.Context, msg string, fields map[string]any) {
	if c.cfg.Logger == nil {
		return
	}
	c.cfg.Logger(ctx, msg, fields)
}

// keyedLocks is a set of context-aware mutexes keyed by string.
type keyedLocks struct {
	mu sync.Mutex
	m  map[string]*keyedLock
}

type keyedLock struct {
	ch   chan struct{}
	refs int
}

func (k *keyedLocks) lock(ctx context.Context, key string) (func(), error) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyedLock{}
	}
	l := k.m[key]
	if l == nil {
		l = &keyedLock{ch: make(chan struct{}, 1)}
		k.m[key] = l
	}
	l.refs++
	k.mu.Unlock()

	release := func() {
		k.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
	select {
	case l.ch <- struct{}{}:
		return func() { <-l.ch; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}
