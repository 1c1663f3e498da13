package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func ccg(kind, id string) url.Values {
	return url.Values{
		"grant_type": {"client_credentials"}, "client_id": {"emulator-client-id"},
		"client_secret": {"emulator-client-secret"}, "box_subject_type": {kind}, "box_subject_id": {id},
	}
}

func oauthErr(t *testing.T, r result) string {
	t.Helper()
	if r.status != 400 {
		t.Fatalf("status %d, want 400: %s", r.status, r.body)
	}
	m := r.json(t)
	if m["error_description"] == "" {
		t.Fatalf("no error_description: %s", r.body)
	}
	return m["error"].(string)
}

func TestClientCredentials(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.form(ccg("enterprise", "1000"))
	mustStatus(t, r, 200)
	m := r.json(t)
	if m["token_type"] != "bearer" || m["expires_in"].(float64) != 3600 || m["access_token"] == "" {
		t.Fatalf("token: %s", r.body)
	}
	e.token = m["access_token"].(string)
	me := e.do("GET", "/2.0/users/me", nil).json(t)
	if !strings.HasPrefix(me["login"].(string), "AutomationUser_1000_") || !strings.HasSuffix(me["login"].(string), "@boxdevedition.com") {
		t.Errorf("service account login %v", me["login"])
	}

	r = e.form(ccg("user", adminUserID))
	mustStatus(t, r, 200)
	e.token = r.json(t)["access_token"].(string)
	if id := e.do("GET", "/2.0/users/me", nil).json(t)["id"]; id != adminUserID {
		t.Errorf("user grant acts as %v", id)
	}

	for name, v := range map[string]url.Values{
		"unknown user":       ccg("user", "999"),
		"service account id": ccg("user", e.emu.st.ServiceAccountID),
		"wrong enterprise":   ccg("enterprise", "2000"),
		"bad subject type":   ccg("group", "1000"),
	} {
		if got := oauthErr(t, e.form(v)); got != "invalid_grant" {
			t.Errorf("%s: error %q", name, got)
		}
	}
	bad := ccg("enterprise", "1000")
	bad.Set("client_secret", "wrong")
	if got := oauthErr(t, e.form(bad)); got != "invalid_grant" {
		t.Errorf("bad secret: %q", got)
	}
	if got := oauthErr(t, e.form(url.Values{"grant_type": {"password"}})); got != "unsupported_grant_type" {
		t.Errorf("bad grant: %q", got)
	}
	if got := oauthErr(t, e.form(url.Values{})); got != "invalid_request" {
		t.Errorf("no grant: %q", got)
	}
}

func TestTokenExpiryAnd401(t *testing.T) {
	e := newEnv(t, Options{TokenTTL: 10 * time.Minute})
	tok := e.form(ccg("enterprise", "1000")).json(t)
	if tok["expires_in"].(float64) != 600 {
		t.Fatalf("expires_in %v", tok["expires_in"])
	}
	e.token = tok["access_token"].(string)
	mustStatus(t, e.do("GET", "/2.0/users/me", nil), 200)
	e.clock.Advance(10 * time.Minute)
	r := e.do("GET", "/2.0/users/me", nil)
	mustStatus(t, r, 401)
	if len(r.body) != 0 || !strings.Contains(r.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("expired: body %q, WWW-Authenticate %q", r.body, r.header.Get("WWW-Authenticate"))
	}
	e.token = "unknown"
	mustStatus(t, e.do("GET", "/2.0/sign_requests", nil), 401)
	e.token = ""
	r = e.do("GET", "/2.0/folders/0", nil)
	mustStatus(t, r, 401)
	if r.header.Get("WWW-Authenticate") == "" {
		t.Error("no WWW-Authenticate without a token")
	}
	e.token = "dev-token"
	mustStatus(t, e.do("GET", "/2.0/users/me", nil), 200)
}

func TestAsUser(t *testing.T) {
	e := newEnv(t, Options{})
	sa := e.form(ccg("enterprise", "1000")).json(t)["access_token"].(string)
	e.token = sa
	me := e.do("GET", "/2.0/users/me", nil, "As-User", adminUserID).json(t)
	if me["id"] != adminUserID {
		t.Fatalf("As-User admin: %v", me["id"])
	}
	// A request created as the admin is the admin's: visible with As-User,
	// invisible to the service account itself.
	e.token = "dev-token" // the admin's own file, in the admin's root
	f := e.uploadID("0", "x.pdf")
	e.token = sa
	r := e.do("POST", "/2.0/sign_requests", map[string]any{
		"signers": []any{map[string]any{"email": "s@example.com"}}, "source_files": fileRef(f)}, "As-User", adminUserID)
	mustStatus(t, r, 201)
	sr := r.json(t)
	if sr["sender_email"] != adminLogin || signersOf(sr)[0]["email"] != adminLogin {
		t.Errorf("requester is not the acting user: %v", sr["sender_email"])
	}
	mustStatus(t, e.do("GET", "/2.0/sign_requests/"+sr["id"].(string), nil), 404)
	mustStatus(t, e.do("GET", "/2.0/sign_requests/"+sr["id"].(string), nil, "As-User", adminUserID), 200)

	for _, target := range []string{"424242", e.emu.st.ServiceAccountID} {
		if code := e.do("GET", "/2.0/users/me", nil, "As-User", target).errCode(t); code != "access_denied_insufficient_permissions" {
			t.Errorf("As-User %s: %s", target, code)
		}
	}
}

func rsaKey(t *testing.T) (*rsa.PrivateKey, []byte) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return k, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

func TestJWTGrant(t *testing.T) {
	key, pub := rsaKey(t)
	other, _ := rsaKey(t)
	e := newEnv(t, Options{JWTPublicKeyPEM: pub, JWTKeyID: "kid-1"})
	now := e.clock.Now()

	type claims struct {
		BoxSubType string `json:"box_sub_type"`
		jwt.RegisteredClaims
	}
	n := 0
	base := func() claims {
		n++
		return claims{BoxSubType: "enterprise", RegisteredClaims: jwt.RegisteredClaims{
			Issuer: "emulator-client-id", Subject: "1000",
			Audience:  jwt.ClaimStrings{"https://api.box.com/oauth2/token"},
			ID:        strings.Repeat("j", 20) + string(rune('a'+n%26)) + time.Duration(n).String(),
			ExpiresAt: jwt.NewNumericDate(now.Add(30 * time.Second)),
			IssuedAt:  jwt.NewNumericDate(now),
		}}
	}
	sign := func(c claims, method jwt.SigningMethod, kid string, k *rsa.PrivateKey) string {
		tok := jwt.NewWithClaims(method, c)
		tok.Header["kid"] = kid
		s, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	grant := func(assertion string) result {
		return e.form(url.Values{"grant_type": {jwtGrant}, "assertion": {assertion},
			"client_id": {"emulator-client-id"}, "client_secret": {"emulator-client-secret"}})
	}

	for _, m := range []jwt.SigningMethod{jwt.SigningMethodRS256, jwt.SigningMethodRS384, jwt.SigningMethodRS512} {
		mustStatus(t, grant(sign(base(), m, "kid-1", key)), 200)
	}
	// The emulator's own token URL is an accepted audience too.
	c := base()
	c.Audience = jwt.ClaimStrings{e.srv.URL + "/oauth2/token"}
	mustStatus(t, grant(sign(c, jwt.SigningMethodRS256, "kid-1", key)), 200)
	// User subject.
	c = base()
	c.BoxSubType, c.Subject = "user", adminUserID
	r := grant(sign(c, jwt.SigningMethodRS256, "kid-1", key))
	mustStatus(t, r, 200)
	e.token = r.json(t)["access_token"].(string)
	if id := e.do("GET", "/2.0/users/me", nil).json(t)["id"]; id != adminUserID {
		t.Errorf("JWT user subject acts as %v", id)
	}

	// Reused jti.
	c = base()
	mustStatus(t, grant(sign(c, jwt.SigningMethodRS256, "kid-1", key)), 200)
	if got := oauthErr(t, grant(sign(c, jwt.SigningMethodRS256, "kid-1", key))); got != "invalid_grant" {
		t.Errorf("reused jti: %s", got)
	}

	bad := map[string]func(*claims) (jwt.SigningMethod, string, *rsa.PrivateKey){
		"wrong kid": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			return jwt.SigningMethodRS256, "kid-2", key
		},
		"wrong key": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			return jwt.SigningMethodRS256, "kid-1", other
		},
		"wrong iss": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			c.Issuer = "x"
			return jwt.SigningMethodRS256, "kid-1", key
		},
		"wrong aud": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			c.Audience = jwt.ClaimStrings{"https://evil/oauth2/token"}
			return jwt.SigningMethodRS256, "kid-1", key
		},
		"short jti": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			c.ID = "short"
			return jwt.SigningMethodRS256, "kid-1", key
		},
		"long jti": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			c.ID = strings.Repeat("x", 129)
			return jwt.SigningMethodRS256, "kid-1", key
		},
		"exp too far": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			c.ExpiresAt = jwt.NewNumericDate(now.Add(61 * time.Second))
			return jwt.SigningMethodRS256, "kid-1", key
		},
		"expired": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Second))
			return jwt.SigningMethodRS256, "kid-1", key
		},
		"no exp": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			c.ExpiresAt = nil
			return jwt.SigningMethodRS256, "kid-1", key
		},
		"wrong sub": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			c.Subject = "2000"
			return jwt.SigningMethodRS256, "kid-1", key
		},
		"unknown user": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			c.BoxSubType, c.Subject = "user", "1"
			return jwt.SigningMethodRS256, "kid-1", key
		},
		"bad sub type": func(c *claims) (jwt.SigningMethod, string, *rsa.PrivateKey) {
			c.BoxSubType = "group"
			return jwt.SigningMethodRS256, "kid-1", key
		},
	}
	for name, mod := range bad {
		c := base()
		m, kid, k := mod(&c)
		if got := oauthErr(t, grant(sign(c, m, kid, k))); got != "invalid_grant" {
			t.Errorf("%s: %s", name, got)
		}
	}
	// HS256 is not accepted.
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, base())
	hs.Header["kid"] = "kid-1"
	s, _ := hs.SignedString([]byte("secret"))
	if got := oauthErr(t, grant(s)); got != "invalid_grant" {
		t.Errorf("HS256: %s", got)
	}
	// Client credentials are checked too.
	r = e.form(url.Values{"grant_type": {jwtGrant}, "assertion": {sign(base(), jwt.SigningMethodRS256, "kid-1", key)},
		"client_id": {"emulator-client-id"}, "client_secret": {"nope"}})
	if got := oauthErr(t, r); got != "invalid_client" {
		t.Errorf("bad client secret: %s", got)
	}
	// Without a configured key, JWT is refused.
	e2 := newEnv(t, Options{})
	r = e2.form(url.Values{"grant_type": {jwtGrant}, "assertion": {sign(base(), jwt.SigningMethodRS256, "emulator-key", key)},
		"client_id": {"emulator-client-id"}, "client_secret": {"emulator-client-secret"}})
	if got := oauthErr(t, r); got != "invalid_grant" {
		t.Errorf("no key: %s", got)
	}
	// With "Generate user access tokens" off, a JWT user subject gets the
	// JWT grant's own refusal (client credentials answer invalid_grant:
	// TestAsUserAndUserTokenSwitches); the enterprise subject still works.
	off := newEnv(t, Options{JWTPublicKeyPEM: pub, JWTKeyID: "kid-1", UserTokensDisabled: true})
	offGrant := func(c claims) result {
		return off.form(url.Values{"grant_type": {jwtGrant}, "assertion": {sign(c, jwt.SigningMethodRS256, "kid-1", key)},
			"client_id": {"emulator-client-id"}, "client_secret": {"emulator-client-secret"}})
	}
	c = base()
	c.BoxSubType, c.Subject = "user", adminUserID
	r = offGrant(c)
	if got := oauthErr(t, r); got != "invalid_request" || r.json(t)["error_description"] != "Cannot obtain user token based on the enterprise configuration for your app" {
		t.Errorf("JWT user subject, user tokens off: %s", r.body)
	}
	mustStatus(t, offGrant(base()), 200)
}
