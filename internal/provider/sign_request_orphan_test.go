package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/box/terraform-provider-box/internal/emulator"
)

const createRoute = "POST /2.0/sign_requests"

// diagRecorder serves the provider and keeps the warnings its plans and
// applies return, which terraform-plugin-testing does not show to a test.
type diagRecorder struct {
	mu       sync.Mutex
	warnings []string // applies
	planned  []string // plans
}

func (d *diagRecorder) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"box": func() (tfprotov6.ProviderServer, error) {
			s, err := providerserver.NewProtocol6WithError(New("test")())()
			return &recordingServer{ProviderServer: s, rec: d}, err
		},
	}
}

func (d *diagRecorder) all() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return strings.Join(d.warnings, "\n")
}

func (d *diagRecorder) plans() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return strings.Join(d.planned, "\n")
}

func (d *diagRecorder) keep(into *[]string, diags []*tfprotov6.Diagnostic) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, g := range diags {
		if g.Severity == tfprotov6.DiagnosticSeverityWarning {
			*into = append(*into, g.Summary+": "+g.Detail)
		}
	}
}

type recordingServer struct {
	tfprotov6.ProviderServer
	rec *diagRecorder
}

func (s *recordingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		s.rec.keep(&s.rec.warnings, resp.Diagnostics)
	}
	return resp, err
}

func (s *recordingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		s.rec.keep(&s.rec.planned, resp.Diagnostics)
	}
	return resp, err
}

// orphanConfig is the request an interrupted run left in Box.
func (e *testEnv) orphanConfig(extra string) string {
	return e.signRequestConfig(`
  name        = "Orphan"
  external_id = "orphan-1"
  signer {
    email = "orphan@example.com"
  }
` + extra)
}

// sendOrphan creates, behind Terraform's back, the request orphanConfig
// describes, as a run killed after Box answered would have left it.
func (e *testEnv) sendOrphan(t *testing.T) (id, createdAt string) {
	t.Helper()
	status, out := e.call(t, "POST", "/2.0/sign_requests", "dev-token", map[string]any{
		"source_files":  []any{map[string]any{"id": e.FileID, "type": "file"}},
		"parent_folder": map[string]any{"id": e.FolderID, "type": "folder"},
		"name":          "Orphan",
		"external_id":   "orphan-1",
		"signers":       []any{map[string]any{"email": "orphan@example.com"}},
	})
	if status != 201 {
		t.Fatalf("creating the orphan: HTTP %d %v", status, out)
	}
	id, _ = out["id"].(string)
	createdAt, _ = out["created_at"].(string)
	return id, createdAt
}

// mailsPerRequest counts the signature requests mailed to an address,
// by sign request.
func (e *testEnv) mailsPerRequest(t *testing.T, to string) map[string]int {
	t.Helper()
	_, out := e.call(t, "GET", "/_emulator/emails", "", nil)
	n := map[string]int{}
	entries, _ := out["entries"].([]any)
	for _, en := range entries {
		if m, _ := en.(map[string]any); m["kind"] == "signature_requested" && m["to"] == to {
			id, _ := m["sign_request_id"].(string)
			n[id]++
		}
	}
	return n
}

func checkID(want *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if got := s.RootModule().Resources[res].Primary.ID; got != *want {
			return fmt.Errorf("state holds %s, want %s", got, *want)
		}
		return nil
	}
}

func TestAccSignRequest_adoptsOrphan(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	orphanID, createdAt := e.sendOrphan(t)
	ts, err := time.Parse(time.RFC3339Nano, createdAt)
	if err != nil {
		t.Fatalf("the orphan's created_at %q: %v", createdAt, err)
	}
	created := ts.UTC().Format(time.RFC3339) // the state keeps seconds
	rec := &diagRecorder{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: e.orphanConfig(""),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				// The plan names the request it adopts.
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(orphanID)),
				},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkID(&orphanID),
				resource.TestCheckResourceAttr(res, "created_at", created),
				resource.TestCheckResourceAttr(res, "status", "sent"),
				resource.TestCheckResourceAttr(res, "allow_identical", "false"),
				resource.TestCheckResourceAttr(res, "external_id", "orphan-1"),
			),
		}},
	})
	if n := e.apiCalls(t, createRoute); n != 1 {
		t.Errorf("creates = %d, want 1 (the orphan's own): the provider must send none", n)
	}
	// Issue 21: the plan says it, before anything is applied (the warning
	// came from the apply before); a password now fails closed instead of
	// being noted as not compared (TestAccSignRequest_adoptionFailsClosed).
	warn := rec.plans()
	for _, want := range []string{
		"This create adopts an existing sign request instead of sending one",
		"sign request " + orphanID,
		"created at " + created,
		"orphan_window (6h0m0s)",
		"interrupted",
		"allow_identical = true",
	} {
		if !strings.Contains(warn, want) {
			t.Errorf("plan warning lacks %q:\n%s", want, warn)
		}
	}
	if got := e.mailsPerRequest(t, "orphan@example.com"); len(got) != 1 || got[orphanID] != 1 {
		t.Errorf("signature emails by request = %v, want one for %s", got, orphanID)
	}
}

// allow_identical = true sends even with an orphan in Box; turning it off
// afterwards is an in-place update that sends nothing.
func TestAccSignRequest_allowIdentical(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	orphanID, _ := e.sendOrphan(t)
	rec := &diagRecorder{}
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{
			{
				Config: e.orphanConfig("  allow_identical = true\n"),
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(&id),
					resource.TestCheckResourceAttr(res, "allow_identical", "true"),
					func(*terraform.State) error {
						if id == orphanID {
							return fmt.Errorf("adopted %s despite allow_identical", id)
						}
						return nil
					},
				),
			},
			{
				Config: e.orphanConfig("  allow_identical = false\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkID(&id),
					resource.TestCheckResourceAttr(res, "allow_identical", "false"),
				),
			},
		},
	})
	if n := e.apiCalls(t, createRoute); n != 2 {
		t.Errorf("creates = %d, want 2 (the orphan, then one by the provider)", n)
	}
	if w := rec.all() + rec.plans(); strings.Contains(w, "adopts") {
		t.Errorf("unexpected adoption warning: %s", w)
	}
}

// Two identical resources in one configuration are told apart by
// external_id or allow_identical; raising count later adds a request
// instead of adopting one of the first two.
func TestAccSignRequest_identicalResources(t *testing.T) {
	for name, arg := range map[string]string{
		"distinct external_id": `external_id = "copy-${count.index}"`,
		"allow_identical":      `allow_identical = true`,
	} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t)
			e.requireEmulator(t)
			cfg := func(count int) string {
				return e.provider() + fmt.Sprintf(`
resource "box_sign_request" "copy" {
  count            = %d
  source_file_ids  = [%q]
  parent_folder_id = %q
  name             = "Same"
  %s
  signer {
    email = "twice@example.com"
  }
}
`, count, e.FileID, e.FolderID, arg)
			}
			distinct := func(n int) resource.TestCheckFunc {
				return func(s *terraform.State) error {
					ids := map[string]bool{}
					for i := range n {
						ids[s.RootModule().Resources[fmt.Sprintf("box_sign_request.copy.%d", i)].Primary.ID] = true
					}
					if len(ids) != n {
						return fmt.Errorf("%d resources share %d requests", n, len(ids))
					}
					return nil
				}
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{
					{Config: cfg(2), Check: distinct(2)},
					{Config: cfg(3), Check: distinct(3)},
				},
			})
			if n := e.apiCalls(t, createRoute); n != 3 {
				t.Errorf("creates = %d, want 3", n)
			}
			mails := e.mailsPerRequest(t, "twice@example.com")
			if len(mails) != 3 {
				t.Errorf("signature emails by request = %v, want 3 requests", mails)
			}
			for id, n := range mails {
				if n != 1 {
					t.Errorf("request %s mailed %d times, want once", id, n)
				}
			}
		})
	}
}

// A matching request that is no longer live is history: a new one is sent.
func TestAccSignRequest_finishedOrphanNotAdopted(t *testing.T) {
	for _, finish := range []string{"cancelled", "declined"} {
		t.Run(finish, func(t *testing.T) {
			e := newTestEnv(t)
			e.requireEmulator(t)
			orphanID, _ := e.sendOrphan(t)
			if finish == "cancelled" {
				if status, _ := e.call(t, "POST", "/2.0/sign_requests/"+orphanID+"/cancel", "dev-token", nil); status != 200 {
					t.Fatalf("cancel: HTTP %d", status)
				}
			} else if status, code := e.signer(t, orphanID, "orphan@example.com", "decline", nil); status >= 300 {
				t.Fatalf("decline: HTTP %d %s", status, code)
			}
			var id string
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config: e.orphanConfig(""),
					Check: resource.ComposeAggregateTestCheckFunc(
						captureID(&id),
						resource.TestCheckResourceAttr(res, "status", "sent"),
					),
				}},
			})
			if id == orphanID || e.apiCalls(t, createRoute) != 2 {
				t.Errorf("state holds %s (orphan %s), creates = %d; want a new request", id, orphanID, e.apiCalls(t, createRoute))
			}
		})
	}
}

// An orphan older than orphan_window is not adopted; a wider window
// adopts it.
func TestAccSignRequest_orphanWindow(t *testing.T) {
	cases := []struct {
		name     string
		settings []string
		adopt    bool
	}{
		{"default 6h: too old", nil, false},
		{"orphan_window 48h", []string{`access_token = "dev-token"`, `orphan_window = "48h"`}, true},
		{"orphan_window 0: off", []string{`access_token = "dev-token"`, `orphan_window = "0"`}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mu sync.Mutex
			shift := -25 * time.Hour
			e := newTestEnv(t, func(o *emulator.Options) {
				o.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(shift) }
			})
			e.requireEmulator(t)
			orphanID, _ := e.sendOrphan(t)
			mu.Lock()
			shift = 0
			mu.Unlock()
			// A day has passed: the developer token sent the orphan and has
			// expired since, as on Box. Generate it again, as a user would.
			if status, _ := e.call(t, "POST", "/_emulator/developer_token", "", nil); status >= 300 {
				t.Fatalf("renew developer token: HTTP %d", status)
			}
			var id string
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config: e.provider(c.settings...) + strings.TrimPrefix(e.orphanConfig(""), e.provider()),
					Check:  captureID(&id),
				}},
			})
			if adopted := id == orphanID; adopted != c.adopt {
				t.Errorf("adopted = %v, want %v", adopted, c.adopt)
			}
			wantCreates := 2
			if c.adopt {
				wantCreates = 1
			}
			if n := e.apiCalls(t, createRoute); n != wantCreates {
				t.Errorf("creates = %d, want %d", n, wantCreates)
			}
		})
	}
}

// A failed search is an error that sends nothing and says what to do; the
// next apply searches again.
func TestAccSignRequest_orphanSearchFails(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	e.fault(t, map[string]any{"method": "GET", "path": "/2.0/users/me", "status": 403, "times": 1})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      e.orphanConfig(""),
				ExpectError: regexp.MustCompile(`(?s)Could not look for an orphaned sign request.*nothing was sent.*allow_identical = true`),
			},
			{
				PreConfig: func() {
					if n := e.apiCalls(t, createRoute); n != 0 {
						t.Errorf("creates after the failed search = %d, want 0", n)
					}
				},
				Config: e.orphanConfig(""),
				Check:  resource.TestCheckResourceAttr(res, "status", "sent"),
			},
		},
	})
	if n := e.apiCalls(t, createRoute); n != 1 {
		t.Errorf("creates = %d, want 1", n)
	}
}
