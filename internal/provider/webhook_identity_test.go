package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// box_webhook's identity is its ID from the create on, through an in-place
// update; an import block naming it by identity imports it with nothing to
// change.
func TestAccWebhook_identity(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	folder := e.mkdir(t, "0", "Identity")
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   identityTerraform(t),
		Steps: []resource.TestStep{
			{
				Config:            e.webhookConfig(folder, "https://hooks.example.com/box", "FILE.UPLOADED"),
				ConfigStateChecks: identityIsID(webhookRes),
				Check:             captureAttr(webhookRes, "id", &id),
			},
			{
				Config:            e.webhookConfig(folder, "https://hooks.example.com/box", "FILE.UPLOADED", "FILE.TRASHED"),
				ConfigPlanChecks:  expectUpdate(webhookRes),
				ConfigStateChecks: identityIsID(webhookRes),
				Check:             sameAttr(webhookRes, "id", &id),
			},
			{
				Config:          e.webhookConfig(folder, "https://hooks.example.com/box", "FILE.UPLOADED", "FILE.TRASHED"),
				ResourceName:    webhookRes,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// Query mode finds the user's webhooks over several pages, filtered by
// target type, each with its identity, its target as its name and the
// object an import reads.
func TestAccWebhookList_query(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	var folderHooks []string
	for _, name := range []string{"A", "B"} {
		dir := e.mkdir(t, "0", name)
		folderHooks = append(folderHooks, e.makeWebhook(t, "folder", dir, "https://hooks.example.com/"+name, "SIGN_REQUEST.COMPLETED"))
	}
	file := e.upload(t, "0", "watched.pdf", minimalPDFBytes())
	fileHook := e.makeWebhook(t, "file", file, "https://hooks.example.com/f", "FILE.TRASHED")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProvidersSmallPages,
		TerraformVersionChecks:   queryTerraform,
		Steps: []resource.TestStep{
			{Config: e.provider()},
			{
				Query: true,
				Config: `
list "box_webhook" "all" {
  provider         = box
  include_resource = true
}

list "box_webhook" "folders" {
  provider = box
  config {
    target_type = "folder"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("box_webhook.all", 3),
					hasIdentity("box_webhook.all", folderHooks[0]),
					hasIdentity("box_webhook.all", folderHooks[1]),
					hasIdentity("box_webhook.all", fileHook),
					querycheck.ExpectResourceDisplayName("box_webhook.all", byIdentity(fileHook), knownvalue.StringExact("webhook on file "+file)),
					querycheck.ExpectResourceKnownValues("box_webhook.all", byIdentity(fileHook), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("target_type"), KnownValue: knownvalue.StringExact("file")},
						{Path: tfjsonpath.New("target_id"), KnownValue: knownvalue.StringExact(file)},
						{Path: tfjsonpath.New("address"), KnownValue: knownvalue.StringExact("https://hooks.example.com/f")},
						{Path: tfjsonpath.New("triggers"), KnownValue: knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("FILE.TRASHED")})},
					}),
					querycheck.ExpectLength("box_webhook.folders", 2),
					hasIdentity("box_webhook.folders", folderHooks[0]),
					hasIdentity("box_webhook.folders", folderHooks[1]),
				},
			},
		},
	})
	// One webhook a page: the walk read every page for each list block.
	if n := e.apiCalls(t, "GET /2.0/webhooks"); n < 6 {
		t.Errorf("%d webhook list calls, want at least 6 (three pages for each list block)", n)
	}
}
