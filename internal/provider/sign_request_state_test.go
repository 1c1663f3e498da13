package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// Toggling allow_identical updates the state alone: no replacement
// warning, and the apply calls no Box API.
func TestAccSignRequest_allowIdenticalToggleSendsNothing(t *testing.T) {
	e := newTestEnv(t)
	signer := `
  signer {
    email = "alice@example.com"
  }
`
	c, _, _ := e.applyTruthRequest(t, signer)
	c.write("main.tf", e.truthRequest("  allow_identical = true\n"+signer))
	out := c.mustRun("plan")
	mustContain(t, out, "1 to change, 0 to destroy")
	mustNotContain(t, out, "Replacing this sign request", "must be replaced")
	before := e.apiCalls(t, "")
	out = c.mustRun("apply", "-auto-approve", "-refresh=false")
	mustContain(t, out, "0 added, 1 changed, 0 destroyed")
	mustNotContain(t, out, "Warning")
	if n := e.apiCalls(t, "") - before; n != 0 {
		t.Errorf("toggling allow_identical made %d API calls", n)
	}
	mustContain(t, c.mustRun("plan"), "No changes.")
}

// No signing link reaches terraform.tfstate: not at create, not after a
// refresh, not after an import.
func TestAccSignRequest_noSigningLinkInState(t *testing.T) {
	e := newTestEnv(t)
	c, id, _ := e.applyTruthRequest(t, `
  signer {
    email                      = "emb@example.com"
    embed_url_external_user_id = "emb-1"
    suppress_notifications     = true
  }
`)
	noLink := func(when string) {
		t.Helper()
		st := c.read("terraform.tfstate")
		for _, bad := range []string{"embed_url\"", "iframeable_embed_url", "app.box.com/sign", "app.box.com/embed"} {
			if strings.Contains(st, bad) {
				t.Errorf("terraform.tfstate holds %q %s", bad, when)
			}
		}
	}
	noLink("after create")
	c.mustRun("apply", "-refresh-only", "-auto-approve")
	noLink("after a refresh")
	c.mustRun("state", "rm", res)
	c.mustRun("import", res, id)
	noLink("after an import")
	mustContain(t, c.mustRun("plan"), "No changes.")
}

// A state written by the provider before schema version 1 (testdata/
// state_v0, see its README) upgrades with no change planned, no
// replacement, and loses its signing links.
func TestAccSignRequest_stateUpgradeFromV0(t *testing.T) {
	dir := filepath.Join("testdata", "state_v0")
	data := filepath.Join(t.TempDir(), "emulator.json")
	b, err := os.ReadFile(filepath.Join(dir, "emulator.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(data, b, 0o600); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, func(o *emulator.Options) { o.DataFile = data })
	e.requireEmulator(t)
	mainTF, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	state, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(state), "app.box.com/sign") {
		t.Fatal("the fixture holds no signing link to clear")
	}
	c := newTFCLI(t)
	c.write("main.tf", strings.ReplaceAll(string(mainTF), "EMULATOR_URL", e.URL))
	c.write("terraform.tfstate", string(state))
	c.mustRun("init")
	before := e.apiCalls(t, "POST /2.0/sign_requests")
	out := c.mustRun("plan", "-detailed-exitcode")
	mustContain(t, out, "No changes.")
	mustNotContain(t, out, "replace", "Warning")
	out = c.mustRun("apply", "-auto-approve")
	mustContain(t, out, "0 added, 0 changed, 0 destroyed")
	if n := e.apiCalls(t, "POST /2.0/sign_requests") - before; n != 0 {
		t.Errorf("the upgrade sent %d sign requests", n)
	}
	st := c.read("terraform.tfstate")
	if strings.Contains(st, "embed_url\"") || strings.Contains(st, "app.box.com/sign") {
		t.Error("the upgraded state still holds a signing link")
	}
	if !strings.Contains(st, `"schema_version": 1`) {
		t.Error("the state was not upgraded to schema version 1")
	}
}
