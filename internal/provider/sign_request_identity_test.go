package provider

import (
	"context"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// identityTerraform runs a test only where Terraform has resource identity:
// Terraform 1.12 and later. OpenTofu passes as its own version number (see
// opentofu_test.go) but implements no resource identity, so it is skipped.
func identityTerraform(t *testing.T) []tfversion.TerraformVersionCheck {
	return []tfversion.TerraformVersionCheck{
		tfversion.SkipBelow(tfversion.Version1_12_0),
		skipOpenTofu{t: t, why: "OpenTofu has no resource identity"},
	}
}

type skipOpenTofu struct {
	t   *testing.T
	why string
}

func (s skipOpenTofu) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if underOpenTofu(s.t) {
		resp.Skip = s.why
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// The identity is the request's ID from the create on, survives a refresh
// unchanged, and an import block naming it by identity imports the request
// with nothing else to do.
func TestAccSignRequest_identity(t *testing.T) {
	e := newTestEnv(t)
	var id string
	cfg := e.signRequestConfig(`
  name = "Identity"
  signer {
    email = "ivan@example.com"
  }
`)
	identityIsID := []statecheck.StateCheck{
		statecheck.ExpectIdentity(res, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(uuidPattern)}),
		statecheck.ExpectIdentityValueMatchesState(res, tfjsonpath.New("id")),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   identityTerraform(t),
		Steps: []resource.TestStep{
			{
				Config:            cfg,
				Check:             captureID(&id),
				ConfigStateChecks: identityIsID,
			},
			{
				// A refresh and plan: the same identity, nothing to change.
				Config:            cfg,
				ConfigPlanChecks:  noChange,
				ConfigStateChecks: identityIsID,
				Check:             sameID(&id),
			},
			{
				// The test framework writes `import { identity = { id = … } }`
				// from the state's identity and fails on anything but a
				// no-op import whose identity matches.
				Config:          cfg,
				ResourceName:    res,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// An import block's identity with an ID Box does not know fails: Box
// answers 404, the read drops the object and Terraform refuses the import.
func TestAccSignRequest_identityImportUnknown(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   identityTerraform(t),
		Steps: []resource.TestStep{{
			Config: e.signRequestConfig(`
  signer {
    email = "ivan@example.com"
  }
`) + `
import {
  to       = box_sign_request.test
  identity = { id = "00000000-0000-4000-8000-000000000000" }
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`Cannot import non-existent remote object`),
		}},
	})
}
