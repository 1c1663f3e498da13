package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// testAccProviders serves the provider in-process to the terraform binary
// that terraform-plugin-testing runs.
var testAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"box": providerserver.NewProtocol6WithError(New("test")()),
}

// TestMain gives terraform an empty CLI config when the environment names
// one that does not exist, which would otherwise warn on every command.
func TestMain(m *testing.M) {
	var tmp string
	if p := os.Getenv("TF_CLI_CONFIG_FILE"); p != "" {
		if _, err := os.Stat(p); err != nil {
			if dir, err := os.MkdirTemp("", "box-tf-cli-"); err == nil {
				tmp = dir
				empty := dir + "/terraformrc"
				if os.WriteFile(empty, nil, 0o600) == nil {
					os.Setenv("TF_CLI_CONFIG_FILE", empty)
				}
			}
		}
	}
	code := m.Run()
	if tmp != "" {
		os.RemoveAll(tmp)
	}
	os.Exit(code)
}

// testEnv is where an acceptance test's sign requests live: an in-process
// emulator by default, or real Box when BOX_* credentials and
// BOX_TEST_FOLDER_ID / BOX_TEST_FILE_ID are set.
type testEnv struct {
	emu      *emulator.Emulator
	URL      string
	FolderID string
	FileID   string
	FileIDs  []string
	Template []string
	Admin    string // the acting user's login
}

func realBox() bool {
	return os.Getenv("BOX_TEST_FILE_ID") != "" && os.Getenv("BOX_TEST_FOLDER_ID") != ""
}

// testAccPreCheck fails early, with a clear message, when acceptance tests
// cannot run: they need a terraform binary that is already installed.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests need TF_ACC=1 (make test sets it)")
	}
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("TF_ACC_TERRAFORM_PATH=%s does not exist: %v", p, err)
		}
		return
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("terraform is not on PATH: install Terraform 1.11 or later, or set TF_ACC_TERRAFORM_PATH. The tests never download it.")
	}
}

// newTestEnv starts a fresh seeded emulator for one test.
func newTestEnv(t *testing.T, opts ...func(*emulator.Options)) *testEnv {
	t.Helper()
	testAccPreCheck(t)
	if realBox() {
		return &testEnv{
			FolderID: os.Getenv("BOX_TEST_FOLDER_ID"),
			FileID:   os.Getenv("BOX_TEST_FILE_ID"),
			FileIDs:  []string{os.Getenv("BOX_TEST_FILE_ID")},
		}
	}
	o := emulator.Options{Seed: true}
	for _, f := range opts {
		f(&o)
	}
	emu, err := emulator.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	seed := emu.Seeded()
	return &testEnv{
		emu:      emu,
		URL:      srv.URL,
		FolderID: seed.FolderID,
		FileID:   seed.FileIDs[0],
		FileIDs:  seed.FileIDs,
		Template: seed.TemplateIDs,
		Admin:    seed.AdminLogin,
	}
}

// requireEmulator skips tests that act as signers or inject faults: real
// Box offers neither.
func (e *testEnv) requireEmulator(t *testing.T) {
	t.Helper()
	if e.emu == nil {
		t.Skip("needs the emulator's signer simulation and fault injection")
	}
}

// provider is the provider block for the environment, with a developer
// token unless the test passes other settings.
func (e *testEnv) provider(settings ...string) string {
	if e.emu == nil {
		return "provider \"box\" {}\n"
	}
	if len(settings) == 0 {
		settings = []string{`access_token = "dev-token"`}
	}
	return fmt.Sprintf("provider \"box\" {\n  api_base_url = %q\n  max_retries = 3\n  %s\n}\n", e.URL, strings.Join(settings, "\n  "))
}

// call sends a JSON request to the emulator and decodes the JSON answer.
func (e *testEnv) call(t *testing.T, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, e.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		_ = json.Unmarshal(b, &out)
	}
	return resp.StatusCode, out
}

// signer acts as a signer through the emulator's signer simulation.
func (e *testEnv) signer(t *testing.T, id, email, action string, body map[string]any) (int, string) {
	t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	status, out := e.call(t, "POST", "/_emulator/sign_requests/"+id+"/signers/"+email+"/"+action, "", body)
	code, _ := out["code"].(string)
	return status, code
}

// expire makes the emulator expire a sign request now.
func (e *testEnv) expire(t *testing.T, id string) {
	t.Helper()
	if s, _ := e.call(t, "POST", "/_emulator/sign_requests/"+id+"/expire", "", nil); s != 200 {
		t.Fatalf("expiring sign request %s: HTTP %d", id, s)
	}
}

// lastSMSCode is the newest code the emulator texted for a request.
func (e *testEnv) lastSMSCode(t *testing.T, id string) string {
	t.Helper()
	_, out := e.call(t, "GET", "/_emulator/sms", "", nil)
	entries, _ := out["entries"].([]any)
	code := ""
	for _, en := range entries {
		m, _ := en.(map[string]any)
		if m["sign_request_id"] == id {
			code, _ = m["code"].(string)
		}
	}
	if code == "" {
		t.Fatalf("no SMS code sent for %s", id)
	}
	return code
}

// apiCalls counts the requests the emulator received for a route, all
// statuses together; an empty route counts every route.
func (e *testEnv) apiCalls(t *testing.T, route string) int {
	t.Helper()
	_, out := e.call(t, "GET", "/_emulator/stats", "", nil)
	reqs, _ := out["requests"].(map[string]any)
	n := 0
	for r, byStatus := range reqs {
		if route != "" && r != route {
			continue
		}
		m, _ := byStatus.(map[string]any)
		for _, c := range m {
			f, _ := c.(float64)
			n += int(f)
		}
	}
	return n
}

// signRequests lists the sign requests the admin user can see.
func (e *testEnv) signRequests(t *testing.T) []map[string]any {
	t.Helper()
	_, out := e.call(t, "GET", "/2.0/sign_requests?limit=1000", "dev-token", nil)
	entries, _ := out["entries"].([]any)
	var res []map[string]any
	for _, en := range entries {
		m, _ := en.(map[string]any)
		res = append(res, m)
	}
	return res
}

func (e *testEnv) fault(t *testing.T, f map[string]any) {
	t.Helper()
	if status, _ := e.call(t, "POST", "/_emulator/faults", "", f); status >= 300 {
		t.Fatalf("adding fault %v: HTTP %d", f, status)
	}
}

// stats is the emulator's per-route count of responses by status.
func (e *testEnv) stats(t *testing.T) map[string]any {
	t.Helper()
	_, out := e.call(t, "GET", "/_emulator/stats", "", nil)
	reqs, _ := out["requests"].(map[string]any)
	return reqs
}
