package provider

import (
	"fmt"
	"regexp"
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

// collabEmails counts the emulator's emails about the collaboration *id.
func (e *testEnv) collabEmails(t *testing.T, id *string, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, out := e.call(t, "GET", "/_emulator/emails", "", nil)
		n := 0
		for _, en := range out["entries"].([]any) {
			if m := en.(map[string]any); m["collaboration_id"] == *id {
				n++
			}
		}
		if n != want {
			return fmt.Errorf("%d emails about collaboration %s, want %d", n, *id, want)
		}
		return nil
	}
}

// noCollabCalls checks that no collaboration was created or changed since
// the counts in *before were taken.
func (e *testEnv) noCollabCalls(t *testing.T, before *int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if n := e.collabWrites(t); n != *before {
			return fmt.Errorf("%d collaboration creates and updates, want none", n-*before)
		}
		return nil
	}
}

func (e *testEnv) collabWrites(t *testing.T) int {
	return e.apiCalls(t, "POST /2.0/collaborations") + e.apiCalls(t, "PUT /2.0/collaborations/{id}")
}

// notify is sent as Box's notify: Box emails the collaborator only when it
// is true (the default, false, mails no one), and changing it afterwards
// sends nothing to Box.
func TestAccCollaboration_notify(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	sa := e.emu.Seeded()
	cfg := func(quietNotify string) string {
		return e.provider() + fmt.Sprintf(`
resource "box_folder" "told" {
  name = "Told"
}

resource "box_folder" "quiet" {
  name = "Quiet"
}

resource "box_collaboration" "told" {
  folder_id = box_folder.told.id
  user_id   = %q
  role      = "viewer"
  notify    = true
}

resource "box_collaboration" "quiet" {
  folder_id = box_folder.quiet.id
  login     = "user@example.com"
  role      = "viewer"
%s}
`, sa.ServiceAccountID, quietNotify)
	}
	var told, quiet string
	var writes int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg(""),
				Check: resource.ComposeTestCheckFunc(
					captureAttr("box_collaboration.told", "id", &told),
					captureAttr("box_collaboration.quiet", "id", &quiet),
					resource.TestCheckResourceAttr("box_collaboration.quiet", "notify", "false"),
					e.collabEmails(t, &told, 1),
					e.collabEmails(t, &quiet, 0),
				),
			},
			{
				PreConfig:        func() { writes = e.collabWrites(t) },
				Config:           cfg("  notify    = true\n"),
				ConfigPlanChecks: expectUpdate("box_collaboration.quiet"),
				Check: resource.ComposeTestCheckFunc(
					sameAttr("box_collaboration.quiet", "id", &quiet),
					resource.TestCheckResourceAttr("box_collaboration.quiet", "notify", "true"),
					e.noCollabCalls(t, &writes),
					e.collabEmails(t, &quiet, 0),
					e.collabEmails(t, &told, 1),
				),
			},
			{Config: cfg("  notify    = true\n"), ConfigPlanChecks: noChange},
		},
	})
}

// A login without a Box account is a pending invitation: it is created
// once, keeps the configured login with an empty user_id, plans nothing on
// the next run (no re-invitation), and changes role in place.
func TestAccCollaboration_pendingInvitation(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	cfg := func(role string) string {
		return e.provider() + fmt.Sprintf(`
resource "box_folder" "dir" {
  name = "Onboarding"
}

resource "box_collaboration" "test" {
  folder_id = box_folder.dir.id
  login     = "New.Hire@example.com"
  role      = %q
}
`, role)
	}
	var id string
	var writes int
	pendingInBox := func(*terraform.State) error {
		code, out := e.call(t, "GET", "/2.0/collaborations/"+id, "dev-token", nil)
		if code != 200 || out["status"] != "pending" {
			return fmt.Errorf("collaboration %s in Box: HTTP %d status %v", id, code, out["status"])
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg("viewer"),
				Check: resource.ComposeTestCheckFunc(
					captureAttr("box_collaboration.test", "id", &id),
					resource.TestCheckResourceAttr("box_collaboration.test", "login", "New.Hire@example.com"),
					resource.TestCheckResourceAttr("box_collaboration.test", "user_id", ""),
					pendingInBox,
					e.collabEmails(t, &id, 0), // notify defaults to false
				),
			},
			{
				PreConfig:        func() { writes = e.collabWrites(t) },
				Config:           cfg("viewer"),
				ConfigPlanChecks: noChange,
				Check:            resource.ComposeTestCheckFunc(sameAttr("box_collaboration.test", "id", &id), e.noCollabCalls(t, &writes)),
			},
			{
				Config:           cfg("editor"),
				ConfigPlanChecks: expectUpdate("box_collaboration.test"),
				Check: resource.ComposeTestCheckFunc(
					sameAttr("box_collaboration.test", "id", &id),
					resource.TestCheckResourceAttr("box_collaboration.test", "user_id", ""),
					pendingInBox,
				),
			},
			{Config: cfg("editor"), ConfigPlanChecks: noChange},
		},
	})
}

// Box names no folder for a pending invitation, so an import leaves
// folder_id null: the plan records the configured folder in place once Box
// lists the invitation there (sending nothing), and fails for a folder
// that does not hold it rather than replacing, which would invite again.
func TestAccCollaboration_importPendingInvitation(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	folder, other := e.mkdir(t, "0", "Invited"), e.mkdir(t, "0", "Elsewhere")
	code, out := e.call(t, "POST", "/2.0/collaborations?notify=false", "dev-token", map[string]any{
		"item": map[string]string{"type": "folder", "id": folder}, "accessible_by": map[string]string{"type": "user", "login": "new.hire@example.com"},
		"role": "viewer"})
	if code != 201 || out["status"] != "pending" {
		t.Fatalf("inviting: HTTP %d %v", code, out)
	}
	id := out["id"].(string)
	cfg := func(folderID string) string {
		return e.provider() + fmt.Sprintf(`
resource "box_collaboration" "test" {
  folder_id = %q
  login     = "New.Hire@example.com"
  role      = "viewer"
}
`, folderID)
	}
	var writes int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg(other), ResourceName: "box_collaboration.test", ImportState: true, ImportStateId: id, ImportStatePersist: true},
			{Config: cfg(other), PlanOnly: true, ExpectError: regexp.MustCompile(`Pending invitation is not on this folder`)},
			{
				PreConfig:        func() { writes = e.collabWrites(t) },
				Config:           cfg(folder),
				ConfigPlanChecks: expectUpdate("box_collaboration.test"),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr("box_collaboration.test", "id", id),
					resource.TestCheckResourceAttr("box_collaboration.test", "folder_id", folder),
					resource.TestCheckResourceAttr("box_collaboration.test", "user_id", ""),
					e.noCollabCalls(t, &writes),
				),
			},
			{Config: cfg(folder), ConfigPlanChecks: noChange},
		},
	})
}
