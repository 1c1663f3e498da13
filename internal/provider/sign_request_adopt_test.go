package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Issue 21: adoption takes only a true orphan, never the request being
// replaced and never a guess, and the plan says when a create adopts.

// boxRequests is every sign request Box holds, by ID: its status and
// signers' emails.
type boxRequest struct {
	status, name string
	emails       []string
}

func (e *testEnv) boxRequests(t *testing.T) map[string]boxRequest {
	t.Helper()
	_, out := e.call(t, "GET", "/2.0/sign_requests?limit=1000", "dev-token", nil)
	all := map[string]boxRequest{}
	entries, _ := out["entries"].([]any)
	for _, en := range entries {
		m, _ := en.(map[string]any)
		r := boxRequest{}
		r.status, _ = m["status"].(string)
		r.name, _ = m["name"].(string)
		ss, _ := m["signers"].([]any)
		for _, s := range ss {
			sm, _ := s.(map[string]any)
			if sm["role"] != "final_copy_reader" {
				em, _ := sm["email"].(string)
				r.emails = append(r.emails, em)
			}
		}
		id, _ := m["id"].(string)
		all[id] = r
	}
	return all
}

// liveIn checks that the requests Box holds live are exactly those the
// state tracks, each once: the "done when" of issue 21.
func (e *testEnv) liveIn(t *testing.T) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		tracked := map[string]string{}
		for addr, rs := range s.RootModule().Resources {
			if rs.Type != "box_sign_request" {
				continue
			}
			if other, dup := tracked[rs.Primary.ID]; dup {
				return fmt.Errorf("%s and %s both track %s", other, addr, rs.Primary.ID)
			}
			tracked[rs.Primary.ID] = addr
		}
		var live []string
		for id, r := range e.boxRequests(t) {
			if r.status == "sent" || r.status == "viewed" || r.status == "converting" || r.status == "created" {
				live = append(live, id)
				if _, ok := tracked[id]; !ok {
					return fmt.Errorf("live request %s (%v) is tracked by no resource", id, r.emails)
				}
			}
		}
		for id, addr := range tracked {
			if r := e.boxRequests(t)[id]; r.status != "sent" && r.status != "viewed" {
				return fmt.Errorf("%s tracks %s, which is %s in Box", addr, id, r.status)
			}
		}
		if len(live) != len(tracked) {
			sort.Strings(live)
			return fmt.Errorf("Box holds %d live requests %v, the state tracks %d", len(live), live, len(tracked))
		}
		return nil
	}
}

// handMade sends, through the API and not through Terraform, the request
// orphanConfig describes, as a person in the web app or another workspace
// would.
func (e *testEnv) handMade(t *testing.T) string {
	t.Helper()
	id, _ := e.sendOrphan(t)
	return id
}

func TestAccSignRequest_twoCandidatesFailClosed(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	first, second := e.handMade(t), e.handMade(t)
	e.failsClosed(t, e.orphanConfig(""), `2 live sign requests.*`+first+`.*`+second+`.*terraform import.*cancel them in Box and apply again`, 2)
}

// failsClosed applies cfg, expects the plan to refuse with "Cannot tell"
// and the pattern, and checks that Box saw only the creates made by hand.
func (e *testEnv) failsClosed(t *testing.T, cfg, pattern string, byHand int) {
	t.Helper()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: wrapped(`Cannot tell whether this sign request was already sent.*` + pattern),
		}},
	})
	if n := e.apiCalls(t, createRoute); n != byHand {
		t.Errorf("creates = %d, want %d (those by hand): nothing may be sent", n, byHand)
	}
}

func TestAccSignRequest_passwordFailsClosed(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	id := e.handMade(t)
	cfg := e.signRequestConfig(`
  name        = "Orphan"
  external_id = "orphan-1"
  signer {
    email    = "orphan@example.com"
    password = "correct-horse-42"
  }
`)
	e.failsClosed(t, cfg, id+`.*password, which Box never returns.*terraform import`, 1)
}

// A request made by hand between the plan and its apply: the plan said
// the create sends, so the apply must not adopt it; Terraform stops the
// apply before anything is sent.
func TestAccSignRequest_handMadeBetweenPlanAndApply(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	var made string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: e.orphanConfig(""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(res, tfjsonpath.New("id")),
				planCheckFunc(func() { made = e.handMade(t) }),
			}},
			ExpectError: wrapped(`inconsistent final plan`),
		}},
	})
	if n := e.apiCalls(t, createRoute); n != 1 {
		t.Errorf("creates = %d, want 1 (the one by hand, %s)", n, made)
	}
}

// planCheckFunc runs f where a plan check runs: after the plan, before
// the apply of that plan.
type planCheckFunc func()

func (f planCheckFunc) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	f()
}

// A request made by hand before the plan matches: the plan names it, and
// the apply adopts exactly it.
func TestAccSignRequest_handMadeBeforePlan(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	id := e.handMade(t)
	rec := &diagRecorder{}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: rec.factories(),
		Steps: []resource.TestStep{{
			Config: e.orphanConfig(""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(res, tfjsonpath.New("id"), knownvalue.StringExact(id)),
			}},
			Check: resource.ComposeAggregateTestCheckFunc(checkID(&id), e.liveIn(t)),
		}},
	})
	if w := rec.plans(); !strings.Contains(w, "This create adopts an existing sign request") || !strings.Contains(w, id) {
		t.Errorf("the plan does not name the request it adopts:\n%s", w)
	}
	if n := e.apiCalls(t, createRoute); n != 1 {
		t.Errorf("creates = %d, want 1", n)
	}
}

// Box names the request after its de-duplicated copy ("Orphan (1).pdf"
// when the folder holds "Orphan.pdf"); the orphan is still found.
func TestAccSignRequest_deduplicatedName(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	// An earlier request of that name, to another signer, leaves
	// Orphan.pdf in the folder.
	if status, out := e.call(t, "POST", "/2.0/sign_requests", "dev-token", map[string]any{
		"source_files":  []any{map[string]any{"id": e.FileID, "type": "file"}},
		"parent_folder": map[string]any{"id": e.FolderID, "type": "folder"},
		"name":          "Orphan",
		"signers":       []any{map[string]any{"email": "someone.else@example.com"}},
	}); status != 201 {
		t.Fatalf("earlier request: HTTP %d %v", status, out)
	}
	id := e.handMade(t)
	if got := e.boxRequests(t)[id].name; got != "Orphan (1).pdf" {
		t.Fatalf("Box named the orphan %q, want %q", got, "Orphan (1).pdf")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: e.orphanConfig(""),
			Check:  checkID(&id),
		}},
	})
	if n := e.apiCalls(t, createRoute); n != 2 {
		t.Errorf("creates = %d, want 2 (both by hand)", n)
	}
}

// cbdConfig is the request with create_before_destroy, replaced whenever
// terraform_data.version changes (the box_file docs' pattern for a new
// request per version).
func (e *testEnv) cbdConfig(version, extra string) string {
	return e.provider() + fmt.Sprintf(`
resource "terraform_data" "version" {
  input = %q
}

resource "box_sign_request" "test" {
  source_file_ids  = [%q]
  parent_folder_id = %q
  name             = "Versioned"
  signer {
    email = "versioned@example.com"
  }
%s
  lifecycle {
    create_before_destroy = true
    replace_triggered_by  = [terraform_data.version]
  }
}
`, version, e.FileID, e.FolderID, extra)
}

// create_before_destroy + replace_triggered_by: the new request matches
// the live one it replaces, which the apply's process cannot tell from an
// orphan (Terraform plans the create again there without the plan's
// knowledge). It never adopts it: the apply stops before sending, the old
// request stays live and tracked; with allow_identical the replacement
// sends and then cancels the old one.
func TestAccSignRequest_createBeforeDestroyReplaceTriggeredBy(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	var first, second string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: e.cbdConfig("1", ""), Check: captureID(&first)},
			{
				Config:      e.cbdConfig("2", ""),
				ExpectError: wrapped(`inconsistent final plan`),
			},
			{
				// The failed apply left the old request live, and deposed in
				// the state: this apply sends the new one, then cancels it.
				PreConfig: func() {
					if r := e.boxRequests(t)[first]; r.status != "sent" || e.apiCalls(t, createRoute) != 1 {
						t.Errorf("after the failed apply: %s is %q, creates = %d; want sent and 1", first, r.status, e.apiCalls(t, createRoute))
					}
				},
				Config: e.cbdConfig("3", "  allow_identical = true\n"),
				Check: resource.ComposeAggregateTestCheckFunc(captureID(&second), e.liveIn(t),
					func(*terraform.State) error {
						if second == first {
							return fmt.Errorf("the replacement kept %s", first)
						}
						return nil
					},
					e.statusInBox(t, &first, "cancelled")),
			},
		},
	})
	if n := e.apiCalls(t, createRoute); n != 2 {
		t.Errorf("creates = %d, want 2", n)
	}
}

// A password change under create_before_destroy: the new request matches
// the old one except for the password, which Box never returns. The apply
// fails closed, naming the old request; nothing is sent or cancelled.
func TestAccSignRequest_passwordChangeCreateBeforeDestroy(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	cfg := func(pw string) string {
		return e.signRequestConfig(fmt.Sprintf(`
  name = "Guarded"
  signer {
    email    = "guarded@example.com"
    password = %q
  }
  lifecycle {
    create_before_destroy = true
  }
`, pw))
	}
	var first string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg("first-pass-123"), Check: captureID(&first)},
			{
				Config:      cfg("second-pass-456"),
				ExpectError: wrapped(`Cannot tell whether this sign request was already sent.*password, which Box never returns`),
			},
			{
				PreConfig: func() {
					if r := e.boxRequests(t)[first]; r.status != "sent" || e.apiCalls(t, createRoute) != 1 {
						t.Errorf("after the failed apply: %s is %q, creates = %d; want sent and 1", first, r.status, e.apiCalls(t, createRoute))
					}
					if got := e.mailsPerRequest(t, "guarded@example.com"); len(got) != 1 || got[first] != 1 {
						t.Errorf("signature emails by request = %v, want one for %s", got, first)
					}
				},
				// The way forward the error names: send on purpose.
				Config: strings.Replace(cfg("second-pass-456"), `name = "Guarded"`, "name = \"Guarded\"\n  allow_identical = true", 1),
				Check:  resource.ComposeAggregateTestCheckFunc(e.liveIn(t), e.statusInBox(t, &first, "cancelled")),
			},
		},
	})
	if n := e.apiCalls(t, createRoute); n != 2 {
		t.Errorf("creates = %d, want 2", n)
	}
}

// renamed is one request under the resource name and for_each/count
// expression given.
func (e *testEnv) renamed(name, meta, email string) string {
	return fmt.Sprintf(`
resource "box_sign_request" %q {
  %s
  source_file_ids  = [%q]
  parent_folder_id = %q
  name             = "Moved"
  signer {
    email = %s
  }
}
`, name, meta, e.FileID, e.FolderID, email)
}

// slowSearchBeforeApply delays the apply's orphan search (its users/me)
// so that Terraform's destroy of the old object runs first: the order
// Terraform usually takes, forced.
func (e *testEnv) slowSearchBeforeApply(t *testing.T) {
	e.fault(t, map[string]any{"method": "GET", "path": "/2.0/users/me", "status": 503, "delay": "2s", "times": 1})
}

// A rename without `moved`: Terraform plans a destroy of the old address
// and a create of the new one. The create must not adopt the request the
// destroy cancels: with the destroy first (forced with latency) the old
// request is cancelled and a new one sent, as the plan says.
//
// Terraform may plan the new address before it refreshes the old one (the
// two run concurrently; Terraform 1.16 often does): the create then finds
// the old request, and the plan says that it adopts it and that the destroy
// leaves it live. The test checks whichever the plan said.
func TestAccSignRequest_renameDestroyFirst(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	c := newTFCLI(t)
	c.write("main.tf", e.provider()+e.renamed("a", "", `"moved@example.com"`))
	c.mustRun("init")
	c.mustRun("apply", "-auto-approve")
	before := c.stateIDOf("box_sign_request.a")
	c.write("main.tf", e.provider()+e.renamed("b", "", `"moved@example.com"`))
	plan := c.mustRun("plan", "-input=false", "-out=tfplan")
	mustContain(t, plan, "box_sign_request.a will be destroyed", "box_sign_request.b will be created")
	handedOver := strings.Contains(plan, "passes to another resource instead of being cancelled")
	e.slowSearchBeforeApply(t)
	c.mustRun("apply", "-input=false", "tfplan")
	after := c.stateIDOf("box_sign_request.b")
	reqs := e.boxRequests(t)
	creates := 2
	if handedOver {
		creates = 1
		if after != before || reqs[before].status != "sent" || len(reqs) != 1 {
			t.Errorf("the plan passed %s to box_sign_request.b; b tracks %s and Box holds %v", before, after, reqs)
		}
	} else if after == before || reqs[before].status != "cancelled" || reqs[after].status != "sent" || len(reqs) != 2 {
		t.Errorf("the plan sent a new request: b tracks %s; Box holds %v; want %s cancelled and the new one sent", after, reqs, before)
	}
	if n := e.apiCalls(t, createRoute); n != creates {
		t.Errorf("creates = %d, want %d (handed over: %v)", n, creates, handedOver)
	}
	if got := e.mailsPerRequest(t, "moved@example.com"); len(got) != creates {
		t.Errorf("signature emails by request = %v, want one for each of %d requests", got, creates)
	}
	if out := c.mustRun("plan", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
		t.Errorf("the state does not match Box:\n%s", out)
	}
}

// A rename without `moved` and a for_each key change, in whatever order
// Terraform schedules the old address's destroy and the new one's create,
// twice each: the apply either does what the plan said or, when the create
// runs first and meets the still-live old request that the plan cancels,
// stops before sending; the next apply then sends. The plan says one of
// two things: the old request is cancelled and a new one sent, or (when the
// new address looked for an orphan before the old one was refreshed) the
// old request passes to the new address, live and not mailed again. Never
// is a request both cancelled and adopted, nor two live, nor one mailed
// twice.
func TestAccSignRequest_addressChangeEitherOrder(t *testing.T) {
	for name, cfgs := range map[string][2]string{
		"rename":              {`resource "box_sign_request" "a" {`, `resource "box_sign_request" "b" {`},
		"for_each key change": {`resource "box_sign_request" "fe" {` + "\n  for_each = toset([\"x\"])", `resource "box_sign_request" "fe" {` + "\n  for_each = toset([\"y\"])"},
	} {
		t.Run(name, func(t *testing.T) {
			for run := range 2 {
				e := newTestEnv(t)
				e.requireEmulator(t)
				body := fmt.Sprintf(`
  source_file_ids  = [%q]
  parent_folder_id = %q
  name             = "Moved"
  signer {
    email = "moved@example.com"
  }
}
`, e.FileID, e.FolderID)
				c := newTFCLI(t)
				c.write("main.tf", e.provider()+cfgs[0]+body)
				c.mustRun("init")
				c.mustRun("apply", "-auto-approve")
				var old string
				for id := range e.boxRequests(t) {
					old = id
				}
				c.write("main.tf", e.provider()+cfgs[1]+body)
				var err error
				var out string
				failedClosed := 0
				for attempt := 0; attempt < 5; attempt++ {
					if out, err = c.run("apply", "-auto-approve"); err == nil {
						break
					}
					failedClosed++
					mustContain(t, out, "inconsistent final plan")
				}
				if err != nil {
					t.Fatalf("run %d: five applies in a row failed closed", run)
				}
				handedOver := strings.Contains(out, "passes to another resource instead of being cancelled")
				reqs := e.boxRequests(t)
				live := 0
				for id, r := range reqs {
					if r.status == "sent" {
						live++
						if id == old && !handedOver {
							t.Errorf("run %d: the old request %s is still live, though the plan cancelled it", run, old)
						}
					}
				}
				wantReqs := map[bool]int{true: 1, false: 2}[handedOver]
				if live != 1 || len(reqs) != wantReqs || (!handedOver && reqs[old].status != "cancelled") {
					t.Errorf("run %d (%d applies failed closed first, handed over %v): Box holds %v", run, failedClosed, handedOver, reqs)
				}
				if got := e.mailsPerRequest(t, "moved@example.com"); len(got) != wantReqs {
					t.Errorf("run %d: signature emails by request = %v, want one for each of %d requests", run, got, wantReqs)
				}
				if out := c.mustRun("plan", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
					t.Errorf("run %d: the state does not match Box:\n%s", run, out)
				}
			}
		})
	}
}

// Removing the middle of three count instances shifts the third onto the
// second: Terraform replaces [1] (its signer changes) and destroys [2].
// Terraform refreshes and plans the instances concurrently, so [1]'s new
// object may look for an orphan before [2] is refreshed, and find [2]'s
// request, which matches it exactly. Either order ends as its plan says:
//   - [2] refreshed first: [1] sends a new request to the third signer, and
//     the destroy of [2] cancels the old one;
//   - [1] searched first: the plan says [1] adopts [2]'s request and that the
//     destroy of [2] leaves it live; the third signer keeps that request and
//     is not mailed again.
//
// Never is a request cancelled and adopted, nor one tracked twice or live
// untracked, nor a signer mailed for a request the plan did not announce.
// Run at -parallelism=1 and Terraform's default, which take either order.
func TestAccSignRequest_countShift(t *testing.T) {
	branches := map[bool]int{}
	for _, parallelism := range []string{"1", "10", "1", "10"} {
		handedOver := countShift(t, parallelism)
		branches[handedOver]++
	}
	t.Logf("runs where [2]'s request passed to [1]: %d; where [1] sent a new one: %d", branches[true], branches[false])
}

// countShift runs one count shift at the given -parallelism and reports
// whether the plan passed the third request to [1].
func countShift(t *testing.T, parallelism string) (handedOver bool) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	cfg := func(emails ...string) string {
		quoted := make([]string, len(emails))
		for i, m := range emails {
			quoted[i] = fmt.Sprintf("%q", m)
		}
		return e.provider() + fmt.Sprintf("locals {\n  signers = [%s]\n}\n", strings.Join(quoted, ", ")) +
			e.renamed("shift", "count = length(local.signers)", "local.signers[count.index]")
	}
	c := newTFCLI(t)
	c.write("main.tf", cfg("one@example.com", "two@example.com", "three@example.com"))
	c.mustRun("init")
	c.mustRun("apply", "-auto-approve")
	first, removed, third := c.stateIDOf("box_sign_request.shift[0]"), c.stateIDOf("box_sign_request.shift[1]"), c.stateIDOf("box_sign_request.shift[2]")

	c.write("main.tf", cfg("one@example.com", "three@example.com"))
	plan := c.mustRun("plan", "-parallelism="+parallelism, "-out=tfplan")
	handedOver = strings.Contains(plan, "passes to another resource instead of being cancelled")
	if handedOver {
		mustContain(t, plan, "This create adopts an existing sign request", third, "Plan: 1 to add, 0 to change, 2 to destroy.")
	}
	apply := c.mustRun("apply", "-parallelism="+parallelism, "tfplan")
	shifted := c.stateIDOf("box_sign_request.shift[1]")
	reqs := e.boxRequests(t)
	want := map[string]string{first: "sent", removed: "cancelled"}
	if handedOver {
		mustContain(t, apply, "it passes to another resource")
		want[third] = "sent"
		if shifted != third {
			t.Errorf("-parallelism=%s: the plan passed %s to shift[1], which tracks %s", parallelism, third, shifted)
		}
	} else {
		want[third] = "cancelled"
		want[shifted] = "sent"
		if shifted == third || shifted == removed || shifted == first {
			t.Errorf("-parallelism=%s: shift[1] tracks %s, an old request, though the plan sent a new one", parallelism, shifted)
		}
	}
	for id, st := range want {
		if reqs[id].status != st {
			t.Errorf("-parallelism=%s, handed over %v: request %s is %q, want %q (Box holds %v)", parallelism, handedOver, id, reqs[id].status, st, reqs)
		}
	}
	if len(reqs) != len(want) {
		t.Errorf("-parallelism=%s, handed over %v: Box holds %d requests, want %d: %v", parallelism, handedOver, len(reqs), len(want), reqs)
	}
	creates := map[bool]int{true: 3, false: 4}[handedOver]
	if n := e.apiCalls(t, createRoute); n != creates {
		t.Errorf("-parallelism=%s, handed over %v: creates = %d, want %d", parallelism, handedOver, n, creates)
	}
	for to, want := range map[string]int{"two@example.com": 1, "three@example.com": map[bool]int{true: 1, false: 2}[handedOver]} {
		if got := e.mailsPerRequest(t, to); len(got) != want {
			t.Errorf("-parallelism=%s, handed over %v: %s mailed for %d requests, want %d", parallelism, handedOver, to, len(got), want)
		}
	}
	if out := c.mustRun("plan", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
		t.Errorf("-parallelism=%s: the state does not match Box:\n%s", parallelism, out)
	}
	return handedOver
}
