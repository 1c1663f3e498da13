package main

import (
	"os"
	"path"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
	"gopkg.in/yaml.v3"
)

// TestDocsNameTheEmulatorAssets: the emulator guide (templates/index.md.tmpl,
// rendered into docs/index.md) tells users the names this check and
// .goreleaser.emulator.yml give the release files, and the `go install` path
// of the command that config builds.
func TestDocsNameTheEmulatorAssets(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile("../../" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	guide := string(read("templates/index.md.tmpl"))
	var cfg struct {
		Builds []struct {
			Main string `yaml:"main"`
		} `yaml:"builds"`
	}
	if err := yaml.Unmarshal(read(".goreleaser.emulator.yml"), &cfg); err != nil || len(cfg.Builds) != 1 {
		t.Fatalf(".goreleaser.emulator.yml: want one build, got %d (%v)", len(cfg.Builds), err)
	}
	module := modfile.ModulePath(read("go.mod"))
	linux, _ := emulatorArchive("VERSION", "OS_ARCH")
	windows, _ := emulatorArchive("VERSION", "windows_ARCH")
	for _, want := range []string{
		linux,
		path.Ext(windows),
		emulatorSums("VERSION"),
		"go install " + path.Join(module, cfg.Builds[0].Main) + "@",
	} {
		if !strings.Contains(guide, want) {
			t.Errorf("templates/index.md.tmpl does not mention %q", want)
		}
	}
}
