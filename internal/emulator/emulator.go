// Package emulator is an offline stand-in for the parts of the Box API the
// provider uses: OAuth2 tokens, users, folders, uploads, files,
// collaborations, Box Sign requests and templates. It is an http.Handler with its state in memory
// (optionally persisted to a JSON file), plus test controls under
// /_emulator/ that let a test act as a signer and as a flaky network.
//
// It aims to behave like Box, not like a convenient fake: every Box rule it
// reproduces is listed in FIDELITY.md with its source and covering test,
// and where Box's spec and docs are silent the choice is marked a guess
// there and commented in place.
package emulator

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options configures an Emulator. Zero values get the documented defaults.
type Options struct {
	DeveloperToken    string        // default "dev-token"
	DeveloperTokenTTL time.Duration // default 60m, as Box's; counted from New and from POST /_emulator/developer_token
	ClientID          string        // default "emulator-client-id"
	ClientSecret      string        // default "emulator-client-secret"
	EnterpriseID      string        // default "1000"
	JWTPublicKeyPEM   []byte        // optional; verifies JWT assertions
	JWTKeyID          string        // default "emulator-key"
	TokenTTL          time.Duration // default 60m
	Latency           time.Duration // added before every API response
	// ConversionDelay is how long a new sign request stays "converting",
	// and a fully signed one "finalizing". The zero value is no delay,
	// which in-process tests want; the box-emulator command defaults to
	// DefaultConversionDelay instead.
	ConversionDelay time.Duration
	// AsUserDisabled and UserTokensDisabled turn off the app settings
	// "Perform actions as users" and "Generate user access tokens", which
	// are on by default.
	AsUserDisabled     bool
	UserTokensDisabled bool
	RateLimit          int    // per user per minute on sign request create and resend; 0 = off
	DataFile           string // "" = memory only
	Seed               bool
	Now                func() time.Time // optional clock for tests
	Webhooks           WebhookOptions   // signature keys, receivers' CAs, retry pacing (webhook_delivery.go)
	// AutoAct are test-only signers who act on their own (auto_act.go).
	AutoAct []AutoAct
}

// DefaultConversionDelay is the box-emulator command's -conversion-delay:
// long enough for a person (and the demo) to see "converting", as on Box.
const DefaultConversionDelay = 3 * time.Second

// The credentials the emulator accepts unless told otherwise: the Options
// defaults and the box-emulator command's flag defaults, which the docs
// and the offline examples use.
const (
	DefaultDeveloperToken = "dev-token"
	DefaultClientID       = "emulator-client-id"
	DefaultClientSecret   = "emulator-client-secret" //nolint:gosec // G101: the offline emulator's documented default, not a credential
	DefaultEnterpriseID   = "1000"
)

// DefaultDeveloperTokenTTL is Box's developer token lifetime.
const DefaultDeveloperTokenTTL = 60 * time.Minute

// SeedInfo lists what -seed created.
type SeedInfo struct {
	FolderID            string   `json:"folder_id"`
	FileIDs             []string `json:"file_ids"`
	TemplateIDs         []string `json:"template_ids"`
	AdminUserID         string   `json:"admin_user_id"`
	AdminLogin          string   `json:"admin_login"`
	ServiceAccountID    string   `json:"service_account_id"`
	ServiceAccountLogin string   `json:"service_account_login"`
}

// Emulator is the Box API emulator. It is safe for concurrent use: one
// mutex guards all state, which is plenty for a test double.
type Emulator struct {
	opts     Options
	jwtKey   *rsa.PublicKey
	routes   []route
	controls []control

	mu          sync.Mutex
	st          *state
	faults      []*fault
	stats       map[string]map[string]int
	devTokenEnd time.Time // the developer token answers 401 from then on
	hooks       *hookRuntime

	// downloads maps a download link's token to its content (file_versions.go).
	downloads map[string][]byte
}

// New makes an Emulator, loading opts.DataFile when it exists and seeding
// when opts.Seed is set and the loaded state has no seed yet.
func New(opts Options) (*Emulator, error) {
	if opts.DeveloperToken == "" {
		opts.DeveloperToken = DefaultDeveloperToken
	}
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.EnterpriseID == "" {
		opts.EnterpriseID = DefaultEnterpriseID
	}
	if opts.JWTKeyID == "" {
		opts.JWTKeyID = "emulator-key"
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 60 * time.Minute
	}
	if opts.DeveloperTokenTTL <= 0 {
		opts.DeveloperTokenTTL = DefaultDeveloperTokenTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	e := &Emulator{opts: opts, stats: map[string]map[string]int{}, downloads: map[string][]byte{}}
	var err error
	e.devTokenEnd = e.now().Add(opts.DeveloperTokenTTL)
	if len(opts.JWTPublicKeyPEM) > 0 {
		key, err := parsePublicKey(opts.JWTPublicKeyPEM)
		if err != nil {
			return nil, err
		}
		e.jwtKey = key
	}
	if e.hooks, err = newHookRuntime(opts.Webhooks, e.now); err != nil {
		return nil, err
	}
	e.routes = e.buildRoutes()
	e.controls = e.buildControls()

	if opts.DataFile != "" {
		st, err := loadState(opts.DataFile)
		if err != nil {
			return nil, err
		}
		e.st = st
	}
	if e.st == nil {
		e.st = e.freshState()
	}
	if opts.Seed && e.st.Seed == nil {
		e.seed()
	}
	return e, nil
}

// freshState is an empty Box: a root folder and the enterprise's service
// account.
func (e *Emulator) freshState() *state {
	st := newState()
	st.ServiceAccountID = "2" + randomString(9, "0123456789")
	st.ServiceAccountMail = fmt.Sprintf("AutomationUser_%s_%s@boxdevedition.com",
		e.opts.EnterpriseID, randomString(10, alnum))
	now := e.now()
	st.Folders[rootFolderID] = &folder{
		ID: rootFolderID, Name: "All Files", OwnerID: adminUserID,
		CreatedAt: now, ModifiedAt: now,
	}
	return st
}

func parsePublicKey(b []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, errors.New("emulator: JWT public key: no PEM block found")
	}
	if pub, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		if rk, ok := pub.(*rsa.PublicKey); ok {
			return rk, nil
		}
		return nil, errors.New("emulator: JWT public key is not an RSA key")
	}
	if rk, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
		return rk, nil
	}
	if cert, err := x509.ParseCertificate(block.Bytes); err == nil {
		if rk, ok := cert.PublicKey.(*rsa.PublicKey); ok {
			return rk, nil
		}
	}
	return nil, errors.New("emulator: JWT public key: not a PKIX, PKCS#1 or certificate RSA public key")
}

func (e *Emulator) now() time.Time { return e.opts.Now().UTC() }

// Seeded reports what the seed created; the zero value when not seeded.
func (e *Emulator) Seeded() SeedInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.st.Seed == nil {
		return SeedInfo{}
	}
	s := *e.st.Seed
	s.FileIDs = append([]string(nil), s.FileIDs...)
	s.TemplateIDs = append([]string(nil), s.TemplateIDs...)
	return s
}

// Save writes the state to DataFile; without one it does nothing.
func (e *Emulator) Save() error {
	if e.opts.DataFile == "" {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return saveState(e.opts.DataFile, e.st)
}

// call is one API request as a handler sees it.
type call struct {
	r      *http.Request
	params map[string]string
	body   []byte
	user   user // the acting user: the token's user, or the As-User target
	caller user // the token's own user
}

type route struct {
	method  string
	pattern string // e.g. /2.0/sign_requests/{id}; also the stats key
	segs    []string
	auth    bool
	handle  func(c *call) *response
}

func (e *Emulator) buildRoutes() []route {
	rs := []route{
		{method: "POST", pattern: "/oauth2/token", handle: e.handleToken},
		{method: "GET", pattern: "/2.0/users/me", auth: true, handle: e.handleUsersMe},
		{method: "GET", pattern: "/2.0/users", auth: true, handle: e.handleListUsers},
		{method: "GET", pattern: "/2.0/users/{id}", auth: true, handle: e.handleGetUser},
		{method: "POST", pattern: "/2.0/collaborations", auth: true, handle: e.handleCreateCollaboration},
		{method: "GET", pattern: "/2.0/collaborations/{id}", auth: true, handle: e.handleGetCollaboration},
		{method: "PUT", pattern: "/2.0/collaborations/{id}", auth: true, handle: e.handleUpdateCollaboration},
		{method: "DELETE", pattern: "/2.0/collaborations/{id}", auth: true, handle: e.handleDeleteCollaboration},
		{method: "GET", pattern: "/2.0/folders/{id}/collaborations", auth: true, handle: e.handleFolderCollaborations},
		{method: "POST", pattern: "/2.0/folders", auth: true, handle: e.handleCreateFolder},
		{method: "GET", pattern: "/2.0/folders/{id}", auth: true, handle: e.handleGetFolder},
		{method: "PUT", pattern: "/2.0/folders/{id}", auth: true, handle: e.handleUpdateFolder},
		{method: "DELETE", pattern: "/2.0/folders/{id}", auth: true, handle: e.handleDeleteFolder},
		{method: "GET", pattern: "/2.0/folders/{id}/items", auth: true, handle: e.handleFolderItems},
		{method: "POST", pattern: "/api/2.0/files/content", auth: true, handle: e.handleUpload},
		{method: "GET", pattern: "/2.0/files/{id}", auth: true, handle: e.handleGetFile},
		{method: "PUT", pattern: "/2.0/files/{id}", auth: true, handle: e.handleUpdateFile},
		{method: "POST", pattern: "/api/2.0/files/{id}/content", auth: true, handle: e.handleUploadVersion},
		{method: "DELETE", pattern: "/2.0/files/{id}", auth: true, handle: e.handleDeleteFile},
		{method: "GET", pattern: "/2.0/files/{id}/versions", auth: true, handle: e.handleFileVersions},
		{method: "GET", pattern: "/2.0/files/{id}/content", auth: true, handle: e.handleDownload},
		{method: "POST", pattern: "/2.0/files/{id}/copy", auth: true, handle: e.handleCopyFile},
		{method: "POST", pattern: "/2.0/sign_requests", auth: true, handle: e.handleCreateSignRequest},
		{method: "GET", pattern: "/2.0/sign_requests", auth: true, handle: e.handleListSignRequests},
		{method: "GET", pattern: "/2.0/sign_requests/{id}", auth: true, handle: e.handleGetSignRequest},
		{method: "POST", pattern: "/2.0/sign_requests/{id}/cancel", auth: true, handle: e.handleCancelSignRequest},
		{method: "POST", pattern: "/2.0/sign_requests/{id}/resend", auth: true, handle: e.handleResendSignRequest},
		{method: "GET", pattern: "/2.0/sign_templates", auth: true, handle: e.handleListTemplates},
		{method: "GET", pattern: "/2.0/sign_templates/{id}", auth: true, handle: e.handleGetTemplate},
	}
	rs = append(rs, e.webhookRoutes()...)
	for i := range rs {
		rs[i].segs = splitPath(rs[i].pattern)
	}
	return rs
}

func splitPath(p string) []string {
	return strings.Split(strings.Trim(p, "/"), "/")
}

// matchSegs matches a concrete path against a template whose {name}
// segments match any one segment.
func matchSegs(tmpl, path []string) (map[string]string, bool) {
	if len(tmpl) != len(path) {
		return nil, false
	}
	var params map[string]string
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if path[i] == "" {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[t[1:len(t)-1]] = path[i]
			continue
		}
		if t != path[i] {
			return nil, false
		}
	}
	return params, true
}

// findRoute returns the route for the request, the stats key, and whether
// only the method was wrong.
func (e *Emulator) findRoute(method, path string) (*route, map[string]string, string, bool) {
	segs := splitPath(path)
	pathMatched := ""
	for i := range e.routes {
		rt := &e.routes[i]
		params, ok := matchSegs(rt.segs, segs)
		if !ok {
			continue
		}
		if rt.method == method {
			return rt, params, method + " " + rt.pattern, false
		}
		pathMatched = rt.pattern
	}
	if pathMatched != "" {
		return nil, nil, method + " " + pathMatched, true
	}
	return nil, nil, method + " " + path, false
}

// ServeHTTP serves the Box API and the /_emulator controls.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_emulator" || strings.HasPrefix(r.URL.Path, "/_emulator/") {
		writeResponse(w, e.handleControl(r))
		return
	}
	if strings.HasPrefix(r.URL.Path, downloadLinkPrefix) {
		// Box's download links live on dl.boxcloud.com, outside the API.
		writeResponse(w, e.serveDownloadLink(r))
		return
	}

	rt, params, key, wrongMethod := e.findRoute(r.Method, r.URL.Path)
	f := e.takeFault(r.Method, r.URL.Path, rt)

	if f != nil && f.delay > 0 {
		time.Sleep(f.delay)
	}
	if e.opts.Latency > 0 {
		time.Sleep(e.opts.Latency)
	}

	var resp *response
	if f == nil || f.AfterEffect {
		switch {
		case rt != nil:
			resp = e.run(rt, params, r)
		case wrongMethod:
			resp = methodNotAllowed()
		default:
			resp = notFound()
		}
	}
	if f != nil {
		if f.DropConnection {
			e.count(key, "dropped")
			dropConnection(w)
			return
		}
		resp = f.response()
	}
	e.count(key, strconv.Itoa(resp.status))
	writeResponse(w, resp)
}

// run reads the body, authenticates and calls the handler under the lock.
func (e *Emulator) run(rt *route, params map[string]string, r *http.Request) *response {
	// The body is read before taking the lock so a slow client cannot
	// stall everyone else.
	body, err := readBody(r)
	if errors.Is(err, errBodyTooLarge) {
		return errorResponse(http.StatusRequestEntityTooLarge, "request_entity_too_large", "The request body is too large", nil)
	}
	if err != nil {
		return errorResponse(http.StatusBadRequest, "bad_request", "Bad Request", nil)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := &call{r: r, params: params, body: body}
	if rt.auth {
		if resp := e.authenticate(c); resp != nil {
			return resp
		}
	}
	return rt.handle(c)
}

func (e *Emulator) count(key, status string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	m := e.stats[key]
	if m == nil {
		m = map[string]int{}
		e.stats[key] = m
	}
	m[status]++
}

func writeResponse(w http.ResponseWriter, resp *response) {
	for k, vs := range resp.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.status)
	if len(resp.body) > 0 {
		// Every body comes from jsonResponse (application/json, with < > &
		// escaped by encoding/json, so echoed request data is not markup),
		// or is a file's content served as application/octet-stream.
		_, _ = w.Write(resp.body) //nolint:gosec // G705: JSON or octet-stream only, see above
	}
}

// dropConnection closes the connection without any response, the way a
// network failure looks to a client.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// Not hijackable (HTTP/2, recorders): net/http aborts the response.
	panic(http.ErrAbortHandler)
}
