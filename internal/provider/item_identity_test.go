package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

var boxIDPattern = regexp.MustCompile(`^[0-9]+$`)

// identityIsID checks that a resource's identity is its ID, as state holds it.
func identityIsID(name string) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectIdentity(name, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(boxIDPattern)}),
		statecheck.ExpectIdentityValueMatchesState(name, tfjsonpath.New("id")),
	}
}

// The identity of box_folder, box_file and box_collaboration is their ID
// from the create on; it stays through an in-place update and a refresh,
// and an import block naming it by identity imports the object. A file's
// `source` is local, so its import plans one update that records it and
// uploads nothing (the content is the same).
func TestAccItemIdentity(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	sa := e.emu.Seeded()
	pdf := writeTemp(t, "identity.pdf", minimalPDFBytes())
	folder := e.mkdir(t, "0", "Identity")
	collab := func(role string) string {
		return e.provider() + fmt.Sprintf(`
resource "box_collaboration" "test" {
  folder_id = %q
  user_id   = %q
  role      = %q
}
`, folder, sa.ServiceAccountID, role)
	}
	for _, tc := range []struct {
		name, resource, config, updated string
		importPlan                      plancheck.ResourceActionType
	}{
		{name: "folder", resource: "box_folder.test",
			config:     e.folderConfig(`  name = "Identity folder"`),
			updated:    e.folderConfig(`  name = "Identity folder 2"`),
			importPlan: plancheck.ResourceActionNoop},
		{name: "file", resource: "box_file.test",
			config:     e.fileConfigIn(pdf, fmt.Sprintf("%q", folder), ""),
			updated:    e.fileConfigIn(pdf, fmt.Sprintf("%q", folder), `  name = "renamed.pdf"`),
			importPlan: plancheck.ResourceActionUpdate},
		{name: "collaboration", resource: "box_collaboration.test",
			config: collab("editor"), updated: collab("viewer"),
			importPlan: plancheck.ResourceActionNoop},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var id string
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				TerraformVersionChecks:   identityTerraform(t),
				Steps: []resource.TestStep{
					{Config: tc.config, ConfigStateChecks: identityIsID(tc.resource), Check: captureAttr(tc.resource, "id", &id)},
					{
						Config:            tc.updated,
						ConfigPlanChecks:  expectUpdate(tc.resource),
						ConfigStateChecks: identityIsID(tc.resource),
						Check:             sameAttr(tc.resource, "id", &id),
					},
					{Config: tc.updated, ConfigPlanChecks: noChange, ConfigStateChecks: identityIsID(tc.resource)},
					{
						Config:             tc.updated,
						ResourceName:       tc.resource,
						ImportState:        true,
						ImportStateKind:    resource.ImportBlockWithResourceIdentity,
						ExpectNonEmptyPlan: tc.importPlan != plancheck.ResourceActionNoop,
						ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(tc.resource, tc.importPlan),
						}},
					},
				},
			})
		})
	}
}

// An import block's identity with an ID Box does not know fails.
func TestAccItemIdentity_importUnknown(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   identityTerraform(t),
		Steps: []resource.TestStep{{
			Config: e.folderConfig(`  name = "Missing"`) + `
import {
  to       = box_folder.test
  identity = { id = "999999999" }
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`Cannot import non-existent remote object`),
		}},
	})
}
