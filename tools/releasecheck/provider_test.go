package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testManifest = `{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}`

// fakeProviderRun writes what .goreleaser.yml and the staged manifest leave
// in dist/ for a snapshot, and returns dist and the repository's manifest.
func fakeProviderRun(t *testing.T) (dist, manifest string) {
	t.Helper()
	repo := t.TempDir()
	dist = filepath.Join(repo, "dist")
	if err := os.MkdirAll(dist, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest = filepath.Join(repo, "terraform-registry-manifest.json")
	writeFile(t, manifest, []byte(testManifest))
	prefix := "terraform-provider-box_" + testVersion + "_"
	writeFile(t, filepath.Join(dist, prefix+"manifest.json"), []byte(testManifest))
	writeJSON(t, filepath.Join(dist, "metadata.json"), metadata{ProjectName: "terraform-provider-box", Version: testVersion})
	var sums strings.Builder
	fmt.Fprintf(&sums, "%s  %s\n", sha256Hex([]byte(testManifest)), prefix+"manifest.json")
	var artifacts []artifact
	for _, target := range targets {
		binary := "terraform-provider-box_v" + testVersion
		if strings.HasPrefix(target, "windows_") {
			binary += ".exe"
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create(binary)
		_, _ = w.Write([]byte("provider"))
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dist, prefix+target+".zip"), buf.Bytes())
		fmt.Fprintf(&sums, "%s  %s\n", sha256Hex(buf.Bytes()), prefix+target+".zip")
		goos, goarch, _ := strings.Cut(target, "_")
		artifacts = append(artifacts, artifact{Name: binary, Type: "Binary", Goos: goos, Goarch: goarch})
	}
	writeFile(t, filepath.Join(dist, prefix+"SHA256SUMS"), []byte(sums.String()))
	writeJSON(t, filepath.Join(dist, "artifacts.json"), artifacts)
	return dist, manifest
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestCheckProvider: the registry's files as the first goreleaser run leaves
// them pass; anything the emulator's run could do to them does not.
func TestCheckProvider(t *testing.T) {
	prefix := "terraform-provider-box_" + testVersion + "_"
	cases := []struct {
		name  string
		spoil func(t *testing.T, dist string)
		want  string // a problem containing this; "" for none
	}{
		{"as goreleaser leaves it", func(*testing.T, string) {}, ""},
		{"emulator archive among the registry's files", func(t *testing.T, d string) {
			writeFile(t, filepath.Join(d, "box-emulator_"+testVersion+"_linux_amd64.tar.gz"), []byte("x"))
		}, "lies beside the registry's files"},
		{"emulator archive listed in SHA256SUMS", func(t *testing.T, d string) {
			b, _ := os.ReadFile(filepath.Join(d, prefix+"SHA256SUMS"))
			writeFile(t, filepath.Join(d, prefix+"SHA256SUMS"), append(b, []byte(strings.Repeat("0", 64)+"  box-emulator_"+testVersion+"_linux_amd64.tar.gz\n")...))
		}, "lists box-emulator_"},
		{"zip rebuilt after SHA256SUMS", func(t *testing.T, d string) {
			writeFile(t, filepath.Join(d, prefix+"linux_amd64.zip"), []byte("PK rebuilt"))
		}, "lists " + prefix + "linux_amd64.zip with sha256"},
		{"emulator windows zip among the registry's zips", func(t *testing.T, d string) {
			writeFile(t, filepath.Join(d, "box-emulator_"+testVersion+"_windows_amd64.zip"), []byte("x"))
		}, "unexpected archive box-emulator_"},
		{"manifest changed", func(t *testing.T, d string) {
			writeFile(t, filepath.Join(d, prefix+"manifest.json"), []byte(`{}`))
		}, "differs from"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dist, manifest := fakeProviderRun(t)
			tc.spoil(t, dist)
			problems, summary, err := check(dist, manifest)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == "" {
				if len(problems) > 0 {
					t.Errorf("want no problems, got %q", problems)
				}
				if !strings.Contains(summary, fmt.Sprintf("%d zips", len(targets))) {
					t.Errorf("summary %q does not count %d zips", summary, len(targets))
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
