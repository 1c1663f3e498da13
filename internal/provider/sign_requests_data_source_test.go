package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Every request, one per page, with the status filter applied by the
// provider and Box's shared_requests and senders passed through.
func TestAccSignRequestsDataSource(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	requests := e.provider() + fmt.Sprintf(`
resource "box_sign_request" "many" {
  count            = 3
  source_file_ids  = [%q]
  parent_folder_id = %q
  name             = "Batch ${count.index}"
  signer {
    email = "signer${count.index}@example.com"
  }
}
`, e.FileID, e.FolderID)
	lists := `
data "box_sign_requests" "all" {
  depends_on = [box_sign_request.many]
}
data "box_sign_requests" "declined" {
  status     = ["declined"]
  depends_on = [box_sign_request.many]
}
data "box_sign_requests" "outstanding" {
  status     = ["sent", "viewed"]
  depends_on = [box_sign_request.many]
}
data "box_sign_requests" "shared" {
  shared_requests = true
  senders         = ["legal@example.com"]
  depends_on      = [box_sign_request.many]
}
`
	ids := make([]string, 3)
	capture := func(s *terraform.State) error {
		for i := range ids {
			v, err := attrOf(s, fmt.Sprintf("box_sign_request.many.%d", i), "id")
			if err != nil {
				return err
			}
			ids[i] = v
		}
		return nil
	}
	// listed checks that a list holds exactly the requests want, in any order.
	listed := func(name string, want ...*string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			n, err := attrOf(s, name, "sign_requests.#")
			if err != nil {
				return err
			}
			if n != fmt.Sprint(len(want)) {
				return fmt.Errorf("%s lists %s requests, want %d", name, n, len(want))
			}
			got := map[string]bool{}
			for i := range len(want) {
				v, _ := attrOf(s, name, fmt.Sprintf("sign_requests.%d.id", i))
				got[v] = true
			}
			for _, w := range want {
				if !got[*w] {
					return fmt.Errorf("%s does not list %s", name, *w)
				}
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProvidersSmallPages,
		Steps: []resource.TestStep{
			{
				Config: e.provider() + `
data "box_sign_requests" "bad" {
  senders = ["legal@example.com"]
}
`,
				ExpectError: wrapped(`Box accepts it only with shared_requests = true`),
			},
			{
				Config: e.provider() + `
data "box_sign_requests" "bad" {
  status = ["pending"]
}
`,
				ExpectError: regexp.MustCompile(`value must be one of`),
			},
			{
				Config: requests,
				Check:  capture,
			},
			{
				PreConfig: func() {
					s, c := e.signer(t, ids[1], "signer1@example.com", "decline", nil)
					expect(t, "decline", s, c, 200, "")
				},
				Config: requests + lists,
				Check: resource.ComposeAggregateTestCheckFunc(
					listed("data.box_sign_requests.all", &ids[0], &ids[1], &ids[2]),
					listed("data.box_sign_requests.declined", &ids[1]),
					listed("data.box_sign_requests.outstanding", &ids[0], &ids[2]),
					listed("data.box_sign_requests.shared"),
					resource.TestCheckResourceAttr("data.box_sign_requests.declined", "sign_requests.0.status", "declined"),
					resource.TestCheckResourceAttr("data.box_sign_requests.declined", "sign_requests.0.name", "Batch 1.pdf"),
					resource.TestCheckResourceAttr("data.box_sign_requests.declined", "sign_requests.0.signer.0.email", "signer1@example.com"),
					resource.TestCheckResourceAttr("data.box_sign_requests.declined", "sign_requests.0.signer.0.decision", "declined"),
					e.listedAtLeast(t, "GET /2.0/sign_requests", 3),
				),
			},
		},
	})
}
