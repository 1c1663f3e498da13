package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The docs state facts in more than one place for different readers; these
// tests fail when the places disagree, or when a page leaves out what it
// should show.

// terraformVersionStatement finds "Terraform 1.11+", "Terraform 1.11 or
// later" and "Terraform 1.11.4 and later"; terraformColumn, a table row's
// cell "1.11+" under a "Terraform" header.
var (
	terraformVersionStatement = regexp.MustCompile(`Terraform\**\s+v?(\d+)\.(\d+)(?:\.\d+)?\**\s*(?:\+|or later|and later)`)
	versionCell               = regexp.MustCompile(`^\s*(\d+)\.(\d+)(?:\.\d+)?\+`)
)

// statedMinimumTerraform is the lowest Terraform version a document says
// something needs: the provider's minimum as that document states it
// (features that need more name higher versions). ok is false when it
// states none.
func statedMinimumTerraform(doc string) (minimum [2]int, ok bool) {
	consider := func(major, minor string) {
		v := [2]int{atoiOrZero(major), atoiOrZero(minor)}
		if !ok || v[0] < minimum[0] || (v[0] == minimum[0] && v[1] < minimum[1]) {
			minimum, ok = v, true
		}
	}
	for _, m := range terraformVersionStatement.FindAllStringSubmatch(doc, -1) {
		consider(m[1], m[2])
	}
	column := -1 // the Terraform column of the table being read
	for _, line := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "|") {
			column = -1
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if column < 0 {
			for i, c := range cells {
				if strings.TrimSpace(c) == "Terraform" {
					column = i
				}
			}
			continue
		}
		if column < len(cells) {
			if m := versionCell.FindStringSubmatch(cells[column]); m != nil {
				consider(m[1], m[2])
			}
		}
	}
	return minimum, ok
}

func atoiOrZero(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// TestStatedMinimumTerraform makes sure the reader above finds each form a
// document uses, so that the agreement test below can fail.
func TestStatedMinimumTerraform(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want [2]int
		ok   bool
	}{
		{"needs Terraform 1.11 or later; actions need Terraform 1.14+", [2]int{1, 11}, true},
		{"needs **Terraform 1.0 or later**, and Terraform 1.11+ for write-only", [2]int{1, 0}, true},
		{"| feature | Terraform | OpenTofu |\n|---|---|---|\n| resources | 1.5+ (tested on 1.11.4) | 1.12.6 |\n| query | 1.14+ | no |\nTerraform 1.11+", [2]int{1, 5}, true},
		{"| OpenTofu | Terraform |\n|---|---|\n| 1.6+ | 1.12+ |", [2]int{1, 12}, true},
		{"tested with Terraform 1.11.4", [2]int{}, false},
	} {
		got, ok := statedMinimumTerraform(c.doc)
		if got != c.want || ok != c.ok {
			t.Errorf("statedMinimumTerraform(%q) = %v, %v; want %v, %v", c.doc, got, ok, c.want, c.ok)
		}
	}
}

// TestDocsAgreeOnMinimumTerraform: the registry index, the README (its
// text and its feature table) and CONTRIBUTING state one minimum Terraform
// version.
func TestDocsAgreeOnMinimumTerraform(t *testing.T) {
	root := exampleRepoRoot(t)
	var first string
	var want [2]int
	for _, name := range []string{"docs/index.md", "README.md", "CONTRIBUTING.md"} {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := statedMinimumTerraform(string(b))
		switch {
		case !ok:
			t.Errorf("%s states no minimum Terraform version", name)
		case first == "":
			first, want = name, got
		case got != want:
			t.Errorf("%s states Terraform %d.%d as the minimum, %s states %d.%d", name, got[0], got[1], first, want[0], want[1])
		}
	}
}

// TestSignRequestPageShowsSignerRequired: the signer block is required,
// though tfplugindocs lists blocks under Optional; the resource's template
// moves it.
func TestSignRequestPageShowsSignerRequired(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(exampleRepoRoot(t), "docs", "resources", "sign_request.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, schema, _ := strings.Cut(string(b), "## Schema")
	section := func(heading string) string {
		_, rest, ok := strings.Cut(schema, "\n"+heading+"\n")
		if !ok {
			t.Fatalf("the schema has no %q section", heading)
		}
		body, _, _ := strings.Cut(rest, "\n### ")
		return body
	}
	const item = "\n- `signer` (Block List) "
	if !strings.Contains(section("### Required"), item) {
		t.Error("signer is not listed under Required")
	}
	if strings.Contains(section("### Optional"), item) {
		t.Error("signer is still listed under Optional")
	}
}

// TestEveryExampleIsRendered: each example file is on a registry page, as
// tffile or codefile put it there, except the helper modules of a `terraform
// test` (under tests/, other than the .tftest.hcl files themselves).
func TestEveryExampleIsRendered(t *testing.T) {
	root := exampleRepoRoot(t)
	// Read through fs.FS rooted at docs/ and examples/, so the walks
	// cannot leave them.
	docs := os.DirFS(filepath.Join(root, "docs"))
	var pages strings.Builder
	err := fs.WalkDir(docs, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		b, err := fs.ReadFile(docs, p)
		pages.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	examples := os.DirFS(filepath.Join(root, "examples"))
	err = fs.WalkDir(examples, ".", func(rel string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !strings.HasSuffix(rel, ".tf") && !strings.HasSuffix(rel, ".sh") && !strings.HasSuffix(rel, ".hcl") {
			return nil
		}
		if strings.Contains("/"+rel, "/tests/") && !strings.HasSuffix(rel, ".tftest.hcl") {
			return nil
		}
		b, err := fs.ReadFile(examples, rel)
		if err != nil {
			return err
		}
		if !strings.Contains(pages.String(), strings.TrimSpace(string(b))) {
			t.Errorf("examples/%s is on no page under docs/ (render it from a template with tffile or codefile)", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
