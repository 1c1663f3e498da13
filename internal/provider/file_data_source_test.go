package provider

import (
	"crypto/sha1" //nolint:gosec // G505: the data source reports the sha1 Box gives a file's content; not security
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// A file by ID and by folder and name, found past the first page of its
// folder, and the errors for a name that matches nothing.
func TestAccFileDataSource(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	legal := e.mkdir(t, "0", "Legal")
	e.mkdir(t, legal, "NDA.pdf folder") // folders are listed first; never a file match
	e.upload(t, legal, "Agreement.pdf", []byte("%PDF-1.4 a"))
	content := []byte("%PDF-1.4 the NDA")
	nda := e.upload(t, legal, "NDA.pdf", content)
	e.upload(t, legal, "Zebra.pdf", []byte("%PDF-1.4 z"))
	sum := sha1.Sum(content) //nolint:gosec // G401: the sha1 Box reports for the file, to compare with

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProvidersSmallPages,
		Steps: []resource.TestStep{
			{
				Config: e.provider() + fmt.Sprintf(`
data "box_file" "missing" {
  folder_id = %q
  name      = "NDA"
}
`, legal),
				ExpectError: wrapped(`Folder ` + legal + ` has no file named "NDA" that the user can see \(3 files checked\)`),
			},
			{
				Config: e.provider() + `
data "box_file" "missing" {
  id = "999999999"
}
`,
				ExpectError: wrapped(`Could not read file 999999999`),
			},
			{
				Config: e.provider() + `
data "box_file" "no_folder" {
  name = "NDA.pdf"
}
`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*folder_id`),
			},
			{
				Config: e.provider() + fmt.Sprintf(`
data "box_folder" "legal" {
  path = "/Legal"
}
data "box_file" "by_name" {
  folder_id = data.box_folder.legal.id
  name      = "NDA.pdf"
}
data "box_file" "other_case" {
  folder_id = %q
  name      = "nda.PDF"
}
data "box_file" "by_id" {
  id = data.box_file.by_name.id
}
`, legal),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("data.box_file.by_name", "id", nda),
					resource.TestCheckResourceAttr("data.box_file.by_name", "size", strconv.Itoa(len(content))),
					resource.TestCheckResourceAttr("data.box_file.by_name", "sha1", hex.EncodeToString(sum[:])),
					resource.TestCheckResourceAttr("data.box_file.by_name", "parent_id", legal),
					resource.TestCheckResourceAttr("data.box_file.other_case", "id", nda),
					resource.TestCheckResourceAttr("data.box_file.other_case", "name", "nda.PDF"),
					resource.TestCheckResourceAttr("data.box_file.by_id", "name", "NDA.pdf"),
					resource.TestCheckResourceAttr("data.box_file.by_id", "parent_id", legal),
					resource.TestCheckNoResourceAttr("data.box_file.by_id", "folder_id"),
					e.listedAtLeast(t, "GET /2.0/folders/{id}/items", 4),
				),
			},
		},
	})
}
