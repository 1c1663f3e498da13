package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// TestExamples checks every example under examples/ the way a user would
// meet it: `terraform fmt -check`, then `terraform validate` against the
// provider built from this tree (through a dev_overrides CLI config, so
// nothing is installed or downloaded; validate needs no `terraform init`
// under dev_overrides). The registry docs include these files, so a broken
// example is a broken doc page.
//
// Folders in tfplugindocs' layout (provider, resources/*, data-sources/*,
// ephemeral-resources/*) hold one snippet per file: each .tf file is
// validated on its own, with a required_providers block added when it has
// none; an import*.tf file is validated beside the folder's resource.tf.
// Any other folder (examples/demo, examples/testing) is a whole root module
// and is validated as it is; its tests/ folder is for terraform test.
func TestExamples(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("the example checks run terraform: they need TF_ACC=1 (make test sets it)")
	}
	tf := findTerraform(t)
	root := exampleRepoRoot(t)
	examples := filepath.Join(root, "examples")

	tmp := t.TempDir()
	pluginDir := filepath.Join(tmp, "plugins")
	exampleBuildProvider(t, root, filepath.Join(pluginDir, "terraform-provider-box"))
	cliConfig := filepath.Join(tmp, "terraformrc")
	// OpenTofu reads "box/box" as registry.opentofu.org/box/box (make
	// test-tofu): override both addresses.
	exampleWriteFile(t, cliConfig, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/box/box" = %[1]q
    "registry.opentofu.org/box/box" = %[1]q
  }
  direct {}
}
`, filepath.ToSlash(pluginDir)))
	env := exampleTerraformEnv(cliConfig)

	t.Run("fmt", func(t *testing.T) {
		out, err := exampleRunTerraform(tf, examples, env, "fmt", "-check", "-diff", "-recursive", "-no-color")
		if err != nil {
			t.Errorf("terraform fmt -check found unformatted examples (run `make fmt`): %v\n%s", err, out)
		}
	})

	for _, c := range exampleCases(t, examples) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			skipBelowTerraform(t, tf, c.minTerraform)
			dir := filepath.Join(t.TempDir(), "module")
			hasProviderBlock := false
			for _, f := range c.files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				hasProviderBlock = hasProviderBlock || bytes.Contains(b, []byte("required_providers"))
				exampleWriteFile(t, filepath.Join(dir, filepath.Base(f)), string(b))
			}
			if !hasProviderBlock {
				exampleWriteFile(t, filepath.Join(dir, "zz_required_providers_test.tf"), `terraform {
  required_providers {
    box = {
      source = "box/box"
    }
  }
}
`)
			}
			args := []string{"validate", "-no-color"}
			if c.query {
				args = append(args, "-query")
			}
			out, err := exampleRunTerraform(tf, dir, env, args...)
			if err != nil {
				t.Errorf("terraform validate failed for %s: %v\n%s", strings.Join(exampleRelPaths(root, c.files), " + "), err, out)
			}
		})
	}
}

// TestExamplesImports checks what terraform validate cannot: that import.sh
// and import-by-string-id.tf import into a resource the folder's
// resource.tf declares.
func TestExamplesImports(t *testing.T) {
	examples := filepath.Join(exampleRepoRoot(t), "examples")
	dirs, _ := filepath.Glob(filepath.Join(examples, "resources", "*"))
	for _, dir := range dirs {
		main, err := os.ReadFile(filepath.Join(dir, "resource.tf"))
		if err != nil {
			continue // TestExampleCoverage reports a missing resource.tf
		}
		declared := func(addr string) bool {
			typ, name, ok := strings.Cut(addr, ".")
			return ok && bytes.Contains(main, fmt.Appendf(nil, "resource %q %q", typ, name))
		}
		if b, err := os.ReadFile(filepath.Join(dir, "import.sh")); err == nil {
			n := 0
			for _, line := range strings.Split(string(b), "\n") {
				line = strings.TrimSpace(line)
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				f := strings.Fields(line)
				if len(f) != 4 || f[0] != "terraform" || f[1] != "import" {
					t.Errorf("%s/import.sh: want `terraform import ADDRESS ID`, got %q", filepath.Base(dir), line)
					continue
				}
				n++
				if !declared(f[2]) {
					t.Errorf("%s/import.sh imports into %s, which resource.tf does not declare", filepath.Base(dir), f[2])
				}
			}
			if n == 0 {
				t.Errorf("%s/import.sh has no `terraform import` command", filepath.Base(dir))
			}
		}
		for _, name := range []string{"import-by-string-id.tf", "import-by-identity.tf"} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				continue
			}
			m := regexp.MustCompile(`(?m)^\s*to\s*=\s*(\S+)\s*$`).FindAllSubmatch(b, -1)
			if len(m) == 0 {
				t.Errorf("%s/%s has no import block with `to = ...`", filepath.Base(dir), name)
			}
			for _, sm := range m {
				if !declared(string(sm[1])) {
					t.Errorf("%s/%s imports into %s, which resource.tf does not declare", filepath.Base(dir), name, sm[1])
				}
			}
		}
	}
}

// TestExampleCoverage fails when a resource or data source the provider
// registers has no example in the layout tfplugindocs reads, so its
// registry page would have no Example Usage.
func TestExampleCoverage(t *testing.T) {
	ctx := context.Background()
	examples := filepath.Join(exampleRepoRoot(t), "examples")
	p := New("test")()
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)

	need := []string{filepath.Join("provider", "provider.tf")}
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var md resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
		need = append(need, filepath.Join("resources", md.TypeName, "resource.tf"))
		if _, ok := r.(resource.ResourceWithImportState); ok {
			need = append(need,
				filepath.Join("resources", md.TypeName, "import.sh"),
				filepath.Join("resources", md.TypeName, "import-by-string-id.tf"))
		}
		if _, ok := r.(resource.ResourceWithIdentity); ok {
			need = append(need, filepath.Join("resources", md.TypeName, "import-by-identity.tf"))
		}
	}
	if pa, ok := p.(provider.ProviderWithActions); ok {
		for _, newAction := range pa.Actions(ctx) {
			var md action.MetadataResponse
			newAction().Metadata(ctx, action.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
			need = append(need, filepath.Join("actions", md.TypeName, "action.tf"))
		}
	}
	if pl, ok := p.(provider.ProviderWithListResources); ok {
		for _, newList := range pl.ListResources(ctx) {
			var md resource.MetadataResponse
			newList().Metadata(ctx, resource.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
			need = append(need, filepath.Join("list-resources", md.TypeName, "list-resource.tfquery.hcl"))
		}
	}
	for _, newDataSource := range p.DataSources(ctx) {
		var md datasource.MetadataResponse
		newDataSource().Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
		need = append(need, filepath.Join("data-sources", md.TypeName, "data-source.tf"))
	}
	for _, n := range need {
		if _, err := os.Stat(filepath.Join(examples, n)); err != nil {
			t.Errorf("missing example examples/%s (tfplugindocs puts it on the registry page)", filepath.ToSlash(n))
		}
	}
}

type exampleCase struct {
	name  string
	files []string
	// minTerraform is the oldest Terraform that understands the example;
	// older CLIs and OpenTofu skip it.
	minTerraform string
	// query validates the example's .tfquery.hcl files too.
	query bool
}

// exampleMinTerraform is the Terraform an example needs by what it shows:
// import by identity came in 1.12, actions and list resources in 1.14,
// action triggers on before_destroy in 1.16.
func exampleMinTerraform(rel string) string {
	switch {
	case strings.HasSuffix(rel, "/action-before-destroy.tf"):
		return "1.16.0"
	case strings.HasPrefix(rel, "actions/"), strings.HasPrefix(rel, "list-resources/"):
		return "1.14.0"
	case strings.HasSuffix(rel, "/import-by-identity.tf"):
		return "1.12.0"
	}
	return ""
}

// exampleCases lists what to validate, one terraform module per case.
func exampleCases(t *testing.T, examples string) []exampleCase {
	t.Helper()
	var snippetDirs, moduleDirs, queryDirs []string
	err := filepath.WalkDir(examples, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if d.Name() == ".terraform" {
			return filepath.SkipDir
		}
		// A module's tests/ folder holds its `terraform test` helpers,
		// which call the module by a relative path: `make test-examples`
		// runs them with terraform test instead.
		if d.Name() == "tests" && p != examples {
			return filepath.SkipDir
		}
		tfs, _ := filepath.Glob(filepath.Join(p, "*.tf"))
		queries, _ := filepath.Glob(filepath.Join(p, "*.tfquery.hcl"))
		if len(tfs)+len(queries) == 0 {
			return nil
		}
		rel, _ := filepath.Rel(examples, p)
		rel = filepath.ToSlash(rel)
		top, _, _ := strings.Cut(rel, "/")
		switch top {
		case "provider", "resources", "data-sources", "ephemeral-resources", "actions":
			snippetDirs = append(snippetDirs, p)
		case "list-resources":
			queryDirs = append(queryDirs, p)
		default:
			moduleDirs = append(moduleDirs, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	var cases []exampleCase
	for _, dir := range moduleDirs {
		tfs, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
		cases = append(cases, exampleCase{name: exampleRelName(examples, dir), files: tfs})
	}
	for _, dir := range snippetDirs {
		tfs, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
		for _, f := range tfs {
			files := []string{f}
			if strings.HasPrefix(filepath.Base(f), "import") {
				// An import block needs the resource it imports into.
				files = append(files, filepath.Join(dir, "resource.tf"))
			}
			rel := exampleRelName(examples, f)
			cases = append(cases, exampleCase{name: rel, files: files, minTerraform: exampleMinTerraform(rel)})
		}
	}
	// A query file lists what a provider block configures, so it is
	// validated beside one.
	for _, dir := range queryDirs {
		queries, _ := filepath.Glob(filepath.Join(dir, "*.tfquery.hcl"))
		for _, f := range queries {
			rel := exampleRelName(examples, f)
			cases = append(cases, exampleCase{name: rel, files: []string{f, filepath.Join(examples, "provider", "provider.tf")},
				minTerraform: exampleMinTerraform(rel), query: true})
		}
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].name < cases[j].name })
	if len(cases) == 0 {
		t.Fatalf("no examples found under %s", examples)
	}
	return cases
}

// repoRoot is the module root: go test runs in the package's folder.
func exampleRepoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("cannot find the repository root from %s: %v", root, err)
	}
	return root
}

func exampleBuildProvider(t *testing.T, root, out string) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go is not on PATH: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "build", "-o", out, ".")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build of the provider failed: %v\n%s", err, b)
	}
}

// terraformEnv is the process environment with the test's CLI config and
// without settings that would change what terraform reads.
func exampleTerraformEnv(cliConfig string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "TF_CLI_CONFIG_FILE", k == "TF_DATA_DIR", k == "TF_WORKSPACE",
			strings.HasPrefix(k, "TF_CLI_ARGS"), strings.HasPrefix(k, "TF_VAR_"), k == "TF_LOG", k == "TF_LOG_PATH":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1")
}

func exampleRunTerraform(tf, dir string, env []string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tf, args...)
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func exampleWriteFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func exampleRelName(base, p string) string {
	rel, err := filepath.Rel(base, p)
	if err != nil {
		return p
	}
	return filepath.ToSlash(rel)
}

func exampleRelPaths(base string, ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = "examples/" + exampleRelName(filepath.Join(base, "examples"), p)
	}
	return out
}
