package provider

import (
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
)

// defaultOrphanWindow is long enough for a CI job to be re-run after a
// killed apply, the day the failure is noticed.
const defaultOrphanWindow = 24 * time.Hour

// setting is one provider attribute with its environment fallback.
type setting struct {
	attr  string
	env   string
	value types.String
}

// clientConfig turns the provider block and the environment into a client
// configuration, choosing exactly one authentication method. Messages name
// attributes and variables, never their values.
func (m providerModel) clientConfig(getenv func(string) string) (box.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	var cfg box.Config

	resolve := func(s setting) string {
		if s.value.IsUnknown() {
			diags.AddAttributeError(path.Root(s.attr), "Unknown Box provider setting",
				"The provider cannot be configured because `"+s.attr+"` is not known until apply (it depends on another resource). "+
					"Set it to a value known at plan time, or use the "+s.env+" environment variable.")
			return ""
		}
		if !s.value.IsNull() {
			return s.value.ValueString()
		}
		return getenv(s.env)
	}

	accessToken := resolve(setting{"access_token", "BOX_ACCESS_TOKEN", m.AccessToken})
	clientID := resolve(setting{"client_id", "BOX_CLIENT_ID", m.ClientID})
	clientSecret := resolve(setting{"client_secret", "BOX_CLIENT_SECRET", m.ClientSecret})
	enterpriseID := resolve(setting{"enterprise_id", "BOX_ENTERPRISE_ID", m.EnterpriseID})
	userID := resolve(setting{"user_id", "BOX_USER_ID", m.UserID})
	jwtFile := resolve(setting{"jwt_config_file", "BOX_JWT_CONFIG_FILE", m.JWTConfigFile})
	jwtJSON := resolve(setting{"jwt_config", "BOX_JWT_CONFIG", m.JWTConfig})
	cfg.AsUserID = resolve(setting{"as_user_id", "BOX_AS_USER_ID", m.AsUserID})
	cfg.APIBaseURL = resolve(setting{"api_base_url", "BOX_API_BASE_URL", m.APIBaseURL})
	cfg.UploadBaseURL = resolve(setting{"upload_base_url", "BOX_UPLOAD_BASE_URL", m.UploadBaseURL})
	caFile := resolve(setting{"ca_cert_file", "BOX_CA_CERT_FILE", m.CACertFile})
	orphanWindow := resolve(setting{"orphan_window", "BOX_ORPHAN_WINDOW", m.OrphanWindow})
	if m.MaxRetries.IsUnknown() {
		diags.AddAttributeError(path.Root("max_retries"), "Unknown Box provider setting",
			"The provider cannot be configured because `max_retries` is not known until apply. Set it to a number known at plan time.")
	}
	if m.RequestTimeout.IsUnknown() {
		diags.AddAttributeError(path.Root("request_timeout"), "Unknown Box provider setting",
			"The provider cannot be configured because `request_timeout` is not known until apply. Set it to a duration known at plan time.")
	}
	if diags.HasError() {
		return cfg, diags
	}

	cfg.MaxRetries = 5
	if !m.MaxRetries.IsNull() {
		cfg.MaxRetries = int(m.MaxRetries.ValueInt64())
		if cfg.MaxRetries == 0 {
			cfg.MaxRetries = -1 // the client reads 0 as "use the default"
		}
	}
	cfg.RequestTimeout = 60 * time.Second
	if !m.RequestTimeout.IsNull() {
		// The attribute validator has already rejected unparsable values.
		if d, err := time.ParseDuration(m.RequestTimeout.ValueString()); err == nil {
			cfg.RequestTimeout = d
		}
	}

	cfg.OrphanWindow = defaultOrphanWindow
	if orphanWindow != "" {
		// The attribute validator has checked a configured value; the
		// environment variable is checked here.
		d, err := time.ParseDuration(orphanWindow)
		if err != nil || d < 0 {
			diags.AddAttributeError(path.Root("orphan_window"), "Invalid orphan window",
				"`orphan_window` (or BOX_ORPHAN_WINDOW) must be a Go duration such as \"24h\" or \"90m\", or \"0\" to turn the orphan search off.")
		}
		cfg.OrphanWindow = d
	}

	// URLs are checked here, before any request, so that the error names
	// the setting; a token must never cross a network in clear text.
	for _, u := range []struct{ attr, env, value string }{
		{"api_base_url", "BOX_API_BASE_URL", cfg.APIBaseURL},
		{"upload_base_url", "BOX_UPLOAD_BASE_URL", cfg.UploadBaseURL},
	} {
		if u.value == "" {
			continue
		}
		if err := box.CheckBaseURL(u.value); err != nil {
			diags.AddAttributeError(path.Root(u.attr), "Invalid Box URL",
				"`"+u.attr+"` (or "+u.env+") cannot be used: "+err.Error()+".")
		}
	}
	if caFile != "" {
		client, err := trustingHTTPClient(caFile)
		if err != nil {
			diags.AddAttributeError(path.Root("ca_cert_file"), "Invalid CA certificate file",
				"The file named by `ca_cert_file` (or BOX_CA_CERT_FILE) cannot be used: "+err.Error()+".")
		}
		cfg.HTTPClient = client
	}
	if diags.HasError() {
		return cfg, diags
	}

	// The emulator serves uploads on the API listener, so a loopback API URL
	// with no upload URL means "everything is here".
	if cfg.UploadBaseURL == "" && cfg.APIBaseURL != "" && isLoopbackURL(cfg.APIBaseURL) {
		cfg.UploadBaseURL = cfg.APIBaseURL
	}

	useToken := accessToken != ""
	useCCG := clientID != "" || clientSecret != "" || enterpriseID != "" || userID != ""
	useJWT := jwtFile != "" || jwtJSON != ""

	var methods []string
	if useToken {
		methods = append(methods, "an access token (access_token / BOX_ACCESS_TOKEN)")
	}
	if useCCG {
		methods = append(methods, "the client-credentials grant (client_id, client_secret, enterprise_id or user_id / BOX_CLIENT_ID, BOX_CLIENT_SECRET, BOX_ENTERPRISE_ID or BOX_USER_ID)")
	}
	if useJWT {
		methods = append(methods, "JWT (jwt_config_file or jwt_config / BOX_JWT_CONFIG_FILE or BOX_JWT_CONFIG)")
	}
	switch {
	case len(methods) == 0:
		diags.AddError("No Box credentials configured",
			"Configure exactly one authentication method: set `access_token` (or BOX_ACCESS_TOKEN); "+
				"or `client_id`, `client_secret` and one of `enterprise_id` or `user_id` (or BOX_CLIENT_ID, BOX_CLIENT_SECRET, BOX_ENTERPRISE_ID / BOX_USER_ID); "+
				"or `jwt_config_file` or `jwt_config` (or BOX_JWT_CONFIG_FILE / BOX_JWT_CONFIG).")
		return cfg, diags
	case len(methods) > 1:
		diags.AddError("More than one Box authentication method configured",
			"The provider found "+strings.Join(methods, " and ")+". Configure exactly one, in the provider block or the environment, and unset the others.")
		return cfg, diags
	}

	switch {
	case useToken:
		cfg.AccessToken = accessToken
	case useCCG:
		if clientID == "" {
			diags.AddAttributeError(path.Root("client_id"), "Incomplete client-credentials configuration",
				"The client-credentials grant needs `client_id` (or BOX_CLIENT_ID).")
		}
		if clientSecret == "" {
			diags.AddAttributeError(path.Root("client_secret"), "Incomplete client-credentials configuration",
				"The client-credentials grant needs `client_secret` (or BOX_CLIENT_SECRET).")
		}
		switch {
		case enterpriseID == "" && userID == "":
			diags.AddAttributeError(path.Root("enterprise_id"), "Incomplete client-credentials configuration",
				"The client-credentials grant needs a subject: set `enterprise_id` (BOX_ENTERPRISE_ID) for the service account, or `user_id` (BOX_USER_ID) for a user.")
		case enterpriseID != "" && userID != "":
			diags.AddAttributeError(path.Root("user_id"), "Conflicting client-credentials subject",
				"Set only one of `enterprise_id` (BOX_ENTERPRISE_ID) and `user_id` (BOX_USER_ID).")
		}
		cfg.ClientID, cfg.ClientSecret, cfg.EnterpriseID, cfg.UserID = clientID, clientSecret, enterpriseID, userID
	case useJWT:
		if jwtFile != "" && jwtJSON != "" {
			diags.AddAttributeError(path.Root("jwt_config"), "Conflicting JWT configuration",
				"Set only one of `jwt_config_file` (BOX_JWT_CONFIG_FILE) and `jwt_config` (BOX_JWT_CONFIG).")
			return cfg, diags
		}
		data := []byte(jwtJSON)
		attr := "jwt_config"
		if jwtFile != "" {
			attr = "jwt_config_file"
			b, err := os.ReadFile(jwtFile) //nolint:gosec // G304: reading the file the practitioner names in jwt_config_file is the point of the setting
			if err != nil {
				diags.AddAttributeError(path.Root(attr), "Cannot read the JWT config file",
					"Reading the file named by `jwt_config_file` (or BOX_JWT_CONFIG_FILE) failed: "+err.Error())
				return cfg, diags
			}
			data = b
		}
		jwt, err := box.ParseJWTConfig(data)
		if err != nil {
			diags.AddAttributeError(path.Root(attr), "Invalid JWT config",
				"The JWT app config could not be used: "+err.Error()+". Download a fresh config file from the Box Developer Console.")
			return cfg, diags
		}
		cfg.JWT = jwt
	}
	return cfg, diags
}

// isLoopbackURL reports whether raw names a loopback host.
func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
