package emulator

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	jwtGrant    = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	boxTokenURL = "https://api.box.com/oauth2/token" //nolint:gosec // G101: the token endpoint's URL (a JWT assertion's audience), not a credential
)

// authenticate resolves the bearer token and the As-User header.
func (e *Emulator) authenticate(c *call) *response {
	h := c.r.Header.Get("Authorization")
	if h == "" {
		return unauthorized(true)
	}
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return unauthorized(false)
	}
	var u user
	if subtle.ConstantTimeCompare([]byte(tok), []byte(e.opts.DeveloperToken)) == 1 {
		// The developer token acts as the console user and, like Box's,
		// expires (60 minutes by default) and cannot be refreshed; POST
		// /_emulator/developer_token stands in for generating a new one.
		if !e.now().Before(e.devTokenEnd) {
			return unauthorized(false)
		}
		u = e.admin()
	} else {
		t := e.st.Tokens[tok]
		if t == nil || !e.now().Before(t.ExpiresAt) {
			return unauthorized(false)
		}
		var found bool
		if u, found = e.userByID(t.UserID); !found {
			return unauthorized(false)
		}
	}
	c.caller, c.user = u, u

	if as := strings.TrimSpace(c.r.Header.Get("As-User")); as != "" {
		target, resp := e.asUser(u, as)
		if resp != nil {
			return resp
		}
		c.user = target
	}
	return nil
}

// asUser resolves an As-User header. Box needs the app setting "Perform
// actions as users", an admin, co-admin or service-account token, and a
// target in the enterprise other than the service account. For any
// refusal (unknown ID included) the emulator answers 403
// access_denied_insufficient_permissions: Box does not reveal whether a
// user ID exists to a caller that may not act as it (FIDELITY.md,
// "As-User"; the body is a guess).
func (e *Emulator) asUser(caller user, id string) (user, *response) {
	target, found := e.userByID(id)
	if e.opts.AsUserDisabled || caller.Role != "admin" || !found || target.ServiceAccount || target.External {
		return user{}, forbidden()
	}
	return target, nil
}

// handleToken is POST /oauth2/token.
func (e *Emulator) handleToken(c *call) *response {
	form, err := parseForm(c)
	if err != nil {
		return oauthError("invalid_request", "Invalid request body")
	}
	var u user
	switch form.Get("grant_type") {
	case "client_credentials":
		var resp *response
		if u, resp = e.clientCredentials(form); resp != nil {
			return resp
		}
	case jwtGrant:
		var resp *response
		if u, resp = e.jwtBearer(c, form); resp != nil {
			return resp
		}
	case "":
		return oauthError("invalid_request", "Invalid grant_type parameter or parameter missing")
	default:
		return oauthError("unsupported_grant_type", "Invalid grant_type parameter or parameter missing")
	}
	tok := randomString(32, alnum)
	ttl := e.opts.TokenTTL
	e.st.Tokens[tok] = &token{UserID: u.ID, ExpiresAt: e.now().Add(ttl)}
	e.pruneTokens()
	return jsonResponse(http.StatusOK, map[string]any{
		"access_token":  tok,
		"expires_in":    int64(ttl / time.Second),
		"token_type":    "bearer",
		"restricted_to": []any{},
	})
}

// pruneTokens drops tokens that expired more than a day ago, so a
// long-running emulator's data file does not grow without bound.
func (e *Emulator) pruneTokens() {
	cutoff := e.now().Add(-24 * time.Hour)
	for k, t := range e.st.Tokens {
		if t.ExpiresAt.Before(cutoff) {
			delete(e.st.Tokens, k)
		}
	}
}

type formValues interface{ Get(string) string }

func (e *Emulator) subject(kind, id string) (user, bool) {
	switch kind {
	case "enterprise":
		if id == e.opts.EnterpriseID {
			return e.serviceAccount(), true
		}
	case "user":
		// User-subject grants work for the enterprise's real users; the
		// service account is not one (Box rejects its ID as a user subject),
		// nor is an external user.
		if u, ok := e.userByID(id); ok && !u.ServiceAccount && !u.External {
			return u, true
		}
	}
	return user{}, false
}

// userTokensOff reports a user-subject grant that the app may not make:
// "Generate user access tokens" is off (FIDELITY.md, "Tokens"). Each grant
// answers it in its own words.
func (e *Emulator) userTokensOff(kind string) bool {
	return kind == "user" && e.opts.UserTokensDisabled
}

func (e *Emulator) clientCredentials(form formValues) (user, *response) {
	// Wrong credentials, a bad subject, or a user subject the app's
	// settings refuse all give invalid_grant (doc "Client Credentials
	// Grant", Common Errors).
	bad := oauthError("invalid_grant", "Grant credentials are invalid")
	if !e.clientOK(form) || e.userTokensOff(form.Get("box_subject_type")) {
		return user{}, bad
	}
	u, ok := e.subject(form.Get("box_subject_type"), form.Get("box_subject_id"))
	if !ok {
		return user{}, bad
	}
	return u, nil
}

func (e *Emulator) clientOK(form formValues) bool {
	return subtle.ConstantTimeCompare([]byte(form.Get("client_id")), []byte(e.opts.ClientID)) == 1 &&
		subtle.ConstantTimeCompare([]byte(form.Get("client_secret")), []byte(e.opts.ClientSecret)) == 1
}

// boxClaims are the claims of a Box JWT assertion.
type boxClaims struct {
	BoxSubType string `json:"box_sub_type"`
	jwt.RegisteredClaims
}

func (e *Emulator) jwtBearer(c *call, form formValues) (user, *response) {
	if !e.clientOK(form) {
		return user{}, oauthError("invalid_client", "The client credentials are invalid")
	}
	assertion := form.Get("assertion")
	if assertion == "" {
		return user{}, oauthError("invalid_request", "Missing assertion parameter")
	}
	if e.jwtKey == nil {
		return user{}, oauthError("invalid_grant", "No public key is configured for this app")
	}
	claims := &boxClaims{}
	_, err := jwt.ParseWithClaims(assertion, claims, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != e.opts.JWTKeyID {
			return nil, errBadKID
		}
		return e.jwtKey, nil
	},
		jwt.WithValidMethods([]string{"RS256", "RS384", "RS512"}),
		jwt.WithoutClaimsValidation(), // checked below against the emulator's clock
	)
	switch {
	case errors.Is(err, errBadKID):
		return user{}, oauthError("invalid_grant", "Please check the 'kid' header parameter: no public key with this ID is registered for the app")
	case err != nil:
		return user{}, oauthError("invalid_grant", "Signature verification error. The public key identified by \"kid\" must correspond to the private key used for signing.")
	}

	if claims.Issuer != e.opts.ClientID {
		return user{}, oauthError("invalid_grant", "Please check the 'iss' claim: it must be the client ID")
	}
	if !e.audienceOK(c.r, claims.Audience) {
		return user{}, oauthError("invalid_grant", "Please check the 'aud' claim: it must be "+boxTokenURL)
	}
	if n := len(claims.ID); n < 16 || n > 128 {
		return user{}, oauthError("invalid_grant", "Please check the 'jti' claim: it must be 16 to 128 characters long")
	}
	now := e.now()
	if claims.ExpiresAt == nil {
		return user{}, oauthError("invalid_grant", "Please check the 'exp' claim: it is required")
	}
	exp := claims.ExpiresAt.Time
	if !now.Before(exp) {
		return user{}, oauthError("invalid_grant", "Current date time must be before the expiration date time listed in the 'exp' claim")
	}
	if exp.Sub(now) > 60*time.Second {
		return user{}, oauthError("invalid_grant", "Please check the 'exp' claim: it must be at most 60 seconds after the current time")
	}
	if claims.NotBefore != nil && now.Before(claims.NotBefore.Time) {
		return user{}, oauthError("invalid_grant", "Please check the 'nbf' claim: the assertion is not valid yet")
	}
	for k, x := range e.st.UsedJTIs {
		if !now.Before(x) {
			delete(e.st.UsedJTIs, k)
		}
	}
	if _, used := e.st.UsedJTIs[claims.ID]; used {
		return user{}, oauthError("invalid_grant", "Please check the 'jti' claim. A unique 'jti' value is required.")
	}
	if e.userTokensOff(claims.BoxSubType) {
		// The JWT grant's own answer (doc "Common errors"; observed body,
		// box-java-sdk#268).
		return user{}, oauthError("invalid_request", "Cannot obtain user token based on the enterprise configuration for your app")
	}
	u, ok := e.subject(claims.BoxSubType, claims.Subject)
	if !ok {
		return user{}, oauthError("invalid_grant", "Please check the 'sub' and 'box_sub_type' claims")
	}
	e.st.UsedJTIs[claims.ID] = exp
	return u, nil
}

var errBadKID = errors.New("unknown kid")

// audienceOK accepts Box's token URL and this emulator's own token URL, so
// clients configured with either base URL work.
func (e *Emulator) audienceOK(r *http.Request, aud jwt.ClaimStrings) bool {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		scheme = p
	}
	own := scheme + "://" + r.Host + "/oauth2/token"
	if len(aud) == 0 {
		return false
	}
	for _, a := range aud {
		if a != boxTokenURL && a != own {
			return false
		}
	}
	return true
}
