package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// folderConfig is a box_folder named "test" with the given arguments.
func (e *testEnv) folderConfig(args string) string {
	return e.provider() + fmt.Sprintf(`
resource "box_folder" "test" {
%s
}
`, args)
}

// captureAttr stores an attribute of a resource in state.
func captureAttr(name, key string, into *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		v, err := attrOf(s, name, key)
		*into = v
		return err
	}
}

// sameAttr checks that an attribute still has the captured value.
func sameAttr(name, key string, was *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		v, err := attrOf(s, name, key)
		if err == nil && v != *was {
			err = fmt.Errorf("%s.%s = %q, want it unchanged (%q)", name, key, v, *was)
		}
		return err
	}
}

// itemStatusInBox checks how Box answers GET for a folder or file: "active"
// for a live item, "trashed" for one in the trash (404 code trashed).
func (e *testEnv) itemStatusInBox(t *testing.T, kind string, id *string, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		code, out := e.call(t, "GET", "/2.0/"+kind+"/"+*id, "dev-token", nil)
		got, _ := out["item_status"].(string)
		if code == 404 {
			got, _ = out["code"].(string)
		}
		if got != want {
			return fmt.Errorf("%s %s in Box: HTTP %d, %q, want %q", kind, *id, code, got, want)
		}
		return nil
	}
}

func TestAccFolder_lifecycle(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	other := e.mkdir(t, "0", "Archive")
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             e.itemStatusInBox(t, "folders", &id, "trashed"),
		Steps: []resource.TestStep{
			{
				Config: e.folderConfig(`  name = "Contracts"
  description = "NDAs"`),
				Check: resource.ComposeTestCheckFunc(
					captureAttr("box_folder.test", "id", &id),
					resource.TestCheckResourceAttr("box_folder.test", "parent_id", "0"),
					resource.TestCheckResourceAttr("box_folder.test", "description", "NDAs"),
					resource.TestCheckResourceAttr("box_folder.test", "delete_contents", "false"),
					e.itemStatusInBox(t, "folders", &id, "active"),
				),
			},
			{
				Config: e.folderConfig(fmt.Sprintf(`  name = "Contracts 2026"
  parent_id = %q`, other)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("box_folder.test", plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					sameAttr("box_folder.test", "id", &id),
					resource.TestCheckResourceAttr("box_folder.test", "name", "Contracts 2026"),
					resource.TestCheckResourceAttr("box_folder.test", "parent_id", other),
					resource.TestCheckResourceAttr("box_folder.test", "description", ""),
					func(*terraform.State) error {
						_, out := e.call(t, "GET", "/2.0/folders/"+id, "dev-token", nil)
						if out["name"] != "Contracts 2026" || out["parent"].(map[string]any)["id"] != other {
							return fmt.Errorf("Box has %v in %v", out["name"], out["parent"])
						}
						return nil
					},
				),
			},
			{
				ResourceName:      "box_folder.test",
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				Config: e.folderConfig(fmt.Sprintf(`  name = "Contracts 2026"
  parent_id = %q`, other)),
				ConfigPlanChecks: noChange,
			},
		},
	})
}

// After an import, the same configuration plans nothing.
func TestAccFolder_importEmptyPlan(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	id := e.mkdir(t, "0", "Existing")
	cfg := e.folderConfig(`  name = "Existing"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg, ResourceName: "box_folder.test", ImportState: true, ImportStateId: id, ImportStatePersist: true},
			{Config: cfg, ConfigPlanChecks: noChange},
		},
	})
}

// A folder deleted outside Terraform leaves the state (with a warning) and
// the next apply creates it again.
func TestAccFolder_outOfBandDeletion(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	var id string
	cfg := e.folderConfig(`  name = "Gone"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg, Check: captureAttr("box_folder.test", "id", &id)},
			{
				PreConfig: func() {
					if code, _ := e.call(t, "DELETE", "/2.0/folders/"+id, "dev-token", nil); code != 204 {
						t.Fatalf("deleting the folder: HTTP %d", code)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("box_folder.test", plancheck.ResourceActionCreate),
				}},
				Check: func(s *terraform.State) error {
					if v, _ := attrOf(s, "box_folder.test", "id"); v == id {
						return fmt.Errorf("the folder kept its old ID %s", id)
					}
					return nil
				},
			},
		},
	})
}

// Destroying a folder that holds items fails and leaves it, until
// delete_contents = true.
func TestAccFolder_nonEmptyDelete(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	var id, fileID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: resource.ComposeTestCheckFunc(
			e.itemStatusInBox(t, "folders", &id, "trashed"),
			e.itemStatusInBox(t, "files", &fileID, "trashed"),
		),
		Steps: []resource.TestStep{
			{
				Config: e.folderConfig(`  name = "Full"`),
				Check: resource.ComposeTestCheckFunc(
					captureAttr("box_folder.test", "id", &id),
					func(*terraform.State) error {
						fileID = e.upload(t, id, "inside.pdf", minimalPDFBytes())
						return nil
					},
				),
			},
			{
				Config:      e.folderConfig(`  name = "Full"`),
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)is not empty.*delete_contents = true`),
			},
			{
				Config:   e.folderConfig(`  name = "Full"`),
				PlanOnly: true,
				Check:    e.itemStatusInBox(t, "folders", &id, "active"),
			},
			{
				Config: e.folderConfig(`  name = "Full"
  delete_contents = true`),
				Check: e.itemStatusInBox(t, "files", &fileID, "active"),
			},
		},
	})
}

// A name taken in the parent fails the create and names the folder there.
func TestAccFolder_nameConflict(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	existing := e.mkdir(t, "0", "Taken")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      e.folderConfig(`  name = "taken"`),
				ExpectError: regexp.MustCompile(`(?s)409 item_name_in_use.*folder ` + existing + ` already has this name.*terraform import`),
			},
			{Config: e.folderConfig(`  name = "Mine"`)},
			{
				// A rename onto the taken name fails the same way, in place.
				Config:      e.folderConfig(`  name = "TAKEN"`),
				ExpectError: regexp.MustCompile(`(?s)409 item_name_in_use.*folder ` + existing + ` already has this name`),
			},
		},
	})
}

// Box's name rules are checked at plan time, before any API call.
func TestAccItemNames_planTime(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	var steps []resource.TestStep
	for _, name := range []string{`a/b`, `a\\b`, `..`, `trailing `, strings.Repeat("x", 256)} {
		steps = append(steps, resource.TestStep{
			Config:      e.folderConfig(fmt.Sprintf("  name = %q", name)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`Invalid Box item name`),
		}, resource.TestStep{
			Config: e.provider() + fmt.Sprintf(`
resource "box_file" "test" {
  source    = %q
  name      = %q
  folder_id = "0"
}
`, writeTemp(t, "ok.pdf", minimalPDFBytes()), name),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`Invalid Box item name`),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
	if n := e.apiCalls(t, ""); n != 0 {
		t.Errorf("plan-time name checks made %d API calls, want 0", n)
	}
}

// A folder, file or collaboration deleted outside Terraform leaves the state
// with a warning that says so (terraform-plugin-testing cannot see warnings:
// this runs terraform itself).
func TestAccItems_goneWarning(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	c := newTFCLI(t)
	c.write("main.tf", e.provider()+`
resource "box_folder" "test" {
  name = "Watched"
}
`)
	c.mustRun("init")
	c.mustRun("apply", "-auto-approve")
	_, out := e.call(t, "GET", "/2.0/folders/0/items", "dev-token", nil)
	id := ""
	for _, en := range out["entries"].([]any) {
		if m := en.(map[string]any); m["name"] == "Watched" {
			id = m["id"].(string)
		}
	}
	if code, _ := e.call(t, "DELETE", "/2.0/folders/"+id, "dev-token", nil); code != 204 {
		t.Fatalf("deleting folder %q: HTTP %d", id, code)
	}
	plan := c.mustRun("plan")
	mustContain(t, plan, "Folder "+id+" is gone from Box", "removed from the state; the next apply creates it again",
		"box_folder.test will be created")
}
