package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Figure 6, the scaling figure (-scale "100 500 1000", make bench SCALE=1):
// one apply, plan and destroy of N box_sign_request and N time_static per
// N, taking turns within each phase, with the CPU per resource split into
// the provider processes and Terraform core, and the state file's bytes
// per resource. A cost that grows with N shows as a per-resource figure
// that grows from column to column.
//
// With BENCH_PROFILE=1 each of these commands runs under perf record (no
// extra commands: at N = 1,000 one round is already minutes). The CPU
// total is then exact (perf's reaped children: terraform and everything it
// started) and split between core and the providers by perf's samples of
// each; the benchmark prints the functions whose CPU per resource grows
// the most from the smallest N to the largest.

// scaleKinds are the workspaces of figure 6: box and its floor.
var scaleKinds = []string{kindBox, kindTime}

// scaleResult is figure 6 at one N.
type scaleResult struct {
	n          int
	wall       map[string]map[string]time.Duration // kind, phase
	cpu        map[string]map[string]cpuSplit      // kind, phase
	stateBytes map[string]int64                    // kind: terraform.tfstate right after the apply
	stacks     map[string]map[string]*stackCounts  // kind, phase: BENCH_PROFILE=1's samples
}

func newScaleResult(n int) *scaleResult {
	s := &scaleResult{n: n, wall: map[string]map[string]time.Duration{}, cpu: map[string]map[string]cpuSplit{},
		stateBytes: map[string]int64{}, stacks: map[string]map[string]*stackCounts{}}
	for _, k := range scaleKinds {
		s.wall[k], s.cpu[k], s.stacks[k] = map[string]time.Duration{}, map[string]cpuSplit{}, map[string]*stackCounts{}
	}
	return s
}

// scaling runs figure 6 at each N in turn.
func (b *bench) scaling(ctx context.Context, root string, ns []int) ([]*scaleResult, error) {
	var perf, dir string
	if os.Getenv(profileEnv) == "1" {
		var err error
		if perf, err = exec.LookPath("perf"); err != nil {
			return nil, fmt.Errorf("%s=1 needs perf (linux-perf or linux-tools) on PATH", profileEnv)
		}
		if dir, err = profileDir(); err != nil {
			return nil, err
		}
	}
	var out []*scaleResult
	for _, n := range ns {
		s, err := b.scaleOne(ctx, filepath.Join(root, "scale-n"+strconv.Itoa(n)), n, perf, dir)
		if err != nil {
			return out, fmt.Errorf("scaling figure at N=%d: %w", n, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func (b *bench) scaleOne(ctx context.Context, root string, n int, perf, dir string) (*scaleResult, error) {
	emu, err := startEmulator(ctx, b.emulatorPath)
	if err != nil {
		return nil, err
	}
	defer emu.stop()
	s := newScaleResult(n)
	var wss []*workspace
	for _, kind := range scaleKinds {
		ws, err := newWorkspace(root, kind, kind, n, emu)
		if err != nil {
			return nil, err
		}
		if _, err := b.tf.run(ctx, ws, "validate"); err != nil {
			return nil, err
		}
		wss = append(wss, ws)
	}
	for i, phase := range phases {
		// Alternate who goes first, so neither always follows the other.
		order := wss
		if i%2 == 1 {
			order = []*workspace{wss[1], wss[0]}
		}
		for _, ws := range order {
			var m measured
			if perf == "" {
				if m, err = b.tf.run(ctx, ws, phase); err != nil {
					return nil, err
				}
			} else {
				data := filepath.Join(dir, fmt.Sprintf("scale-n%d-%s-%s.perf.data", n, strings.TrimPrefix(ws.kind, "box_"), phase))
				var st *stackCounts
				if m, st, err = b.profiledRun(ctx, ws, phase, perf, data); err != nil {
					return nil, err
				}
				s.stacks[ws.kind][phase] = st
			}
			s.wall[ws.kind][phase], s.cpu[ws.kind][phase] = m.wall, m.cpu
			if phase == "apply" {
				fi, err := os.Stat(filepath.Join(ws.dir, "terraform.tfstate"))
				if err != nil {
					return nil, err
				}
				s.stateBytes[ws.kind] = fi.Size()
			}
			progress("scale N=%d: %-7s %-16s %6.1f s wall, CPU %.2f s provider + %.2f s core",
				n, phase, ws.kind, m.wall.Seconds(), m.cpu.providers.Seconds(), m.cpu.core.Seconds())
		}
	}
	return s, nil
}

// profiledRun runs one phase under perf record and splits the CPU time of
// terraform and its children (perf's reaped children, exact) between core
// and the providers in proportion to perf's samples of each.
func (b *bench) profiledRun(ctx context.Context, ws *workspace, phase, perf, data string) (measured, *stackCounts, error) {
	m, err := b.tf.run(ctx, ws, phase, perf, "record", "-q", "-e", "cpu-clock", "-F", "999", "-g", "-o", data, "--")
	if err != nil {
		return m, nil, err
	}
	st, err := readStacks(ctx, perf, data)
	if err != nil {
		return m, nil, err
	}
	total := m.cpu.providers // perf's children: terraform, and the providers terraform reaped
	m.cpu = cpuSplit{core: total, providers: 0}
	if all := st.total[commCore] + st.total[commProvider]; all > 0 {
		m.cpu.providers = time.Duration(float64(total) * float64(st.total[commProvider]) / float64(all))
		m.cpu.core = total - m.cpu.providers
	}
	return m, st, nil
}

// printScale writes figure 6, and its profiles when there are any.
func printScale(w io.Writer, results []*scaleResult, parallelism int) {
	if len(results) == 0 {
		return
	}
	header := row{label: "figure"}
	for _, s := range results {
		header.values = append(header.values, fmt.Sprintf("N=%d", s.n))
	}
	each := func(f func(s *scaleResult) string) []string {
		out := make([]string, len(results))
		for i, s := range results {
			out[i] = f(s)
		}
		return out
	}
	how := "CPU split exactly (/proc)"
	if len(results[0].stacks[kindBox]) > 0 {
		how = "under perf: CPU total exact, split by perf's samples"
	}
	rows := []row{header, {label: fmt.Sprintf("6. scaling: one apply, plan and destroy per N, no latency, -parallelism=%d; per resource = / N (%s)", parallelism, how)}}
	for _, phase := range phases {
		rows = append(rows,
			row{phase + " wall (s): box | time_static | ratio", each(func(s *scaleResult) string {
				b, t := s.wall[kindBox][phase], s.wall[kindTime][phase]
				return fmt.Sprintf("%.1f | %.1f | %s", b.Seconds(), t.Seconds(), ratio(b, t))
			})},
		)
		for _, side := range []struct {
			name string
			get  func(cpuSplit) time.Duration
		}{
			{"provider", func(c cpuSplit) time.Duration { return c.providers }},
			{"core", func(c cpuSplit) time.Duration { return c.core }},
			{"both", func(c cpuSplit) time.Duration { return c.providers + c.core }},
		} {
			rows = append(rows, row{fmt.Sprintf("%s CPU per resource (ms), %s: box | time_static | ratio", phase, side.name), each(func(s *scaleResult) string {
				b, t := side.get(s.cpu[kindBox][phase]), side.get(s.cpu[kindTime][phase])
				return fmt.Sprintf("%.1f | %.1f | %s", perResourceMS(b, s.n), perResourceMS(t, s.n), ratio(b, t))
			})})
		}
	}
	rows = append(rows, row{"state bytes per resource: box | time_static | ratio", each(func(s *scaleResult) string {
		b, t := s.stateBytes[kindBox], s.stateBytes[kindTime]
		return fmt.Sprintf("%d | %d | %s", b/int64(s.n), t/int64(s.n), ratio(time.Duration(b), time.Duration(t)))
	})})
	fmt.Fprintln(w)
	writeRows(w, rows)
	printGrowth(w, results)
}

// growthTop is how many functions each growth list shows.
const growthTop = 12

// printGrowth lists, per kind, phase and side, the functions whose CPU
// per resource grew the most from the first N to the last: a cost
// proportional to N stays level per resource, a cost in N² grows.
func printGrowth(w io.Writer, results []*scaleResult) {
	first, last := results[0], results[len(results)-1]
	if len(results) < 2 || len(first.stacks[kindBox]) == 0 {
		return
	}
	for _, kind := range scaleKinds {
		for _, phase := range phases {
			for _, side := range []string{commCore, commProvider} {
				fmt.Fprintf(w, "\n6. %s %s, %s: functions by growth of CPU per resource (ms, with callees; %% of the side's samples), N=%d to N=%d\n",
					kind, phase, map[string]string{commCore: "Terraform core", commProvider: "provider processes"}[side], first.n, last.n)
				for _, g := range growth(results, kind, phase, side, growthTop) {
					fmt.Fprintf(w, "  %+7.2f  %s  %s\n", g.delta, g.cells, g.name)
				}
			}
		}
	}
}

type grown struct {
	name  string
	delta float64 // ms per resource at the last N minus at the first
	cells string  // "ms (share) | ms (share) | ..." per N
}

// growth ranks functions of one side by how much their inclusive CPU per
// resource grew between the first and the last N. A sample is about a
// millisecond (perf samples at 999 Hz).
func growth(results []*scaleResult, kind, phase, side string, top int) []grown {
	const msPerSample = 1000.0 / 999
	perRes := func(s *scaleResult, fn string) (ms, share float64) {
		st := s.stacks[kind][phase]
		if st == nil || st.total[side] == 0 {
			return 0, 0
		}
		c := st.inclusive[side][fn]
		return float64(c) * msPerSample / float64(s.n), 100 * float64(c) / float64(st.total[side])
	}
	first, last := results[0], results[len(results)-1]
	names := map[string]bool{}
	for _, s := range []*scaleResult{first, last} {
		if st := s.stacks[kind][phase]; st != nil {
			for fn := range st.inclusive[side] {
				names[fn] = true
			}
		}
	}
	var out []grown
	for fn := range names {
		if isPlumbing(fn) || strings.HasPrefix(fn, "[") || strings.HasPrefix(fn, "runtime.mstart") || fn == "runtime.main" || fn == "main.main" {
			continue
		}
		a, _ := perRes(first, fn)
		b, _ := perRes(last, fn)
		out = append(out, grown{name: fn, delta: b - a})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].delta != out[j].delta {
			return out[i].delta > out[j].delta
		}
		return out[i].name < out[j].name
	})
	if len(out) > top {
		out = out[:top]
	}
	for i := range out {
		var cells []string
		for _, s := range results {
			ms, share := perRes(s, out[i].name)
			cells = append(cells, fmt.Sprintf("%6.2f (%4.1f%%)", ms, share))
		}
		out[i].cells = strings.Join(cells, " | ")
	}
	return out
}

// scaleRecording is the name figure 6 gives a perf recording.
var scaleRecording = regexp.MustCompile(`^scale-n(\d+)-(sign_request|time_static)-(apply|plan|destroy)\.perf\.data$`)

// printGrowthFromDir is -growth DIR: figure 6's growth lists again, from
// the recordings BENCH_PROFILE=1 left in DIR, without running anything.
func printGrowthFromDir(ctx context.Context, w io.Writer, dir string) error {
	perf, err := exec.LookPath("perf")
	if err != nil {
		return fmt.Errorf("-growth needs perf on PATH")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	byN := map[int]*scaleResult{}
	for _, e := range entries {
		m := scaleRecording.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		if byN[n] == nil {
			byN[n] = newScaleResult(n)
		}
		kind := kindTime
		if m[2] == "sign_request" {
			kind = kindBox
		}
		st, err := readStacks(ctx, perf, filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		byN[n].stacks[kind][m[3]] = st
	}
	var results []*scaleResult
	for _, s := range byN {
		results = append(results, s)
	}
	sort.Slice(results, func(i, j int) bool { return results[i].n < results[j].n })
	if len(results) < 2 {
		return fmt.Errorf("%s holds recordings of %d values of N; the growth needs two", dir, len(results))
	}
	printGrowth(w, results)
	return nil
}
