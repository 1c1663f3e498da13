package pluginlog

import (
	"errors"
	"maps"
	"testing"
)

const address = "registry.terraform.io/box/box"

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// The cases follow Terraform's internal/logging: providerLogLevel and
// parseLogLevel.
func TestKeptByCore(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want bool
	}{
		{"nothing set", nil, false},
		{"TF_LOG empty", map[string]string{"TF_LOG": ""}, false},
		{"TF_LOG trace", map[string]string{"TF_LOG": "trace"}, true},
		{"TF_LOG ERROR", map[string]string{"TF_LOG": "ERROR"}, true},
		{"TF_LOG json", map[string]string{"TF_LOG": "json"}, true},
		{"TF_LOG an unknown word means TRACE", map[string]string{"TF_LOG": "1"}, true},
		{"TF_LOG off", map[string]string{"TF_LOG": "off"}, false},
		{"TF_LOG OFF with a space is unknown, so TRACE", map[string]string{"TF_LOG": " OFF"}, true},
		{"TF_LOG_PROVIDER alone", map[string]string{"TF_LOG_PROVIDER": "debug"}, true},
		{"TF_LOG_PROVIDER off wins over TF_LOG", map[string]string{"TF_LOG": "TRACE", "TF_LOG_PROVIDER": "OFF"}, false},
		{"TF_LOG_PROVIDER empty falls back to TF_LOG", map[string]string{"TF_LOG": "INFO", "TF_LOG_PROVIDER": ""}, true},
		{"TF_LOG_CORE alone is core only", map[string]string{"TF_LOG_CORE": "TRACE"}, false},
		{"TF_LOG_PATH alone logs nothing", map[string]string{"TF_LOG_PATH": "/tmp/tf.log"}, false},
		{"TF_LOG_SDK alone is the provider's side only", map[string]string{"TF_LOG_SDK": "TRACE"}, false},
		{"TF_LOG_PROVIDER_BOX alone is the provider's side only", map[string]string{"TF_LOG_PROVIDER_BOX": "TRACE"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := KeptByCore(envOf(c.env)); got != c.want {
				t.Errorf("KeptByCore(%v) = %v, want %v", c.env, got, c.want)
			}
		})
	}
}

func TestQuiet(t *testing.T) {
	env := map[string]string{"TF_LOG_SDK_FRAMEWORK": "TRACE", "HOME": "/root"}
	setenv := func(k, v string) error { env[k] = v; return nil }
	if err := Quiet(setenv, address); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"TF_LOG_SDK":           "OFF",
		"TF_LOG_SDK_PROTO":     "OFF",
		"TF_LOG_SDK_FRAMEWORK": "OFF",
		"TF_LOG_PROVIDER_BOX":  "OFF",
		"HOME":                 "/root",
	}
	if !maps.Equal(env, want) {
		t.Errorf("environment after Quiet = %v, want %v", env, want)
	}
	if !ProviderDebugDropped(envOf(env), address) {
		t.Error("after Quiet, ProviderDebugDropped = false, want true")
	}

	boom := errors.New("boom")
	if err := Quiet(func(string, string) error { return boom }, address); !errors.Is(err, boom) {
		t.Errorf("Quiet with a failing setenv = %v, want %v", err, boom)
	}
}

// terraform-plugin-go names the variable after the address's type.
func TestProviderLevelVar(t *testing.T) {
	cases := []struct{ name, address, want string }{
		{"box", address, "TF_LOG_PROVIDER_BOX"},
		{"OpenTofu's registry", "registry.opentofu.org/box/box", "TF_LOG_PROVIDER_BOX"},
		{"dash in the type", "registry.terraform.io/acme/box-sign", "TF_LOG_PROVIDER_BOX_SIGN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ProviderLevelVar(c.address); got != c.want {
				t.Errorf("ProviderLevelVar(%q) = %q, want %q", c.address, got, c.want)
			}
		})
	}
}

func TestProviderDebugDropped(t *testing.T) {
	cases := []struct {
		name, level string
		want        bool
	}{
		{"unset", "", false},
		{"trace", "trace", false},
		{"debug", "DEBUG", false},
		{"info", "info", true},
		{"warn", "WARN", true},
		{"error", " error ", true},
		{"off", "off", true},
		{"unknown word", "verbose", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"TF_LOG_PROVIDER_BOX": c.level}
			if got := ProviderDebugDropped(envOf(env), address); got != c.want {
				t.Errorf("ProviderDebugDropped(TF_LOG_PROVIDER_BOX=%q) = %v, want %v", c.level, got, c.want)
			}
		})
	}
}
