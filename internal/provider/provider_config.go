package provider

import (
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
)

// The provider is configured in three steps: resolve the settings
// (attribute over environment, defaults applied), choose the
// authentication method (box.ChooseAuthMethod, the one rule the client
// applies too), then build the client (Configure calls box.New).
// Messages name attributes and variables, never their values.

// defaultOrphanWindow covers the re-run of a killed apply, which comes
// minutes to hours later, and no more: every hour beyond widens the time
// in which a request sent by hand or by another workspace matches
// (DESIGN.md, "Sent once").
const defaultOrphanWindow = 6 * time.Hour

// setting is one provider attribute with its environment fallback.
type setting struct {
	attr  string
	env   string
	value types.String
}

// providerSettings are the provider block and the environment resolved.
type providerSettings struct {
	accessToken, clientID, clientSecret, enterpriseID, userID string
	jwtFile, jwtJSON                                          string
	asUserID, apiBaseURL, uploadBaseURL, caFile               string
	maxRetries                                                int
	requestTimeout, orphanWindow                              time.Duration
}

// clientConfig turns the provider block and the environment into a client
// configuration with exactly one authentication method.
func (m providerModel) clientConfig(getenv func(string) string) (box.Config, diag.Diagnostics) {
	s, diags := m.resolve(getenv)
	if diags.HasError() {
		return box.Config{}, diags
	}
	cfg, d := s.connection()
	diags.Append(d...)
	if diags.HasError() {
		return cfg, diags
	}
	diags.Append(s.authenticate(&cfg)...)
	return cfg, diags
}

// resolve reads every setting: the attribute when set, else its
// environment variable; a value unknown at plan time is an error.
func (m providerModel) resolve(getenv func(string) string) (providerSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	get := func(s setting) string {
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
	s := providerSettings{
		accessToken:    get(setting{"access_token", "BOX_ACCESS_TOKEN", m.AccessToken}),
		clientID:       get(setting{"client_id", "BOX_CLIENT_ID", m.ClientID}),
		clientSecret:   get(setting{"client_secret", "BOX_CLIENT_SECRET", m.ClientSecret}),
		enterpriseID:   get(setting{"enterprise_id", "BOX_ENTERPRISE_ID", m.EnterpriseID}),
		userID:         get(setting{"user_id", "BOX_USER_ID", m.UserID}),
		jwtFile:        get(setting{"jwt_config_file", "BOX_JWT_CONFIG_FILE", m.JWTConfigFile}),
		jwtJSON:        get(setting{"jwt_config", "BOX_JWT_CONFIG", m.JWTConfig}),
		asUserID:       get(setting{"as_user_id", "BOX_AS_USER_ID", m.AsUserID}),
		apiBaseURL:     get(setting{"api_base_url", "BOX_API_BASE_URL", m.APIBaseURL}),
		uploadBaseURL:  get(setting{"upload_base_url", "BOX_UPLOAD_BASE_URL", m.UploadBaseURL}),
		caFile:         get(setting{"ca_cert_file", "BOX_CA_CERT_FILE", m.CACertFile}),
		maxRetries:     box.DefaultMaxRetries,
		requestTimeout: box.DefaultRequestTimeout,
		orphanWindow:   defaultOrphanWindow,
	}
	if w := get(setting{"orphan_window", "BOX_ORPHAN_WINDOW", m.OrphanWindow}); w != "" {
		// The attribute validator has checked a configured value; the
		// environment variable is checked here.
		d, err := time.ParseDuration(w)
		if err != nil || d < 0 {
			diags.AddAttributeError(path.Root("orphan_window"), "Invalid orphan window",
				"`orphan_window` (or BOX_ORPHAN_WINDOW) must be a Go duration such as \"24h\" or \"90m\", or \"0\" to turn the orphan search off.")
		}
		s.orphanWindow = d
	}
	if m.MaxRetries.IsUnknown() {
		diags.AddAttributeError(path.Root("max_retries"), "Unknown Box provider setting",
			"The provider cannot be configured because `max_retries` is not known until apply. Set it to a number known at plan time.")
	} else if !m.MaxRetries.IsNull() {
		s.maxRetries = int(m.MaxRetries.ValueInt64())
	}
	if m.RequestTimeout.IsUnknown() {
		diags.AddAttributeError(path.Root("request_timeout"), "Unknown Box provider setting",
			"The provider cannot be configured because `request_timeout` is not known until apply. Set it to a duration known at plan time.")
	} else if !m.RequestTimeout.IsNull() {
		// The attribute validator has already rejected unparsable values.
		if d, err := time.ParseDuration(m.RequestTimeout.ValueString()); err == nil {
			s.requestTimeout = d
		}
	}
	return s, diags
}

// connection is the part of the client configuration that says where and
// how to reach Box: URLs, trusted CAs, retries and timeouts.
func (s providerSettings) connection() (box.Config, diag.Diagnostics) {
	var diags diag.Diagnostics
	cfg := box.Config{
		AsUserID:       s.asUserID,
		APIBaseURL:     s.apiBaseURL,
		UploadBaseURL:  s.uploadBaseURL,
		MaxRetries:     new(s.maxRetries),
		RequestTimeout: s.requestTimeout,
		OrphanWindow:   s.orphanWindow,
	}
	// URLs are checked here, before any request, so that the error names
	// the setting; a token must never cross a network in clear text.
	// A URL ending in /2.0 is refused too: the client adds it, and
	// /2.0/2.0/... would answer 404s that look like missing files.
	for _, u := range []struct {
		attr, env, value string
		check            func(string) error
	}{
		{"api_base_url", "BOX_API_BASE_URL", cfg.APIBaseURL, box.CheckAPIBaseURL},
		{"upload_base_url", "BOX_UPLOAD_BASE_URL", cfg.UploadBaseURL, box.CheckUploadBaseURL},
	} {
		if u.value == "" {
			continue
		}
		if err := u.check(u.value); err != nil {
			diags.AddAttributeError(path.Root(u.attr), "Invalid Box URL",
				"`"+u.attr+"` (or "+u.env+") cannot be used: "+err.Error()+".")
		}
	}
	if s.caFile != "" {
		client, err := trustingHTTPClient(s.caFile)
		if err != nil {
			diags.AddAttributeError(path.Root("ca_cert_file"), "Invalid CA certificate file",
				"The file named by `ca_cert_file` (or BOX_CA_CERT_FILE) cannot be used: "+err.Error()+".")
		}
		cfg.HTTPClient = client
	}
	// The emulator serves uploads on the API listener, so a loopback API URL
	// with no upload URL means "everything is here".
	if cfg.UploadBaseURL == "" && cfg.APIBaseURL != "" && box.IsLoopbackURL(cfg.APIBaseURL) {
		cfg.UploadBaseURL = cfg.APIBaseURL
	}
	return cfg, diags
}

// methodSettings says, for each authentication method, which attributes
// and variables select it: for the "more than one" message.
var methodSettings = map[box.AuthMethod]string{
	box.AuthAccessToken:       "an access token (access_token / BOX_ACCESS_TOKEN)",
	box.AuthClientCredentials: "the client-credentials grant (client_id, client_secret, enterprise_id or user_id / BOX_CLIENT_ID, BOX_CLIENT_SECRET, BOX_ENTERPRISE_ID or BOX_USER_ID)",
	box.AuthJWT:               "JWT (jwt_config_file or jwt_config / BOX_JWT_CONFIG_FILE or BOX_JWT_CONFIG)",
}

// authenticate chooses the authentication method and puts its credentials
// into cfg.
func (s providerSettings) authenticate(cfg *box.Config) diag.Diagnostics {
	method, cerr := box.ChooseAuthMethod(box.CredentialSettings{
		AccessToken: s.accessToken != "", ClientID: s.clientID != "", ClientSecret: s.clientSecret != "",
		EnterpriseID: s.enterpriseID != "", UserID: s.userID != "", JWT: s.jwtFile != "" || s.jwtJSON != "",
	})
	if cerr != nil {
		return credentialsDiagnostics(cerr)
	}
	switch method {
	case box.AuthAccessToken:
		cfg.AccessToken = s.accessToken
	case box.AuthClientCredentials:
		cfg.ClientID, cfg.ClientSecret, cfg.EnterpriseID, cfg.UserID = s.clientID, s.clientSecret, s.enterpriseID, s.userID
	case box.AuthJWT:
		jwt, diags := s.jwtConfig()
		cfg.JWT = jwt
		return diags
	}
	return nil
}

// credentialsDiagnostics explains box.ChooseAuthMethod's refusal in the
// provider's attributes and variables.
func credentialsDiagnostics(ce *box.CredentialsError) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case len(ce.Methods) == 0:
		diags.AddError("No Box credentials configured",
			"Configure exactly one authentication method: set `access_token` (or BOX_ACCESS_TOKEN); "+
				"or `client_id`, `client_secret` and one of `enterprise_id` or `user_id` (or BOX_CLIENT_ID, BOX_CLIENT_SECRET, BOX_ENTERPRISE_ID / BOX_USER_ID); "+
				"or `jwt_config_file` or `jwt_config` (or BOX_JWT_CONFIG_FILE / BOX_JWT_CONFIG).")
	case len(ce.Methods) > 1:
		found := make([]string, len(ce.Methods))
		for i, m := range ce.Methods {
			found[i] = methodSettings[m]
		}
		diags.AddError("More than one Box authentication method configured",
			"The provider found "+strings.Join(found, " and ")+". Configure exactly one, in the provider block or the environment, and unset the others.")
	case ce.BothSubjects:
		diags.AddAttributeError(path.Root("user_id"), "Conflicting client-credentials subject",
			"Set only one of `enterprise_id` (BOX_ENTERPRISE_ID) and `user_id` (BOX_USER_ID).")
	}
	for _, m := range ce.Missing {
		attr, detail := missingCCGSetting(m)
		diags.AddAttributeError(path.Root(attr), "Incomplete client-credentials configuration", detail)
	}
	return diags
}

// missingCCGSetting names the attribute of a missing client-credentials
// setting and says what to set.
func missingCCGSetting(m box.CredentialSetting) (attr, detail string) {
	switch m {
	case box.SettingClientID:
		return "client_id", "The client-credentials grant needs `client_id` (or BOX_CLIENT_ID)."
	case box.SettingClientSecret:
		return "client_secret", "The client-credentials grant needs `client_secret` (or BOX_CLIENT_SECRET)."
	}
	return "enterprise_id", "The client-credentials grant needs a subject: set `enterprise_id` (BOX_ENTERPRISE_ID) for the service account, or `user_id` (BOX_USER_ID) for a user."
}

// jwtConfig reads and parses the JWT app config from the one setting that
// holds it.
func (s providerSettings) jwtConfig() (*box.JWTConfig, diag.Diagnostics) {
	var diags diag.Diagnostics
	if s.jwtFile != "" && s.jwtJSON != "" {
		diags.AddAttributeError(path.Root("jwt_config"), "Conflicting JWT configuration",
			"Set only one of `jwt_config_file` (BOX_JWT_CONFIG_FILE) and `jwt_config` (BOX_JWT_CONFIG).")
		return nil, diags
	}
	data := []byte(s.jwtJSON)
	attr := "jwt_config"
	if s.jwtFile != "" {
		attr = "jwt_config_file"
		b, err := os.ReadFile(s.jwtFile) //nolint:gosec // G304: reading the file the practitioner names in jwt_config_file is the point of the setting
		if err != nil {
			diags.AddAttributeError(path.Root(attr), "Cannot read the JWT config file",
				"Reading the file named by `jwt_config_file` (or BOX_JWT_CONFIG_FILE) failed: "+err.Error())
			return nil, diags
		}
		data = b
	}
	jwt, err := box.ParseJWTConfig(data)
	if err != nil {
		diags.AddAttributeError(path.Root(attr), "Invalid JWT config",
			"The JWT app config could not be used: "+err.Error()+". Download a fresh config file from the Box Developer Console.")
		return nil, diags
	}
	return jwt, diags
}
