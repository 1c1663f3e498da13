package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/box/terraform-provider-box/internal/box"
)

// boxClient is a client of the environment's Box, as a user outside
// Terraform would have, to check what Box serves.
func (e *testEnv) boxClient(t *testing.T) *box.Client {
	t.Helper()
	c, err := box.New(box.Config{APIBaseURL: e.URL, UploadBaseURL: e.URL, AccessToken: "dev-token"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// emulatorRecord is what the emulator keeps of a request, beyond Box's
// answer: the reason it was cancelled with.
func (e *testEnv) emulatorRecord(t *testing.T, id string) map[string]any {
	t.Helper()
	status, out := e.call(t, "GET", "/_emulator/sign_requests/"+id, "", nil)
	if status != 200 {
		t.Fatalf("GET /_emulator/sign_requests/%s: HTTP %d", id, status)
	}
	return out
}

// writeCalls counts the requests that would change something in Box or
// email someone: creates, cancels and resends.
func (e *testEnv) writeCalls(t *testing.T) int {
	t.Helper()
	n := 0
	for _, route := range []string{"POST /2.0/sign_requests", "POST /2.0/sign_requests/{id}/cancel", "POST /2.0/sign_requests/{id}/resend"} {
		n += e.apiCalls(t, route)
	}
	return n
}

// A request created with request_flow records it; cancel_reason changes
// in place and calls nothing that writes; destroy cancels with the reason
// in the state, which Box keeps.
func TestAccSignRequestEvidence_requestFlowAndCancelReason(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	var id string
	writes := 0
	config := func(reason string) string {
		return e.signRequestConfig(fmt.Sprintf(`
  request_flow  = "standard"
  cancel_reason = %q
  signer {
    email = "flo@example.com"
  }`, reason))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			rec := e.emulatorRecord(t, id)
			sr, _ := rec["sign_request"].(map[string]any)
			if sr["status"] != "cancelled" || rec["cancel_reason"] != "Superseded by v2" {
				return fmt.Errorf("after destroy: status %v, cancel_reason %v; want cancelled with the reason in the state", sr["status"], rec["cancel_reason"])
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config("Draft"),
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(&id),
					resource.TestCheckResourceAttr(res, "request_flow", "standard"),
					resource.TestCheckResourceAttr(res, "cancel_reason", "Draft"),
					resource.TestCheckNoResourceAttr(res, "error_code"),
					resource.TestCheckNoResourceAttr(res, "finished_at"),
					resource.TestCheckResourceAttr(res, "sign_files.#", "1"),
					resource.TestCheckResourceAttrPair(res, "sign_files.0.file_id", res, "sign_file_ids.0"),
					resource.TestMatchResourceAttr(res, "sign_files.0.sha1", regexp.MustCompile(`^[0-9a-f]{40}$`)),
					resource.TestCheckResourceAttrPair(res, "signing_log.file_id", res, "signing_log_file_id"),
					func(*terraform.State) error { writes = e.writeCalls(t); return nil },
				),
			},
			{
				Config: config("Superseded by v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("status"), knownvalue.StringExact("sent")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "cancel_reason", "Superseded by v2"),
					func(*terraform.State) error {
						if n := e.writeCalls(t); n != writes {
							return fmt.Errorf("changing cancel_reason made %d writes to Box, want none", n-writes)
						}
						if rec := e.emulatorRecord(t, id); rec["cancel_reason"] != nil {
							return fmt.Errorf("the request was cancelled (reason %v) by an in-place change", rec["cancel_reason"])
						}
						return nil
					},
				),
			},
		},
	})
}

// withDataSource adds a box_sign_request data source reading the
// request, to show that the data sources report what the resource does.
func withDataSource(config string) string {
	return config + `
data "box_sign_request" "test" {
  id = box_sign_request.test.id
}
`
}

const evidenceDataSource = "data.box_sign_request.test"

// A declined request shows the signer's reason, in the resource and in the
// box_sign_request data source, with finished_at and Box's default flow.
func TestAccSignRequestEvidence_declined(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	var id string
	body := `
  signer {
    email = "dee@example.com"
  }`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: e.signRequestConfig(body),
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(&id),
					resource.TestCheckResourceAttr(res, "request_flow", "standard"),
					resource.TestCheckNoResourceAttr(res, "signer.0.decline_reason"),
				),
			},
			{
				PreConfig: func() {
					if s, code := e.signer(t, id, "dee@example.com", "decline", map[string]any{"reason": "The fee is wrong"}); s != 200 {
						t.Fatalf("decline: %d %s", s, code)
					}
				},
				Config: withDataSource(e.signRequestConfig(body)),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "status", "declined"),
					resource.TestCheckResourceAttr(res, "signer.0.decision", "declined"),
					resource.TestCheckResourceAttr(res, "signer.0.decline_reason", "The fee is wrong"),
					resource.TestCheckResourceAttrSet(res, "finished_at"),
					resource.TestCheckResourceAttr(evidenceDataSource, "signer.0.decline_reason", "The fee is wrong"),
					resource.TestCheckResourceAttrPair(evidenceDataSource, "finished_at", res, "finished_at"),
					resource.TestCheckResourceAttr(evidenceDataSource, "request_flow", "standard"),
				),
			},
		},
	})
}

// A signed request shows what the signer typed (sensitive) and uploaded,
// and the SHA-1 of its signed copy and log, each equal to that of the
// bytes Box serves, in the resource and in the data source.
func TestAccSignRequestEvidence_signed(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	var id string
	body := `
  prefill_tag {
    document_tag_id = "company"
    text_value      = "Acme"
  }
  signer {
    email = "sig@example.com"
  }`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: e.signRequestConfig(body), Check: captureID(&id)},
			{
				PreConfig: func() {
					if s, code := e.signer(t, id, "sig@example.com", "open", nil); s != 200 {
						t.Fatalf("open: %d %s", s, code)
					}
					if s, code := e.signer(t, id, "sig@example.com", "sign", map[string]any{
						"inputs":     []any{map[string]any{"document_tag_id": "company", "text_value": "Acme Ltd"}},
						"attachment": map[string]any{"name": "passport.pdf", "content": "%PDF-1.4 passport"},
					}); s != 200 {
						t.Fatalf("sign: %d %s", s, code)
					}
				},
				Config: withDataSource(e.signRequestConfig(body)),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "status", "signed"),
					resource.TestCheckResourceAttrSet(res, "finished_at"),
					resource.TestCheckResourceAttr(res, "signer.0.inputs.#", "1"),
					resource.TestCheckResourceAttr(res, "signer.0.inputs.0.document_tag_id", "company"),
					resource.TestCheckResourceAttr(res, "signer.0.inputs.0.type", "text"),
					resource.TestCheckResourceAttr(res, "signer.0.inputs.0.text_value", "Acme Ltd"),
					resource.TestCheckResourceAttr(res, "signer.0.attachments.#", "1"),
					resource.TestCheckResourceAttr(res, "signer.0.attachments.0.name", "passport.pdf"),
					resource.TestCheckResourceAttrSet(res, "signer.0.attachments.0.file_id"),
					resource.TestCheckResourceAttr(evidenceDataSource, "signer.0.inputs.0.text_value", "Acme Ltd"),
					resource.TestCheckResourceAttrPair(evidenceDataSource, "sign_files.0.sha1", res, "sign_files.0.sha1"),
					e.servedSHA1(t, res, "sign_files.0"),
					e.servedSHA1(t, res, "signing_log"),
				),
			},
		},
	})
}

// servedSHA1 checks that the state's sha1 and version_id of a file object
// are those of the bytes Box serves for that file now.
func (e *testEnv) servedSHA1(t *testing.T, res, prefix string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs := s.RootModule().Resources[res]
		if rs == nil {
			return fmt.Errorf("%s not in state", res)
		}
		attrs := rs.Primary.Attributes
		fileID, sha1, version := attrs[prefix+".file_id"], attrs[prefix+".sha1"], attrs[prefix+".version_id"]
		c := e.boxClient(t)
		content, err := c.DownloadFile(t.Context(), fileID, "")
		if err != nil {
			return err
		}
		if got := box.SHA1Hex(content); got != sha1 {
			return fmt.Errorf("%s.sha1 is %s; the bytes Box serves hash to %s", prefix, sha1, got)
		}
		f, err := c.GetFile(t.Context(), fileID)
		if err != nil {
			return err
		}
		if f.VersionID() != version {
			return fmt.Errorf("%s.version_id is %s; Box's current version is %s", prefix, version, f.VersionID())
		}
		return nil
	}
}

// A state written before the evidence attributes existed plans nothing:
// the refresh fills them in. The older state is simulated by removing the
// new attributes from terraform.tfstate.
func TestAccSignRequestEvidence_olderStatePlansNothing(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	tf := newTFCLI(t)
	tf.write("main.tf", e.signRequestConfig(`
  signer {
    email = "old@example.com"
  }`))
	tf.mustRun("init", "-input=false")
	tf.mustRun("apply", "-input=false", "-auto-approve")
	id := stateAttr(t, tf, "id")
	if s, code := e.signer(t, id, "old@example.com", "decline", map[string]any{"reason": "No"}); s != 200 {
		t.Fatalf("decline: %d %s", s, code)
	}

	var st map[string]any
	if err := json.Unmarshal([]byte(tf.read("terraform.tfstate")), &st); err != nil {
		t.Fatal(err)
	}
	attrs := stateObject(t, st)
	for _, name := range []string{"request_flow", "cancel_reason", "error_code", "finished_at", "sign_files", "signing_log"} {
		if _, ok := attrs[name]; !ok {
			t.Fatalf("the state has no %s to remove: the test no longer simulates an older state", name)
		}
		delete(attrs, name)
	}
	for _, s := range attrs["signer"].([]any) {
		for _, name := range []string{"decline_reason", "inputs", "attachments"} {
			delete(s.(map[string]any), name)
		}
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	tf.write("terraform.tfstate", string(b))

	writes := e.writeCalls(t)
	out := tf.mustRun("plan", "-input=false", "-detailed-exitcode")
	mustContain(t, out, "No changes.")
	if n := e.writeCalls(t); n != writes {
		t.Errorf("the plan made %d writes to Box", n-writes)
	}
	tf.mustRun("apply", "-input=false", "-auto-approve", "-refresh-only")
	if got := stateAttr(t, tf, "finished_at"); got == "" {
		t.Error("the refresh did not fill in finished_at")
	}
	if got := stateObject(t, readState(t, tf))["signer"].([]any)[0].(map[string]any)["decline_reason"]; got != "No" {
		t.Errorf("decline_reason after the refresh: %v", got)
	}
}

func readState(t *testing.T, tf *tfCLI) map[string]any {
	t.Helper()
	var st map[string]any
	if err := json.Unmarshal([]byte(tf.read("terraform.tfstate")), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// stateObject is the attributes of the one box_sign_request in a state.
func stateObject(t *testing.T, st map[string]any) map[string]any {
	t.Helper()
	for _, r := range st["resources"].([]any) {
		rm := r.(map[string]any)
		if rm["type"] == "box_sign_request" && rm["mode"] == "managed" {
			return rm["instances"].([]any)[0].(map[string]any)["attributes"].(map[string]any)
		}
	}
	t.Fatal("no box_sign_request in the state")
	return nil
}

func stateAttr(t *testing.T, tf *tfCLI, name string) string {
	t.Helper()
	s, _ := stateObject(t, readState(t, tf))[name].(string)
	return s
}

// folderItems lists the names and SHA-1s of a folder's files in Box.
func (e *testEnv) folderFiles(t *testing.T, folderID string) map[string]string {
	t.Helper()
	c := e.boxClient(t)
	page, err := c.ListFolderItems(t.Context(), folderID, "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, it := range page.Entries {
		if it.Type != "file" {
			continue
		}
		f, err := c.GetFile(t.Context(), it.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = f.SHA1
	}
	return out
}

// newFolder makes a folder in the user's root.
func (e *testEnv) newFolder(t *testing.T, name string) string {
	t.Helper()
	f, err := e.boxClient(t).CreateFolder(t.Context(), "0", name)
	if err != nil {
		t.Fatal(err)
	}
	return f.ID
}

// signedInBox sends a request and has its one signer sign it.
func (e *testEnv) signedInBox(t *testing.T, name, signer string) string {
	t.Helper()
	id := e.sendRequest(t, name, signer)
	e.openAndSign(t, id, signer)
	return id
}

// openAndSign has a signer open the document and sign it.
func (e *testEnv) openAndSign(t *testing.T, id, signer string) {
	t.Helper()
	for _, action := range []string{"open", "sign"} {
		if s, code := e.signer(t, id, signer, action, nil); s != 200 {
			t.Fatalf("%s: %d %s", action, s, code)
		}
	}
}

// checkLocalCopies fails unless dir holds each file of want with its SHA-1.
func checkLocalCopies(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	for name, sha1 := range want {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("local copy of %s: %v", name, err)
			continue
		}
		if got := box.SHA1Hex(b); got != sha1 {
			t.Errorf("local copy of %s hashes to %s, Box says %s", name, got, sha1)
		}
	}
}

func archiveAction(id, folder, dir string) string {
	return fmt.Sprintf(`
action "box_sign_request_archive" "evidence" {
  config {
    sign_request_id       = %s
    destination_folder_id = %q
    local_directory       = %q
  }
}
`, id, folder, dir)
}

// `terraform apply -invoke` copies the signed copy and the log into the
// folder and downloads them with Box's SHA-1; a second run copies nothing
// and says so; an unfinished request is refused by its status.
func TestAccSignRequestArchive_invoke(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	tf := newTFCLI(t, minTerraform(actionsTerraform))
	id := e.signedInBox(t, "Archive me", "arch@example.com")
	folder := e.newFolder(t, "Evidence")
	dir := filepath.Join(t.TempDir(), "evidence")
	tf.write("main.tf", e.provider()+archiveAction(fmt.Sprintf("%q", id), folder, dir))
	tf.mustRun("init", "-input=false")
	invoke := []string{"apply", "-input=false", "-auto-approve", "-invoke=action.box_sign_request_archive.evidence"}

	out := tf.mustRun(invoke...)
	copies := e.folderFiles(t, folder)
	sr, err := e.boxClient(t).GetSignRequest(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, f := range evidenceFiles(sr) {
		want[f.Name] = f.SHA1
	}
	if len(want) != 2 || fmt.Sprint(copies) != fmt.Sprint(want) {
		t.Fatalf("destination holds %v, want the signed copy and the log %v", copies, want)
	}
	checkLocalCopies(t, dir, want)
	mustContain(t, out, "Archived sign request "+id+" in folder "+folder+": copied 2, already there 0")

	out = tf.mustRun(invoke...)
	mustContain(t, out, "Copied nothing: all 2 files of sign request "+id+" were already archived")
	if again := e.folderFiles(t, folder); len(again) != 2 {
		t.Errorf("a second run left %d files in the destination, want 2", len(again))
	}

	pending := e.sendRequest(t, "Not yet", "later@example.com")
	tf.write("main.tf", e.provider()+archiveAction(fmt.Sprintf("%q", pending), folder, dir))
	out = tf.mustFail(invoke...)
	mustContain(t, out, "Sign request not finished", "Sign request "+pending+" is sent", "Nothing was copied")
}

// A before_destroy trigger archives the old request of a replacement
// before it is let go: the copies are in the destination and on disk,
// with Box's SHA-1, once the old request has left the state.
func TestAccSignRequestArchive_beforeDestroy(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	tf := newTFCLI(t, minTerraform("1.16.0"))
	folder := e.newFolder(t, "Evidence")
	dir := filepath.Join(t.TempDir(), "evidence")
	config := func(name string) string {
		return e.provider() + fmt.Sprintf(`
resource "box_sign_request" "contract" {
  source_file_ids  = [%q]
  parent_folder_id = %q
  name             = %q
  signer {
    email = "bd@example.com"
  }
  lifecycle {
    action_trigger {
      events     = [before_destroy]
      actions    = [action.box_sign_request_archive.evidence]
      on_failure = halt
    }
  }
}
`, e.FileID, e.FolderID, name) + archiveAction("caller.id", folder, dir)
	}
	apply := []string{"apply", "-input=false", "-auto-approve"}
	tf.write("main.tf", config("Contract v1"))
	tf.mustRun("init", "-input=false")
	tf.mustRun(apply...)
	oldID := stateAttr(t, tf, "id")
	e.openAndSign(t, oldID, "bd@example.com")
	if got := e.folderFiles(t, folder); len(got) != 0 {
		t.Fatalf("the destination holds %v before any destroy", got)
	}

	tf.write("main.tf", config("Contract v2"))
	out := tf.mustRun(apply...)
	if newID := stateAttr(t, tf, "id"); newID == oldID || newID == "" {
		t.Fatalf("the request was not replaced: %s", newID)
	}
	sr, err := e.boxClient(t).GetSignRequest(t.Context(), oldID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, f := range evidenceFiles(sr) {
		want[f.Name] = f.SHA1
	}
	if got := e.folderFiles(t, folder); len(want) != 2 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after the replacement the destination holds %v, want the old request's %v", got, want)
	}
	checkLocalCopies(t, dir, want)
	mustContain(t, out, "Archived sign request "+oldID+" in folder "+folder+": copied 2")
}
