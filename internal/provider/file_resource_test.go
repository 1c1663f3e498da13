package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/box/terraform-provider-box/internal/box"
)

func minimalPDFBytes() []byte { return append([]byte(nil), testPDF...) }

// writeTemp writes content to a new file in a test directory and returns
// its path.
func writeTemp(t *testing.T, name string, content []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func rewrite(t *testing.T, p string, content []byte) func() {
	return func() {
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// fileConfig is a box_folder "dir" holding a box_file "test" from source,
// with extra box_file arguments.
func (e *testEnv) fileConfig(source, args string) string {
	return e.fileConfigIn(source, "box_folder.dir.id", args)
}

// fileConfigIn is fileConfig with the file's folder_id expression.
func (e *testEnv) fileConfigIn(source, folder, args string) string {
	return e.provider() + fmt.Sprintf(`
resource "box_folder" "dir" {
  name = "Docs"
}

resource "box_file" "test" {
  source    = %q
  folder_id = %s
%s
}
`, source, folder, args)
}

// uploadVersionAs uploads a new version through the emulator, as someone
// working in the Box web app would.
func (e *testEnv) uploadVersion(t *testing.T, id string, content []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	attrs, _ := json.Marshal(map[string]any{"name": "ignored.pdf"})
	_ = mw.WriteField("attributes", string(attrs))
	fw, _ := mw.CreateFormFile("file", "x")
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/api/2.0/files/"+id+"/content", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer dev-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("uploading a version: %v %v", err, resp)
	}
	resp.Body.Close()
}

func expectUpdate(name string) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(name, plancheck.ResourceActionUpdate)}}
}

func TestAccFile_lifecycle(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	v1, v2, v3 := []byte("%PDF-1.4 v1"), []byte("%PDF-1.4 version two"), []byte("%PDF-1.4 edited in the web app")
	src := writeTemp(t, "nda.pdf", v1)
	other := e.mkdir(t, "0", "Elsewhere")
	var id, version string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             e.itemStatusInBox(t, "files", &id, "trashed"),
		Steps: []resource.TestStep{
			{
				Config: e.fileConfig(src, ""),
				Check: resource.ComposeTestCheckFunc(
					captureAttr("box_file.test", "id", &id),
					captureAttr("box_file.test", "version_id", &version),
					resource.TestCheckResourceAttr("box_file.test", "name", "nda.pdf"),
					resource.TestCheckResourceAttr("box_file.test", "sha1", box.SHA1Hex(v1)),
					resource.TestCheckResourceAttr("box_file.test", "content_sha1", box.SHA1Hex(v1)),
					resource.TestCheckResourceAttr("box_file.test", "size", fmt.Sprint(len(v1))),
				),
			},
			{
				// Editing the local file plans one in-place new version.
				PreConfig:        rewrite(t, src, v2),
				Config:           e.fileConfig(src, ""),
				ConfigPlanChecks: expectUpdate("box_file.test"),
				Check: resource.ComposeTestCheckFunc(
					sameAttr("box_file.test", "id", &id),
					resource.TestCheckResourceAttr("box_file.test", "sha1", box.SHA1Hex(v2)),
					func(s *terraform.State) error {
						if v, _ := attrOf(s, "box_file.test", "version_id"); v == version {
							return fmt.Errorf("version_id unchanged after a new version")
						}
						return nil
					},
				),
			},
			{
				Config:           e.fileConfigIn(src, fmt.Sprintf("%q", other), `  name = "NDA final.pdf"`),
				ConfigPlanChecks: expectUpdate("box_file.test"),
				Check: resource.ComposeTestCheckFunc(
					sameAttr("box_file.test", "id", &id),
					resource.TestCheckResourceAttr("box_file.test", "name", "NDA final.pdf"),
					resource.TestCheckResourceAttr("box_file.test", "folder_id", other),
				),
			},
			{
				// Without name, the name follows the source's base name again.
				Config:           e.fileConfigIn(src, fmt.Sprintf("%q", other), ""),
				ConfigPlanChecks: expectUpdate("box_file.test"),
				Check:            resource.TestCheckResourceAttr("box_file.test", "name", "nda.pdf"),
			},
			{
				Config: e.fileConfigIn(src, fmt.Sprintf("%q", other), `  name = "NDA final.pdf"`),
				Check:  resource.TestCheckResourceAttr("box_file.test", "name", "NDA final.pdf"),
			},
			{
				ResourceName:            "box_file.test",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"source"},
			},
			{
				// A version uploaded in Box is replaced by the local content.
				PreConfig:        func() { e.uploadVersion(t, id, v3) },
				Config:           e.fileConfigIn(src, fmt.Sprintf("%q", other), `  name = "NDA final.pdf"`),
				ConfigPlanChecks: expectUpdate("box_file.test"),
				Check:            resource.TestCheckResourceAttr("box_file.test", "sha1", box.SHA1Hex(v2)),
			},
		},
	})
}

// After an import, the first apply only records `source` (no upload), and
// the plan is empty from then on.
func TestAccFile_import(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	content := []byte("%PDF-1.4 imported")
	src := writeTemp(t, "Existing.pdf", content)
	folder := e.mkdir(t, "0", "Imported")
	id := e.upload(t, folder, "Existing.pdf", content)
	cfg := e.provider() + fmt.Sprintf(`
resource "box_file" "test" {
  source    = %q
  folder_id = %q
}
`, src, folder)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg, ResourceName: "box_file.test", ImportState: true, ImportStateId: id, ImportStatePersist: true},
			{
				Config:           cfg,
				ConfigPlanChecks: expectUpdate("box_file.test"),
				Check: func(*terraform.State) error {
					if n := e.apiCalls(t, "POST /api/2.0/files/{id}/content"); n != 0 {
						return fmt.Errorf("%d version uploads after an import of the same content", n)
					}
					return nil
				},
			},
			{Config: cfg, ConfigPlanChecks: noChange},
		},
	})
}

func TestAccFile_outOfBandDeletion(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	src := writeTemp(t, "nda.pdf", minimalPDFBytes())
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: e.fileConfig(src, ""), Check: captureAttr("box_file.test", "id", &id)},
			{
				PreConfig: func() {
					if code, _ := e.call(t, "DELETE", "/2.0/files/"+id, "dev-token", nil); code != 204 {
						t.Fatalf("deleting the file: HTTP %d", code)
					}
				},
				Config: e.fileConfig(src, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("box_file.test", plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// A file of the same name in the folder is never overwritten: the create
// fails naming it and suggesting an import.
func TestAccFile_nameConflict(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	folder := e.mkdir(t, "0", "Shared")
	existing := e.upload(t, folder, "NDA.pdf", []byte("%PDF-1.4 theirs"))
	src := writeTemp(t, "nda.pdf", []byte("%PDF-1.4 ours"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: e.provider() + fmt.Sprintf(`
resource "box_file" "test" {
  source    = %q
  folder_id = %q
}
`, src, folder),
			ExpectError: regexp.MustCompile(`(?s)409 item_name_in_use.*file ` + existing + ` already has this name.*terraform import\s+<address>\s+` + existing),
		}},
	})
	_, out := e.call(t, "GET", "/2.0/files/"+existing, "dev-token", nil)
	if out["sha1"] != box.SHA1Hex([]byte("%PDF-1.4 theirs")) {
		t.Errorf("the existing file was changed: %v", out["sha1"])
	}
}

// Files over Box's 50 MB single-upload limit fail at plan time.
func TestAccFile_tooLargeAtPlanTime(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	big := writeTemp(t, "big.pdf", nil)
	if err := os.Truncate(big, box.MaxSingleUpload+1); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      e.fileConfig(big, ""),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)File too large for one upload.*chunked upload`),
		}},
	})
	if n := e.apiCalls(t, ""); n != 0 {
		t.Errorf("%d API calls for a plan that fails on size", n)
	}
}

// A sign request whose source_file_ids come from a box_file keeps its file
// across new versions (same ID): it is not replaced unless the
// configuration asks, with replace_triggered_by on version_id.
func TestAccFile_signRequestFromFile(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	src := writeTemp(t, "nda.pdf", []byte("%PDF-1.4 v1"))
	cfg := func(lifecycle string) string {
		return e.fileConfig(src, "") + fmt.Sprintf(`
resource "box_sign_request" "test" {
  source_file_ids  = [box_file.test.id]
  parent_folder_id = %q
  signer {
    email = "alice@example.com"
  }
%s
}
`, e.FolderID, lifecycle)
	}
	var srID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg(""), Check: captureAttr("box_sign_request.test", "id", &srID)},
			{
				PreConfig: rewrite(t, src, []byte("%PDF-1.4 v2")),
				Config:    cfg(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("box_file.test", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("box_sign_request.test", plancheck.ResourceActionNoop),
				}},
				Check: sameAttr("box_sign_request.test", "id", &srID),
			},
			{Config: cfg(`  lifecycle {
    replace_triggered_by = [box_file.test.version_id]
  }`), ConfigPlanChecks: noChange},
			{
				PreConfig: rewrite(t, src, []byte("%PDF-1.4 v3")),
				Config: cfg(`  lifecycle {
    replace_triggered_by = [box_file.test.version_id]
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("box_file.test", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("box_sign_request.test", plancheck.ResourceActionReplace),
				}},
			},
		},
	})
}
