package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/box/terraform-provider-box/internal/box"
)

// itemListBlock is a list block of box_folder or box_file (typ) with
// include_resource and the given config lines.
func itemListBlock(typ, name, config string) string {
	return `
list "` + typ + `" "` + name + `" {
  provider         = box
  include_resource = true
  config {
` + config + `
  }
}
`
}

func byIdentity(id string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
}

func hasIdentity(list, id string) querycheck.QueryResultCheck {
	return querycheck.ExpectIdentity(list, map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
}

// Query mode finds the folders (only folders) and the files (only files) of
// one folder, one item a page (the provider asks for one item a page),
// filtered by name prefix, each with its identity, its name and the object
// an import reads; without folder_id it looks in the root.
func TestAccItemList_query(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	contracts := e.mkdir(t, "0", "Contracts")
	leaseA := e.mkdir(t, contracts, "Lease A")
	leaseB := e.mkdir(t, contracts, "Lease B")
	other := e.mkdir(t, contracts, "Other")
	pdf := minimalPDFBytes()
	lease1 := e.upload(t, contracts, "Lease 1.pdf", pdf)
	lease2 := e.upload(t, contracts, "Lease 2.pdf", pdf)
	nda := e.upload(t, contracts, "NDA.pdf", pdf)
	in := `    folder_id = "` + contracts + `"`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProvidersSmallPages,
		TerraformVersionChecks:   queryTerraform,
		Steps: []resource.TestStep{
			{Config: e.provider()},
			{
				Query: true,
				Config: itemListBlock("box_folder", "all", in) +
					itemListBlock("box_folder", "leases", in+`
    name_prefix = "Lease"`) +
					itemListBlock("box_folder", "root", "") +
					itemListBlock("box_file", "all", in) +
					itemListBlock("box_file", "leases", in+`
    name_prefix = "Lease"`),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("box_folder.all", 3),
					hasIdentity("box_folder.all", leaseA),
					hasIdentity("box_folder.all", leaseB),
					hasIdentity("box_folder.all", other),
					querycheck.ExpectResourceDisplayName("box_folder.all", byIdentity(other), knownvalue.StringExact("Other")),
					querycheck.ExpectResourceKnownValues("box_folder.all", byIdentity(leaseB), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(leaseB)},
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("Lease B")},
						{Path: tfjsonpath.New("parent_id"), KnownValue: knownvalue.StringExact(contracts)},
						{Path: tfjsonpath.New("description"), KnownValue: knownvalue.StringExact("")},
						{Path: tfjsonpath.New("delete_contents"), KnownValue: knownvalue.Bool(false)},
					}),

					querycheck.ExpectLength("box_folder.leases", 2),
					hasIdentity("box_folder.leases", leaseA),
					hasIdentity("box_folder.leases", leaseB),

					hasIdentity("box_folder.root", contracts),
					querycheck.ExpectResourceDisplayName("box_folder.root", byIdentity(contracts), knownvalue.StringExact("Contracts")),

					querycheck.ExpectLength("box_file.all", 3),
					hasIdentity("box_file.all", lease1),
					hasIdentity("box_file.all", lease2),
					hasIdentity("box_file.all", nda),
					querycheck.ExpectResourceDisplayName("box_file.all", byIdentity(nda), knownvalue.StringExact("NDA.pdf")),
					querycheck.ExpectResourceKnownValues("box_file.all", byIdentity(lease2), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(lease2)},
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("Lease 2.pdf")},
						{Path: tfjsonpath.New("folder_id"), KnownValue: knownvalue.StringExact(contracts)},
						{Path: tfjsonpath.New("sha1"), KnownValue: knownvalue.StringExact(box.SHA1Hex(pdf))},
						{Path: tfjsonpath.New("content_sha1"), KnownValue: knownvalue.StringExact(box.SHA1Hex(pdf))},
						{Path: tfjsonpath.New("size"), KnownValue: knownvalue.Int64Exact(int64(len(pdf)))},
						{Path: tfjsonpath.New("version_id"), KnownValue: knownvalue.NotNull()},
						{Path: tfjsonpath.New("source"), KnownValue: knownvalue.Null()},
					}),

					querycheck.ExpectLength("box_file.leases", 2),
					hasIdentity("box_file.leases", lease1),
					hasIdentity("box_file.leases", lease2),
				},
			},
		},
	})
	// Every page was read: six items in Contracts, one a page, for each of
	// the four list blocks that look there.
	if n := e.apiCalls(t, "GET /2.0/folders/{id}/items"); n < 24 {
		t.Errorf("%d item list calls, want at least 24 (six pages for each list block in Contracts)", n)
	}
}

// Terraform's limit stops the walk: it asks for 2 folders and the provider
// reads no page past the second.
func TestAccItemList_limit(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	dir := e.mkdir(t, "0", "Many")
	for _, n := range []string{"A", "B", "C", "D"} {
		e.mkdir(t, dir, n)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProvidersSmallPages,
		TerraformVersionChecks:   queryTerraform,
		Steps: []resource.TestStep{
			{Config: e.provider()},
			{
				Query: true,
				Config: `
list "box_folder" "two" {
  provider = box
  limit    = 2
  config {
    folder_id = "` + dir + `"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength("box_folder.two", 2)},
			},
		},
	})
	if n := e.apiCalls(t, "GET /2.0/folders/{id}/items"); n != 2 {
		t.Errorf("%d item list calls, want 2 (one item a page, stopped at the limit)", n)
	}
}

// A folder Box does not show fails the query with Box's answer.
func TestAccItemList_missingFolder(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   queryTerraform,
		Steps: []resource.TestStep{
			{Config: e.provider()},
			{
				Query:       true,
				Config:      itemListBlock("box_file", "gone", `    folder_id = "999999999"`),
				ExpectError: regexp.MustCompile(`Could not list the files in folder 999999999`),
			},
		},
	})
}

// A file trashed between the listing and its read (Box answers 404) is
// left out of the results rather than failing the query.
func TestAccItemList_goneSinceListing(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	dir := e.mkdir(t, "0", "Racy")
	e.upload(t, dir, "a.pdf", minimalPDFBytes())
	e.upload(t, dir, "b.pdf", minimalPDFBytes())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   queryTerraform,
		Steps: []resource.TestStep{
			{Config: e.provider()},
			{
				PreConfig: func() {
					e.fault(t, map[string]any{"method": "GET", "path": "/2.0/files/{id}", "status": 404, "times": 1})
				},
				Query:             true,
				Config:            itemListBlock("box_file", "racy", `    folder_id = "`+dir+`"`),
				QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength("box_file.racy", 1)},
			},
		},
	})
	if n := e.callsWithStatus(t, "GET /2.0/files/{id}", 404); n != 1 {
		t.Errorf("%d file reads answered 404, want 1 (the fault)", n)
	}
}
