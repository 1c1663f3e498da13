package provider

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A registry page is read by users who have no checkout of this
// repository: none may tell them to `go run ./internal/...`; the emulator
// is installed with `go install .../box-emulator@VERSION` instead. The
// pages come from templates/ and examples/ (make docs writes docs/).
func TestRegistryPagesNeedNoCheckout(t *testing.T) {
	for _, dir := range []string{"templates", "examples", "docs"} {
		fsys := os.DirFS(filepath.Join("..", "..", dir))
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			if strings.Contains(string(b), "go run ./internal/") {
				t.Errorf("%s/%s tells users to `go run ./internal/...` from a checkout", dir, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "go install github.com/box/terraform-provider-box/internal/cmd/box-emulator@") {
		t.Error("docs/index.md does not say how to install the emulator")
	}
}
