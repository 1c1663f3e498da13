package provider

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// List resources and `terraform query` need Terraform 1.14; OpenTofu
// compares as its own version, 1.12, and is skipped too.
var queryTerraform = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// sendRequest creates a sign request over the seed's first file straight
// through Box's API, as the web app would, and returns its ID.
func (e *testEnv) sendRequest(t *testing.T, name string, signers ...string) string {
	t.Helper()
	var ss []map[string]any
	for _, s := range signers {
		ss = append(ss, map[string]any{"email": s})
	}
	return e.createInBox(t, map[string]any{
		"name":          name,
		"source_files":  []map[string]string{{"type": "file", "id": e.FileID}},
		"parent_folder": map[string]string{"type": "folder", "id": e.FolderID},
		"signers":       ss,
	})
}

// queryTest applies the provider block, then runs query as a query step,
// with one request a page.
func (e *testEnv) queryTest(t *testing.T, query resource.TestStep) {
	t.Helper()
	query.Query = true
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProvidersSmallPages,
		TerraformVersionChecks:   queryTerraform,
		Steps:                    []resource.TestStep{{Config: e.provider()}, query},
	})
}

// listBlock is a list block of box_sign_request named name. Query steps
// keep the previous step's configuration, whose provider block configures
// the provider for the query too (a second one would be a duplicate).
func listBlock(name, config string) string {
	return `
list "box_sign_request" "` + name + `" {
  provider         = box
  include_resource = true
  config {
` + config + `
  }
}
`
}

// Query mode finds requests sent outside Terraform, one page at a time (the
// provider asks for one request a page), filtered by name prefix and
// status, each with its identity, display name and full object. Box appends
// ".pdf" to a request's name: the display name shows it as Box (and its web
// app) does, the object as an import reads it, without.
func TestAccSignRequestList_query(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	leaseA := e.sendRequest(t, "Lease A", "alice@example.com", "bob@example.com")
	leaseB := e.sendRequest(t, "Lease B", "carol@example.com")
	nda := e.sendRequest(t, "NDA", "dave@example.com")
	if s, out := e.call(t, "POST", "/2.0/sign_requests/"+leaseB+"/cancel", "dev-token", nil); s != http.StatusOK {
		t.Fatalf("cancelling %s: HTTP %d %v", leaseB, s, out)
	}
	// identity is a request's identity, its ID.
	identity := func(id string) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}
	}
	byID := func(id string) queryfilter.QueryFilter { return queryfilter.ByResourceIdentity(identity(id)) }
	e.queryTest(t, resource.TestStep{
		Config: listBlock("all", "") +
			listBlock("leases", `    name_prefix = "Lease"`) +
			listBlock("sent_leases", `    name_prefix = "Lease"
    status      = ["sent", "viewed"]`),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("box_sign_request.all", 3),
			querycheck.ExpectIdentity("box_sign_request.all", identity(leaseA)),
			querycheck.ExpectIdentity("box_sign_request.all", identity(leaseB)),
			querycheck.ExpectIdentity("box_sign_request.all", identity(nda)),
			querycheck.ExpectResourceDisplayName("box_sign_request.all", byID(leaseA),
				knownvalue.StringExact("Lease A.pdf (sent) to alice@example.com, bob@example.com")),
			querycheck.ExpectResourceDisplayName("box_sign_request.all", byID(leaseB),
				knownvalue.StringExact("Lease B.pdf (cancelled) to carol@example.com")),
			querycheck.ExpectResourceKnownValues("box_sign_request.all", byID(nda), []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(nda)},
				// The seed folder already holds NDA.pdf, so Box names the
				// request's copy, and so the request, "NDA (1).pdf".
				{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("NDA (1)")},
				{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("sent")},
				{Path: tfjsonpath.New("parent_folder_id"), KnownValue: knownvalue.StringExact(e.FolderID)},
				{Path: tfjsonpath.New("source_file_ids"), KnownValue: knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(e.FileID)})},
				{Path: tfjsonpath.New("signer").AtSliceIndex(0).AtMapKey("email"), KnownValue: knownvalue.StringExact("dave@example.com")},
			}),

			querycheck.ExpectLength("box_sign_request.leases", 2),
			querycheck.ExpectIdentity("box_sign_request.leases", identity(leaseA)),
			querycheck.ExpectIdentity("box_sign_request.leases", identity(leaseB)),

			querycheck.ExpectLength("box_sign_request.sent_leases", 1),
			querycheck.ExpectIdentity("box_sign_request.sent_leases", identity(leaseA)),
		},
	})
	// Every page was read: one request a page, three requests, for each of
	// the three list blocks (at least; Terraform may validate first).
	if n := e.apiCalls(t, "GET /2.0/sign_requests"); n < 9 {
		t.Errorf("%d list calls, want at least 9 (three pages for each list block)", n)
	}
}

// Terraform's limit stops the walk early: it asks for 2 results and the
// provider reads no page past the second request.
func TestAccSignRequestList_limit(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	for _, n := range []string{"One", "Two", "Three", "Four"} {
		e.sendRequest(t, n, "erin@example.com")
	}
	e.queryTest(t, resource.TestStep{
		Config: `
list "box_sign_request" "two" {
  provider = box
  limit    = 2
}
`,
		QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength("box_sign_request.two", 2)},
	})
	if n := e.apiCalls(t, "GET /2.0/sign_requests"); n != 2 {
		t.Errorf("%d list calls, want 2 (one request a page, stopped at the limit)", n)
	}
}

// senders without shared_requests is refused before Box is called.
func TestAccSignRequestList_sendersNeedSharedRequests(t *testing.T) {
	e := newTestEnv(t)
	e.queryTest(t, resource.TestStep{
		Config:      listBlock("shared", `    senders = ["alice@example.com"]`),
		ExpectError: regexp.MustCompile(`senders needs shared_requests`),
	})
}

// `terraform query -generate-config-out` writes a resource and an import
// block by identity for each request found; applied as it is, that config
// imports them without creating, cancelling or reminding anything, and the
// plan after it is empty. (Requests whose signers have a phone number are
// not covered: Terraform writes the sensitive number as null, which plans a
// replacement; see the list resource's docs.)
func TestAccSignRequestList_generateConfig(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	tf := newTFCLI(t, minTerraform("1.14.0"))
	lease := e.sendRequest(t, "Lease A", "alice@example.com", "bob@example.com")
	nda := e.sendRequest(t, "NDA", "dave@example.com")
	tf.write("main.tf", e.provider())
	tf.write("find.tfquery.hcl", listBlock("found", ""))
	tf.mustRun("init", "-input=false")
	out := tf.mustRun("query", "-generate-config-out=found.tf")
	mustContain(t, out, "id="+lease+" Lease A.pdf (sent) to alice@example.com, bob@example.com",
		"id="+nda+" NDA (1).pdf (sent) to dave@example.com") // the seed folder holds NDA.pdf
	found := tf.read("found.tf")
	for _, id := range []string{lease, nda} {
		if !regexp.MustCompile(`(?s)import \{[^}]*identity = \{\s*id = "` + id + `"`).MatchString(found) {
			t.Errorf("found.tf has no import block by identity for %s:\n%s", id, found)
		}
	}

	before := e.stats(t)
	mustContain(t, tf.mustRun("apply", "-input=false", "-auto-approve"),
		"Resources: 2 imported, 0 added, 0 changed, 0 destroyed")
	for _, route := range []string{"POST /2.0/sign_requests", "POST /2.0/sign_requests/{id}/cancel", resendRoute} {
		if a, b := routeCalls(before, route), routeCalls(e.stats(t), route); a != b {
			t.Errorf("%s: %d calls during the apply, want none", route, b-a)
		}
	}
	if _, err := tf.run("plan", "-input=false", "-detailed-exitcode"); err != nil {
		t.Errorf("the plan after the import is not empty: %v", err)
	}
}

// routeCalls totals one route's calls, all statuses, in a stats snapshot.
func routeCalls(stats map[string]any, route string) int {
	n := 0
	byStatus, _ := stats[route].(map[string]any)
	for _, c := range byStatus {
		f, _ := c.(float64)
		n += int(f)
	}
	return n
}
