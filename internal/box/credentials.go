package box

import (
	"fmt"
	"strings"
)

// AuthMethod is one of the ways the client authenticates to Box.
type AuthMethod string

// The authentication methods, named as the client's errors name them.
const (
	AuthAccessToken       AuthMethod = "an access token"
	AuthClientCredentials AuthMethod = "client credentials (client ID/secret, enterprise or user ID)"
	AuthJWT               AuthMethod = "a JWT config"
)

// CredentialSettings says which credential settings a configuration has,
// whatever they hold. ChooseAuthMethod reads nothing else, so the provider
// (settings from attributes and the environment) and New (a Config) apply
// the same rule.
type CredentialSettings struct {
	AccessToken, ClientID, ClientSecret, EnterpriseID, UserID, JWT bool
}

// CredentialSetting names a client-credentials setting in an error.
type CredentialSetting string

// The client-credentials settings ChooseAuthMethod can find missing.
const (
	SettingClientID     CredentialSetting = "client ID"
	SettingClientSecret CredentialSetting = "client secret"
	SettingSubject      CredentialSetting = "enterprise ID or user ID"
)

// CredentialsError says why no single authentication method can be used.
// Exactly one of its cases holds: Methods lists none or several methods;
// Missing lists incomplete client-credentials settings; or BothSubjects.
// It names settings, never their values.
type CredentialsError struct {
	Methods      []AuthMethod
	Missing      []CredentialSetting
	BothSubjects bool
}

func (e *CredentialsError) Error() string {
	switch {
	case len(e.Missing) > 0:
		names := make([]string, len(e.Missing))
		for i, m := range e.Missing {
			names[i] = string(m)
		}
		return "box: incomplete client credentials configuration: missing " + strings.Join(names, ", ")
	case e.BothSubjects:
		return "box: client credentials grant takes an enterprise ID or a user ID, not both"
	case len(e.Methods) == 0:
		return "box: no credentials configured: set an access token; or a client ID and client secret with an enterprise ID or a user ID (client credentials grant); or a JWT config file"
	}
	names := make([]string, len(e.Methods))
	for i, m := range e.Methods {
		names[i] = string(m)
	}
	return fmt.Sprintf("box: more than one authentication method configured (%s): set exactly one", strings.Join(names, " and "))
}

// ChooseAuthMethod is the one rule for credentials: exactly one method, and
// the client-credentials grant complete, with one subject. It returns the
// method, or (nil-checked by callers) why there is none.
func ChooseAuthMethod(s CredentialSettings) (AuthMethod, *CredentialsError) {
	var methods []AuthMethod
	ccg := s.ClientID || s.ClientSecret || s.EnterpriseID || s.UserID
	if s.AccessToken {
		methods = append(methods, AuthAccessToken)
	}
	if ccg {
		methods = append(methods, AuthClientCredentials)
	}
	if s.JWT {
		methods = append(methods, AuthJWT)
	}
	if len(methods) != 1 {
		return "", &CredentialsError{Methods: methods}
	}
	if !ccg {
		return methods[0], nil
	}
	var missing []CredentialSetting
	if !s.ClientID {
		missing = append(missing, SettingClientID)
	}
	if !s.ClientSecret {
		missing = append(missing, SettingClientSecret)
	}
	if !s.EnterpriseID && !s.UserID {
		missing = append(missing, SettingSubject)
	}
	if len(missing) > 0 {
		return "", &CredentialsError{Methods: methods, Missing: missing}
	}
	if s.EnterpriseID && s.UserID {
		return "", &CredentialsError{Methods: methods, BothSubjects: true}
	}
	return AuthClientCredentials, nil
}

// missingFields names the fields of the app config file that j lacks.
func (j *JWTConfig) missingFields() []string {
	var missing []string
	if j.ClientID == "" {
		missing = append(missing, "boxAppSettings.clientID")
	}
	if j.ClientSecret == "" {
		missing = append(missing, "boxAppSettings.clientSecret")
	}
	if j.PublicKeyID == "" {
		missing = append(missing, "boxAppSettings.appAuth.publicKeyID")
	}
	if j.PrivateKey == "" && j.key == nil {
		missing = append(missing, "boxAppSettings.appAuth.privateKey")
	}
	if j.EnterpriseID == "" && j.UserID == "" {
		missing = append(missing, "enterpriseID or userID")
	}
	return missing
}

// validateCredentials applies ChooseAuthMethod to cfg, and checks that a
// JWT config built by hand (not by ParseJWTConfig) is complete.
func validateCredentials(cfg *Config) error {
	method, cerr := ChooseAuthMethod(CredentialSettings{
		AccessToken: cfg.AccessToken != "", ClientID: cfg.ClientID != "", ClientSecret: cfg.ClientSecret != "",
		EnterpriseID: cfg.EnterpriseID != "", UserID: cfg.UserID != "", JWT: cfg.JWT != nil,
	})
	if cerr != nil {
		return cerr
	}
	if method == AuthJWT {
		if missing := cfg.JWT.missingFields(); len(missing) > 0 {
			return fmt.Errorf("box: incomplete JWT config: missing %s", strings.Join(missing, ", "))
		}
	}
	return nil
}
