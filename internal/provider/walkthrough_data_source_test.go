package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// The walkthrough in one configuration: find a folder by path, a
// file by name and a template by name, send requests from them, remind the
// signers with resend_version, and hand a signing link to a consumer
// through the ephemeral resource.
func TestAccWalkthrough_findSendRemindLink(t *testing.T) {
	clock := &offsetClock{}
	e := newTestEnv(t, func(o *emulator.Options) { o.Now = clock.Now })
	e.requireEmulator(t)
	legal := e.mkdir(t, "0", "Legal")
	ndas := e.mkdir(t, legal, "NDAs")
	nda := e.upload(t, ndas, "NDA.pdf", []byte("%PDF-1.4 NDA"))

	cfg := func(resend int, withLink bool) string {
		c := e.provider() + fmt.Sprintf(`
data "box_folder" "ndas" {
  path = "/Legal/NDAs"
}
data "box_file" "nda" {
  folder_id = data.box_folder.ndas.id
  name      = "NDA.pdf"
}
data "box_sign_template" "contract" {
  name = "Contract (phone verification)"
}

resource "box_sign_request" "nda" {
  source_file_ids  = [data.box_file.nda.id]
  parent_folder_id = data.box_folder.ndas.id
  resend_version   = %d
  signer {
    email                      = "kiosk@example.com"
    embed_url_external_user_id = "kiosk-1"
  }
}

resource "box_sign_request" "contract" {
  template_id      = data.box_sign_template.contract.id
  parent_folder_id = data.box_folder.ndas.id
  signer {
    email                     = "client@example.com"
    verification_phone_number = "+15551230042"
  }
}
`, resend)
		if withLink {
			c += `
ephemeral "box_sign_request_signing_link" "kiosk" {
  id    = box_sign_request.nda.id
  email = "kiosk@example.com"
}
provider "echo" {
  data = ephemeral.box_sign_request_signing_link.kiosk
}
resource "echo" "link" {}
`
		}
		return c
	}
	var id, link string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProvidersWithEcho,
		TerraformVersionChecks:   ephemeralTerraform,
		Steps: []resource.TestStep{
			{
				Config: cfg(1, false),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("box_sign_request.nda", "source_file_ids.0", nda),
					resource.TestCheckResourceAttr("box_sign_request.nda", "parent_folder_id", ndas),
					resource.TestCheckResourceAttr("box_sign_request.contract", "template_id", e.Template[1]),
					resource.TestCheckResourceAttr("box_sign_request.contract", "status", "sent"),
					func(s *terraform.State) error {
						var err error
						id, err = attrOf(s, "box_sign_request.nda", "id")
						return err
					},
				),
			},
			{
				PreConfig: func() {
					clock.Advance(11 * time.Minute)
					link, _ = e.signingLinks(t, id, "kiosk@example.com")
				},
				Config: cfg(2, true),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("box_sign_request.nda", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("box_sign_request.contract", plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("box_sign_request.nda", "resend_version", "2"),
					e.resendCalls(t, 1, 0),
					func(s *terraform.State) error {
						if got, _ := attrOf(s, "box_sign_request.nda", "id"); got != id {
							return fmt.Errorf("the request was replaced")
						}
						return resource.TestCheckResourceAttr("echo.link", "data.embed_url", link)(s)
					},
				),
			},
		},
	})
}
