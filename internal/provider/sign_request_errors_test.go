package provider

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// inOrder matches the given texts in this order, with any line wrapping
// Terraform puts in a diagnostic where they have a space.
func inOrder(texts ...string) *regexp.Regexp {
	parts := make([]string, len(texts))
	for i, x := range texts {
		parts[i] = strings.ReplaceAll(regexp.QuoteMeta(x), " ", `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, ".*"))
}

// lockedTemplate is the seeded template whose recipients are locked.
func (e *testEnv) lockedTemplate(t *testing.T) string {
	t.Helper()
	for _, id := range e.Template {
		if _, out := e.call(t, "GET", "/2.0/sign_templates/"+id, "dev-token", nil); out["are_recipients_locked"] == true {
			return id
		}
	}
	t.Fatal("the seed has no template with locked recipients")
	return ""
}

// A Box 400 names the refused field in its own JSON (signers[1].email):
// the apply fails with the diagnostic on that signer's email in the
// configuration, in the configuration's words. The plan-time checks catch
// every refusal the emulator's own validation knows (a locked template's
// recipients too, when Terraform plans again at apply), so the emulator is
// told to refuse this create once, in Box's shape for an invalid parameter.
func TestAccSignRequest_boxFieldErrorAtAttribute(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	e.fault(t, map[string]any{"method": "POST", "path": "/2.0/sign_requests", "status": 400, "times": 1,
		"field": "signers[1].email", "field_message": "The template sets are_recipients_locked"})
	cfg := e.provider() + fmt.Sprintf(`
resource "box_sign_request" "test" {
  source_file_ids = [%q]
  signer {
    email = "first@example.com"
  }
  signer {
    email = "someone-else@example.com"
  }
}
`, e.FileID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: cfg,
			ExpectError: inOrder("Could not create the sign request", `in resource "box_sign_request" "test":`,
				// Terraform shows the attribute's line: the error is attached to it.
				`email = "someone-else@example.com"`,
				"Box refused `signer[1].email`: The template sets are_recipients_locked", "request_id: ", "correct the attribute named above"),
		}},
	})
	if n := e.apiCalls(t, "POST /2.0/sign_requests"); n != 1 {
		t.Errorf("create sent %d times, want 1", n)
	}
}

// A locked template whose ID is known only at apply is still refused
// before anything is sent: Terraform plans again at apply with the ID
// known, and the template check runs then.
func TestAccSignRequest_lockedTemplateKnownAtApply(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	cfg := e.provider() + fmt.Sprintf(`
resource "terraform_data" "template" {
  input = %q
}

resource "box_sign_request" "test" {
  template_id = terraform_data.template.output
  signer {
    email = "someone-else@example.com"
  }
}
`, e.lockedTemplate(t))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: inOrder("The template locks this setting", `email = "someone-else@example.com"`, "are_recipients_locked", "signer[0].email"),
		}},
	})
	if n := e.apiCalls(t, "POST /2.0/sign_requests"); n != 0 {
		t.Errorf("create sent %d times, want 0", n)
	}
}

// What a user hits on Box: the service account (client credentials) sends
// a request for an admin's file, or into an admin's folder, that nobody
// shared with it. Box answers 404, as for a missing item; the apply fails
// naming the item and its attribute, the service account's login, why Box
// says 404 and the two fixes. The user is asked of Box once.
func TestAccSignRequest_unseenItemNamesUserAndFix(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	private := e.mkdir(t, "0", "Admin only")
	file := e.upload(t, private, "nda.pdf", testPDF)
	sa := e.emu.Seeded().ServiceAccountLogin
	own := e.uploadAs(t, e.serviceAccountToken(t), "0", "own.pdf", testPDF)
	ccg := e.provider(`client_id = "emulator-client-id"`, `client_secret = "emulator-client-secret"`, `enterprise_id = "1000"`)
	cases := []struct {
		name, body, kind, id, attr, snippet, where string
	}{
		{"admin's file", fmt.Sprintf("source_file_ids = [%q]", file), "file", file, "source_file_ids[0]",
			fmt.Sprintf("source_file_ids = [%q]", file), "on the folder that holds file " + file},
		{"admin's folder", fmt.Sprintf("source_file_ids = [%q]\n  parent_folder_id = %q", own, private), "folder", private, "parent_folder_id",
			fmt.Sprintf("parent_folder_id = %q", private), "on folder " + private + " or a folder above it"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := ccg + fmt.Sprintf(`
resource "box_sign_request" "test" {
  %s
  signer {
    email = "auth@example.com"
  }
}
`, c.body)
			before := e.apiCalls(t, "GET /2.0/users/me")
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config: cfg,
					ExpectError: inOrder("Box cannot find "+c.kind+" "+c.id, `in resource "box_sign_request" "test":`, c.snippet, "request_id: ",
						"Box answered 404 Not Found for "+c.kind+" "+c.id+" (`"+c.attr+"`), requested as "+sa,
						"404 both for an item that does not exist and for one the user cannot see",
						"collaborate "+sa+" "+c.where, "`as_user_id`"),
				}},
			})
			// Once per provider process: the plan's orphan search and the
			// apply's (issue 21 moved the search into the plan; the apply
			// plans the create again in a process of its own), which the 404
			// diagnostics share.
			if n := e.apiCalls(t, "GET /2.0/users/me") - before; n != 2 {
				t.Errorf("GET /2.0/users/me made %d times, want 2", n)
			}
		})
	}
	// The admin cannot list the service account's requests: count creates.
	if created := e.stats(t)["POST /2.0/sign_requests"].(map[string]any)["201"]; created != nil {
		t.Errorf("%v sign requests created, want none", created)
	}
}

// A wrong client secret with many resources: Box refuses the first token
// request, and the refusal is remembered, so the apply makes one token
// request in all (each one counts towards Box locking the app out).
func TestAccProvider_wrongSecretOneTokenRequest(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	cfg := e.provider(`client_id = "emulator-client-id"`, `client_secret = "wrong-secret"`, `enterprise_id = "1000"`) + fmt.Sprintf(`
resource "box_sign_request" "test" {
  count           = 8
  source_file_ids = [%q]
  signer {
    email = "n${count.index}@example.com"
  }
}
`, e.FileID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: inOrder("Box authentication failed (client credentials grant)", "Grant credentials are invalid", "Check the client ID, client secret"),
		}},
	})
	if n := e.apiCalls(t, "POST /oauth2/token"); n != 1 {
		t.Errorf("%d token requests for 8 resources, want 1", n)
	}
	if n := e.apiCalls(t, ""); n != 1 {
		t.Errorf("%d API calls in all, want only the one token request", n)
	}
}

// An API host that does not resolve fails at once, saying so, instead of
// retrying for half a minute. The DNS failure comes from a dial hook: no
// resolver is asked, and nothing leaves the machine.
func TestAccProvider_unresolvableHostFailsFast(t *testing.T) {
	testAccPreCheck(t)
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
		dials.Add(1)
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}}
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"box": providerserver.NewProtocol6WithError(&boxProvider{version: "test", getenv: func(string) string { return "" }, httpClient: &http.Client{Transport: tr}}),
	}
	start := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: `
provider "box" {
  api_base_url = "https://api.box.invalid"
  access_token = "dev-token"
}

data "box_folder" "root" {
  id = "0"
}
`,
			ExpectError: inOrder(`The host name "api.box.invalid" does not resolve (no such host): check api_base_url`),
		}},
	})
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the failure took %s", d)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("%d dials, want 1 (no retry)", n)
	}
}
