package workflows

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const repo = "../.."

// wantTargets are the make targets CI must run: .ci/run's and the newest
// Terraform's.
var wantTargets = []string{"test", "test-latest", "test-tofu", "demo"}

type inputs struct {
	release, tests, makefile, goreleaser []byte
	configs                              []string
}

func readRepo(t *testing.T) inputs {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(repo, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	configs, err := filepath.Glob(filepath.Join(repo, ".goreleaser*.yml"))
	if err != nil || len(configs) == 0 {
		t.Fatalf("no goreleaser configs found (%v)", err)
	}
	for i, c := range configs {
		configs[i] = filepath.Base(c)
	}
	return inputs{
		release:    read(".github/workflows/release.yml"),
		tests:      read(".github/workflows/test.yml"),
		makefile:   read("GNUmakefile"),
		goreleaser: read(ProviderConfig),
		configs:    configs,
	}
}

// check runs every check on in and returns what they report.
func check(t *testing.T, in inputs) []string {
	t.Helper()
	version, err := MakeVariable(in.makefile, "GORELEASER_VERSION")
	if err != nil {
		t.Fatal(err)
	}
	signEnv, err := SignEnv(in.goreleaser)
	if err != nil {
		t.Fatal(err)
	}
	release, err := Parse(in.release)
	if err != nil {
		t.Fatalf("release.yml: %v", err)
	}
	tests, err := Parse(in.tests)
	if err != nil {
		t.Fatalf("test.yml: %v", err)
	}
	problems := Release(release, version, in.configs, signEnv)
	problems = append(problems, Pins(release)...)
	problems = append(problems, Tests(tests, wantTargets)...)
	return append(problems, Pins(tests)...)
}

func TestRepositoryWorkflows(t *testing.T) {
	in := readRepo(t)
	if !slices.Contains(in.configs, ".goreleaser.emulator.yml") {
		t.Errorf("goreleaser configs are %v; the emulator's is missing", in.configs)
	}
	for _, p := range check(t, in) {
		t.Error(p)
	}
	// Every workflow file is one of the two checked above.
	files, _ := filepath.Glob(filepath.Join(repo, ".github/workflows/*"))
	for _, f := range files {
		if name := filepath.Base(f); name != "release.yml" && name != "test.yml" {
			t.Errorf(".github/workflows/%s is not checked here: add its checks to tools/workflows", name)
		}
	}
}

func TestSignEnvOfProviderConfig(t *testing.T) {
	names, err := SignEnv(readRepo(t).goreleaser)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{"GPG_FINGERPRINT"}) {
		t.Errorf("SignEnv(.goreleaser.yml) = %v, want [GPG_FINGERPRINT]", names)
	}
}

// TestChecksCatch edits the real files the way a careless change would and
// expects the checks to say so.
func TestChecksCatch(t *testing.T) {
	cases := []struct {
		name      string
		file      string // release, tests, makefile
		old, new  string
		wantInMsg string
	}{
		{"branch trigger", "release", "    tags:\n      - 'v*'", "    branches:\n      - main", "push of a v* tag"},
		{"extra trigger", "release", "on:\n  push:", "on:\n  workflow_dispatch:\n  push:", "push of a v* tag"},
		{"wider permissions", "release", "  contents: write\n", "  contents: write\n  packages: write\n", "top-level permissions"},
		{"job widens permissions", "tests", "    runs-on: ubuntu-latest\n", "    runs-on: ubuntu-latest\n    permissions:\n      contents: write\n", "widens the permissions"},
		{"tag instead of SHA", "release", "crazy-max/ghaction-import-gpg@e89d40939c28e39f97cf32126055eeae86ba74ec", "crazy-max/ghaction-import-gpg@v6", "not pinned"},
		{"short SHA", "tests", "@b9cd54a3c349d3f38e8881555d616ced269862dd", "@b9cd54a", "not pinned"},
		{"no version comment", "tests", "@8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1", "@8e8c483db84b4bee98b60c0593521ed34d9990e8", "no version comment"},
		{"goreleaser version drift", "makefile", "GORELEASER_VERSION     := v2.16.0", "GORELEASER_VERSION     := v2.17.0", "GORELEASER_VERSION is v2.17.0"},
		{"shallow checkout", "release", "fetch-depth: 0", "fetch-depth: 1", "full history"},
		{"no fingerprint", "release", "          GPG_FINGERPRINT: ${{ steps.import_gpg.outputs.fingerprint }}\n", "", "must set GPG_FINGERPRINT"},
		{"wrong secret", "release", "secrets.PASSPHRASE", "secrets.GPG_PASSPHRASE", "PASSPHRASE secrets"},
		{"emulator not released", "release", " --config .goreleaser.emulator.yml", "", ".goreleaser.emulator.yml 0 times"},
		{"no changelog check", "release", "./releasecheck -changelog-only", "./releasecheck", "CHANGELOG.md for the tag"},
		{"no OpenTofu", "tests", "            targets: test-tofu\n", "            targets: vet\n", "no `make test-tofu`"},
		{"no Go cache", "tests", "cache: true", "cache: false", "cache the Go build"},
		{"terraform wrapper", "tests", "terraform_wrapper: false", "terraform_wrapper: true", "terraform_wrapper: false"},
		{"write token for tests", "tests", "  contents: read\n", "  contents: write\n", "top-level permissions"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := readRepo(t)
			target := map[string]*[]byte{"release": &in.release, "tests": &in.tests, "makefile": &in.makefile}[tc.file]
			if !strings.Contains(string(*target), tc.old) {
				t.Fatalf("the %s file no longer contains %q: update this case", tc.file, tc.old)
			}
			*target = []byte(strings.Replace(string(*target), tc.old, tc.new, 1))
			problems := check(t, in)
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tc.wantInMsg) }) {
				t.Errorf("no problem mentions %q; got %q", tc.wantInMsg, problems)
			}
		})
	}
}

func TestEmulatorRunSecond(t *testing.T) {
	in := readRepo(t)
	provider := "          args: release --clean\n"
	emulator := "          args: release --clean --config .goreleaser.emulator.yml\n"
	s := string(in.release)
	if !strings.Contains(s, provider) || !strings.Contains(s, emulator) {
		t.Fatal("release.yml no longer has the two goreleaser args lines this test swaps")
	}
	s = strings.Replace(s, provider, "@@", 1)
	s = strings.Replace(s, emulator, provider, 1)
	in.release = []byte(strings.Replace(s, "@@", emulator, 1))
	problems := check(t, in)
	if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, "first goreleaser run must be the provider's") }) {
		t.Errorf("swapping the runs went unnoticed: %q", problems)
	}
}

func TestMakeVariable(t *testing.T) {
	mk := []byte("A := 1\nGORELEASER_VERSION     := v2.16.0\nGORELEASER := $(CACHE_BIN)/goreleaser\n")
	if v, err := MakeVariable(mk, "GORELEASER_VERSION"); err != nil || v != "v2.16.0" {
		t.Errorf("MakeVariable = %q, %v; want v2.16.0", v, err)
	}
	if _, err := MakeVariable(mk, "MISSING"); err == nil {
		t.Error("MakeVariable found a variable the makefile does not set")
	}
}
