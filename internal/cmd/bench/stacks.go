package main

import (
	"bufio"
	"context"
	"debug/elf"
	"debug/gosym"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// The scaling figure's profiles (figure 6 with BENCH_PROFILE=1) read perf's
// raw call stacks rather than perf report, for two reasons: Terraform's
// release binaries are stripped, so perf names none of core's frames (Go
// keeps its own table of functions, .gopclntab, which names them), and
// the figure needs core's and the provider's samples apart, per function,
// as counts it can divide by N.

// comm names as the kernel keeps them (the first 15 bytes of the file
// name): Terraform core, and any provider it starts (terraform-provider-box
// and terraform-provider-time alike).
const (
	commCore     = "terraform"
	commProvider = providerComm
)

// stackCounts is one recording's samples by side (core or provider):
// samples in total, per function as the leaf (self) and per function
// anywhere in the stack, counted once per sample (inclusive).
type stackCounts struct {
	total     map[string]int
	self      map[string]map[string]int
	inclusive map[string]map[string]int
}

func newStackCounts() *stackCounts {
	return &stackCounts{total: map[string]int{}, self: map[string]map[string]int{}, inclusive: map[string]map[string]int{}}
}

func (c *stackCounts) add(comm string, frames []string) {
	if len(frames) == 0 {
		return
	}
	if c.self[comm] == nil {
		c.self[comm], c.inclusive[comm] = map[string]int{}, map[string]int{}
	}
	c.total[comm]++
	c.self[comm][frames[0]]++
	seen := make(map[string]bool, len(frames))
	for _, f := range frames {
		if !seen[f] {
			seen[f] = true
			c.inclusive[comm][f]++
		}
	}
}

// readStacks runs `perf script` on data and counts the samples of core
// and of the provider processes.
func readStacks(ctx context.Context, perf, data string) (*stackCounts, error) {
	cmd := exec.CommandContext(ctx, perf, "script", "-i", data, "-F", "comm,ip,sym,dso", "--comms", commCore+","+commProvider)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	counts, parseErr := parseStacks(out, newSymbolizer())
	_, _ = io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("perf script -i %s: %w", data, err)
	}
	return counts, parseErr
}

// parseStacks reads perf script's output: a line with the comm starts a
// sample, then one frame a line, leaf first, as "ADDRESS SYMBOL (DSO)";
// a blank line ends it. Frames perf could not name ([unknown]) in a Go
// binary are named from its .gopclntab.
func parseStacks(r io.Reader, sym *symbolizer) (*stackCounts, error) {
	counts := newStackCounts()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var comm string
	var frames []string
	flush := func() {
		if comm != "" {
			counts.add(comm, frames)
		}
		comm, frames = "", frames[:0]
	}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
			flush()
		case line[0] != ' ' && line[0] != '\t':
			flush()
			comm = strings.TrimSpace(line)
		default:
			frames = append(frames, sym.frame(strings.TrimSpace(line)))
		}
	}
	flush()
	return counts, sc.Err()
}

// kernelMark starts the name of a kernel frame, which growth leaves out:
// system calls and page faults are what Go code asked for, and the Go
// frames above them say what.
const kernelMark = "[k] "

// symbolizer names frames of Go binaries from their .gopclntab.
type symbolizer struct {
	tables map[string]*goTable // by binary path; nil when it has none
}

func newSymbolizer() *symbolizer { return &symbolizer{tables: map[string]*goTable{}} }

// frame turns "7d2ce runtime.mallocgc (/path/bin)" into its function name.
func (s *symbolizer) frame(line string) string {
	addr, rest, _ := strings.Cut(line, " ")
	name, dso := rest, ""
	if i := strings.LastIndex(rest, " ("); i >= 0 && strings.HasSuffix(rest, ")") {
		name, dso = rest[:i], rest[i+2:len(rest)-1]
	}
	if strings.HasPrefix(dso, "[kernel") {
		return kernelMark + name
	}
	if name != "[unknown]" || dso == "" || strings.HasPrefix(dso, "[") {
		return name
	}
	t, ok := s.tables[dso]
	if !ok {
		t = openGoTable(dso)
		s.tables[dso] = t
	}
	if t != nil {
		if pc, err := strconv.ParseUint(addr, 16, 64); err == nil {
			if fn := t.name(pc); fn != "" {
				return fn
			}
		}
	}
	return "[unknown] (" + dso + ")"
}

// goTable is a Go binary's function table and its loadable segments.
type goTable struct {
	table    *gosym.Table
	segments []elf.ProgHeader
}

func openGoTable(path string) *goTable {
	f, err := elf.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	pcln, text := f.Section(".gopclntab"), f.Section(".text")
	if pcln == nil || text == nil {
		return nil
	}
	data, err := pcln.Data()
	if err != nil {
		return nil
	}
	table, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return nil
	}
	t := &goTable{table: table}
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD {
			t.segments = append(t.segments, p.ProgHeader)
		}
	}
	return t
}

// name returns the function at the file offset off: perf prints an
// address in a binary it cannot name as an offset into the file (its
// map-relative address), which is moved to where that byte is loaded.
func (t *goTable) name(off uint64) string {
	pc := off
	for _, s := range t.segments {
		if off >= s.Off && off < s.Off+s.Filesz {
			pc = off - s.Off + s.Vaddr
			break
		}
	}
	if fn := t.table.PCToFunc(pc); fn != nil {
		return fn.Name
	}
	return ""
}

// printStacks is -stacks FILE: the top functions of one recording, for
// Terraform core and for the provider processes, by their samples with
// callees and by their own.
func printStacks(ctx context.Context, w io.Writer, data string, top int) error {
	perf, err := exec.LookPath("perf")
	if err != nil {
		return fmt.Errorf("-stacks needs perf on PATH")
	}
	st, err := readStacks(ctx, perf, data)
	if err != nil {
		return err
	}
	for _, side := range []string{commCore, commProvider} {
		fmt.Fprintf(w, "%s: %d samples (about %.1f s of CPU)\n", side, st.total[side], float64(st.total[side])/999)
		for _, list := range []struct {
			name   string
			counts map[string]int
		}{{"with callees", st.inclusive[side]}, {"own", st.self[side]}} {
			fmt.Fprintf(w, "  %s:\n", list.name)
			for _, e := range topCounts(list.counts, top) {
				fmt.Fprintf(w, "  %6.1f%%  %s\n", 100*float64(e.n)/float64(max(1, st.total[side])), e.name)
			}
		}
	}
	return nil
}

type counted struct {
	name string
	n    int
}

func topCounts(m map[string]int, top int) []counted {
	var out []counted
	for name, n := range m {
		if !isPlumbing(name) {
			out = append(out, counted{name, n})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].name < out[j].name
	})
	if len(out) > top {
		out = out[:top]
	}
	return out
}
