package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// addTemplate stands in for a template made in Box's web app.
func (e *testEnv) addTemplate(t *testing.T, body map[string]any) string {
	t.Helper()
	status, out := e.call(t, "POST", "/_emulator/sign_templates", "", body)
	if status != 201 {
		t.Fatalf("adding template %v: HTTP %d %v", body, status, out)
	}
	return out["id"].(string)
}

// Templates by ID and by name, one per page: the seed's three, two that
// share a name, and one listed last.
func TestAccSignTemplateDataSource(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	e.addTemplate(t, map[string]any{"name": "Offer letter"})
	e.addTemplate(t, map[string]any{"name": "Offer letter"})
	last := e.addTemplate(t, map[string]any{
		"name": "Board consent", "source_file_ids": e.FileIDs,
		"signers": []map[string]any{
			{"role": "approver", "order": 1, "email": "cfo@example.com", "label": "CFO"},
			{"role": "signer", "order": 2, "label": "Director", "is_phone_number_required": true},
		},
	})

	const byName, byID, last_ = "data.box_sign_template.by_name", "data.box_sign_template.by_id", "data.box_sign_template.last"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProvidersSmallPages,
		Steps: []resource.TestStep{
			{
				Config: e.provider() + `
data "box_sign_template" "ambiguous" {
  name = "Offer letter"
}
`,
				ExpectError: wrapped(`2 sign templates are named "Offer letter" \(IDs [0-9a-f-]+, [0-9a-f-]+\), so attribute name is ambiguous`),
			},
			{
				Config: e.provider() + `
data "box_sign_template" "missing" {
  name = "offer letter"
}
`,
				ExpectError: wrapped(`None of the 6 sign templates the user can see is named "offer letter"`),
			},
			{
				Config: e.provider() + `
data "box_sign_template" "missing" {
  id = "00000000-0000-0000-0000-000000000000"
}
`,
				ExpectError: wrapped(`Could not read sign template`),
			},
			{
				Config: e.provider() + fmt.Sprintf(`
data "box_sign_template" "by_name" {
  name = "Contract (phone verification)"
}
data "box_sign_template" "by_id" {
  id = %q
}
data "box_sign_template" "last" {
  name = "Board consent"
}
`, e.Template[0]),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(byName, "id", e.Template[1]),
					resource.TestCheckResourceAttr(byName, "email_subject", "Please sign this contract"),
					resource.TestCheckResourceAttr(byName, "parent_folder_id", e.FolderID),
					resource.TestCheckResourceAttr(byName, "source_file_ids.#", "1"),
					resource.TestCheckResourceAttr(byName, "source_file_ids.0", e.FileIDs[0]),
					resource.TestCheckResourceAttr(byName, "signers.#", "1"),
					resource.TestCheckResourceAttr(byName, "signers.0.role", "signer"),
					resource.TestCheckResourceAttr(byName, "signers.0.is_phone_number_required", "true"),
					resource.TestCheckResourceAttr(byName, "signers.0.is_password_required", "false"),
					resource.TestCheckNoResourceAttr(byName, "signers.0.email"),
					resource.TestCheckNoResourceAttr(byName, "days_valid"),
					resource.TestCheckResourceAttr(byName, "are_files_locked", "false"),

					resource.TestCheckResourceAttr(byID, "name", "NDA (password)"),
					resource.TestCheckResourceAttr(byID, "days_valid", "30"),
					resource.TestCheckResourceAttr(byID, "signers.0.is_password_required", "true"),
					resource.TestCheckResourceAttr(byID, "signers.0.order", "1"),
					resource.TestCheckResourceAttr(byID, "signers.0.label", "Signer"),
					resource.TestCheckResourceAttr(byID, "document_tag_ids.#", "3"),
					resource.TestCheckResourceAttr(byID, "document_tag_ids.0", "agree"),
					resource.TestCheckResourceAttr(byID, "document_tag_ids.1", "full_name"),
					resource.TestCheckResourceAttr(byID, "document_tag_ids.2", "start_date"),
					resource.TestCheckResourceAttr(byName, "document_tag_ids.#", "0"),

					resource.TestCheckResourceAttr(last_, "id", last),
					resource.TestCheckResourceAttr(last_, "source_file_ids.#", "2"),
					resource.TestCheckResourceAttr(last_, "signers.#", "2"),
					resource.TestCheckResourceAttr(last_, "signers.0.role", "approver"),
					resource.TestCheckResourceAttr(last_, "signers.0.email", "cfo@example.com"),
					resource.TestCheckResourceAttr(last_, "signers.1.order", "2"),
					resource.TestCheckResourceAttr(last_, "signers.1.is_phone_number_required", "true"),
					e.listedAtLeast(t, "GET /2.0/sign_templates", 6),
				),
			},
		},
	})
}

// All templates, read one page at a time to the end.
func TestAccSignTemplatesDataSource(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	added := e.addTemplate(t, map[string]any{"name": "Offer letter"})
	const all = "data.box_sign_templates.all"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProvidersSmallPages,
		Steps: []resource.TestStep{{
			Config: e.provider() + `
data "box_sign_templates" "all" {}
`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(all, "templates.#", "4"),
				resource.TestCheckResourceAttr(all, "templates.0.id", e.Template[0]),
				resource.TestCheckResourceAttr(all, "templates.0.name", "NDA (password)"),
				resource.TestCheckResourceAttr(all, "templates.0.signers.0.is_password_required", "true"),
				resource.TestCheckResourceAttr(all, "templates.1.id", e.Template[1]),
				resource.TestCheckResourceAttr(all, "templates.2.id", e.Template[2]),
				resource.TestCheckResourceAttr(all, "templates.2.name", "Contract (locked)"),
				resource.TestCheckResourceAttr(all, "templates.2.are_recipients_locked", "true"),
				resource.TestCheckResourceAttr(all, "templates.3.id", added),
				resource.TestCheckResourceAttr(all, "templates.3.name", "Offer letter"),
				e.listedAtLeast(t, "GET /2.0/sign_templates", 4),
			),
		}},
	})
}
