package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/box/terraform-provider-box/internal/box"
)

// testAccProvidersSmallPages serves a provider whose data sources ask Box
// for one item per page, so that every listing in a test spans several
// pages and an item found past the first proves the paging works.
var testAccProvidersSmallPages = map[string]func() (tfprotov6.ProviderServer, error){
	"box": providerserver.NewProtocol6WithError(&boxProvider{version: "test", getenv: os.Getenv, listPageSize: 1}),
}

// mkdir creates a folder through the emulator's Box API and returns its ID.
func (e *testEnv) mkdir(t *testing.T, parentID, name string) string {
	t.Helper()
	status, out := e.call(t, "POST", "/2.0/folders", "dev-token", map[string]any{"name": name, "parent": map[string]string{"id": parentID}})
	if status != http.StatusCreated {
		t.Fatalf("creating folder %s: HTTP %d %v", name, status, out)
	}
	return out["id"].(string)
}

// upload creates a file through the emulator's upload endpoint, as the
// admin (the developer token's user).
func (e *testEnv) upload(t *testing.T, parentID, name string, content []byte) string {
	t.Helper()
	return e.uploadAs(t, "dev-token", parentID, name, content)
}

// uploadAs uploads as the user behind token.
func (e *testEnv) uploadAs(t *testing.T, token, parentID, name string, content []byte) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	attrs, _ := json.Marshal(map[string]any{"name": name, "parent": map[string]string{"id": parentID}})
	if err := mw.WriteField("attributes", string(attrs)); err != nil {
		t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.URL+"/api/2.0/files/content", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Entries []struct {
			ID string `json:"id"`
		} `json:"entries"`
	}
	if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&out) != nil || len(out.Entries) != 1 {
		t.Fatalf("uploading %s: HTTP %d", name, resp.StatusCode)
	}
	return out.Entries[0].ID
}

// callsWithStatus counts the emulator's answers with status code for a route.
func (e *testEnv) callsWithStatus(t *testing.T, route string, code int) int {
	t.Helper()
	byStatus, _ := e.stats(t)[route].(map[string]any)
	n, _ := byStatus[fmt.Sprint(code)].(float64)
	return int(n)
}

// offsetClock is the emulator's clock in tests that need Box's time rules
// (the resend cool-down): real time plus an offset the test advances.
type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *offsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *offsetClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// attrOf reads one attribute of a resource or data source from the state.
func attrOf(s *terraform.State, name, key string) (string, error) {
	rs, ok := s.RootModule().Resources[name]
	if !ok {
		return "", fmt.Errorf("%s not in state", name)
	}
	v, ok := rs.Primary.Attributes[key]
	if !ok {
		return "", fmt.Errorf("%s has no attribute %s", name, key)
	}
	return v, nil
}

// attrsHaveNo fails when any attribute of the named resource or data source
// holds one of the values.
func attrsHaveNo(name string, values ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[name]
		if !ok {
			return fmt.Errorf("%s not in state", name)
		}
		for k, v := range rs.Primary.Attributes {
			for _, secret := range values {
				if secret != "" && strings.Contains(v, secret) {
					return fmt.Errorf("%s.%s holds a secret", name, k)
				}
			}
		}
		return nil
	}
}

// TestMatchName covers what Box's unique names keep the acceptance tests
// from reaching: several items matching one name.
func TestMatchName(t *testing.T) {
	items := []box.Item{
		{ID: "1", Name: "NDA.pdf"}, {ID: "2", Name: "nda.pdf"}, {ID: "3", Name: "Offer.pdf"},
		{ID: "4", Name: "Copy.pdf"}, {ID: "5", Name: "COPY.pdf"}, {ID: "6", Name: "x.pdf"}, {ID: "7", Name: "x.pdf"},
	}
	for _, c := range []struct {
		name, want, candidates string
	}{
		{"NDA.pdf", "1", ""},     // an exact match wins over one that ignores case
		{"nda.pdf", "2", ""},     // exact
		{"Nda.pdf", "", "1, 2"},  // two matches ignoring case, none exact
		{"offer.PDF", "3", ""},   // the only match ignoring case
		{"copy.pdf", "", "4, 5"}, // ambiguous ignoring case
		{"x.pdf", "", "6, 7"},    // two exact matches
		{"X.PDF", "", "6, 7"},    // ambiguous ignoring case
		{"NDA", "", ""},          // no partial matches
		{" x.pdf", "", ""},       // no trimming
		{"missing.pdf", "", ""},  // nothing
	} {
		t.Run(c.name, func(t *testing.T) {
			found, candidates := matchName(items, c.name)
			got := ""
			if found != nil {
				got = found.ID
			}
			if got != c.want || itemIDs(candidates) != c.candidates {
				t.Errorf("matchName(%q) = %q, candidates %q; want %q, candidates %q", c.name, got, itemIDs(candidates), c.want, c.candidates)
			}
		})
	}
}

// wrapped compiles an expected error message that Terraform may have
// wrapped over several lines: each space matches any run of white space,
// and . matches a line break.
func wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(pattern, " ", `\s+`))
}

// listedAtLeast checks that the emulator answered a list route at least n
// times: with one item per page, that shows the listing followed Box's
// markers instead of getting everything in one page.
func (e *testEnv) listedAtLeast(t *testing.T, route string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.callsWithStatus(t, route, http.StatusOK); got < n {
			return fmt.Errorf("%s answered %d times, want at least %d (one per page)", route, got, n)
		}
		return nil
	}
}
