package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// truthRequest is a box_sign_request over the seed's first file with the
// given body, in a working directory of its own.
func (e *testEnv) truthRequest(body string) string {
	return e.provider() + fmt.Sprintf(`
resource "box_sign_request" "test" {
  source_file_ids  = [%q]
  parent_folder_id = %q
%s
}
`, e.FileID, e.FolderID, body)
}

// applyInNewDir applies config in a new working directory and returns it
// with the apply's output.
func (e *testEnv) applyInNewDir(t *testing.T, config string) (*tfCLI, string) {
	t.Helper()
	e.requireEmulator(t)
	c := newTFCLI(t)
	c.write("main.tf", config)
	c.mustRun("init")
	return c, c.mustRun("apply", "-auto-approve")
}

// applyTruthRequest applies truthRequest(body) in a new working directory
// and returns it, the request's ID and the apply's output.
func (e *testEnv) applyTruthRequest(t *testing.T, body string) (c *tfCLI, id, out string) {
	t.Helper()
	c, out = e.applyInNewDir(t, e.truthRequest(body))
	return c, c.stateID(), out
}

// stateID is the sign request's ID in the working directory's state.
func (c *tfCLI) stateID() string {
	c.t.Helper()
	return c.stateIDOf(res)
}

// stateIDOf is the ID the working directory's state holds for address.
func (c *tfCLI) stateIDOf(address string) string {
	c.t.Helper()
	out := c.mustRun("state", "show", address)
	m := regexp.MustCompile(`(?m)^\s+id\s+=\s+"([^"]+)"`).FindStringSubmatch(out)
	if m == nil {
		c.t.Fatalf("no id in state:\n%s", out)
	}
	return m[1]
}

// A plain create plans quietly; replacing a signed request warns before
// anyone is emailed, naming who signed and everyone a new request goes to.
func TestAccSignRequest_replacementWarningSigned(t *testing.T) {
	e := newTestEnv(t)
	signers := `
  signer {
    email = "alice@example.com"
  }
  signer {
    email = "bob@example.com"
  }
`
	c, id, out := e.applyTruthRequest(t, `  name = "Contract"`+signers)
	mustNotContain(t, out, "Warning")
	for _, who := range []string{"alice@example.com", "bob@example.com"} {
		for _, action := range []string{"open", "sign"} {
			if s, code := e.signer(t, id, who, action, nil); s != 200 {
				t.Fatalf("%s: %s: %d %s", who, action, s, code)
			}
		}
	}

	c.write("main.tf", e.truthRequest(`  name = "Contract v2"`+signers))
	out = c.mustRun("plan")
	mustContain(t, out,
		"Warning: Replacing this sign request emails the signers again",
		"Sign request "+id+` ("Contract", status signed) will be replaced`,
		"alice@example.com signed on ", "bob@example.com signed on ",
		"replacing it sends a new request to alice@example.com and bob@example.com; the signed copy stays in Box.",
		"lifecycle { prevent_destroy = true }")
	mustNotContain(t, out, "cancels it")
}

// Replacing a pending request warns too, and says it is cancelled; an
// expired one says when it expired.
func TestAccSignRequest_replacementWarningExpired(t *testing.T) {
	e := newTestEnv(t)
	c, id, _ := e.applyTruthRequest(t, `
  days_valid = 10
  signer {
    email = "carol@example.com"
  }
`)

	c.write("main.tf", e.truthRequest(`
  days_valid = 10
  signer {
    email = "carol@example.com"
  }
  signer {
    email                      = "dan@example.com"
    suppress_notifications     = true
    embed_url_external_user_id = "dan-1"
  }
`))
	out := c.mustRun("plan")
	// The source's own folder holds Contract.pdf, so Box names the request
	// after its copy, Contract (1).pdf (issue 21: the emulator now does).
	mustContain(t, out, "(\"Contract (1).pdf\", status sent)",
		"Replacing it cancels it and sends a new request to carol@example.com and dan@example.com (no email: suppress_notifications with embed_url_external_user_id).")

	e.expire(t, id)
	out = c.mustRun("plan")
	mustContain(t, out, "status expired) will be replaced", "The request expired on 20",
		"the old request and its signing log stay in Box.")
	mustNotContain(t, out, "cancels it", "signed copy")
}

// A refresh that finds a request declined says so, with who declined and
// why; destroying it then says it was declined, with no word of signed
// files.
func TestAccSignRequest_statusChangeWarning(t *testing.T) {
	e := newTestEnv(t)
	c, id, _ := e.applyTruthRequest(t, `
  name = "Offer"
  signer {
    email = "erin@example.com"
  }
`)
	if s, code := e.signer(t, id, "erin@example.com", "open", nil); s != 200 {
		t.Fatalf("open: %d %s", s, code)
	}
	if s, code := e.signer(t, id, "erin@example.com", "decline", map[string]any{"reason": "Wrong salary"}); s != 200 {
		t.Fatalf("decline: %d %s", s, code)
	}
	out := c.mustRun("plan")
	mustContain(t, out, "Warning: Sign request declined",
		"Sign request "+id+` ("Offer.pdf") was sent and is now declined.`,
		`erin@example.com declined on 20`, `(reason: "Wrong salary")`, "No changes.")
	// A plan saves no state, so the apply's refresh finds the change again
	// and saves it; from then on the refresh is quiet.
	out = c.mustRun("apply", "-auto-approve")
	mustContain(t, out, "Warning: Sign request declined")
	out = c.mustRun("plan")
	mustNotContain(t, out, "Warning")

	out = c.mustRun("destroy", "-auto-approve")
	mustContain(t, out, "Warning: Sign request not cancelled",
		"Sign request "+id+" was declined, so there is nothing to cancel. It was removed from the Terraform state; the request and its signing log stay in Box.")
	mustNotContain(t, out, "signed files")
}

// Expiry and a cancel outside Terraform are reported by the refresh that
// finds them, with how to send an expired request again.
func TestAccSignRequest_statusChangeExpiredAndCancelled(t *testing.T) {
	e := newTestEnv(t)
	c, id, _ := e.applyTruthRequest(t, `
  days_valid = 5
  signer {
    email = "frank@example.com"
  }
`)
	e.expire(t, id)
	out := c.mustRun("apply", "-auto-approve")
	mustContain(t, out, "Warning: Sign request expired", "was sent and is now expired.", "terraform apply -replace=")

	c.mustRun("apply", "-auto-approve", "-replace="+res)
	id = c.stateID()
	if s, _ := e.call(t, "POST", "/2.0/sign_requests/"+id+"/cancel", "dev-token", nil); s != 200 {
		t.Fatalf("cancel in Box: HTTP %d", s)
	}
	out = c.mustRun("plan")
	mustContain(t, out, "Warning: Sign request cancelled", "was sent and is now cancelled. It was cancelled outside Terraform")
	out = c.mustRun("destroy", "-auto-approve")
	mustContain(t, out, "Sign request "+id+" was already cancelled.")
	mustNotContain(t, out, "signed files")
}

// twoRequests is two box_sign_requests (box_sign_request.test[0] and [1])
// under the given provider block.
func (e *testEnv) twoRequests(provider string) string {
	return provider + fmt.Sprintf(`
resource "box_sign_request" "test" {
  count            = 2
  source_file_ids  = [%q]
  parent_folder_id = %q
  signer {
    email = "g${count.index}@example.com"
  }
}
`, e.FileID, e.FolderID)
}

// Other credentials get a 404 for requests they cannot see: the refresh
// fails, naming the sender, the authenticated user and the fixes, and
// nothing leaves the state; one GET /users/me serves both requests.
func TestAccSignRequest_notFoundOtherCredentials(t *testing.T) {
	e := newTestEnv(t)
	c, _ := e.applyInNewDir(t, e.twoRequests(e.provider()))
	before := e.apiCalls(t, "GET /2.0/users/me")

	// The same developer token acting as another user of the enterprise,
	// as a new as_user_id in CI would.
	c.write("main.tf", e.twoRequests(e.provider(`access_token = "dev-token"`, `as_user_id = "11446499"`)))
	out := c.mustFail("plan")
	mustContain(t, out, "Error: Sign request not visible to these credentials",
		"It was sent by "+e.Admin+", but the provider is authenticated as user@example.com (user 11446499)",
		"set the provider's `as_user_id` to the sender's user ID", "authenticate with the sender's credentials", "`terraform state rm`")
	mustNotContain(t, out, "Plan:")
	for _, sr := range e.signRequests(t) {
		mustContain(t, out, fmt.Sprintf("Box answers 404 for sign request %s.", sr["id"]))
	}
	if n := e.apiCalls(t, "GET /2.0/users/me") - before; n != 1 {
		t.Errorf("GET /users/me was called %d times for two requests in one plan, want 1", n)
	}

	// Back on the sender's credentials, nothing was lost.
	c.write("main.tf", e.twoRequests(e.provider()))
	out = c.mustRun("plan")
	mustContain(t, out, "No changes.")
}

// A request the sender's own credentials get a 404 for stays in the state,
// marked not_found, with a warning; the plan sends nothing (issue 23: it
// used to leave the state and plan to send both requests again).
func TestAccSignRequest_notFoundSameUserWarns(t *testing.T) {
	e := newTestEnv(t)
	c, _ := e.applyInNewDir(t, e.twoRequests(e.provider()))
	// The apply asked once, for its orphan search; the plans below must ask
	// only on the 404 path.
	applied := e.apiCalls(t, "GET /2.0/users/me")
	out := c.mustRun("plan")
	mustContain(t, out, "No changes.")
	if n := e.apiCalls(t, "GET /2.0/users/me") - applied; n != 0 {
		t.Errorf("GET /users/me was called %d times without a 404", n)
	}
	for _, sr := range e.signRequests(t) {
		files, _ := sr["sign_files"].(map[string]any)["files"].([]any)
		for _, f := range files {
			id, _ := f.(map[string]any)["id"].(string)
			if s, _ := e.call(t, "DELETE", "/2.0/files/"+id, "dev-token", nil); s != 204 {
				t.Fatalf("deleting sign file %s: HTTP %d", id, s)
			}
		}
	}
	out = c.mustRun("plan")
	mustContain(t, out, "Warning: Sign request no longer in Box",
		"sent by "+e.Admin+", the authenticated user",
		`The state keeps it with status = "not_found" and Terraform sends nothing for it`,
		"No changes.")
	mustNotContain(t, out, "to add")
	if n := e.apiCalls(t, "GET /2.0/users/me") - applied; n != 1 {
		t.Errorf("GET /users/me was called %d times for two 404s in one plan, want 1", n)
	}
}

// The folder trap, through two applies: the folder holding a request's
// signed copies goes to the trash. Neither apply sends anything; each says
// how to send the request again on purpose or forget it, and the state
// keeps the request marked not_found. A state that records no sender
// fails instead of guessing.
func TestAccSignRequest_trashedFolderSendsNothing(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	folder := e.mkdir(t, "0", "Signed copies")
	cfg := e.provider() + fmt.Sprintf(`
resource "box_sign_request" "test" {
  source_file_ids  = [%q]
  parent_folder_id = %q
  signer {
    email = "alice@example.com"
  }
}
`, e.FileID, folder)
	c, _ := e.applyInNewDir(t, cfg)
	id := c.stateID()
	if s, _ := e.call(t, "DELETE", "/2.0/folders/"+folder+"?recursive=true", "dev-token", nil); s != 204 {
		t.Fatalf("trashing folder %s: HTTP %d", folder, s)
	}
	sent := e.apiCalls(t, "POST /2.0/sign_requests")
	for range 2 {
		out := c.mustRun("apply", "-auto-approve")
		mustContain(t, out, "Warning: Sign request no longer in Box",
			fmt.Sprintf("Box answers 404 for sign request %s", id),
			"(folder "+folder+") were deleted or trashed",
			"To send it again on purpose, emailing its signers, run `terraform apply -replace=` with this resource's address.",
			"To forget it, run `terraform state rm` with its address",
			"Resources: 0 added, 0 changed, 0 destroyed.")
		if n := e.apiCalls(t, "POST /2.0/sign_requests") - sent; n != 0 {
			t.Fatalf("the apply after the folder was trashed sent %d sign requests", n)
		}
	}
	mustContain(t, c.mustRun("state", "show", res), `status = "not_found"`)
	if got := e.signatureMails(t); len(got) != 1 {
		t.Errorf("signature requests mailed: %v, want the first apply's one", got)
	}

	// Without a sender in the state, the refresh cannot tell a trashed
	// folder from other credentials: it fails, and still sends nothing.
	c.write("terraform.tfstate", strings.Replace(c.read("terraform.tfstate"), `"sender_email": "`+e.Admin+`"`, `"sender_email": null`, 1))
	out := c.mustFail("plan")
	mustContain(t, out, "Error: Sign request not found, and the state records no sender",
		"`terraform apply -replace=`", "`terraform state rm`")
}

// Box compares emails without case, and so does the plan: a change of
// case alone shows no diff and emails nobody.
func TestAccSignRequest_emailCaseChangeIsNoChange(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	cfg := func(email string) string {
		return e.signRequestConfig(`
  signer {
    email = "` + email + `"
  }
  signer {
    email = "other@example.com"
  }
`)
	}
	var emails int
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg("Alice@Example.com"),
				Check: func(*terraform.State) error {
					emails = e.emailCount(t)
					return nil
				},
			},
			{
				Config:           cfg("alice@example.COM"),
				ConfigPlanChecks: noChange,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "signer.0.email", "Alice@Example.com"),
					func(*terraform.State) error {
						if n := e.emailCount(t); n != emails {
							return fmt.Errorf("%d emails sent after a case change, want none", n-emails)
						}
						return nil
					},
				),
			},
			{
				// Another address still replaces the request.
				Config: cfg("alicia@example.com"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
		},
	})
}

// emailCount is how many emails the emulator has sent to signers.
func (e *testEnv) emailCount(t *testing.T) int {
	t.Helper()
	_, out := e.call(t, "GET", "/_emulator/emails", "", nil)
	entries, _ := out["entries"].([]any)
	return len(entries)
}

// createInBox sends a sign request straight to the API, as the web app
// or another tool would, and returns its ID.
func (e *testEnv) createInBox(t *testing.T, body map[string]any) string {
	t.Helper()
	s, out := e.call(t, "POST", "/2.0/sign_requests", "dev-token", body)
	id, _ := out["id"].(string)
	if s != 201 || id == "" {
		t.Fatalf("creating a sign request: HTTP %d %v", s, out)
	}
	return id
}

// Import with generated configuration: the generated file leaves the
// sensitive phone null, and the plan fails naming the attribute to fill
// in rather than replace the request; a template request's generated
// configuration passes the plan-time checks as it is. Filled in, the plan
// imports both and sends nothing.
func TestAccSignRequest_importGeneratedConfig(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	phoneID := e.createInBox(t, map[string]any{
		"source_files":  []any{map[string]any{"type": "file", "id": e.FileID}},
		"parent_folder": map[string]any{"type": "folder", "id": e.FolderID},
		"signers":       []any{map[string]any{"email": "hank@example.com", "verification_phone_number": "+15551239876"}},
	})
	tplID := e.createInBox(t, map[string]any{
		"template_id":   e.Template[0],
		"parent_folder": map[string]any{"type": "folder", "id": e.FolderID},
		"signers":       []any{map[string]any{"email": "ivy@example.com", "password": "ivy-pass-1"}},
		"prefill_tags":  []any{map[string]any{"document_tag_id": "full_name", "text_value": "Ivy Example"}},
	})
	emails := e.emailCount(t)
	c := newTFCLI(t)
	c.write("main.tf", e.provider()+fmt.Sprintf(`
import {
  to = box_sign_request.phone
  id = %q
}

import {
  to = box_sign_request.tpl
  id = %q
}
`, phoneID, tplID))
	c.mustRun("init")
	out := c.mustFail("plan", "-generate-config-out=generated.tf")
	mustContain(t, out, "Error: Fill in the imported verification phone number",
		"Sign request "+phoneID+" was imported, and Box has a verification phone number for signer[0].email (hank@example.com).",
		"Set signer[0].verification_phone_number to the signer's number")
	mustNotContain(t, out, "forces replacement")
	if n := strings.Count(out, "Error:"); n != 1 {
		t.Errorf("%d errors, want only the phone's: the template request's generated configuration must pass the checks", n)
	}
	generated := c.read("generated.tf")
	nullPhone := regexp.MustCompile(`verification_phone_number\s+= null # sensitive`)
	if !nullPhone.MatchString(generated) {
		t.Fatalf("the generated configuration does not leave the phone null:\n%s", generated)
	}
	// The template request's source_file_ids is null (Terraform 1.11
	// writes `= null`, 1.15 leaves the line out): only template_id names
	// its documents. The request made from files keeps its file.
	fileIDs := regexp.MustCompile(`source_file_ids\s+= (.*)`)
	for name, want := range map[string]string{"phone": fmt.Sprintf("[%q]", e.FileID), "tpl": "null"} {
		at := strings.Index(generated, `resource "box_sign_request" "`+name+`"`)
		if at < 0 {
			t.Fatalf("no box_sign_request.%s in:\n%s", name, generated)
		}
		block, _, _ := strings.Cut(generated[at+1:], `resource "`)
		for _, m := range fileIDs.FindAllStringSubmatch(block, -1) {
			if m[1] != want {
				t.Errorf("box_sign_request.%s: source_file_ids = %s, want %s:\n%s", name, m[1], want, generated)
			}
		}
		if name == "phone" && !fileIDs.MatchString(block) {
			t.Errorf("box_sign_request.phone has no source_file_ids:\n%s", generated)
		}
	}

	// Fill in the phone of the request made from files, as the error asks.
	at := strings.Index(generated, `resource "box_sign_request" "phone"`)
	loc := nullPhone.FindStringIndex(generated[at:])
	if at < 0 || loc == nil {
		t.Fatalf("no phone request with a null phone in:\n%s", generated)
	}
	generated = generated[:at+loc[0]] + `verification_phone_number = "+15551239876"` + generated[at+loc[1]:]
	c.write("generated.tf", generated)
	out = c.mustRun("plan")
	mustContain(t, out, "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.")
	c.mustRun("apply", "-auto-approve")
	out = c.mustRun("plan")
	mustContain(t, out, "No changes.")
	if n := e.emailCount(t); n != emails {
		t.Errorf("importing sent %d emails", n-emails)
	}
	if n := e.apiCalls(t, "POST /2.0/sign_requests"); n != 2 {
		t.Errorf("%d sign requests created, want only the test's 2", n)
	}
}
