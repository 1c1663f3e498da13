package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func emptyModel() providerModel {
	s := types.StringNull()
	return providerModel{s, s, s, s, s, s, s, s, s, s, types.Int64Null(), s, s, s}
}

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestClientConfigFromEnvironment(t *testing.T) {
	cfg, diags := emptyModel().clientConfig(env(map[string]string{
		"BOX_CLIENT_ID": "id", "BOX_CLIENT_SECRET": "secret", "BOX_USER_ID": "42",
		"BOX_API_BASE_URL": "http://127.0.0.1:9999", "BOX_AS_USER_ID": "7",
	}))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if cfg.ClientID != "id" || cfg.ClientSecret != "secret" || cfg.UserID != "42" || cfg.AsUserID != "7" {
		t.Errorf("environment not used: %+v", cfg)
	}
	if cfg.UploadBaseURL != "http://127.0.0.1:9999" {
		t.Errorf("uploads should follow a loopback API URL, got %q", cfg.UploadBaseURL)
	}
	if cfg.MaxRetries == nil || *cfg.MaxRetries != 5 || cfg.RequestTimeout.String() != "1m0s" {
		t.Errorf("defaults: retries %v timeout %s", cfg.MaxRetries, cfg.RequestTimeout)
	}
}

func TestClientConfigAttributeWinsOverEnvironment(t *testing.T) {
	m := emptyModel()
	m.AccessToken = types.StringValue("from-config")
	m.MaxRetries = types.Int64Value(2)
	cfg, diags := m.clientConfig(env(map[string]string{"BOX_ACCESS_TOKEN": "from-env"}))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if cfg.AccessToken != "from-config" || cfg.MaxRetries == nil || *cfg.MaxRetries != 2 {
		t.Errorf("got %+v", cfg)
	}
}

func TestClientConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		set  func(*providerModel)
		env  map[string]string
		want string
	}{
		{"nothing", nil, nil, "No Box credentials"},
		{"token and ccg", func(m *providerModel) { m.AccessToken = types.StringValue("t") }, map[string]string{"BOX_CLIENT_ID": "c"}, "More than one"},
		{"ccg no subject", nil, map[string]string{"BOX_CLIENT_ID": "c", "BOX_CLIENT_SECRET": "s3cr3t-VALUE"}, "needs a subject"},
		{"ccg two subjects", nil, map[string]string{"BOX_CLIENT_ID": "c", "BOX_CLIENT_SECRET": "s3cr3t-VALUE", "BOX_ENTERPRISE_ID": "1", "BOX_USER_ID": "2"}, "only one"},
		{"ccg no secret", nil, map[string]string{"BOX_CLIENT_ID": "c", "BOX_ENTERPRISE_ID": "1"}, "client_secret"},
		{"jwt both", nil, map[string]string{"BOX_JWT_CONFIG": "{}", "BOX_JWT_CONFIG_FILE": "/x"}, "only one of"},
		{"unknown", func(m *providerModel) { m.ClientID = types.StringUnknown() }, nil, "not known until apply"},
		{"plain http off loopback", nil, map[string]string{"BOX_ACCESS_TOKEN": "t", "BOX_API_BASE_URL": "http://api.example.com"}, "`api_base_url` (or BOX_API_BASE_URL) cannot be used: box: refusing plain http"},
		{"plain http upload", nil, map[string]string{"BOX_ACCESS_TOKEN": "t", "BOX_UPLOAD_BASE_URL": "http://10.0.0.1"}, "`upload_base_url`"},
		{"api URL with /2.0", nil, map[string]string{"BOX_ACCESS_TOKEN": "t", "BOX_API_BASE_URL": "https://api.box.com/2.0/"}, "`api_base_url` (or BOX_API_BASE_URL) cannot be used: box: invalid URL \"https://api.box.com/2.0/\": leave out /2.0"},
		{"upload URL with /api/2.0", nil, map[string]string{"BOX_ACCESS_TOKEN": "t", "BOX_UPLOAD_BASE_URL": "https://upload.box.com/api/2.0"}, "`upload_base_url` (or BOX_UPLOAD_BASE_URL) cannot be used: box: invalid URL \"https://upload.box.com/api/2.0\": leave out /api/2.0, which the client adds to every call; use \"https://upload.box.com\""},
		{"CA file missing", nil, map[string]string{"BOX_ACCESS_TOKEN": "t", "BOX_CA_CERT_FILE": "/nonexistent/ca.pem"}, "`ca_cert_file` (or BOX_CA_CERT_FILE) cannot be used: reading it failed"},
		{"CA file not PEM", nil, map[string]string{"BOX_ACCESS_TOKEN": "t", "BOX_CA_CERT_FILE": "provider_config_test.go"}, "holds no PEM certificate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := emptyModel()
			if c.set != nil {
				c.set(&m)
			}
			_, diags := m.clientConfig(env(c.env))
			if !diags.HasError() {
				t.Fatalf("%s: no error", c.name)
			}
			var text string
			for _, d := range diags {
				text += d.Summary() + " " + d.Detail()
			}
			if !strings.Contains(text, c.want) {
				t.Errorf("%s: %q does not mention %q", c.name, text, c.want)
			}
			for _, secret := range []string{"s3cr3t-VALUE"} {
				if strings.Contains(text, secret) {
					t.Errorf("%s: leaks a value", c.name)
				}
			}
		})
	}
}

// max_retries = 0 reaches the client as 0, the client's own word for "no
// retries": one convention on both sides.
func TestClientConfigZeroRetries(t *testing.T) {
	m := emptyModel()
	m.AccessToken = types.StringValue("t")
	m.MaxRetries = types.Int64Value(0)
	cfg, diags := m.clientConfig(env(nil))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if cfg.MaxRetries == nil || *cfg.MaxRetries != 0 {
		t.Errorf("max_retries = 0 became %v", cfg.MaxRetries)
	}
}
