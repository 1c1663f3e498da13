package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

// BENCH_PROFILE=1 adds, after the measured rounds of each N, one apply,
// plan and destroy of the box resources under `perf record`, which
// follows every process terraform starts from its first instruction: no
// attaching to a provider process that may have come and gone, and no
// change to the provider. The provider processes' samples are picked by
// their command name. The measured rounds never run under perf.
const (
	profileEnv    = "BENCH_PROFILE"
	profileDirEnv = "BENCH_PROFILE_DIR"
	// providerComm is terraform-provider-box as the kernel names its
	// threads: the first 15 bytes of the file name.
	providerComm = "terraform-provi"
	profileTop   = 15 // entries printed per list
)

// profile is one phase's perf recording and its top entries.
type profile struct {
	phase     string
	data      string   // the perf.data file
	self      []string // symbols by their own samples
	inclusive []string // symbols by their and their callees' samples
}

// profileDir is where the perf.data files go: BENCH_PROFILE_DIR, else
// .cache/bench-profile under the current folder (git ignores .cache).
func profileDir() (string, error) {
	dir := os.Getenv(profileDirEnv)
	if dir == "" {
		dir = filepath.Join(".cache", "bench-profile")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// profiled records the box workspace's apply, plan and destroy at N, when
// BENCH_PROFILE=1.
func (b *bench) profiled(ctx context.Context, root string, r *result) error {
	if os.Getenv(profileEnv) != "1" {
		return nil
	}
	perf, err := exec.LookPath("perf")
	if err != nil {
		return fmt.Errorf("%s=1 needs perf (linux-perf or linux-tools) on PATH", profileEnv)
	}
	dir, err := profileDir()
	if err != nil {
		return err
	}
	emu, err := startEmulator(ctx, b.emulatorPath)
	if err != nil {
		return err
	}
	defer emu.stop()
	ws, err := newWorkspace(root, "box_sign_request (profile)", kindBox, r.n, emu)
	if err != nil {
		return err
	}
	for _, phase := range phases {
		p := profile{phase: phase, data: filepath.Join(dir, fmt.Sprintf("n%d-%s.perf.data", r.n, phase))}
		if err := b.record(ctx, ws, phase, perf, p.data); err != nil {
			return err
		}
		if p.self, err = perfTop(ctx, perf, p.data, "--no-children"); err != nil {
			return err
		}
		if p.inclusive, err = perfTop(ctx, perf, p.data, "--children"); err != nil {
			return err
		}
		r.profiles = append(r.profiles, p)
		progress("N=%d profile: %-7s recorded in %s", r.n, phase, p.data)
	}
	return nil
}

// record runs one phase under perf record, sampling CPU time (a software
// clock, so it works without hardware counters, as in most containers)
// with call graphs from Go's frame pointers.
func (b *bench) record(ctx context.Context, ws *workspace, phase, perf, data string) error {
	logPath := filepath.Join(ws.dir, phase+"-perf.log")
	log, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer log.Close()
	cmd := b.tf.command(ctx, ws, phase, log, perf, "record", "-e", "cpu-clock", "-F", "999", "-g", "-o", data, "--")
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("perf record of terraform %s failed: %w\n%s", phase, err, tail(logPath, 30))
	}
	return nil
}

// perfTop returns the top entries of the box provider's samples in data,
// each as "PERCENT symbol", with --no-children (own samples) or
// --children (with callees). Percentages are of the provider processes'
// samples, not of terraform's.
func perfTop(ctx context.Context, perf, data, mode string) ([]string, error) {
	cmd := exec.CommandContext(ctx, perf, "report", "-i", data, "--stdio", mode, "--comm", providerComm,
		"--sort", "symbol", "-g", "none", "--percentage", "relative", "--percent-limit", "0.5")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("perf report -i %s: %w", data, err)
	}
	skip := func(string) bool { return false }
	if mode == "--children" {
		skip = isPlumbing
	}
	return parsePerfReport(strings.NewReader(string(out)), profileTop, skip), nil
}

// plumbing are the frames that nearly every sample passes through (the
// goroutine root, gRPC's serving loop, the runtime's stack switch): at the
// top of the inclusive list they would hide what the time is spent on.
var plumbing = []string{"runtime.goexit", "runtime.systemstack", "runtime.mcall", "google.golang.org/grpc."}

func isPlumbing(symbol string) bool {
	for _, p := range plumbing {
		if strings.HasPrefix(symbol, p) {
			return true
		}
	}
	return false
}

// perfLine is an entry of perf report --stdio: one or two percentages
// (children, self), then "[.] symbol" or "[k] symbol", then columns
// (IPC) set off by two or more spaces.
var perfLine = regexp.MustCompile(`^\s*(\d+\.\d+%)(?:\s+\d+\.\d+%)?\s+\[[.k]\]\s+(\S(?:.*?\S)?)(?:\s{2,}.*)?$`)

// parsePerfReport keeps the first n entries whose symbol skip does not
// reject: the first percentage (self, or with --children the inclusive
// one) and the symbol.
func parsePerfReport(r io.Reader, n int, skip func(symbol string) bool) []string {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && len(out) < n {
		if m := perfLine.FindStringSubmatch(sc.Text()); m != nil && !skip(m[2]) {
			out = append(out, fmt.Sprintf("%7s  %s", m[1], m[2]))
		}
	}
	return out
}

// printProfiles writes the top entries of every recorded phase.
func printProfiles(w io.Writer, results []*result) {
	for _, r := range results {
		for _, p := range r.profiles {
			fmt.Fprintf(w, "\nProfile of the box provider processes, N=%d, terraform %s (%s; open with `perf report -i %s --comm %s`)\n",
				r.n, p.phase, p.data, p.data, providerComm)
			fmt.Fprintf(w, "  own samples (self)%s  with callees (children; without %s…)\n", strings.Repeat(" ", 52), strings.Join(plumbing, "…, "))
			for i := 0; i < max(len(p.self), len(p.inclusive)); i++ {
				fmt.Fprintf(w, "  %-70s  %s\n", clip(at(p.self, i), 70), at(p.inclusive, i))
			}
		}
	}
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n-1] + "…"
	}
	return s
}
