package provider

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/youmark/pkcs8"

	"github.com/box/terraform-provider-box/internal/emulator"
)

func minimalRequest(e *testEnv) string {
	return requestFor(e.FileID)
}

func requestFor(fileID string) string {
	return fmt.Sprintf(`
resource "box_sign_request" "test" {
  source_file_ids = [%q]
  signer {
    email = "auth@example.com"
  }
}
`, fileID)
}

// serviceAccountToken is a client-credentials token for the enterprise's
// service account.
func (e *testEnv) serviceAccountToken(t *testing.T) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"emulator-client-id"},
		"client_secret": {"emulator-client-secret"}, "box_subject_type": {"enterprise"}, "box_subject_id": {"1000"}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&out) != nil || out.AccessToken == "" {
		t.Fatalf("service account token: HTTP %d", resp.StatusCode)
	}
	return out.AccessToken
}

// folderNamed checks that the folder in attribute parent_folder_id, seen
// by the user behind token, has the given name.
func (e *testEnv) folderNamed(t *testing.T, token, name string) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(res, "parent_folder_id", func(id string) error {
		status, out := e.call(t, "GET", "/2.0/folders/"+id, token, nil)
		if status != http.StatusOK || out["name"] != name {
			return fmt.Errorf("parent folder %s: HTTP %d, name %v; want %q", id, status, out["name"], name)
		}
		return nil
	})
}

// testPDF is a file Box Sign converts (it starts like a PDF).
var testPDF = []byte("%PDF-1.4\n%%EOF\n")

// The service account has its own root and sees none of the admin's files
// unless collaborated (FIDELITY.md, "Users and roots"): here it sends its
// own upload, and Box files the request in its own "My Sign Requests".
func TestAccProvider_clientCredentials(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	sa := e.serviceAccountToken(t)
	own := e.uploadAs(t, sa, "0", "ccg.pdf", testPDF)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: e.provider(`client_id = "emulator-client-id"`, `client_secret = "emulator-client-secret"`, `enterprise_id = "1000"`) + requestFor(own),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(res, "status", "sent"),
				resource.TestMatchResourceAttr(res, "sender_email", regexp.MustCompile(`^AutomationUser_`)),
				resource.TestCheckResourceAttr(res, "source_file_ids.0", own),
				e.folderNamed(t, sa, "My Sign Requests"),
			),
		}},
	})
	if n := e.apiCalls(t, "POST /oauth2/token"); n == 0 {
		t.Error("no token was requested")
	}
}

// JWT with an encrypted PKCS#8 key, as Box's Developer Console issues it;
// the key pair is made here and the emulator gets the public half.
func TestAccProvider_jwt(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	const passphrase = "jwt-passphrase-123"
	der, err := pkcs8.MarshalPrivateKey(key, []byte(passphrase), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, func(o *emulator.Options) {
		o.JWTPublicKeyPEM = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})
		o.JWTKeyID = "test-kid"
	})
	e.requireEmulator(t)

	// An admin's folder the service account is collaborated on in the
	// test: before the collaboration its file is invisible to it (404).
	folder := e.mkdir(t, "0", "JWT deals")
	file := e.upload(t, folder, "jwt.pdf", testPDF)
	sa := e.serviceAccountToken(t)
	if status, _ := e.call(t, "GET", "/2.0/files/"+file, sa, nil); status != http.StatusNotFound {
		t.Fatalf("the service account sees the admin's file before any collaboration: HTTP %d", status)
	}
	status, out := e.call(t, "POST", "/2.0/collaborations", "dev-token", map[string]any{
		"item":          map[string]any{"type": "folder", "id": folder},
		"accessible_by": map[string]any{"type": "user", "id": e.emu.Seeded().ServiceAccountID},
		"role":          "editor",
	})
	if status != http.StatusCreated {
		t.Fatalf("collaborating the service account: HTTP %d %v", status, out)
	}
	cfg := map[string]any{
		"boxAppSettings": map[string]any{
			"clientID":     "emulator-client-id",
			"clientSecret": "emulator-client-secret",
			"appAuth": map[string]any{
				"publicKeyID": "test-kid",
				"privateKey":  string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})),
				"passphrase":  passphrase,
			},
		},
		"enterpriseID": "1000",
	}
	b, _ := json.Marshal(cfg)
	cfgFile := filepath.Join(t.TempDir(), "box_config.json")
	if err := os.WriteFile(cfgFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: e.provider(fmt.Sprintf("jwt_config_file = %q", cfgFile)) + requestFor(file),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestMatchResourceAttr(res, "sender_email", regexp.MustCompile(`^AutomationUser_`)),
				// An editor may upload there, so Box files the request beside its source.
				resource.TestCheckResourceAttr(res, "parent_folder_id", folder),
			),
		}},
	})
}

// Configuration mistakes fail at plan time with the attributes to set.
func TestAccProvider_configErrors(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	for _, v := range []string{"BOX_ACCESS_TOKEN", "BOX_CLIENT_ID", "BOX_CLIENT_SECRET", "BOX_ENTERPRISE_ID", "BOX_USER_ID", "BOX_JWT_CONFIG", "BOX_JWT_CONFIG_FILE"} {
		if os.Getenv(v) != "" {
			t.Skipf("%s is set in the environment", v)
		}
	}
	cases := []struct {
		name     string
		settings []string
		want     string
	}{
		{"no credentials", []string{`request_timeout = "30s"`}, `No Box credentials configured`},
		{"token and ccg", []string{`access_token = "x"`, `client_id = "y"`}, `More than one Box authentication method`},
		{"ccg without subject", []string{`client_id = "y"`, `client_secret = "z"`}, `enterprise_id`},
		{"ccg without secret", []string{`client_id = "y"`, `enterprise_id = "1"`}, `client_secret`},
		{"ccg with two subjects", []string{`client_id = "y"`, `client_secret = "z"`, `enterprise_id = "1"`, `user_id = "2"`}, `Set only one of`},
		{"jwt not json", []string{`jwt_config = "{not json"`}, `Invalid JWT config`},
		{"jwt file missing", []string{`jwt_config_file = "/nonexistent/box.json"`}, `Cannot read the JWT config file`},
		{"bad request_timeout", []string{`access_token = "x"`, `request_timeout = "soon"`}, `request_timeout`},
	}
	// Each case is its own subtest, so that one can be run alone; the API
	// call count is checked once all have run.
	t.Parallel()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: []resource.TestStep{{
				Config:      e.provider(c.settings...) + minimalRequest(e),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(c.want),
			}}})
		})
	}
	t.Run("plain http off loopback", func(t *testing.T) {
		// A plain-http API off loopback is refused before any request.
		resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: []resource.TestStep{{
			Config:      "provider \"box\" {\n  api_base_url = \"http://api.example.com\"\n  access_token = \"x\"\n}\n" + minimalRequest(e),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?i)https|loopback`),
		}}})
	})
	t.Run("api_base_url with /2.0", func(t *testing.T) {
		// The client adds /2.0: a URL with it would get 404s on /2.0/2.0/...
		resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: []resource.TestStep{{
			Config:      fmt.Sprintf("provider \"box\" {\n  api_base_url = \"%s/2.0\"\n  access_token = \"x\"\n}\n", e.URL) + minimalRequest(e),
			PlanOnly:    true,
			ExpectError: inOrder("Invalid Box URL", "`api_base_url` (or BOX_API_BASE_URL) cannot be used", "leave out /2.0"),
		}}})
	})
	if n := e.apiCalls(t, ""); n != 0 {
		t.Errorf("configuration errors reached the API %d times", n)
	}
}

// 429s on create and 5xx on read are retried; the apply succeeds.
func TestAccSignRequest_retries(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					e.fault(t, map[string]any{"method": "POST", "path": "/2.0/sign_requests", "status": 429, "times": 2, "retry_after": 1})
				},
				Config: e.signRequestConfig(`
  signer {
    email = "retry@example.com"
  }
`),
				Check: captureID(&id),
			},
			{
				PreConfig: func() {
					e.fault(t, map[string]any{"method": "GET", "path": "/2.0/sign_requests/{id}", "status": 503, "times": 2})
				},
				Config: e.signRequestConfig(`
  signer {
    email = "retry@example.com"
  }
`),
				ConfigPlanChecks: noChange,
			},
		},
	})
	if got := len(e.signRequests(t)); got != 1 {
		t.Errorf("%d sign requests in Box, want 1", got)
	}
}

// A create that took effect but answered 502 (or dropped the connection)
// must not be sent again: exactly one request exists afterwards.
func TestAccSignRequest_ambiguousCreate(t *testing.T) {
	for _, f := range []map[string]any{
		{"method": "POST", "path": "/2.0/sign_requests", "status": 502, "times": 1, "after_effect": true},
		{"method": "POST", "path": "/2.0/sign_requests", "drop_connection": true, "times": 1, "after_effect": true},
	} {
		t.Run(fmt.Sprint(f["status"], f["drop_connection"]), func(t *testing.T) {
			e := newTestEnv(t)
			e.requireEmulator(t)
			e.fault(t, f)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config: e.signRequestConfig(`
  external_id = "ambiguous-1"
  signer {
    email = "once@example.com"
  }
`),
					Check: resource.TestCheckResourceAttr(res, "status", "sent"),
				}},
			})
			if got := len(e.signRequests(t)); got != 1 {
				t.Errorf("%d sign requests in Box, want exactly 1", got)
			}
			if got := e.apiCalls(t, "POST /2.0/sign_requests"); got != 1 {
				t.Errorf("create was sent %d times, want 1", got)
			}
		})
	}
}

// A 401 in the middle of a run renews the token once and carries on.
func TestAccSignRequest_tokenRenewedOn401(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	ccg := e.provider(`client_id = "emulator-client-id"`, `client_secret = "emulator-client-secret"`, `enterprise_id = "1000"`)
	cfg := ccg + minimalRequest(e)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					e.fault(t, map[string]any{"method": "GET", "path": "/2.0/sign_requests/{id}", "status": 401, "times": 1})
				},
				Config:           cfg,
				ConfigPlanChecks: noChange,
			},
		},
	})
	if !strings.Contains(fmt.Sprint(e.stats(t)["GET /2.0/sign_requests/{id}"]), "401") {
		t.Error("the emulator never answered 401, so the test proved nothing")
	}
}
