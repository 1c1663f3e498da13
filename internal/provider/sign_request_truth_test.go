package provider

import (
	"fmt"
	"regexp"
	"testing"
)

// truthRequest is a box_sign_request over the seed's first file with the
// given body, in a working directory of its own.
func (e *testEnv) truthRequest(body string) string {
	return requiredProviders + e.provider() + fmt.Sprintf(`
resource "box_sign_request" "test" {
  source_file_ids  = [%q]
  parent_folder_id = %q
%s
}
`, e.FileID, e.FolderID, body)
}

// stateID is the sign request's ID in the working directory's state.
func (c *tfCLI) stateID(t *testing.T) string {
	t.Helper()
	out := c.run(t, false, "state", "show", res)
	m := regexp.MustCompile(`(?m)^\s+id\s+=\s+"([^"]+)"`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no id in state:\n%s", out)
	}
	return m[1]
}

// A plain create plans quietly; replacing a signed request warns before
// anyone is emailed, naming who signed and everyone a new request goes to.
func TestAccSignRequest_replacementWarningSigned(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	c := newTFCLI(t)
	signers := `
  signer {
    email = "alice@example.com"
  }
  signer {
    email = "bob@example.com"
  }
`
	c.write(t, "main.tf", e.truthRequest(`  name = "Contract"`+signers))
	c.run(t, false, "init")
	out := c.run(t, false, "apply", "-auto-approve")
	mustNotContain(t, out, "Warning")
	id := c.stateID(t)
	for _, who := range []string{"alice@example.com", "bob@example.com"} {
		for _, action := range []string{"open", "sign"} {
			if s, code := e.signer(t, id, who, action, nil); s != 200 {
				t.Fatalf("%s: %s: %d %s", who, action, s, code)
			}
		}
	}

	c.write(t, "main.tf", e.truthRequest(`  name = "Contract v2"`+signers))
	out = c.run(t, false, "plan")
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
	e.requireEmulator(t)
	c := newTFCLI(t)
	c.write(t, "main.tf", e.truthRequest(`
  days_valid = 10
  signer {
    email = "carol@example.com"
  }
`))
	c.run(t, false, "init")
	c.run(t, false, "apply", "-auto-approve")
	id := c.stateID(t)

	c.write(t, "main.tf", e.truthRequest(`
  days_valid = 10
  signer {
    email = "carol@example.com"
  }
  signer {
    email                  = "dan@example.com"
    suppress_notifications = true
  }
`))
	out := c.run(t, false, "plan")
	mustContain(t, out, "(\"Contract.pdf\", status sent)",
		"Replacing it cancels it and sends a new request to carol@example.com and dan@example.com (no email: suppress_notifications).")

	if s, _ := e.call(t, "POST", "/_emulator/sign_requests/"+id+"/expire", "", nil); s >= 300 {
		t.Fatalf("expire: HTTP %d", s)
	}
	out = c.run(t, false, "plan")
	mustContain(t, out, "status expired) will be replaced", "The request expired on 20",
		"the old request and its signing log stay in Box.")
	mustNotContain(t, out, "cancels it", "signed copy")
}
