package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// planFails plans config and expects an error matching want, which may
// span lines.
func planFails(t *testing.T, config, want string) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      config,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + want),
		}},
	})
}

// Every invalid configuration fails at plan time, names the attribute, and
// reaches no API: the emulator counts zero calls afterwards.
func TestAccSignRequest_validation(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	signer := "signer {\n email = \"a@example.com\"\n}\n"
	const oneFile = `source_file_ids = ["1"]` + "\n"
	// signerWith is a signer a@example.com with more attributes.
	signerWith := func(attrs ...string) string {
		return "signer {\n  email = \"a@example.com\"\n  " + strings.Join(attrs, "\n  ") + "\n}"
	}
	// prefillWith is a prefill tag "t" with more attributes.
	prefillWith := func(attrs ...string) string {
		return "prefill_tag {\n  document_tag_id = \"t\"\n  " + strings.Join(attrs, "\n  ") + "\n}"
	}
	manySigners := strings.Repeat(signer, 36)
	cases := []struct {
		name, body, want string
	}{
		{"no signer", `source_file_ids = ["1"]`, `signer`},
		{"too many signers", oneFile + manySigners, `signer`},
		{"no documents", signer, `source_file_ids`},
		{"empty source files", `source_file_ids = []` + "\n" + signer, `source_file_ids`},
		{"too many files", `source_file_ids = ["1","2","3","4","5","6","7","8","9","10","11"]` + "\n" + signer, `source_file_ids`},
		{"non-numeric file id", `source_file_ids = ["abc"]` + "\n" + signer, `source_file_ids`},
		{"root parent folder", oneFile + `parent_folder_id = "0"` + "\n" + signer, `parent_folder_id`},
		{"days_valid too high", oneFile + `days_valid = 731` + "\n" + signer, `days_valid`},
		{"days_valid negative", oneFile + `days_valid = -1` + "\n" + signer, `days_valid`},
		{"bad signature color", oneFile + `signature_color = "green"` + "\n" + signer, `signature_color`},
		{"bad redirect url", oneFile + `redirect_url = "example.com"` + "\n" + signer, `redirect_url`},
		{"empty name", oneFile + `name = ""` + "\n" + signer, `name`},
		{"bad email", oneFile + `signer { email = "not-an-email" }`, `signer\[0\]\.email`},
		{"bad role", oneFile + signerWith(`role = "witness"`), `signer\[0\]\.role`},
		{"negative order", oneFile + signerWith(`order = -1`), `signer\[0\]\.order`},
		{"phone not E.164", oneFile + signerWith(`verification_phone_number = "555-1234"`), `signer\[0\]\.verification_phone_number`},
		{"phone with login_required", oneFile + signerWith(`login_required = true`, `verification_phone_number = "+15551232190"`), `signer\[0\]\.login_required`},
		{"password and password_wo", oneFile + signerWith(`password = "one"`, `password_wo = "two"`, `password_wo_version = 1`), `signer\[0\]\.password`},
		{"password_wo without version", oneFile + signerWith(`password_wo = "two"`), `signer\[0\]\.password_wo`},
		{"empty password", oneFile + signerWith(`password = ""`), `signer\[0\]\.password`},
		{"bad language", oneFile + signerWith(`language = "english"`), `signer\[0\]\.language`},
		{"two prefill values", oneFile + signer + prefillWith(`text_value = "x"`, `checkbox_value = true`), `prefill_tag\[0\]`},
		{"no prefill value", oneFile + signer + prefillWith(), `prefill_tag\[0\]`},
		{"bad prefill date", oneFile + signer + prefillWith(`date_value = "31/01/2035"`), `prefill_tag\[0\]\.date_value`},
		{"wrong type", oneFile + `days_valid = "soon"` + "\n" + signer, `days_valid`},
		// Issue 12's plan-time checks.
		{"duplicate email without case", oneFile + signer + `signer { email = "A@Example.COM" }`, `(?i)signer\[1\]\.email\s+repeats\s+the\s+email\s+of\s+signer\[0\]\.email`},
		{"password on final copy reader", oneFile + signerWith(`role = "final_copy_reader"`, `password = "secret-1"`), `signer\[0\]\.password\s+is\s+set,\s+but\s+signer\[0\]\s+has\s+role\s+"final_copy_reader"`},
		{"phone on final copy reader", oneFile + signerWith(`role = "final_copy_reader"`, `verification_phone_number = "+15551232190"`), `signer\[0\]\.verification_phone_number\s+is\s+set`},
		{"login on final copy reader", oneFile + signerWith(`role = "final_copy_reader"`, `login_required = true`), `signer\[0\]\.login_required\s+is\s+set`},
		{"phone to view without a phone", oneFile + `is_phone_verification_required_to_view = true` + "\n" + signer, `is_phone_verification_required_to_view\s+is\s+true,\s+but\s+no\s+signer\s+has\s+a\s+verification_phone_number`},
		{"files and template", oneFile + `template_id = "t"` + "\n" + signer, `source_file_ids.*template_id`},
	}
	// Each case is its own subtest, so that one can be run alone; the API
	// call count is checked once all have run.
	t.Parallel()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			planFails(t, e.provider()+fmt.Sprintf("resource \"box_sign_request\" \"test\" {\n%s\n}\n", c.body), c.want)
		})
	}
	if n := e.apiCalls(t, ""); n != 0 {
		t.Errorf("invalid configurations reached the API %d times", n)
	}
}

// With a known template_id, the plan reads the template once and fails on
// what Box would refuse at apply, naming the attribute: a role's required
// password or phone, a locked setting, a prefill tag the template lacks.
// Nothing is sent: the template reads are the only API calls.
func TestAccSignRequest_templateChecks(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	const signer = "signer {\n  email = \"a@example.com\"\n}\n"
	pass := "signer {\n  email    = \"a@example.com\"\n  password = \"pw-12345\"\n}\n"
	locked := "signer {\n  email = \"legal@example.com\"\n}\n"
	cases := []struct {
		name, template, body, want string
	}{
		{"password the role requires", e.Template[0], signer, `requires\s+a\s+password\s+for\s+its\s+role\s+"Signer",\s+which\s+is\s+signer\[0\].*Set\s+signer\[0\]\.password`},
		{"phone the role requires", e.Template[1], signer, `requires\s+a\s+verification\s+phone\s+number.*Set\s+signer\[0\]\.verification_phone_number`},
		{"unknown prefill tag", e.Template[0], pass + "prefill_tag {\n  document_tag_id = \"nope\"\n  text_value = \"x\"\n}\n",
			`prefill_tag\[0\]\.document_tag_id\s+is\s+"nope".*its\s+tag\s+IDs\s+are\s+agree,\s+full_name,\s+start_date`},
		{"locked email subject", e.Template[2], locked + "email_subject = \"Mine\"\n", `are_email_settings_locked.*cannot\s+change\s+email_subject`},
		{"locked options", e.Template[2], locked + "days_valid = 5\n", `are_options_locked.*cannot\s+change\s+days_valid`},
		{"locked recipients", e.Template[2], signer, `are_recipients_locked.*cannot\s+change\s+signer\[0\]\.email`},
		{"locked fields", e.Template[2], locked + "prefill_tag {\n  document_tag_id = \"x\"\n  text_value = \"y\"\n}\n", `are_fields_locked.*cannot\s+change\s+prefill_tag`},
	}
	t.Parallel()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			planFails(t, e.provider()+fmt.Sprintf("resource \"box_sign_request\" \"test\" {\n  template_id = %q\n%s}\n", c.template, c.body), c.want)
		})
	}
	reads := e.apiCalls(t, "GET /2.0/sign_templates/{id}")
	if all := e.apiCalls(t, ""); reads == 0 || all != reads {
		t.Errorf("the checks made %d API calls, %d of them template reads: want template reads only", all, reads)
	}
}
