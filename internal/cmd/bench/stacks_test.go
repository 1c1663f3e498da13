package main

import (
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// A sample of core with a kernel leaf and a frame perf could not name, one
// of a provider with a recursive frame: kernel frames are marked, the
// recursion counts once inclusively, and other comms are not in the figure.
func TestParseStacks(t *testing.T) {
	const script = `terraform 
	ffffffff815a7f61 next_uptodate_folio ([kernel.kallsyms])
	           731dd encoding/json.Marshal (/bin/terraform)
	           7647c main.main (/bin/terraform)

terraform-provi 
	           7d2ce runtime.mallocgc (/bin/provider)
	           7d2cf fwserver.walk (/bin/provider)
	           7d2d0 fwserver.walk (/bin/provider)

terraform-provi 
	           7d2ce runtime.mallocgc (/bin/provider)
`
	c, err := parseStacks(strings.NewReader(script), newSymbolizer())
	if err != nil {
		t.Fatal(err)
	}
	if c.total[commCore] != 1 || c.total[commProvider] != 2 {
		t.Fatalf("totals %v, want 1 core and 2 provider samples", c.total)
	}
	if got := c.self[commCore]; !reflect.DeepEqual(got, map[string]int{kernelMark + "next_uptodate_folio": 1}) {
		t.Errorf("core self = %v", got)
	}
	if got := c.inclusive[commProvider]; !reflect.DeepEqual(got, map[string]int{"runtime.mallocgc": 2, "fwserver.walk": 1}) {
		t.Errorf("provider inclusive = %v", got)
	}
}

// The symbolizer names an address of this test binary, given as perf
// gives it for a binary it cannot name: as an offset into the file.
func TestSymbolizerNamesAFileOffset(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	f, err := elf.Open(exe)
	if err != nil {
		t.Skip("not ELF:", err)
	}
	defer f.Close()
	pc := reflect.ValueOf(TestParseStacks).Pointer()
	want := runtime.FuncForPC(pc).Name()
	var off uint64
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && uint64(pc) >= p.Vaddr && uint64(pc) < p.Vaddr+p.Filesz {
			off = uint64(pc) - p.Vaddr + p.Off
		}
	}
	if off == 0 || off == uint64(pc) {
		t.Skip("text is loaded at its file offset here; nothing to translate")
	}
	got := newSymbolizer().frame(fmt.Sprintf("%x [unknown] (%s)", off, exe))
	if got != want {
		t.Errorf("frame at file offset %#x = %q, want %q", off, got, want)
	}
}

// A state as Terraform writes it re-encodes to its own size, and a
// sensitive path's bytes are counted per instance.
func TestPrintStateBytes(t *testing.T) {
	inst := func(i int) map[string]any {
		return map[string]any{
			"index_key":  i,
			"attributes": map[string]any{"id": fmt.Sprint(i), "note": nil, "signer": []any{map[string]any{"email": "a@example.com", "password": nil}}},
			"sensitive_attributes": []any{[]any{
				map[string]any{"type": "get_attr", "value": "signer"},
				map[string]any{"type": "index", "value": map[string]any{"value": 0, "type": "number"}},
				map[string]any{"type": "get_attr", "value": "password"},
			}},
		}
	}
	st := map[string]any{"version": 4, "resources": []any{map[string]any{"mode": "managed", "instances": []any{inst(0), inst(1)}}}}
	path := t.TempDir() + "/terraform.tfstate"
	b, _ := json.MarshalIndent(st, "", "  ")
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := printStateBytes(&out, path); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{fmt.Sprintf("(re-encoded: %d bytes)", len(b)+1), "sensitive path signer[0].password", "signer[].email", "null attributes"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
