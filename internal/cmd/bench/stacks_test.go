package main

import (
	"debug/elf"
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
