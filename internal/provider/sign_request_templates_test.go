package provider

import (
	"fmt"
	"strings"
	"testing"
)

// templateRequest is a box_sign_request named "test" made from a template.
func (e *testEnv) templateRequest(templateID, body string) string {
	return e.provider() + fmt.Sprintf(`
resource "box_sign_request" "test" {
  template_id = %q
%s
}
`, templateID, body)
}

// signatureMails lists, in order, who the emulator emailed a signature
// request to.
func (e *testEnv) signatureMails(t *testing.T) []string {
	t.Helper()
	_, out := e.call(t, "GET", "/_emulator/emails", "", nil)
	var to []string
	entries, _ := out["entries"].([]any)
	for _, en := range entries {
		if m, _ := en.(map[string]any); m["kind"] == "signature_requested" {
			to = append(to, m["to"].(string))
		}
	}
	return to
}

// The seeded "Contract (locked)" template used exactly as designed (its
// stored signer, no name, no order) applies; the template's order and role
// are read back, and the plan stays empty after the apply.
func TestAccSignRequest_lockedTemplateAsDesigned(t *testing.T) {
	e := newTestEnv(t)
	cfg := e.templateRequest(e.Template[2], `
  signer {
    email = "legal@example.com"
  }
`)
	c, out := e.applyInNewDir(t, cfg)
	mustNotContain(t, out, "Warning", "Error")
	state := c.mustRun("state", "show", res)
	mustContain(t, state, `order = 1`, `role = "signer"`, `name = "Contract (locked).pdf"`)
	mustContain(t, c.mustRun("plan"), "No changes.")
}

// A template whose two roles sign in turn emails only the first signer at
// first: the provider sends no order of its own, so the template's stands.
func TestAccSignRequest_orderedTemplateEmailsFirstOnly(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	tid := e.addTemplate(t, map[string]any{"name": "In turn", "signers": []any{
		map[string]any{"order": 1, "label": "First"}, map[string]any{"order": 2, "label": "Second"},
	}})
	c, _ := e.applyInNewDir(t, e.templateRequest(tid, `
  signer {
    email = "first@example.com"
  }
  signer {
    email = "second@example.com"
  }
`))
	if got := strings.Join(e.signatureMails(t), ","); got != "first@example.com" {
		t.Errorf("signature requests mailed to %q, want only first@example.com", got)
	}
	mustContain(t, c.mustRun("state", "show", res), `order = 1`, `order = 2`)
	mustContain(t, c.mustRun("plan"), "No changes.")
}

// An options-locked template refuses a name at plan time, naming the
// attribute, and a recipient-locked one refuses another order; the plan
// calls no sign request endpoint.
func TestAccSignRequest_lockedTemplateRefusedAtPlan(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	c := newTFCLI(t)
	c.write("main.tf", e.templateRequest(e.Template[2], `
  name = "Another name"
  signer {
    email = "legal@example.com"
    order = 0
  }
`))
	c.mustRun("init")
	out := c.mustFail("plan")
	mustContain(t, out, "The template locks this setting",
		"sets are_options_locked, so a request made from it cannot change name",
		"sets are_recipients_locked, so a request made from it cannot change signer[0].order")
	if n := e.apiCalls(t, "POST /2.0/sign_requests"); n != 0 {
		t.Errorf("the refused plan sent %d sign requests", n)
	}
	// The name with Box's .pdf is the template's own: no change.
	c.write("main.tf", e.templateRequest(e.Template[2], `
  name = "Contract (locked).pdf"
  signer {
    email = "legal@example.com"
  }
`))
	c.mustRun("apply", "-auto-approve")
}

// A role with a stored email uses the template's own password: the request
// needs none. A role without one still does.
func TestAccSignRequest_templateStoredEmailNeedsNoPassword(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	tid := e.addTemplate(t, map[string]any{"name": "Offer", "signers": []any{
		map[string]any{"order": 1, "email": "hr@example.com", "is_password_required": true, "password": "template-pw"},
	}})
	c, out := e.applyInNewDir(t, e.templateRequest(tid, `
  signer {
    email = "hr@example.com"
  }
`))
	mustNotContain(t, out, "Error", "requires a password")
	mustContain(t, c.mustRun("plan"), "No changes.")

	// The seeded NDA template's role has no email: the plan asks for one.
	c.write("main.tf", e.templateRequest(e.Template[0], `
  signer {
    email = "someone@example.com"
  }
`))
	out = c.mustFail("plan")
	mustContain(t, out, "The template requires a password", "signer[0].password")
}

// suppress_notifications without embed_url_external_user_id is refused at
// plan time, naming both; with both, Box emails that signer nothing.
func TestAccSignRequest_suppressionNeedsExternalID(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	c := newTFCLI(t)
	c.write("main.tf", e.truthRequest(`
  signer {
    email                  = "quiet@example.com"
    suppress_notifications = true
  }
`))
	c.mustRun("init")
	out := c.mustFail("plan")
	mustContain(t, out, "Suppressing Box's emails needs an external user ID",
		"signer[0].suppress_notifications is true, but signer[0].embed_url_external_user_id is not set")
	if n := e.apiCalls(t, ""); n != 0 {
		t.Errorf("the refused plan made %d API calls", n)
	}

	c.write("main.tf", e.truthRequest(`
  signer {
    email                      = "quiet@example.com"
    suppress_notifications     = true
    embed_url_external_user_id = "quiet-1"
  }
  signer {
    email = "loud@example.com"
  }
`))
	c.mustRun("apply", "-auto-approve")
	if got := strings.Join(e.signatureMails(t), ","); got != "loud@example.com" {
		t.Errorf("signature requests mailed to %q, want only loud@example.com", got)
	}
}
