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
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// tfCLI runs the terraform binary the way a user does, in a working
// directory of its own, against this provider served in-process (through
// TF_REATTACH_PROVIDERS, so nothing is built or downloaded). It is for what
// terraform-plugin-testing cannot see: warnings, and
// `terraform plan -generate-config-out`.
type tfCLI struct {
	dir string
	env []string
}

func newTFCLI(t *testing.T) *tfCLI {
	t.Helper()
	testAccPreCheck(t)
	tf := "terraform"
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		tf = p
	}
	if _, err := exec.LookPath(tf); err != nil {
		t.Fatal(err)
	}
	// OpenTofu reads source "box/box" as registry.opentofu.org/box/box:
	// the reattached provider must carry the address the CLI looks for, or
	// the CLI goes to the network for it (make test-tofu sets the host).
	addr := "registry.terraform.io/box/box"
	if host := os.Getenv("TF_ACC_PROVIDER_HOST"); host != "" {
		addr = host + "/box/box"
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	server := providerserver.NewProtocol6(New("test")())
	go func() {
		err := tf6server.Serve(addr, func() tfprotov6.ProviderServer { return server() },
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t))
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
	att, err := json.Marshal(map[string]any{addr: map[string]any{
		"Protocol": string(cfg.Protocol), "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": true,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c := &tfCLI{dir: t.TempDir(), env: append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(att), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")}
	c.env = append(c.env, "TF_CLI_ARGS=", "TF_LOG=")
	return c
}

// write replaces the working directory's main.tf.
func (c *tfCLI) write(t *testing.T, name, config string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

// read returns a file of the working directory.
func (c *tfCLI) read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// run runs terraform with args and returns its combined output; wantErr
// says whether it must fail.
func (c *tfCLI) run(t *testing.T, wantErr bool, args ...string) string {
	t.Helper()
	tf := "terraform"
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		tf = p
	}
	n := 1 // -no-color follows the (sub)command
	if args[0] == "state" {
		n = 2
	}
	cmd := exec.CommandContext(t.Context(), tf, append(args[:n:n], append([]string{"-no-color"}, args[n:]...)...)...)
	cmd.Dir, cmd.Env = c.dir, c.env
	out, err := cmd.CombinedOutput()
	if (err != nil) != wantErr {
		t.Fatalf("terraform %s: error %v, want error %v\n%s", strings.Join(args, " "), err, wantErr, out)
	}
	return string(out)
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

// requiredProviders is the terraform block a working directory needs.
const requiredProviders = `terraform {
  required_providers {
    box = {
      source = "box/box"
    }
  }
}
`
