package provider

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

const webhookRes = "box_webhook.test"

// webhookConfig is a box_webhook named "test" on a folder.
func (e *testEnv) webhookConfig(folderID, address string, triggers ...string) string {
	return e.provider() + fmt.Sprintf(`
resource "box_webhook" "test" {
  target_type = "folder"
  target_id   = %q
  address     = %q
  triggers    = ["%s"]
}
`, folderID, address, strings.Join(triggers, `", "`))
}

// makeWebhook creates a webhook straight through Box's API, as another
// tool would, and returns its ID.
func (e *testEnv) makeWebhook(t *testing.T, targetType, targetID, address string, triggers ...string) string {
	t.Helper()
	code, out := e.call(t, "POST", "/2.0/webhooks", "dev-token", map[string]any{
		"target": map[string]any{"id": targetID, "type": targetType}, "address": address, "triggers": triggers})
	if code != 201 {
		t.Fatalf("creating a webhook: HTTP %d %v", code, out)
	}
	return out["id"].(string)
}

// webhookInBox checks what Box holds for the webhook: its triggers, sorted
// and joined by spaces, or "none" when Box answers 404.
func (e *testEnv) webhookInBox(t *testing.T, id *string, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		code, out := e.call(t, "GET", "/2.0/webhooks/"+*id, "dev-token", nil)
		got := "none"
		if code == 200 {
			var ts []string
			for _, x := range out["triggers"].([]any) {
				ts = append(ts, x.(string))
			}
			sort.Strings(ts)
			got = strings.Join(ts, " ")
		} else if code != 404 {
			return fmt.Errorf("webhook %s: HTTP %d", *id, code)
		}
		if got != want {
			return fmt.Errorf("webhook %s in Box: %q, want %q", *id, got, want)
		}
		return nil
	}
}

// Create, change the triggers and the address in place, import, recreate
// after Box deleted it, destroy.
func TestAccWebhook_lifecycle(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	folder := e.mkdir(t, "0", "Signed copies")
	addr := "https://hooks.example.com/box"
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             e.webhookInBox(t, &id, "none"),
		Steps: []resource.TestStep{
			{
				Config: e.webhookConfig(folder, addr, "SIGN_REQUEST.COMPLETED"),
				Check: resource.ComposeTestCheckFunc(
					captureAttr(webhookRes, "id", &id),
					resource.TestCheckResourceAttr(webhookRes, "target_id", folder),
					resource.TestCheckResourceAttr(webhookRes, "triggers.#", "1"),
					e.webhookInBox(t, &id, "SIGN_REQUEST.COMPLETED"),
				),
			},
			{
				Config:           e.webhookConfig(folder, addr, "SIGN_REQUEST.COMPLETED", "SIGN_REQUEST.DECLINED", "SIGN_REQUEST.SIGNER_SIGNED"),
				ConfigPlanChecks: expectUpdate(webhookRes),
				Check: resource.ComposeTestCheckFunc(
					sameAttr(webhookRes, "id", &id),
					e.webhookInBox(t, &id, "SIGN_REQUEST.COMPLETED SIGN_REQUEST.DECLINED SIGN_REQUEST.SIGNER_SIGNED"),
				),
			},
			{
				Config:           e.webhookConfig(folder, "https://hooks.example.com/box/v2", "SIGN_REQUEST.COMPLETED"),
				ConfigPlanChecks: expectUpdate(webhookRes),
				Check: resource.ComposeTestCheckFunc(
					sameAttr(webhookRes, "id", &id),
					resource.TestCheckResourceAttr(webhookRes, "address", "https://hooks.example.com/box/v2"),
					e.webhookInBox(t, &id, "SIGN_REQUEST.COMPLETED"),
				),
			},
			{ResourceName: webhookRes, ImportState: true, ImportStateVerify: true},
			{
				// Box deleted it (its deliveries failed for 30 days): the
				// refresh drops it and the apply makes it again.
				PreConfig: func() {
					if code, _ := e.call(t, "DELETE", "/2.0/webhooks/"+id, "dev-token", nil); code != 204 {
						t.Fatalf("deleting the webhook: HTTP %d", code)
					}
				},
				Config: e.webhookConfig(folder, "https://hooks.example.com/box/v2", "SIGN_REQUEST.COMPLETED"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookRes, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(captureAttr(webhookRes, "id", &id), e.webhookInBox(t, &id, "SIGN_REQUEST.COMPLETED")),
			},
		},
	})
}

// The refresh that finds the webhook gone warns and says why Box deletes
// webhooks.
func TestAccWebhook_goneWarning(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	folder := e.mkdir(t, "0", "Hooks")
	c := newTFCLI(t)
	c.write("main.tf", e.webhookConfig(folder, "https://hooks.example.com/box", "FILE.UPLOADED"))
	c.mustRun("init")
	c.mustRun("apply", "-auto-approve")
	_, out := e.call(t, "GET", "/2.0/webhooks", "dev-token", nil)
	id := out["entries"].([]any)[0].(map[string]any)["id"].(string)
	if code, _ := e.call(t, "DELETE", "/2.0/webhooks/"+id, "dev-token", nil); code != 204 {
		t.Fatalf("deleting the webhook: HTTP %d", code)
	}
	plan := c.mustRun("plan")
	mustContain(t, plan, "Webhook "+id+" is gone from Box", "failed for 30 days", "will be created")
}

// Every plan-time check names the attribute and calls Box not once.
func TestAccWebhook_planChecks(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	folder := e.mkdir(t, "0", "Hooks")
	before := e.apiCalls(t, "")
	cfg := func(targetID, address, triggers string) string {
		return e.provider() + fmt.Sprintf(`
resource "box_webhook" "test" {
  target_type = "folder"
  target_id   = %q
  address     = %q
  triggers    = %s
}
`, targetID, address, triggers)
	}
	good := `["SIGN_REQUEST.COMPLETED"]`
	for _, tc := range []struct {
		name, config string
		want         *regexp.Regexp
	}{
		{"http", cfg(folder, "http://hooks.example.com/box", good), regexp.MustCompile(`(?s)address.*must use https`)},
		{"port", cfg(folder, "https://hooks.example.com:8443/box", good), regexp.MustCompile(`(?s)address.*must use port 443`)},
		{"loopback http", cfg(folder, "http://127.0.0.1:8443/box", good), regexp.MustCompile(`(?s)address.*must use https`)},
		{"root folder", cfg("0", "https://hooks.example.com/box", good), regexp.MustCompile(`(?s)target_id.*root folder`)},
		{"unknown trigger", cfg(folder, "https://hooks.example.com/box", `["SIGN_REQUEST.SIGNED"]`), regexp.MustCompile(`(?s)triggers.*value must be one of`)},
		{"empty triggers", cfg(folder, "https://hooks.example.com/box", `[]`), regexp.MustCompile(`(?s)triggers.*at least 1`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps:                    []resource.TestStep{{Config: tc.config, PlanOnly: true, ExpectError: tc.want}},
			})
		})
	}
	if n := e.apiCalls(t, "") - before; n != 0 {
		t.Errorf("the plan-time checks made %d API calls, want 0", n)
	}
}

// A loopback address passes the plan with a warning that Box would refuse it.
func TestAccWebhook_loopbackWarning(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	folder := e.mkdir(t, "0", "Hooks")
	c := newTFCLI(t)
	c.write("main.tf", e.webhookConfig(folder, "https://127.0.0.1:8443/box", "FILE.UPLOADED"))
	c.mustRun("init")
	plan := c.mustRun("plan")
	mustContain(t, plan, "Only the Box emulator accepts a loopback webhook address", "will be created")
	mustNotContain(t, plan, "8443/box\"\n    │") // the warning does not repeat the address
}

// A second webhook on the same folder: Box's 409, at target_id, with the way out.
func TestAccWebhook_conflict(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	folder := e.mkdir(t, "0", "Hooks")
	e.makeWebhook(t, "folder", folder, "https://hooks.example.com/a", "FILE.UPLOADED")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      e.webhookConfig(folder, "https://hooks.example.com/b", "FILE.UPLOADED"),
			ExpectError: regexp.MustCompile(`(?s)target_id.*request_id.*one webhook per file or folder`),
		}},
	})
}
