package provider

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// tfCLI runs the terraform binary the way a user does, in a working
// directory of its own, against this provider served in-process (through
// TF_REATTACH_PROVIDERS, so nothing is built or downloaded). It is for what
// terraform-plugin-testing cannot see or drive: warnings,
// `terraform plan -generate-config-out`, `terraform query` and
// `terraform apply -invoke` of an action.
type tfCLI struct {
	t   *testing.T
	bin string
	dir string
	env []string
}

// tfCLIOption adjusts newTFCLI.
type tfCLIOption func(t *testing.T, bin string)

// minTerraform skips the test unless the CLI is Terraform at version or
// later (see skipBelowTerraform).
func minTerraform(version string) tfCLIOption {
	return func(t *testing.T, bin string) {
		t.Helper()
		skipBelowTerraform(t, bin, version)
	}
}

func newTFCLI(t *testing.T, opts ...tfCLIOption) *tfCLI {
	t.Helper()
	testAccPreCheck(t)
	bin := findTerraform(t)
	for _, o := range opts {
		o(t, bin)
	}
	return &tfCLI{t: t, bin: bin, dir: t.TempDir(), env: append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+serveProvider(t), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"TF_CLI_ARGS=", "TF_LOG=")}
}

// terraformPath is the CLI the acceptance tests run, as
// terraform-plugin-testing chooses it: TF_ACC_TERRAFORM_PATH, else terraform
// on PATH.
func terraformPath() string {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	return "terraform"
}

// findTerraform is terraformPath, checked: an installed terraform, never
// one downloaded.
func findTerraform(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath(terraformPath())
	if err != nil {
		t.Fatalf("no terraform (%v): install Terraform 1.11 or later, or set TF_ACC_TERRAFORM_PATH. The tests never download it.", err)
	}
	return p
}

// providerAddress is the address the in-process provider is served at, as
// terraform-plugin-testing builds it, so an unqualified `provider "box"`
// finds it: OpenTofu reads that as registry.opentofu.org/hashicorp/box
// (make test-tofu sets TF_ACC_PROVIDER_HOST).
func providerAddress() string {
	host, namespace := os.Getenv(resource.EnvTfAccProviderHost), os.Getenv(resource.EnvTfAccProviderNamespace)
	if host == "" {
		host = "registry.terraform.io"
	}
	if namespace == "" {
		namespace = "hashicorp"
	}
	return host + "/" + namespace + "/box"
}

// serveProvider serves the provider in-process until the test ends and
// returns the TF_REATTACH_PROVIDERS value that points terraform at it.
func serveProvider(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	addr := providerAddress()
	go func() {
		err := tf6server.Serve(addr, providerserver.NewProtocol6(New("test")()),
			tf6server.WithDebug(ctx, reattach, closed), tf6server.WithoutLogStderrOverride(), tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case <-closed:
		t.Fatal("the provider server stopped before it started")
	}
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	b, err := json.Marshal(map[string]any{addr: map[string]any{
		"Protocol": string(cfg.Protocol), "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": true,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
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

// write replaces a file of the working directory.
func (c *tfCLI) write(name, content string) {
	c.t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(content), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// read returns a file of the working directory.
func (c *tfCLI) read(name string) string {
	c.t.Helper()
	b, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(b)
}

// run runs terraform with args in the working directory, with -no-color
// after the (sub)command, and returns its combined output.
func (c *tfCLI) run(args ...string) (string, error) {
	c.t.Helper()
	n := 1
	if args[0] == "state" {
		n = 2
	}
	cmd := exec.CommandContext(c.t.Context(), c.bin, append(args[:n:n], append([]string{"-no-color"}, args[n:]...)...)...)
	cmd.Dir, cmd.Env = c.dir, c.env
	out, err := cmd.CombinedOutput()
	c.t.Logf("terraform %s:\n%s", strings.Join(args, " "), out)
	return string(out), err
}

// mustRun is run that fails the test when terraform fails.
func (c *tfCLI) mustRun(args ...string) string {
	c.t.Helper()
	out, err := c.run(args...)
	if err != nil {
		c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// mustFail is run that fails the test when terraform succeeds.
func (c *tfCLI) mustFail(args ...string) string {
	c.t.Helper()
	out, err := c.run(args...)
	if err == nil {
		c.t.Fatalf("terraform %s succeeded, want an error", strings.Join(args, " "))
	}
	return out
}

// mustContain fails for each wanted text the output lacks. Terraform wraps
// long diagnostic lines, so whitespace runs are compared as one space.
func mustContain(t *testing.T, out string, want ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(out), " ")
	for _, w := range want {
		if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// mustNotContain fails for each text the output has.
func mustNotContain(t *testing.T, out string, unwanted ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(out), " ")
	for _, u := range unwanted {
		if strings.Contains(flat, strings.Join(strings.Fields(u), " ")) {
			t.Errorf("output has %q:\n%s", u, out)
		}
	}
}
