// Command releasecheck checks what `goreleaser release` left in dist/
// against what the Terraform Registry expects: one zip per OS and
// architecture holding the provider binary, a SHA256SUMS file that lists
// every zip and the manifest with their right checksums, and the manifest
// itself; then what the emulator's goreleaser run left beside it (see
// emulator.go), and that CHANGELOG.md has the section the release needs (see
// changelog.go). `make release-check` runs it after `make release-snapshot`;
// release.yml runs its changelog check alone before publishing.
//
//	go -C tools run ./releasecheck -dist ../dist -manifest ../terraform-registry-manifest.json -changelog ../CHANGELOG.md -gomod ../go.mod
//	go -C tools run ./releasecheck -changelog-only -changelog ../CHANGELOG.md -tag v1.2.3
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// targets are the OS/architecture pairs .goreleaser.yml builds; the
// registry offers a provider for each. Keep the two in step.
var targets = []string{
	"darwin_amd64", "darwin_arm64",
	"freebsd_386", "freebsd_amd64", "freebsd_arm", "freebsd_arm64",
	"linux_386", "linux_amd64", "linux_arm", "linux_arm64",
	"windows_386", "windows_amd64", "windows_arm64",
}

func main() {
	dist := flag.String("dist", "dist", "goreleaser's output `folder`")
	manifest := flag.String("manifest", "terraform-registry-manifest.json", "the registry manifest `file` in the repository")
	stage := flag.Bool("stage-manifest", false, "copy the manifest into the dist folder under its release name, then exit")
	emulatorDist := flag.String("emulator-dist", "", "the emulator run's output `folder` (default DIST/emulator, as .goreleaser.emulator.yml sets)")
	changelog := flag.String("changelog", "CHANGELOG.md", "the changelog `file`")
	tag := flag.String("tag", "", "the version `tag` being released (vX.Y.Z); empty for a snapshot, which needs `## x.y.z (Unreleased)` or `## Unreleased` on top")
	changelogOnly := flag.Bool("changelog-only", false, "check only the changelog for -tag (release.yml does, before publishing)")
	gomod := flag.String("gomod", "", "the provider's go.mod `file`, checked for what would stop `go install …@VERSION` (skipped when empty)")
	flag.Parse()
	if *stage {
		name, err := stageManifest(*dist, *manifest)
		if err != nil {
			fail(err)
		}
		fmt.Println("releasecheck: wrote", filepath.Join(*dist, name))
		return
	}

	text, err := readIn(filepath.Dir(*changelog), filepath.Base(*changelog))
	if err != nil {
		fail(err)
	}
	problems := checkChangelog(string(text), *tag)
	summaries := []string{fmt.Sprintf("releasecheck: %s has the section for %s", *changelog, cmp.Or(*tag, "the snapshot (an unreleased section)"))}
	if !*changelogOnly {
		if *emulatorDist == "" {
			*emulatorDist = filepath.Join(*dist, "emulator")
		}
		p, summary, err := check(*dist, *manifest)
		if err != nil {
			fail(err)
		}
		problems, summaries = append(problems, p...), append(summaries, summary)
		if p, summary, err = checkEmulator(*dist, *emulatorDist); err != nil {
			fail(err)
		}
		problems, summaries = append(problems, p...), append(summaries, summary)
		if *gomod != "" {
			if p, err = checkGoMod(*gomod); err != nil {
				fail(err)
			}
			problems, summaries = append(problems, p...), append(summaries, "releasecheck: "+*gomod+" lets `go install …/box-emulator@VERSION` work")
		}
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "releasecheck: %d problems:\n", len(problems))
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "  -", p)
		}
		os.Exit(1)
	}
	fmt.Println(strings.Join(summaries, "\n"))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "releasecheck:", err)
	os.Exit(1)
}

type metadata struct {
	ProjectName string `json:"project_name"`
	Version     string `json:"version"`
}

type artifact struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Type   string `json:"type"`
	Goos   string `json:"goos"`
	Goarch string `json:"goarch"`
}

func check(dist, manifestPath string) (problems []string, summary string, err error) {
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	meta, err := readMetadata(dist)
	if err != nil {
		return nil, "", fmt.Errorf("%w (run `make release-snapshot` first)", err)
	}
	prefix := meta.ProjectName + "_" + meta.Version + "_"

	zipSums, p := checkZips(dist, meta)
	problems = append(problems, p...)

	// goreleaser's own record of what it built must match the list above,
	// so a change to .goreleaser.yml cannot slip past this check.
	var artifacts []artifact
	if err := readJSON(filepath.Join(dist, "artifacts.json"), &artifacts); err != nil {
		bad("%v", err)
	}
	problems = append(problems, builtTargets(artifacts, targets, "targets in tools/releasecheck")...)

	// The manifest ships as <project>_<version>_manifest.json, unchanged.
	manifestName := prefix + "manifest.json"
	p, err = checkManifest(dist, manifestName, manifestPath)
	if err != nil {
		return nil, "", err
	}
	problems = append(problems, p...)

	// The checksum file lists every zip and the manifest, with their sums,
	// and nothing that is not there.
	sumsName := prefix + "SHA256SUMS"
	listed, err := readSums(filepath.Join(dist, sumsName))
	if err != nil {
		bad("%v", err)
	}
	expected := map[string]string{}
	for name, sum := range zipSums {
		expected[name] = sum
	}
	if sum, err := sha256File(filepath.Join(dist, manifestName)); err == nil {
		expected[manifestName] = sum
	}
	problems = append(problems, compareSums(sumsName, listed, expected)...)
	// Nothing of the emulator's sits among the registry's files.
	others, _ := filepath.Glob(filepath.Join(dist, emulatorProject+"*"))
	for _, o := range others {
		bad("%s lies beside the registry's files; the emulator's belong in its own dist folder", filepath.Base(o))
	}

	sig := "no signature (snapshot builds skip signing)"
	if _, err := os.Stat(filepath.Join(dist, sumsName+".sig")); err == nil {
		sig = "signature " + sumsName + ".sig present"
	}
	names := make([]string, 0, len(zipSums))
	for n := range zipSums {
		names = append(names, n)
	}
	sort.Strings(names)
	summary = fmt.Sprintf("releasecheck: %s %s: %d zips, %s (%d entries, sums match), %s; %s\n  %s",
		meta.ProjectName, meta.Version, len(zipSums), sumsName, len(listed), manifestName, sig, strings.Join(names, "\n  "))
	return problems, summary, nil
}

// checkZips checks that every target has its zip, holding the binary the
// registry runs, and that dist has no other zip; it returns the zips' sums.
func checkZips(dist string, meta metadata) (zipSums map[string]string, problems []string) {
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	prefix := meta.ProjectName + "_" + meta.Version + "_"
	zipSums = map[string]string{}
	for _, target := range targets {
		name := prefix + target + ".zip"
		path := filepath.Join(dist, name)
		sum, err := sha256File(path)
		if err != nil {
			bad("missing archive %s", name)
			continue
		}
		zipSums[name] = sum
		binary := meta.ProjectName + "_v" + meta.Version
		if strings.HasPrefix(target, "windows_") {
			binary += ".exe"
		}
		if err := zipHolds(path, binary); err != nil {
			bad("%s: %v", name, err)
		}
	}
	// ... and no zip for anything else.
	zips, _ := filepath.Glob(filepath.Join(dist, "*.zip"))
	for _, z := range zips {
		if _, ok := zipSums[filepath.Base(z)]; !ok {
			bad("unexpected archive %s (not a registry target, or a stale build: make release-snapshot cleans dist/)", filepath.Base(z))
		}
	}
	return zipSums, problems
}

// checkManifest checks the repository's registry manifest and that dist
// holds an identical copy under name.
func checkManifest(dist, name, manifestPath string) (problems []string, err error) {
	want, err := readIn(filepath.Dir(manifestPath), filepath.Base(manifestPath))
	if err != nil {
		return nil, err
	}
	var m struct {
		Version  int `json:"version"`
		Metadata struct {
			ProtocolVersions []string `json:"protocol_versions"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(want, &m); err != nil || m.Version != 1 || strings.Join(m.Metadata.ProtocolVersions, ",") != "6.0" {
		problems = append(problems, fmt.Sprintf(`%s must be {"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`, manifestPath))
	}
	got, err := readIn(dist, name)
	switch {
	case err != nil:
		problems = append(problems, "missing "+name)
	case !bytes.Equal(got, want):
		problems = append(problems, fmt.Sprintf("%s differs from %s", name, manifestPath))
	}
	return problems, nil
}

// readIn reads a file that must lie inside dir.
func readIn(dir, name string) ([]byte, error) {
	f, err := os.OpenInRoot(dir, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// stageManifest puts the manifest where a release publishes it: goreleaser
// lists it in the checksum file (checksum.extra_files) but only uploads it
// (release.extra_files) when publishing, so a snapshot leaves it out of
// dist/. The registry needs it next to the zips.
func stageManifest(dist, manifestPath string) (string, error) {
	meta, err := readMetadata(dist)
	if err != nil {
		return "", err
	}
	b, err := readIn(filepath.Dir(manifestPath), filepath.Base(manifestPath))
	if err != nil {
		return "", err
	}
	root, err := os.OpenRoot(dist)
	if err != nil {
		return "", err
	}
	defer root.Close()
	name := meta.ProjectName + "_" + meta.Version + "_manifest.json"
	return name, root.WriteFile(name, b, 0o644)
}

// readMetadata reads the project and version goreleaser built in dist.
func readMetadata(dist string) (metadata, error) {
	var meta metadata
	if err := readJSON(filepath.Join(dist, "metadata.json"), &meta); err != nil {
		return meta, err
	}
	if meta.ProjectName == "" || meta.Version == "" {
		return meta, fmt.Errorf("%s/metadata.json has no project_name or version", dist)
	}
	return meta, nil
}

func readJSON(path string, v any) error {
	b, err := readIn(filepath.Dir(path), filepath.Base(path))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// openIn opens a file without following a link out of its folder.
func openIn(path string) (*os.File, error) {
	return os.OpenInRoot(filepath.Dir(path), filepath.Base(path))
}

func sha256File(path string) (string, error) {
	f, err := openIn(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readSums parses `sha256sum` output: "<hex>  <name>" per line.
func readSums(path string) (map[string]string, error) {
	f, err := os.OpenInRoot(filepath.Dir(path), filepath.Base(path))
	if err != nil {
		return nil, fmt.Errorf("missing checksum file %s", filepath.Base(path))
	}
	defer f.Close()
	sums := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" {
			continue
		}
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 {
			return nil, fmt.Errorf("%s: malformed line %q", filepath.Base(path), line)
		}
		sums[strings.TrimPrefix(name, "*")] = sum
	}
	return sums, s.Err()
}

// zipHolds checks that the archive has the provider binary at its top level.
func zipHolds(path, binary string) error {
	r, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer r.Close()
	var names []string
	for _, f := range r.File {
		if f.Name == binary {
			if f.UncompressedSize64 == 0 {
				return errors.New(binary + " is empty")
			}
			return nil
		}
		names = append(names, f.Name)
	}
	return fmt.Errorf("no %s in the archive (it has %s)", binary, strings.Join(names, ", "))
}
