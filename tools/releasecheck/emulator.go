package main

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
)

// emulatorProject is .goreleaser.emulator.yml's project_name: its archives
// and checksums file are named after it, never after the provider.
const emulatorProject = "box-emulator"

// emulatorTargets are the platforms .goreleaser.emulator.yml builds the
// emulator for (the main ones; the provider's list is longer). Keep the two
// in step.
var emulatorTargets = []string{
	"darwin_amd64", "darwin_arm64",
	"linux_amd64", "linux_arm64",
	"windows_amd64", "windows_arm64",
}

// emulatorArchive is the archive name and the binary inside it for target.
func emulatorArchive(version, target string) (archive, binary string) {
	if strings.HasPrefix(target, "windows_") {
		return emulatorProject + "_" + version + "_" + target + ".zip", emulatorProject + ".exe"
	}
	return emulatorProject + "_" + version + "_" + target + ".tar.gz", emulatorProject
}

// emulatorSums is the name of the emulator's checksums file.
func emulatorSums(version string) string {
	return emulatorProject + "_" + version + "_checksums.txt"
}

// checkEmulator checks what the second goreleaser run left in emulatorDist:
// the emulator built for every target at the provider's version, an archive
// for each holding the binary, a checksums file of its own listing exactly
// those archives with their sums, and no file of that run outside
// emulatorDist, where it could stand beside or replace a registry asset.
// dist is the provider run's folder; goreleaser records paths relative to
// the repository, dist's parent.
func checkEmulator(dist, emulatorDist string) (problems []string, summary string, err error) {
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	provider, err := readMetadata(dist)
	if err != nil {
		return nil, "", err
	}
	meta, err := readMetadata(emulatorDist)
	if err != nil {
		return nil, "", fmt.Errorf("%w (make release-snapshot runs .goreleaser.emulator.yml after .goreleaser.yml)", err)
	}
	if meta.ProjectName != emulatorProject || meta.Version != provider.Version {
		bad("%s/metadata.json is %s %s; want %s %s, the provider's version", emulatorDist, meta.ProjectName, meta.Version, emulatorProject, provider.Version)
	}

	sums := map[string]string{}
	for _, target := range emulatorTargets {
		name, binary := emulatorArchive(provider.Version, target)
		path := filepath.Join(emulatorDist, name)
		sum, err := sha256File(path)
		if err != nil {
			bad("missing emulator archive %s", name)
			continue
		}
		sums[name] = sum
		if err := archiveHolds(path, binary); err != nil {
			bad("%s: %v", name, err)
		}
	}

	var artifacts []artifact
	if err := readJSON(filepath.Join(emulatorDist, "artifacts.json"), &artifacts); err != nil {
		bad("%v", err)
	}
	problems = append(problems, builtTargets(artifacts, emulatorTargets, "emulatorTargets in tools/releasecheck/emulator.go")...)
	for _, a := range artifacts {
		if !within(emulatorDist, resolve(filepath.Dir(dist), a.Path)) {
			bad("the emulator run wrote %s outside %s", a.Path, emulatorDist)
		}
	}

	sumsName := emulatorSums(provider.Version)
	listed, err := readSums(filepath.Join(emulatorDist, sumsName))
	if err != nil {
		bad("%v", err)
	}
	problems = append(problems, compareSums(sumsName, listed, sums)...)

	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	summary = fmt.Sprintf("releasecheck: %s %s: %d archives in %s, %s (%d entries, sums match)\n  %s",
		emulatorProject, provider.Version, len(sums), emulatorDist, sumsName, len(listed), strings.Join(names, "\n  "))
	return problems, summary, nil
}

// builtTargets compares the OS/arch pairs goreleaser built binaries for
// with want, so that a change to a goreleaser config cannot slip past.
func builtTargets(artifacts []artifact, want []string, where string) []string {
	var problems []string
	built := map[string]bool{}
	for _, a := range artifacts {
		if a.Type == "Binary" {
			built[a.Goos+"_"+a.Goarch] = true
		}
	}
	wanted := map[string]bool{}
	for _, target := range want {
		wanted[target] = true
		if !built[target] {
			problems = append(problems, fmt.Sprintf("goreleaser built no binary for %s", target))
		}
	}
	for target := range built {
		if !wanted[target] {
			problems = append(problems, fmt.Sprintf("goreleaser built %s, which this check does not expect: add it to %s", target, where))
		}
	}
	sort.Strings(problems)
	return problems
}

// compareSums reports the differences between a checksum file's entries
// and the files that should be listed, by name and sum.
func compareSums(sumsName string, listed, want map[string]string) []string {
	var problems []string
	for name, sum := range want {
		got, ok := listed[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s does not list %s", sumsName, name))
		case got != sum:
			problems = append(problems, fmt.Sprintf("%s lists %s with sha256 %s, but the file's is %s", sumsName, name, got, sum))
		}
	}
	for name := range listed {
		if _, ok := want[name]; !ok {
			problems = append(problems, fmt.Sprintf("%s lists %s, which it should not", sumsName, name))
		}
	}
	sort.Strings(problems)
	return problems
}

func resolve(base, path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(base, path)
}

// within reports whether path lies inside dir.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// archiveHolds checks that a .zip or .tar.gz has binary at its top level.
func archiveHolds(path, binary string) error {
	if strings.HasSuffix(path, ".zip") {
		return zipHolds(path, binary)
	}
	f, err := openIn(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("no %s in the archive (it has %s)", binary, strings.Join(names, ", "))
		}
		if err != nil {
			return err
		}
		if h.Name == binary {
			if h.Size == 0 {
				return errors.New(binary + " is empty")
			}
			return nil
		}
		names = append(names, h.Name)
	}
}
