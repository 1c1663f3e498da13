package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// testAccProvidersWithEcho adds terraform-plugin-testing's echo provider,
// which copies its configuration into the state of an `echo` resource: the
// one way a test can see what an ephemeral resource returned.
var testAccProvidersWithEcho = map[string]func() (tfprotov6.ProviderServer, error){
	"box":  testAccProviders["box"],
	"echo": echoprovider.NewProviderServer(),
}

// Ephemeral resources need Terraform 1.10.
var ephemeralTerraform = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)}

// signingLinks is what Box reports for a request's signer: the embed URL
// and the iframeable one.
func (e *testEnv) signingLinks(t *testing.T, id, email string) (string, string) {
	t.Helper()
	return e.signingLinksAs(t, "dev-token", id, email)
}

// signingLinksAs is signingLinks read with another access token.
func (e *testEnv) signingLinksAs(t *testing.T, token, id, email string) (string, string) {
	t.Helper()
	status, out := e.call(t, "GET", "/2.0/sign_requests/"+id, token, nil)
	if status != 200 {
		t.Fatalf("reading sign request %s: HTTP %d", id, status)
	}
	for _, s := range out["signers"].([]any) {
		m := s.(map[string]any)
		if m["email"] == email {
			embed, _ := m["embed_url"].(string)
			iframe, _ := m["iframeable_embed_url"].(string)
			if embed == "" || iframe == "" {
				t.Fatalf("Box has no embed URLs for %s", email)
			}
			return embed, iframe
		}
	}
	t.Fatalf("no signer %s", email)
	return "", ""
}

// embedRequest sends, outside Terraform, a request whose first signer signs
// embedded and whose second gets email only.
func (e *testEnv) embedRequest(t *testing.T) string {
	t.Helper()
	status, out := e.call(t, "POST", "/2.0/sign_requests", "dev-token", map[string]any{
		"source_files":  []map[string]string{{"id": e.FileID, "type": "file"}},
		"parent_folder": map[string]string{"id": e.FolderID, "type": "folder"},
		"signers": []map[string]any{
			{"email": "kiosk@example.com", "embed_url_external_user_id": "kiosk-1", "suppress_notifications": true},
			{"email": "mail@example.com"},
		},
	})
	if status != 201 {
		t.Fatalf("creating the sign request: HTTP %d %v", status, out)
	}
	return out["id"].(string)
}

// jsonHolds reports whether v, as JSON, contains any of the values.
func jsonHolds(v any, values ...string) (bool, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return false, err
	}
	for _, s := range values {
		if s != "" && strings.Contains(buf.String(), s) {
			return true, nil
		}
	}
	return false, nil
}

// stateHolds checks the whole state, as `terraform show -json` gives it, for
// the values: present when want is true, absent otherwise. values is read
// when the check runs.
type stateHolds struct {
	values *[]string
	want   bool
}

func (c stateHolds) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	got, err := jsonHolds(req.State, *c.values...)
	switch {
	case err != nil:
		resp.Error = err
	case len(*c.values) == 0:
		resp.Error = fmt.Errorf("no values to look for")
	case got != c.want && c.want:
		resp.Error = fmt.Errorf("the state does not hold the signing link")
	case got != c.want:
		resp.Error = fmt.Errorf("the state holds the signing link")
	}
}

// planLacks fails when the plan, as `terraform show -json` gives it, holds
// any of the values.
type planLacks struct{ values *[]string }

func (c planLacks) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	got, err := jsonHolds(req.Plan, *c.values...)
	if err != nil {
		resp.Error = fmt.Errorf("looking for the signing link in the plan: %w", err)
		return
	}
	if got {
		resp.Error = errors.New("the plan holds the signing link")
	}
}

// The link reaches a consumer: the echo provider, configured from the
// ephemeral resource, puts what it got into its resource's state.
func TestAccSigningLink_reachesConsumer(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	base := e.signRequestConfig(`
  signer {
    email                      = "kiosk@example.com"
    embed_url_external_user_id = "kiosk-1"
    suppress_notifications     = true
  }
  signer {
    email = "mail@example.com"
  }
`)
	withLink := base + `
ephemeral "box_sign_request_signing_link" "kiosk" {
  id    = box_sign_request.test.id
  email = "Kiosk@Example.com"
}
provider "echo" {
  data = ephemeral.box_sign_request_signing_link.kiosk
}
resource "echo" "link" {}
`
	var id string
	var links []string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProvidersWithEcho,
		TerraformVersionChecks:   ephemeralTerraform,
		Steps: []resource.TestStep{
			{Config: base, Check: captureID(&id)},
			{
				PreConfig: func() {
					embed, iframe := e.signingLinks(t, id, "kiosk@example.com")
					links = []string{embed, iframe}
				},
				Config: withLink,
				// links is known only once PreConfig ran.
				Check: func(s *terraform.State) error {
					return resource.ComposeAggregateTestCheckFunc(
						resource.TestCheckResourceAttr("echo.link", "data.embed_url", links[0]),
						resource.TestCheckResourceAttr("echo.link", "data.iframeable_embed_url", links[1]),
						resource.TestCheckResourceAttr("echo.link", "data.id", id),
					)(s)
				},
				// The check the next test relies on does find a link that
				// is in the state.
				ConfigStateChecks: []statecheck.StateCheck{stateHolds{values: &links, want: true}},
			},
		},
	})
}

// A configuration that only reads the link keeps it out of the plan and
// the state, although the provider did read it from Box.
func TestAccSigningLink_notInState(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	id := e.embedRequest(t)
	embed, iframe := e.signingLinks(t, id, "kiosk@example.com")
	links := []string{embed, iframe}
	const get = "GET /2.0/sign_requests/{id}"
	before := e.callsWithStatus(t, get, 200)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   ephemeralTerraform,
		Steps: []resource.TestStep{{
			Config: e.provider() + fmt.Sprintf(`
ephemeral "box_sign_request_signing_link" "kiosk" {
  id    = %q
  email = "kiosk@example.com"
}
`, id),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{planLacks{values: &links}}},
			ConfigStateChecks: []statecheck.StateCheck{stateHolds{values: &links, want: false}},
			Check: func(*terraform.State) error {
				// Plan and apply each opened the ephemeral resource (under
				// OpenTofu only the plan does: see ephemeralOpensPerStep).
				if n := e.callsWithStatus(t, get, 200) - before; n < ephemeralOpensPerStep(t) {
					return fmt.Errorf("the sign request was read %d times: the ephemeral resource did not run", n)
				}
				return nil
			},
		}},
	})
}

// A signer without embed_url_external_user_id has no link, and an unknown
// signer or request is an error that says so.
func TestAccSigningLink_errors(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	id := e.embedRequest(t)
	link := func(id, email string) string {
		return e.provider() + fmt.Sprintf(`
ephemeral "box_sign_request_signing_link" "x" {
  id    = %q
  email = %q
}
`, id, email)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   ephemeralTerraform,
		Steps: []resource.TestStep{
			{
				Config:      link(id, "mail@example.com"),
				ExpectError: wrapped(`Signer has no signing link .* Box makes links only for signers created with embed_url_external_user_id`),
			},
			{
				Config:      link(id, "nobody@example.com"),
				ExpectError: wrapped(`Signer not found .* has no signer with the email "nobody@example.com"`),
			},
			{
				Config:      link("00000000-0000-0000-0000-000000000000", "kiosk@example.com"),
				ExpectError: wrapped(`Could not read sign request 00000000-0000-0000-0000-000000000000`),
			},
			{
				Config:      link(id, "not an email"),
				ExpectError: wrapped(`not a valid email address`),
			},
			{Config: link(id, "kiosk@example.com")},
		},
	})
}
