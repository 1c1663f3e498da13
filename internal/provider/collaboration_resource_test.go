package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// collabConfig shares a new folder with the user userID. (The demo finds
// the service account with box_current_user on an aliased provider; in
// tests the provider is served in-process through reattach, where Terraform
// gives every alias the same provider instance, so the ID is given here.)
func (e *testEnv) collabConfig(userID, role string) string {
	return e.provider() + fmt.Sprintf(`
resource "box_folder" "dir" {
  name = "Shared"
}

resource "box_collaboration" "test" {
  folder_id = box_folder.dir.id
  user_id   = %q
  role      = %q
}
`, userID, role)
}

// roleInBox is the role Box lists for the collaboration on its folder.
func (e *testEnv) roleInBox(t *testing.T, id *string, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		code, out := e.call(t, "GET", "/2.0/collaborations/"+*id, "dev-token", nil)
		got, _ := out["role"].(string)
		if code == 404 {
			got = "none"
		}
		if got != want {
			return fmt.Errorf("collaboration %s in Box: HTTP %d role %q, want %q", *id, code, got, want)
		}
		return nil
	}
}

func TestAccCollaboration_lifecycle(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	sa := e.emu.Seeded()
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             e.roleInBox(t, &id, "none"),
		Steps: []resource.TestStep{
			{
				Config: e.collabConfig(sa.ServiceAccountID, "editor"),
				Check: resource.ComposeTestCheckFunc(
					captureAttr("box_collaboration.test", "id", &id),
					resource.TestCheckResourceAttr("box_collaboration.test", "login", sa.ServiceAccountLogin),
					e.roleInBox(t, &id, "editor"),
				),
			},
			{
				Config:           e.collabConfig(sa.ServiceAccountID, "viewer"),
				ConfigPlanChecks: expectUpdate("box_collaboration.test"),
				Check:            resource.ComposeTestCheckFunc(sameAttr("box_collaboration.test", "id", &id), e.roleInBox(t, &id, "viewer")),
			},
			{ResourceName: "box_collaboration.test", ImportState: true, ImportStateVerify: true},
			{
				PreConfig: func() {
					if code, _ := e.call(t, "DELETE", "/2.0/collaborations/"+id, "dev-token", nil); code != 204 {
						t.Fatalf("removing the collaboration: HTTP %d", code)
					}
				},
				Config: e.collabConfig(sa.ServiceAccountID, "viewer"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("box_collaboration.test", plancheck.ResourceActionCreate),
				}},
				Check: captureAttr("box_collaboration.test", "id", &id),
			},
		},
	})
}

// A collaboration by login; after an import the same configuration plans
// nothing.
func TestAccCollaboration_byLoginImport(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	folder := e.mkdir(t, "0", "Partners")
	code, out := e.call(t, "POST", "/2.0/collaborations", "dev-token", map[string]any{
		"item": map[string]string{"type": "folder", "id": folder}, "accessible_by": map[string]string{"type": "user", "login": "user@example.com"},
		"role": "previewer"})
	if code != 201 {
		t.Fatalf("collaborating: HTTP %d %v", code, out)
	}
	cfg := e.provider() + fmt.Sprintf(`
resource "box_collaboration" "test" {
  folder_id = %q
  login     = "User@Example.com"
  role      = "previewer"
}
`, folder)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg, ResourceName: "box_collaboration.test", ImportState: true, ImportStateId: out["id"].(string), ImportStatePersist: true},
			{Config: cfg, ConfigPlanChecks: noChange},
		},
	})
}

// box_current_user is whoever the provider authenticates as: the service
// account with client credentials, the admin with the developer token.
func TestAccCurrentUser(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	seed := e.emu.Seeded()
	ds := `
data "box_current_user" "me" {}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: e.provider(`client_id = "emulator-client-id"`, `client_secret = "emulator-client-secret"`, `enterprise_id = "1000"`) + ds,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("data.box_current_user.me", "id", seed.ServiceAccountID),
					resource.TestCheckResourceAttr("data.box_current_user.me", "login", seed.ServiceAccountLogin),
					resource.TestCheckResourceAttr("data.box_current_user.me", "enterprise_id", "1000"),
					resource.TestCheckResourceAttrSet("data.box_current_user.me", "name"),
				),
			},
			{
				Config: e.provider() + ds,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("data.box_current_user.me", "id", seed.AdminUserID),
					resource.TestCheckResourceAttr("data.box_current_user.me", "login", seed.AdminLogin),
				),
			},
		},
	})
}
