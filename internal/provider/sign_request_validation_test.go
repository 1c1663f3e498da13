package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Every invalid configuration fails at plan time, names the attribute, and
// reaches no API: the emulator counts zero calls afterwards.
func TestAccSignRequest_validation(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	signer := "signer {\n email = \"a@example.com\"\n}\n"
	manySigners := strings.Repeat(signer, 36)
	cases := []struct {
		name, body, want string
	}{
		{"no signer", `source_file_ids = ["1"]`, `signer`},
		{"too many signers", `source_file_ids = ["1"]` + "\n" + manySigners, `signer`},
		{"no documents", signer, `source_file_ids`},
		{"empty source files", `source_file_ids = []` + "\n" + signer, `source_file_ids`},
		{"too many files", `source_file_ids = ["1","2","3","4","5","6","7","8","9","10","11"]` + "\n" + signer, `source_file_ids`},
		{"non-numeric file id", `source_file_ids = ["abc"]` + "\n" + signer, `source_file_ids`},
		{"root parent folder", `source_file_ids = ["1"]` + "\n" + `parent_folder_id = "0"` + "\n" + signer, `parent_folder_id`},
		{"days_valid too high", `source_file_ids = ["1"]` + "\n" + `days_valid = 731` + "\n" + signer, `days_valid`},
		{"days_valid negative", `source_file_ids = ["1"]` + "\n" + `days_valid = -1` + "\n" + signer, `days_valid`},
		{"bad signature color", `source_file_ids = ["1"]` + "\n" + `signature_color = "green"` + "\n" + signer, `signature_color`},
		{"bad redirect url", `source_file_ids = ["1"]` + "\n" + `redirect_url = "example.com"` + "\n" + signer, `redirect_url`},
		{"empty name", `source_file_ids = ["1"]` + "\n" + `name = ""` + "\n" + signer, `name`},
		{"bad email", `source_file_ids = ["1"]` + "\n" + `signer { email = "not-an-email" }`, `signer\[0\]\.email`},
		{"bad role", `source_file_ids = ["1"]` + "\n" + `signer {
  email = "a@example.com"
  role  = "witness"
}`, `signer\[0\]\.role`},
		{"negative order", `source_file_ids = ["1"]` + "\n" + `signer {
  email = "a@example.com"
  order = -1
}`, `signer\[0\]\.order`},
		{"phone not E.164", `source_file_ids = ["1"]` + "\n" + `signer {
  email                     = "a@example.com"
  verification_phone_number = "555-1234"
}`, `signer\[0\]\.verification_phone_number`},
		{"phone with login_required", `source_file_ids = ["1"]` + "\n" + `signer {
  email                     = "a@example.com"
  login_required            = true
  verification_phone_number = "+15551232190"
}`, `signer\[0\]\.login_required`},
		{"password and password_wo", `source_file_ids = ["1"]` + "\n" + `signer {
  email               = "a@example.com"
  password            = "one"
  password_wo         = "two"
  password_wo_version = 1
}`, `signer\[0\]\.password`},
		{"password_wo without version", `source_file_ids = ["1"]` + "\n" + `signer {
  email       = "a@example.com"
  password_wo = "two"
}`, `signer\[0\]\.password_wo`},
		{"empty password", `source_file_ids = ["1"]` + "\n" + `signer {
  email    = "a@example.com"
  password = ""
}`, `signer\[0\]\.password`},
		{"bad language", `source_file_ids = ["1"]` + "\n" + `signer {
  email    = "a@example.com"
  language = "english"
}`, `signer\[0\]\.language`},
		{"two prefill values", `source_file_ids = ["1"]` + "\n" + signer + `prefill_tag {
  document_tag_id = "t"
  text_value      = "x"
  checkbox_value  = true
}`, `prefill_tag\[0\]`},
		{"no prefill value", `source_file_ids = ["1"]` + "\n" + signer + `prefill_tag {
  document_tag_id = "t"
}`, `prefill_tag\[0\]`},
		{"bad prefill date", `source_file_ids = ["1"]` + "\n" + signer + `prefill_tag {
  document_tag_id = "t"
  date_value      = "31/01/2035"
}`, `prefill_tag\[0\]\.date_value`},
		{"wrong type", `source_file_ids = ["1"]` + "\n" + `days_valid = "soon"` + "\n" + signer, `days_valid`},
	}
	// Each case is its own subtest, so that one can be run alone; the API
	// call count is checked once all have run.
	t.Parallel()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:      e.provider() + fmt.Sprintf("resource \"box_sign_request\" \"test\" {\n%s\n}\n", c.body),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)` + c.want),
				}},
			})
		})
	}
	if n := e.apiCalls(t, ""); n != 0 {
		t.Errorf("invalid configurations reached the API %d times", n)
	}
}
