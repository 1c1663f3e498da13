// Package pluginlog decides, from the environment that Terraform hands the
// provider process, whether anyone will read what the provider logs, and
// turns the plugin SDK's logging off when nobody will.
//
// A provider started by Terraform (or OpenTofu) writes its log lines as JSON
// to stderr; core reads them through go-plugin and keeps them only at or
// above its provider log level. terraform-plugin-go and the framework, on
// the other hand, log at TRACE unless TF_LOG_SDK says otherwise: without
// TF_LOG they format a JSON line per validator and plan modifier call, write
// it, and core throws it away unread. Quiet stops that.
package pluginlog

import "strings"

// The environment variables both sides read. Terraform's internal/logging
// (v1.15, the same since 0.15; OpenTofu 1.12 alike) sets the level of the
// logger it hands go-plugin for every provider from TF_LOG_PROVIDER, or
// TF_LOG when that is empty. terraform-plugin-go reads TF_LOG_SDK (root SDK
// logger), TF_LOG_SDK_PROTO (its protocol subsystem) and
// TF_LOG_PROVIDER_<TYPE> (the provider's own tflog logger); the framework
// reads TF_LOG_SDK_FRAMEWORK (its subsystem).
const (
	envLog          = "TF_LOG"
	envLogProvider  = "TF_LOG_PROVIDER"
	envSDK          = "TF_LOG_SDK"
	envSDKProto     = "TF_LOG_SDK_PROTO"
	envSDKFramework = "TF_LOG_SDK_FRAMEWORK"
	levelOff        = "OFF"
)

// KeptByCore reports whether Terraform core keeps anything the provider
// logs, by core's own rule: its provider level is TF_LOG_PROVIDER, else
// TF_LOG, upper-cased; empty is off, OFF is off, and anything else (a level,
// JSON, or a word it does not know, which it reads as TRACE) keeps lines.
// When the level is off, go-plugin skips the lines before parsing them, so
// no sink (TF_LOG_PATH, TF_TEMP_LOG_PATH) ever sees them.
func KeptByCore(getenv func(string) string) bool {
	level := strings.ToUpper(getenv(envLogProvider))
	if level == "" {
		level = strings.ToUpper(getenv(envLog))
	}
	return level != "" && level != levelOff
}

// Quiet sets the SDK's and the provider's own log levels to OFF, for a
// provider process whose lines core discards (KeptByCore is false). The
// subsystem variables are set as well as the root one because a subsystem
// without its own level passes the SDK's cheap "would it log" check and
// builds each line before its logger drops it. providerAddress is the
// address the provider is served under (registry.terraform.io/box/box).
func Quiet(setenv func(key, value string) error, providerAddress string) error {
	for _, k := range []string{envSDK, envSDKProto, envSDKFramework, ProviderLevelVar(providerAddress)} {
		if err := setenv(k, levelOff); err != nil {
			return err
		}
	}
	return nil
}

// ProviderLevelVar is the variable that sets the level of the provider's
// own tflog logger, named as terraform-plugin-go names it: TF_LOG_PROVIDER_
// and the address's type, upper-cased, with '-' as '_'.
func ProviderLevelVar(providerAddress string) string {
	typ := providerAddress[strings.LastIndexByte(providerAddress, '/')+1:]
	return envLogProvider + "_" + strings.ToUpper(strings.ReplaceAll(typ, "-", "_"))
}

// ProviderDebugDropped reports whether the provider's own tflog logger
// drops DEBUG lines because its level variable asks for less: INFO, WARN,
// ERROR or OFF. The SDK applies that variable whether it logs to stderr or
// to the test sink of in-process acceptance tests, so this holds in both.
// When the variable is unset the level comes from elsewhere (TRACE, or the
// test sink's TF_LOG), and the answer is false: log as usual.
func ProviderDebugDropped(getenv func(string) string, providerAddress string) bool {
	switch strings.ToUpper(strings.TrimSpace(getenv(ProviderLevelVar(providerAddress)))) {
	case "INFO", "WARN", "ERROR", levelOff:
		return true
	}
	return false
}
