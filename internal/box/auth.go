package box

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/youmark/pkcs8"
)

// jwtAudience is the audience Box requires in JWT assertions. It is fixed:
// Box checks this exact value whatever host the token request goes to.
const jwtAudience = "https://api.box.com/oauth2/token"

const (
	grantStatic = "access_token"
	grantCCG    = "client_credentials"
	grantJWT    = "jwt"
)

type signerKey = *rsa.PrivateKey

// tokenSource holds the Client's one access token. One fetch runs at a
// time and every caller that needs a token meanwhile waits for it and
// shares its outcome, so N concurrent calls make one token request. The
// token is renewed shortly before it expires and invalidated after a 401.
// A definitive refusal (a wrong secret, an unauthorized app) is kept for
// the life of the Client: asking again cannot succeed, and every refused
// request counts towards Box's lockout of the app.
type tokenSource struct {
	c      *Client
	grant  string
	static string
	key    signerKey

	mu      sync.Mutex
	tok     string
	renewAt time.Time
	flight  *tokenFlight // the fetch in progress, if any
	refused *AuthError   // a definitive refusal, returned from then on
}

// tokenFlight is one token fetch; done is closed once tok or err is set.
type tokenFlight struct {
	done chan struct{}
	tok  string
	err  error
}

func newTokenSource(c *Client) (*tokenSource, error) {
	t := &tokenSource{c: c}
	switch {
	case c.cfg.AccessToken != "":
		t.grant = grantStatic
		t.static = c.cfg.AccessToken
	case c.cfg.JWT != nil:
		t.grant = grantJWT
		key := c.cfg.JWT.key
		if key == nil {
			k, err := parsePrivateKey(c.cfg.JWT.PrivateKey, c.cfg.JWT.Passphrase)
			if err != nil {
				return nil, err
			}
			key = k
		}
		t.key = key
	default:
		t.grant = grantCCG
	}
	return t, nil
}

func (t *tokenSource) refreshable() bool { return t.grant != grantStatic }

// token returns a valid access token, fetching one if needed.
func (t *tokenSource) token(ctx context.Context) (string, error) {
	if t.grant == grantStatic {
		return t.static, nil
	}
	for {
		f, lead, tok, err := t.join()
		if tok != "" || err != nil {
			return tok, err
		}
		if lead {
			t.run(ctx, f)
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return "", ctx.Err()
		}
		// The leader's own cancellation is no answer for the others:
		// they start a fetch of their own.
		if isContextErr(f.err) && ctx.Err() == nil {
			continue
		}
		return f.tok, f.err
	}
}

// join returns the cached token or the remembered refusal, or else the
// fetch to wait for, and whether the caller leads it (must run it).
func (t *tokenSource) join() (f *tokenFlight, lead bool, tok string, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.refused != nil {
		return nil, false, "", t.refused
	}
	if t.tok != "" && t.c.now().Before(t.renewAt) {
		return nil, false, t.tok, nil
	}
	if t.flight != nil {
		return t.flight, false, "", nil
	}
	t.flight = &tokenFlight{done: make(chan struct{})}
	return t.flight, true, "", nil
}

// run performs fetch f and publishes its outcome to every waiter.
func (t *tokenSource) run(ctx context.Context, f *tokenFlight) {
	tok, expiresIn, err := t.fetch(ctx)
	t.mu.Lock()
	defer t.mu.Unlock()
	f.tok, f.err = tok, err
	if err == nil {
		t.tok = tok
		t.renewAt = t.c.now().Add(expiresIn - renewMargin(expiresIn))
	} else if ae, ok := errors.AsType[*AuthError](err); ok && ae.Definitive() {
		t.refused = ae
		t.c.log(ctx, "Box refused the credentials: no further token requests will be made", map[string]any{"grant": t.grant, "error": ae.Code})
	}
	t.flight = nil
	close(f.done)
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// maxTokenLifetime caps the lifetime a token response claims. Box's
// tokens last about an hour.
const maxTokenLifetime = 24 * time.Hour

// renewMargin is how long before expiry a token is renewed: 60 s, or 10%
// of its lifetime when that is shorter.
func renewMargin(lifetime time.Duration) time.Duration {
	m := lifetime / 10
	if m > time.Minute {
		m = time.Minute
	}
	return m
}

// invalidate forgets tok if it is still the current token, so that the next
// call fetches a new one. Concurrent 401s on one token cause one fetch.
func (t *tokenSource) invalidate(tok string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok == tok {
		t.tok = ""
		t.renewAt = time.Time{}
	}
}

// fetch asks Box's token endpoint for a new access token and its lifetime.
// Each attempt sends a token request of its own: a JWT assertion is signed
// afresh (a new jti), because Box accepts a jti only once and an attempt
// that timed out may have used it.
func (t *tokenSource) fetch(ctx context.Context) (string, time.Duration, error) {
	now := t.c.now()
	var resp *apiResponse
	var err error
	resigned := false
	for attempt := 0; ; attempt++ {
		var form url.Values
		if form, err = t.tokenForm(now); err != nil {
			return "", 0, err
		}
		resp, err = t.postToken(ctx, form)
		if err == nil && t.grant == grantJWT && resp.status == http.StatusBadRequest && isExpClaimError(resp.body) {
			// The local clock is off: sign again with the server's time, as
			// Box's SDKs do.
			if serverNow, perr := http.ParseTime(resp.header.Get("Date")); perr == nil && !resigned {
				t.c.log(ctx, "Box rejected the JWT exp claim: retrying with the server's clock", map[string]any{"skew_s": int(serverNow.Sub(t.c.now()) / time.Second)})
				now, resigned = serverNow, true
				attempt--
				continue
			}
		}
		retry := tokenRetryable(resp, err)
		if !retry || attempt >= t.c.maxRetries || ctx.Err() != nil {
			break
		}
		wait := t.c.expBackoff(attempt)
		if resp != nil {
			if d, ok := parseRetryAfter(resp.header.Get("Retry-After"), time.Now()); ok {
				wait = min(d, t.c.maxRetryAfter)
			}
		}
		t.c.log(ctx, "retrying the token request with a new assertion", map[string]any{"grant": t.grant, "attempt": attempt + 1, "wait_ms": wait.Milliseconds()})
		if err := sleep(ctx, wait); err != nil {
			return "", 0, err
		}
	}
	if err != nil {
		return "", 0, fmt.Errorf("box: requesting an access token (%s grant): %w", grantLabel(t.grant), err)
	}
	if resp.status != http.StatusOK {
		return "", 0, decodeAuthError(t.grant, resp)
	}
	tok, lifetime, err := decodeToken(resp)
	if err != nil {
		return "", 0, err
	}
	t.c.log(ctx, "obtained a Box access token", map[string]any{"grant": t.grant, "expires_in_s": int(lifetime / time.Second)})
	return tok, lifetime, nil
}

// tokenRetryable is the retry rule of a token request: a network failure
// that a retry can fix, a 429 or a 5xx, and Box's refusal of a reused jti
// (an earlier attempt that timed out may have used it; the next attempt
// signs a new one).
func tokenRetryable(resp *apiResponse, err error) bool {
	if err != nil {
		return unfixableNetError(err) == "" && !isPermanentNetError(err)
	}
	switch {
	case resp.status == http.StatusTooManyRequests:
		return true
	case resp.status >= 500 && resp.status != http.StatusNotImplemented:
		return true
	case resp.status == http.StatusBadRequest:
		return isJTIError(resp.body)
	}
	return false
}

// isJTIError recognises Box's invalid_grant about the jti claim (reused,
// or of the wrong length).
func isJTIError(body []byte) bool {
	var oe struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	return json.Unmarshal(body, &oe) == nil && oe.Error == "invalid_grant" && strings.Contains(oe.ErrorDescription, "'jti'")
}

// tokenForm is the token request of the grant; a JWT assertion is signed
// for the time now.
func (t *tokenSource) tokenForm(now time.Time) (url.Values, error) {
	form := url.Values{}
	switch t.grant {
	case grantCCG:
		cfg := t.c.cfg
		form.Set("grant_type", "client_credentials")
		form.Set("client_id", cfg.ClientID)
		form.Set("client_secret", cfg.ClientSecret)
		if cfg.UserID != "" {
			form.Set("box_subject_type", "user")
			form.Set("box_subject_id", cfg.UserID)
		} else {
			form.Set("box_subject_type", "enterprise")
			form.Set("box_subject_id", cfg.EnterpriseID)
		}
	case grantJWT:
		assertion, err := t.assertion(now)
		if err != nil {
			return nil, err
		}
		j := t.c.cfg.JWT
		form.Set("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
		form.Set("assertion", assertion)
		form.Set("client_id", j.ClientID)
		form.Set("client_secret", j.ClientSecret)
	default:
		return nil, fmt.Errorf("box: unknown grant %q", t.grant)
	}
	return form, nil
}

func (t *tokenSource) postToken(ctx context.Context, form url.Values) (*apiResponse, error) {
	return t.c.send(ctx, &apiRequest{
		method:      http.MethodPost,
		url:         t.c.apiBase + "/oauth2/token",
		path:        "/oauth2/token",
		body:        []byte(form.Encode()),
		contentType: "application/x-www-form-urlencoded",
		kind:        kindIdempotent,
		noAuth:      true,
		maxRetries:  0, // fetch retries, with a new assertion each time
	})
}

// decodeAuthError reads Box's refusal to issue a token: an OAuth2 error,
// or occasionally Box's own error envelope.
func decodeAuthError(grant string, resp *apiResponse) *AuthError {
	ae := &AuthError{Grant: grant, StatusCode: resp.status}
	var oe struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
		Code             string `json:"code"`
		Message          string `json:"message"`
	}
	if json.Unmarshal(resp.body, &oe) == nil {
		ae.Code, ae.Description = oe.Error, oe.ErrorDescription
		if ae.Code == "" {
			ae.Code = oe.Code
		}
		if ae.Description == "" {
			ae.Description = oe.Message
		}
	}
	return ae
}

// decodeToken reads the access token and its lifetime (an hour when Box
// does not say) from a token response.
func decodeToken(resp *apiResponse) (string, time.Duration, error) {
	var tr struct {
		AccessToken string          `json:"access_token"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
		TokenType   string          `json:"token_type"`
	}
	if err := json.Unmarshal(resp.body, &tr); err != nil || tr.AccessToken == "" {
		return "", 0, fmt.Errorf("box: the token endpoint returned %d without an access token", resp.status)
	}
	lifetime := time.Hour
	if s := strings.Trim(string(tr.ExpiresIn), `"`); s != "" && s != "null" {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 {
			// Clamped before the conversion: beyond ~292 years a float
			// overflows time.Duration into a negative lifetime, and the
			// token would be fetched again on every call.
			lifetime = time.Duration(min(f, maxTokenLifetime.Seconds()) * float64(time.Second))
		}
	}
	return tr.AccessToken, lifetime, nil
}

// isExpClaimError recognises Box's invalid_grant about the exp claim.
func isExpClaimError(body []byte) bool {
	var oe struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	return json.Unmarshal(body, &oe) == nil && oe.Error == "invalid_grant" && strings.Contains(oe.ErrorDescription, "'exp'")
}

// assertion builds the signed JWT for the jwt-bearer grant, expiring 30 s
// after now.
func (t *tokenSource) assertion(now time.Time) (string, error) {
	j := t.c.cfg.JWT
	sub, subType := j.EnterpriseID, "enterprise"
	if j.UserID != "" {
		sub, subType = j.UserID, "user"
	}
	jti := make([]byte, 32)
	if _, err := rand.Read(jti); err != nil {
		return "", fmt.Errorf("box: generating a JWT ID: %w", err)
	}
	claims := jwt.MapClaims{
		"iss":          j.ClientID,
		"sub":          sub,
		"box_sub_type": subType,
		"aud":          jwtAudience,
		"jti":          hex.EncodeToString(jti),
		"exp":          now.Add(30 * time.Second).Unix(),
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = j.PublicKeyID
	s, err := tok.SignedString(t.key)
	if err != nil {
		return "", errors.New("box: signing the JWT assertion failed")
	}
	return s, nil
}

// jwtConfigFile is the JSON Box's Developer Console downloads.
type jwtConfigFile struct {
	BoxAppSettings struct {
		ClientID     string `json:"clientID"`
		ClientSecret string `json:"clientSecret"`
		AppAuth      struct {
			PublicKeyID string `json:"publicKeyID"`
			PrivateKey  string `json:"privateKey"`
			Passphrase  string `json:"passphrase"`
		} `json:"appAuth"`
	} `json:"boxAppSettings"`
	EnterpriseID flexString `json:"enterpriseID"`
	UserID       flexString `json:"userID"`
}

// flexString accepts a JSON string or number (IDs are sometimes numbers).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		*f = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("expected a string or a number")
	}
	*f = flexString(n.String())
	return nil
}

// ParseJWTConfig parses the app config JSON from Box's Developer Console
// and decrypts its private key. Errors never include key material, the
// client secret or the passphrase.
func ParseJWTConfig(data []byte) (*JWTConfig, error) {
	var f jwtConfigFile
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&f); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, fmt.Errorf("box: the JWT config is not valid JSON (syntax error at byte %d)", se.Offset)
		case errors.As(err, &te):
			return nil, fmt.Errorf("box: the JWT config has a wrong type for %q (expected %s)", te.Field, te.Type)
		default:
			return nil, errors.New("box: the JWT config is not valid JSON")
		}
	}
	cfg := &JWTConfig{
		ClientID:     strings.TrimSpace(f.BoxAppSettings.ClientID),
		ClientSecret: f.BoxAppSettings.ClientSecret,
		PublicKeyID:  strings.TrimSpace(f.BoxAppSettings.AppAuth.PublicKeyID),
		PrivateKey:   f.BoxAppSettings.AppAuth.PrivateKey,
		Passphrase:   f.BoxAppSettings.AppAuth.Passphrase,
		EnterpriseID: strings.TrimSpace(string(f.EnterpriseID)),
		UserID:       strings.TrimSpace(string(f.UserID)),
	}
	if missing := cfg.missingFields(); len(missing) > 0 {
		return nil, fmt.Errorf("box: the JWT config is missing %s", strings.Join(missing, ", "))
	}
	key, err := parsePrivateKey(cfg.PrivateKey, cfg.Passphrase)
	if err != nil {
		return nil, err
	}
	cfg.key = key
	return cfg, nil
}

// parsePrivateKey decodes an RSA private key from PEM: encrypted PKCS#8
// (what Box generates), unencrypted PKCS#8, or PKCS#1.
func parsePrivateKey(pemText, passphrase string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil && strings.Contains(pemText, `\n`) {
		// The PEM was pasted with literal "\n" sequences.
		block, _ = pem.Decode([]byte(strings.ReplaceAll(pemText, `\n`, "\n")))
	}
	if block == nil {
		return nil, errors.New("box: the JWT private key is not a PEM block")
	}
	switch block.Type {
	case "ENCRYPTED PRIVATE KEY":
		if passphrase == "" {
			return nil, errors.New("box: the JWT private key is encrypted but the config has no passphrase (boxAppSettings.appAuth.passphrase)")
		}
		key, err := pkcs8.ParsePKCS8PrivateKeyRSA(block.Bytes, []byte(passphrase))
		if err != nil {
			return nil, errors.New("box: could not decrypt the JWT private key: wrong passphrase, or not an RSA key in encrypted PKCS#8")
		}
		return key, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("box: could not parse the JWT private key (PKCS#8)")
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("box: the JWT private key is a %T; Box needs an RSA key", k)
		}
		return rk, nil
	case "RSA PRIVATE KEY":
		if _, ok := block.Headers["DEK-Info"]; ok {
			return nil, errors.New("box: legacy encrypted PEM (DEK-Info) keys are not supported; use an encrypted PKCS#8 key as Box generates")
		}
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("box: could not parse the JWT private key (PKCS#1)")
		}
		return k, nil
	default:
		return nil, fmt.Errorf("box: unsupported PEM block type %q for the JWT private key", block.Type)
	}
}
