package provider

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// terraformCLI runs the terraform binary directly, for what
// terraform-plugin-testing cannot drive yet: `terraform apply -invoke` of an
// action. The provider is served in-process and reached through
// TF_REATTACH_PROVIDERS, as terraform-plugin-testing does it.
type terraformCLI struct {
	t   *testing.T
	bin string
	dir string
	env []string
}

// newTerraformCLI skips the test unless the acceptance tests' CLI is
// Terraform at minVersion or later (OpenTofu has no actions).
func newTerraformCLI(t *testing.T, minVersion string) *terraformCLI {
	t.Helper()
	testAccPreCheck(t)
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	skipBelowTerraform(t, bin, minVersion)
	return &terraformCLI{t: t, bin: bin, dir: t.TempDir(), env: append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+serveProvider(t), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")}
}

// skipBelowTerraform skips the test unless bin is Terraform at minVersion
// or later. OpenTofu is skipped whatever its version: the features these
// tests need (identity, list resources, actions) are Terraform's.
func skipBelowTerraform(t *testing.T, bin, minVersion string) {
	t.Helper()
	if minVersion == "" {
		return
	}
	out, err := exec.CommandContext(t.Context(), bin, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	have, err := goversion.NewVersion(v.Version)
	if err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	if have.LessThan(goversion.Must(goversion.NewVersion(minVersion))) || underOpenTofu(t) {
		t.Skipf("needs Terraform %s or later (make test-latest); this CLI reports %s", minVersion, v.Version)
	}
}

// serveProvider serves the provider in-process until the test ends and
// returns the TF_REATTACH_PROVIDERS value that points terraform at it.
func serveProvider(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	go func() {
		err := tf6server.Serve("registry.terraform.io/hashicorp/box", providerserver.NewProtocol6(New("test")()),
			tf6server.WithDebug(ctx, reattach, closed), tf6server.WithoutLogStderrOverride(), tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	cfg := <-reattach
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	b, err := json.Marshal(map[string]any{"registry.terraform.io/hashicorp/box": map[string]any{
		"Protocol": cfg.Protocol, "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": true,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// write replaces the working directory's configuration.
func (c *terraformCLI) write(config string) { c.writeFile("main.tf", config) }

// writeFile writes one file of the working directory.
func (c *terraformCLI) writeFile(name, content string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// readFile reads one file of the working directory.
func (c *terraformCLI) readFile(name string) string {
	c.t.Helper()
	b, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(b)
}

// run runs terraform with args in the working directory and returns its
// combined output.
func (c *terraformCLI) run(args ...string) (string, error) {
	c.t.Helper()
	cmd := exec.CommandContext(c.t.Context(), c.bin, args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	out, err := cmd.CombinedOutput()
	c.t.Logf("terraform %v:\n%s", args, out)
	return string(out), err
}

// mustRun is run that fails the test when terraform does.
func (c *terraformCLI) mustRun(args ...string) string {
	c.t.Helper()
	out, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("terraform %v: %v", args, err)
	}
	return out
}
