package provider

import (
	"regexp"
	"strings"
	"testing"
)

// `terraform query -generate-config-out` writes a resource and an import
// block by identity for each folder and file found. A file's `source` is
// a local path Box knows nothing of, so the generated block has it null;
// with the path to the same content filled in, the config imports both,
// the file's one in-place update records `source` and uploads nothing, and
// the plan after it is empty.
func TestAccItemList_generateConfig(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	tf := newTFCLI(t, minTerraform("1.14.0"))
	contracts := e.mkdir(t, "0", "Contracts")
	lease := e.mkdir(t, contracts, "Lease A")
	nda := e.upload(t, contracts, "NDA.pdf", minimalPDFBytes())
	local := writeTemp(t, "nda.pdf", minimalPDFBytes())
	in := `    folder_id = "` + contracts + `"`
	tf.write("main.tf", e.provider())
	tf.write("find.tfquery.hcl", itemListBlock("box_folder", "found", in)+itemListBlock("box_file", "found", in))
	tf.mustRun("init", "-input=false")
	out := tf.mustRun("query", "-generate-config-out=found.tf")
	mustContain(t, out, "id="+lease+" Lease A", "id="+nda+" NDA.pdf")
	found := tf.read("found.tf")
	for _, id := range []string{lease, nda} {
		if !regexp.MustCompile(`(?s)import \{[^}]*identity = \{\s*id = "` + id + `"`).MatchString(found) {
			t.Errorf("found.tf has no import block by identity for %s:\n%s", id, found)
		}
	}
	nullSource := regexp.MustCompile(`(?m)^(\s*source\s*=\s*)null.*$`)
	if n := len(nullSource.FindAllString(found, -1)); n != 1 {
		t.Fatalf("found.tf has %d null sources, want 1 (the file's):\n%s", n, found)
	}
	// Left null, the generated file is refused before anything is imported.
	if out, err := tf.run("validate"); err == nil || !strings.Contains(out, "Must set a configuration value for the source attribute") {
		t.Errorf("validate accepted the generated box_file without source (err %v):\n%s", err, out)
	}
	tf.write("found.tf", nullSource.ReplaceAllString(found, `${1}"`+strings.ReplaceAll(local, `\`, `\\`)+`"`))

	before := e.stats(t)
	// The routes counted below are named as the emulator's stats name them:
	// the test's own mkdir and upload show under two of them.
	if routeCalls(before, "POST /2.0/folders") == 0 || routeCalls(before, "POST /api/2.0/files/content") == 0 {
		t.Fatalf("the emulator's stats do not count the test's own folder and upload under the routes checked: %v", before)
	}
	mustContain(t, tf.mustRun("apply", "-input=false", "-auto-approve"),
		"Resources: 2 imported, 0 added, 1 changed, 0 destroyed")
	for _, route := range []string{"POST /2.0/folders", "POST /api/2.0/files/content", "POST /api/2.0/files/{id}/content", "PUT /2.0/folders/{id}", "PUT /2.0/files/{id}"} {
		if a, b := routeCalls(before, route), routeCalls(e.stats(t), route); a != b {
			t.Errorf("%s: %d calls during the apply, want none", route, b-a)
		}
	}
	if _, err := tf.run("plan", "-input=false", "-detailed-exitcode"); err != nil {
		t.Errorf("the plan after the import is not empty: %v", err)
	}
}
