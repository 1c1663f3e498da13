package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// The data source reports what the resource does, without its secrets, and
// follows the signers' progress.
func TestAccSignRequestDataSource(t *testing.T) {
	e := newTestEnv(t)
	const (
		ds       = "data.box_sign_request.test"
		password = "ds-Secret-4410"
		phone    = "+15557770123"
	)
	cfg := e.signRequestConfig(`
  name          = "Contract"
  email_subject = "Please sign"
  external_id   = "crm-7"
  days_valid    = 10
  signer {
    email    = "alice@example.com"
    password = "`+password+`"
  }
  signer {
    email                     = "bob@example.com"
    verification_phone_number = "`+phone+`"
  }
  signer {
    email                      = "carol@example.com"
    embed_url_external_user_id = "carol-1"
    suppress_notifications     = true
    order                      = 2
  }
`) + `
data "box_sign_request" "test" {
  id = box_sign_request.test.id
}
`
	var id string
	same := func(attrs ...string) resource.TestCheckFunc {
		var fs []resource.TestCheckFunc
		for _, a := range attrs {
			fs = append(fs, resource.TestCheckResourceAttrPair(ds, a, res, a))
		}
		return resource.ComposeAggregateTestCheckFunc(fs...)
	}
	// noLinks checks that the embed URL Box has for the signer is nowhere
	// in the data source.
	noLinks := func(s *terraform.State) error {
		id, err := attrOf(s, res, "id")
		if err != nil {
			return fmt.Errorf("reading the resource's ID: %w", err)
		}
		link, _ := e.signingLinks(t, id, "carol@example.com")
		return attrsHaveNo(ds, link, password, phone)(s)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: e.provider() + `
data "box_sign_request" "missing" {
  id = "00000000-0000-0000-0000-000000000000"
}
`,
				ExpectError: wrapped(`Could not read sign request 00000000-0000-0000-0000-000000000000`),
			},
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(&id),
					same("id", "status", "short_id", "parent_folder_id", "source_file_ids.#", "source_file_ids.0",
						"sign_file_ids.#", "sign_file_ids.0", "sender_email", "created_at", "auto_expire_at",
						"email_subject", "external_id", "days_valid", "are_reminders_enabled",
						"are_text_signatures_enabled", "is_document_preparation_needed", "is_ready_for_download",
						"signing_log_file_id", "signer.#"),
					same("signer.0.email", "signer.0.role", "signer.0.order", "signer.0.has_viewed_document",
						"signer.1.email", "signer.2.email", "signer.2.order", "signer.2.embed_url_external_user_id",
						"signer.2.suppress_notifications"),
					resource.TestCheckResourceAttr(ds, "status", "sent"),
					// Named after its de-duplicated copy (issue 21).
					resource.TestCheckResourceAttr(ds, "name", "Contract (1).pdf"),
					resource.TestCheckResourceAttr(ds, "signer.#", "3"),
					resource.TestCheckResourceAttr(ds, "signer.0.has_verification_phone_number", "false"),
					resource.TestCheckResourceAttr(ds, "signer.1.has_verification_phone_number", "true"),
					resource.TestCheckNoResourceAttr(ds, "signer.0.password"),
					resource.TestCheckNoResourceAttr(ds, "signer.1.verification_phone_number"),
					resource.TestCheckNoResourceAttr(ds, "signer.2.embed_url"),
					resource.TestCheckNoResourceAttr(ds, "signer.2.iframeable_embed_url"),
					noLinks,
				),
			},
			{
				PreConfig: func() {
					e.requireEmulator(t)
					s, c := e.signer(t, id, "bob@example.com", "open", nil)
					expect(t, "bob opens", s, c, 200, "")
					s, c = e.signer(t, id, "alice@example.com", "decline", map[string]any{"reason": "wrong terms"})
					expect(t, "alice declines", s, c, 200, "")
				},
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(ds, "status", "declined"),
					resource.TestCheckResourceAttrSet(ds, "finished_at"),
					resource.TestCheckResourceAttr(ds, "signer.0.decision", "declined"),
					resource.TestCheckResourceAttrSet(ds, "signer.0.decided_at"),
					resource.TestCheckResourceAttr(ds, "signer.1.has_viewed_document", "true"),
					resource.TestCheckNoResourceAttr(ds, "signer.1.decision"),
				),
			},
		},
	})
}
