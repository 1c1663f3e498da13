package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// A folder by path and by ID. Listings come one item per page, so folders
// past the first item of their parent are found only by following Box's
// markers.
func TestAccFolderDataSource(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	legal := e.mkdir(t, "0", "Legal") // after "Box Sign Demo" in the root
	e.mkdir(t, legal, "Archive")
	ndas := e.mkdir(t, legal, "NDAs") // second of three
	e.mkdir(t, legal, "Other")
	deep := e.mkdir(t, ndas, "2035")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProvidersSmallPages,
		Steps: []resource.TestStep{
			{
				Config: e.provider() + `
data "box_folder" "missing" {
  path = "/Legal/Missing"
}
`,
				ExpectError: wrapped(`Folder "/Legal" \(ID ` + legal + `\) has no folder named "Missing"`),
			},
			{
				Config: e.provider() + `
data "box_folder" "missing" {
  id = "999999999"
}
`,
				ExpectError: regexp.MustCompile(`Could not read folder 999999999`),
			},
			{
				Config: e.provider() + `
data "box_folder" "relative" {
  path = "Legal/NDAs"
}
`,
				ExpectError: wrapped(`absolute path of folder names`),
			},
			{
				Config: e.provider() + `
data "box_folder" "both" {
  id   = "0"
  path = "/"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*id.*path`),
			},
			{
				Config: e.provider() + `
data "box_folder" "by_path" {
  path = "/Legal/NDAs"
}
data "box_folder" "by_id" {
  id = data.box_folder.by_path.id
}
data "box_folder" "other_case" {
  path = "/legal/ndas/2035/"
}
data "box_folder" "root" {
  path = "/"
}
data "box_folder" "root_by_id" {
  id = "0"
}
`,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.box_folder.by_path", "id", ndas),
					resource.TestCheckResourceAttr("data.box_folder.by_path", "name", "NDAs"),
					resource.TestCheckResourceAttr("data.box_folder.by_path", "parent_id", legal),
					resource.TestCheckResourceAttr("data.box_folder.by_path", "path", "/Legal/NDAs"),
					resource.TestCheckResourceAttr("data.box_folder.by_id", "path", "/Legal/NDAs"),
					resource.TestCheckResourceAttr("data.box_folder.by_id", "name", "NDAs"),
					resource.TestCheckResourceAttr("data.box_folder.by_id", "parent_id", legal),
					resource.TestCheckResourceAttr("data.box_folder.other_case", "id", deep),
					resource.TestCheckResourceAttr("data.box_folder.other_case", "name", "2035"),
					resource.TestCheckResourceAttr("data.box_folder.other_case", "parent_id", ndas),
					resource.TestCheckResourceAttr("data.box_folder.root", "id", "0"),
					resource.TestCheckResourceAttr("data.box_folder.root", "name", "All Files"),
					resource.TestCheckNoResourceAttr("data.box_folder.root", "parent_id"),
					resource.TestCheckResourceAttr("data.box_folder.root_by_id", "path", "/"),
					resource.TestCheckNoResourceAttr("data.box_folder.root_by_id", "parent_id"),
					// The root, Legal and NDAs, one folder a page.
					e.listedAtLeast(t, "GET /2.0/folders/{id}/items", 2+3+1),
				),
			},
		},
	})
}
