package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// The provider binary (main.go) turns the SDK's and its own logging off
// only when Terraform would discard the lines. Whenever Terraform keeps
// provider lines, they are all there: the SDK's protocol and framework
// TRACE lines and the client's API call at DEBUG, with the token redacted.
// The last case checks the premise: with its provider level off, Terraform
// keeps no provider line even at TF_LOG=TRACE.
func TestAccServedProviderLogs(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform against the built provider: needs TF_ACC=1")
	}
	const token = "dev-token-served-7a41"
	e := newTestEnv(t, func(o *emulator.Options) { o.DeveloperToken = token })
	e.requireEmulator(t)
	tf := findTerraform(t)
	tmp := t.TempDir()
	pluginDir := filepath.Join(tmp, "plugins")
	exampleBuildProvider(t, exampleRepoRoot(t), filepath.Join(pluginDir, "terraform-provider-box"))
	cliConfig := filepath.Join(tmp, "terraformrc")
	exampleWriteFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/box/box" = %[1]q
    "registry.opentofu.org/box/box" = %[1]q
  }
  direct {}
}
`, filepath.ToSlash(pluginDir)))
	dir := filepath.Join(tmp, "module")
	exampleWriteFile(t, filepath.Join(dir, "main.tf"), fmt.Sprintf(`terraform {
  required_providers {
    box = { source = "box/box" }
  }
}
provider "box" {
  api_base_url = %q
}
data "box_folder" "f" {
  id = %q
}
`, e.URL, e.FolderID))

	// Terraform prints a provider line's fields in no fixed order.
	const line = "provider.terraform-provider-box: "
	var (
		proto     = []string{"[TRACE] " + line + "Received request:", "@module=sdk.proto"}
		framework = []string{"[TRACE] " + line, "@module=sdk.framework"}
		apiCall   = []string{"[DEBUG] " + line + "Box API request:", "@module=box", "Bearer [REDACTED]"}
	)
	cases := []struct {
		name      string
		env       []string
		want, not [][]string
	}{
		{"TF_LOG=TRACE", []string{"TF_LOG=TRACE"}, [][]string{proto, framework, apiCall}, nil},
		{"TF_LOG_PROVIDER=trace alone", []string{"TF_LOG_PROVIDER=trace"}, [][]string{proto, framework, apiCall}, nil},
		{"TF_LOG=DEBUG", []string{"TF_LOG=DEBUG"}, [][]string{apiCall}, [][]string{proto, framework}},
		{"TF_LOG_PROVIDER=OFF under TF_LOG=TRACE", []string{"TF_LOG=TRACE", "TF_LOG_PROVIDER=OFF"}, nil, [][]string{{line}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			logPath := filepath.Join(t.TempDir(), "terraform.log")
			// Only the case's own logging settings: none from the caller
			// (make reliability runs the suite with TF_LOG_PATH_MASK).
			var env []string
			for _, kv := range exampleTerraformEnv(cliConfig) {
				if !strings.HasPrefix(kv, "TF_LOG") {
					env = append(env, kv)
				}
			}
			env = append(env, "BOX_ACCESS_TOKEN="+token, "TF_LOG_PATH="+logPath)
			env = append(env, c.env...)
			if out, err := exampleRunTerraform(tf, dir, env, "plan", "-no-color", "-input=false"); err != nil {
				t.Fatalf("terraform plan: %v\n%s", err, out)
			}
			b, err := os.ReadFile(logPath)
			if err != nil {
				t.Fatal(err)
			}
			log := string(b)
			for _, parts := range c.want {
				if !containsLineWith(log, parts) {
					t.Errorf("no log line holds all of %q", parts)
				}
			}
			for _, parts := range c.not {
				if containsLineWith(log, parts) {
					t.Errorf("a log line holds all of %q", parts)
				}
			}
			if strings.Contains(log, token) {
				t.Error("the access token is in the log")
			}
		})
	}
}

func containsLineWith(log string, parts []string) bool {
	for l := range strings.SplitSeq(log, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all {
			return true
		}
	}
	return false
}
