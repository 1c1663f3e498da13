package box

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/youmark/pkcs8"
)

const testPassphrase = "correct horse battery staple"

func encryptedKeyPEM(t *testing.T, pass string) string {
	t.Helper()
	der, err := pkcs8.MarshalPrivateKey(testRSAKey(t), []byte(pass), nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der}))
}

func jwtConfigJSON(t *testing.T, privateKey, passphrase string, extra map[string]any) []byte {
	t.Helper()
	m := map[string]any{
		"boxAppSettings": map[string]any{
			"clientID":     "client-abc",
			"clientSecret": "client-secret-def",
			"appAuth": map[string]any{
				"publicKeyID": "kid-1234",
				"privateKey":  privateKey,
				"passphrase":  passphrase,
			},
		},
		"enterpriseID": "1234567",
	}
	for k, v := range extra {
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseJWTConfig(t *testing.T) {
	encPEM := encryptedKeyPEM(t, testPassphrase)
	cfg, err := ParseJWTConfig(jwtConfigJSON(t, encPEM, testPassphrase, nil))
	if err != nil {
		t.Fatalf("ParseJWTConfig: %v", err)
	}
	if cfg.ClientID != "client-abc" || cfg.ClientSecret != "client-secret-def" || cfg.PublicKeyID != "kid-1234" || cfg.EnterpriseID != "1234567" || cfg.UserID != "" || cfg.Passphrase != testPassphrase {
		t.Errorf("parsed = %s", cfg)
	}
	if cfg.key == nil || !cfg.key.Equal(testRSAKey(t)) {
		t.Error("key not decrypted")
	}
	if s := cfg.String(); strings.Contains(s, "client-secret-def") || strings.Contains(s, testPassphrase) || strings.Contains(s, "BEGIN") {
		t.Errorf("String() leaks: %s", s)
	}

	// Wrong passphrase: a clear error without key material or passphrase.
	_, err = ParseJWTConfig(jwtConfigJSON(t, encPEM, "wrong passphrase!", nil))
	if err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Fatalf("wrong passphrase error = %v", err)
	}
	assertNoSecrets(t, err.Error(), encPEM)

	// Missing passphrase for an encrypted key.
	_, err = ParseJWTConfig(jwtConfigJSON(t, encPEM, "", nil))
	if err == nil || !strings.Contains(err.Error(), "passphrase") {
		t.Fatalf("missing passphrase error = %v", err)
	}

	// Unencrypted PKCS#8 and PKCS#1.
	if _, err := ParseJWTConfig(jwtConfigJSON(t, testKeyPEM(t), "", nil)); err != nil {
		t.Errorf("PKCS#8: %v", err)
	}
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(testRSAKey(t))}))
	if _, err := ParseJWTConfig(jwtConfigJSON(t, pkcs1, "", nil)); err != nil {
		t.Errorf("PKCS#1: %v", err)
	}
	// A PEM pasted with literal \n sequences.
	if _, err := ParseJWTConfig(jwtConfigJSON(t, strings.ReplaceAll(encPEM, "\n", `\n`), testPassphrase, nil)); err != nil {
		t.Errorf("escaped newlines: %v", err)
	}

	// userID, and a numeric enterpriseID.
	cfg, err = ParseJWTConfig(jwtConfigJSON(t, encPEM, testPassphrase, map[string]any{"enterpriseID": 1234567, "userID": "999"}))
	if err != nil || cfg.EnterpriseID != "1234567" || cfg.UserID != "999" {
		t.Errorf("numeric IDs: %v %v", cfg, err)
	}

	// Missing fields and bad JSON.
	_, err = ParseJWTConfig([]byte(`{"boxAppSettings":{"clientID":"x"}}`))
	if err == nil || !strings.Contains(err.Error(), "clientSecret") || !strings.Contains(err.Error(), "privateKey") || !strings.Contains(err.Error(), "enterpriseID") {
		t.Errorf("missing fields error = %v", err)
	}
	_, err = ParseJWTConfig([]byte(`{"boxAppSettings": {"clientSecret": "leaky-secret" ,,}`))
	if err == nil {
		t.Fatal("bad JSON accepted")
	}
	assertNoSecrets(t, err.Error(), "leaky-secret")
	_, err = ParseJWTConfig(jwtConfigJSON(t, "-----BEGIN GARBAGE-----\nAAAA\n-----END GARBAGE-----\n", "", nil))
	if err == nil {
		t.Fatal("garbage key accepted")
	}
	assertNoSecrets(t, err.Error(), "AAAA")
}

func assertNoSecrets(t *testing.T, s string, extra ...string) {
	t.Helper()
	for _, sec := range append([]string{testPassphrase, "client-secret-def", "wrong passphrase!", "PRIVATE KEY-----\n"}, extra...) {
		if strings.Contains(s, sec) {
			t.Errorf("%q leaks %q", s, sec)
		}
	}
}

func TestJWTAssertion(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	var tokenReqs atomic.Int32
	var gotAuth atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth2/token" {
			gotAuth.Store(r.Header.Get("Authorization"))
			writeJSON(w, 200, map[string]any{"id": "42", "type": "user"})
			return
		}
		tokenReqs.Add(1)
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		f := r.PostForm
		if f.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" || f.Get("client_id") != "client-abc" || f.Get("client_secret") != "client-secret-def" {
			t.Errorf("form = %v", f)
		}
		claims := jwt.MapClaims{}
		tok, err := jwt.ParseWithClaims(f.Get("assertion"), claims, func(tok *jwt.Token) (any, error) {
			return &testRSAKey(t).PublicKey, nil
		}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithAudience("https://api.box.com/oauth2/token"), jwt.WithIssuer("client-abc"), jwt.WithExpirationRequired())
		if err != nil {
			t.Errorf("assertion invalid: %v", err)
			writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "bad assertion"})
			return
		}
		if tok.Header["kid"] != "kid-1234" || tok.Header["alg"] != "RS256" {
			t.Errorf("header = %v", tok.Header)
		}
		if claims["sub"] != "1234567" || claims["box_sub_type"] != "enterprise" {
			t.Errorf("claims = %v", claims)
		}
		if aud, _ := claims.GetAudience(); len(aud) != 1 || aud[0] != "https://api.box.com/oauth2/token" {
			t.Errorf("aud = %v", aud)
		}
		if jti, _ := claims["jti"].(string); len(jti) < 32 || len(jti) > 128 {
			t.Errorf("jti = %q", jti)
		}
		exp, _ := claims.GetExpirationTime()
		if d := exp.Sub(now); d < 29*time.Second || d > 60*time.Second {
			t.Errorf("exp - now = %s", d)
		}
		writeJSON(w, 200, map[string]any{"access_token": "jwt-access-token", "expires_in": 4123, "token_type": "bearer"})
	}))
	defer srv.Close()

	jc, err := ParseJWTConfig(jwtConfigJSON(t, encryptedKeyPEM(t, testPassphrase), testPassphrase, nil))
	if err != nil {
		t.Fatal(err)
	}
	c, logs := newTestClient(t, srv, func(cfg *Config) {
		cfg.AccessToken = ""
		cfg.JWT = jc
		cfg.Now = func() time.Time { return now }
	})
	for range 3 {
		if _, err := c.CurrentUser(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if tokenReqs.Load() != 1 {
		t.Errorf("token requests = %d", tokenReqs.Load())
	}
	if gotAuth.Load() != "Bearer jwt-access-token" {
		t.Errorf("Authorization = %v", gotAuth.Load())
	}
	out := logs.String()
	for _, sec := range []string{"jwt-access-token", "client-secret-def", "eyJ"} {
		if strings.Contains(out, sec) {
			t.Errorf("logs contain %q:\n%s", sec, out)
		}
	}
	if !strings.Contains(out, "client_secret=[REDACTED]") || !strings.Contains(out, "assertion=[REDACTED]") || !strings.Contains(out, `access_token\":\"[REDACTED]`) {
		t.Errorf("token request not logged in redacted form:\n%s", out)
	}

	// A JWT config whose key the client must decrypt itself (not from ParseJWTConfig).
	jc2 := &JWTConfig{ClientID: "client-abc", ClientSecret: "client-secret-def", PublicKeyID: "kid-1234", PrivateKey: encryptedKeyPEM(t, testPassphrase), Passphrase: testPassphrase, EnterpriseID: "1234567"}
	c2, _ := newTestClient(t, srv, func(cfg *Config) { cfg.AccessToken = ""; cfg.JWT = jc2; cfg.Now = func() time.Time { return now } })
	if _, err := c2.CurrentUser(t.Context()); err != nil {
		t.Fatal(err)
	}
	jc2.Passphrase = "nope"
	if _, err := New(Config{JWT: &JWTConfig{ClientID: "c", ClientSecret: "s", PublicKeyID: "k", PrivateKey: jc2.PrivateKey, Passphrase: "nope", EnterpriseID: "1"}}); err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Errorf("New with a wrong passphrase: %v", err)
	}
}

func TestJWTClockSkewRetry(t *testing.T) {
	serverNow := time.Now().Truncate(time.Second)
	var tokenReqs atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/oauth2/token" {
			writeJSON(w, 200, map[string]any{"id": "42"})
			return
		}
		tokenReqs.Add(1)
		_ = r.ParseForm()
		claims := jwt.MapClaims{}
		_, err := jwt.ParseWithClaims(r.PostForm.Get("assertion"), claims, func(*jwt.Token) (any, error) { return &testRSAKey(t).PublicKey, nil },
			jwt.WithTimeFunc(func() time.Time { return serverNow }))
		if err != nil {
			w.Header().Set("Date", serverNow.UTC().Format(http.TimeFormat))
			writeJSON(w, 400, map[string]any{"error": "invalid_grant", "error_description": "Current date time must be before the expiration date time listed in the 'exp' claim"})
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": "tok", "expires_in": 3600})
	}))
	defer srv.Close()
	jc, err := ParseJWTConfig(jwtConfigJSON(t, testKeyPEM(t), "", nil))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := newTestClient(t, srv, func(cfg *Config) {
		cfg.AccessToken = ""
		cfg.JWT = jc
		cfg.Now = func() time.Time { return serverNow.Add(-10 * time.Minute) } // local clock 10 min slow
	})
	if _, err := c.CurrentUser(t.Context()); err != nil {
		t.Fatal(err)
	}
	if tokenReqs.Load() != 2 {
		t.Errorf("token requests = %d, want 2", tokenReqs.Load())
	}
}
