package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testVersion = "0.1.1-SNAPSHOT-abc1234"

// fakeEmulatorRun writes what the two goreleaser runs leave for the emulator
// check: the provider's metadata.json in repo/dist, and the emulator's
// archives, checksums, metadata and artifacts in repo/dist/emulator, as
// goreleaser records them (paths relative to the repository). It returns
// the two folders.
func fakeEmulatorRun(t *testing.T) (dist, emulatorDist string) {
	t.Helper()
	repo := t.TempDir()
	dist = filepath.Join(repo, "dist")
	emulatorDist = filepath.Join(dist, "emulator")
	if err := os.MkdirAll(emulatorDist, 0o755); err != nil {
		t.Fatal(err)
	}
	writeJSON(t, filepath.Join(dist, "metadata.json"), metadata{ProjectName: "terraform-provider-box", Version: testVersion})
	writeJSON(t, filepath.Join(emulatorDist, "metadata.json"), metadata{ProjectName: emulatorProject, Version: testVersion})
	var artifacts []artifact
	var sums strings.Builder
	for _, target := range emulatorTargets {
		name, binary := emulatorArchive(testVersion, target)
		body := writeArchive(t, filepath.Join(emulatorDist, name), binary)
		sum := sha256.Sum256(body)
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), name)
		goos, goarch, _ := strings.Cut(target, "_")
		artifacts = append(artifacts,
			artifact{Name: binary, Path: "dist/emulator/box-emulator_" + target + "/" + binary, Type: "Binary", Goos: goos, Goarch: goarch},
			artifact{Name: name, Path: "dist/emulator/" + name, Type: "Archive", Goos: goos, Goarch: goarch})
	}
	writeJSON(t, filepath.Join(emulatorDist, "artifacts.json"), artifacts)
	writeFile(t, filepath.Join(emulatorDist, emulatorProject+"_"+testVersion+"_checksums.txt"), []byte(sums.String()))
	return dist, emulatorDist
}

// writeArchive writes a .zip or .tar.gz holding a non-empty binary and a
// LICENSE, and returns the archive's bytes.
func writeArchive(t *testing.T, path, binary string) []byte {
	t.Helper()
	var buf bytes.Buffer
	files := map[string]string{"LICENSE": "MPL-2.0", binary: "\x7fELF emulator"}
	if strings.HasSuffix(path, ".zip") {
		zw := zip.NewWriter(&buf)
		for name, body := range files {
			w, _ := zw.Create(name)
			_, _ = w.Write([]byte(body))
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	} else {
		gz := gzip.NewWriter(&buf)
		tw := tar.NewWriter(gz)
		for name, body := range files {
			_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(body))})
			_, _ = tw.Write([]byte(body))
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := gz.Close(); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, path, buf.Bytes())
	return buf.Bytes()
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, b)
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCheckEmulator(t *testing.T) {
	linux, _ := emulatorArchive(testVersion, "linux_amd64")
	windows, _ := emulatorArchive(testVersion, "windows_arm64")
	sumsFile := emulatorProject + "_" + testVersion + "_checksums.txt"
	cases := []struct {
		name  string
		spoil func(t *testing.T, dist, emulatorDist string)
		want  string // a problem containing this; "" for none
	}{
		{"as goreleaser leaves it", func(*testing.T, string, string) {}, ""},
		{"archive missing", func(t *testing.T, _, e string) { _ = os.Remove(filepath.Join(e, linux)) }, "missing emulator archive " + linux},
		{"archive without the binary", func(t *testing.T, _, e string) {
			writeArchive(t, filepath.Join(e, linux), "something-else")
		}, "no box-emulator in the archive"},
		{"archive changed after its checksum", func(t *testing.T, _, e string) {
			writeArchive(t, filepath.Join(e, windows), "box-emulator.exe")
			f, _ := os.OpenFile(filepath.Join(e, windows), os.O_APPEND|os.O_WRONLY, 0)
			_, _ = f.WriteString("tampered")
			_ = f.Close()
		}, "lists " + windows + " with sha256"},
		{"checksums list another file", func(t *testing.T, _, e string) {
			b, _ := os.ReadFile(filepath.Join(e, sumsFile))
			writeFile(t, filepath.Join(e, sumsFile), append(b, []byte(strings.Repeat("0", 64)+"  terraform-provider-box_"+testVersion+"_linux_amd64.zip\n")...))
		}, "lists terraform-provider-box_" + testVersion + "_linux_amd64.zip, which it should not"},
		{"no checksums file", func(t *testing.T, _, e string) { _ = os.Remove(filepath.Join(e, sumsFile)) }, "missing checksum file " + sumsFile},
		{"another version than the provider", func(t *testing.T, _, e string) {
			writeJSON(t, filepath.Join(e, "metadata.json"), metadata{ProjectName: emulatorProject, Version: "9.9.9"})
		}, "the provider's version"},
		{"a file written among the registry's", func(t *testing.T, _, e string) {
			var a []artifact
			_ = readJSON(filepath.Join(e, "artifacts.json"), &a)
			a = append(a, artifact{Name: "x", Path: "dist/terraform-provider-box_" + testVersion + "_SHA256SUMS", Type: "Checksum"})
			writeJSON(t, filepath.Join(e, "artifacts.json"), a)
		}, "outside"},
		{"a platform dropped from the config", func(t *testing.T, _, e string) {
			var a []artifact
			_ = readJSON(filepath.Join(e, "artifacts.json"), &a)
			writeJSON(t, filepath.Join(e, "artifacts.json"), a[2:])
		}, "built no binary for " + emulatorTargets[0]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dist, emulatorDist := fakeEmulatorRun(t)
			tc.spoil(t, dist, emulatorDist)
			problems, summary, err := checkEmulator(dist, emulatorDist)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(problems) > 0 {
					t.Errorf("want no problems, got %q", problems)
				}
				if !strings.Contains(summary, "6 archives") {
					t.Errorf("summary %q does not count 6 archives", summary)
				}
				return
			}
			for _, p := range problems {
				if strings.Contains(p, tc.want) {
					return
				}
			}
			t.Errorf("want a problem containing %q, got %q", tc.want, problems)
		})
	}
}

func TestCheckEmulatorNotBuilt(t *testing.T) {
	dist, emulatorDist := fakeEmulatorRun(t)
	if err := os.RemoveAll(emulatorDist); err != nil {
		t.Fatal(err)
	}
	if _, _, err := checkEmulator(dist, emulatorDist); err == nil || !strings.Contains(err.Error(), ".goreleaser.emulator.yml") {
		t.Errorf("checkEmulator without an emulator run: err = %v, want one naming .goreleaser.emulator.yml", err)
	}
}

func TestCheckGoMod(t *testing.T) {
	problems, err := checkGoMod("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("the provider's go.mod: %q", problems)
	}
	path := filepath.Join(t.TempDir(), "go.mod")
	writeFile(t, path, []byte("module example.com/m\n\ngo 1.26\n\nreplace example.com/a => ../a\n\nexclude example.com/b v1.0.0\n"))
	problems, err = checkGoMod(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 2 || !strings.Contains(problems[0], "replace example.com/a") || !strings.Contains(problems[1], "exclude example.com/b") {
		t.Errorf("checkGoMod with a replace and an exclude = %q", problems)
	}
}
