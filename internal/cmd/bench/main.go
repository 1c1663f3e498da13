// Command bench runs the benchmark behind `make bench`: what the provider
// costs on top of Terraform itself and of the Box API's round trips.
//
//	go run ./internal/cmd/bench -n "100 500"
//
// For each N it starts bin/box-emulator and runs real terraform commands
// against N box_sign_request resources, next to N terraform_data (built
// into Terraform) and N time_static (hashicorp/time, a framework provider
// that does no I/O), then prints one table. README.md, section
// "Benchmarks", explains each figure. Everything runs in a temporary
// folder that is removed at the end; the emulator and terraform run in
// their own process groups, which are killed on exit and on Ctrl-C.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	var b bench
	nList := flag.String("n", "100 500", "how many resources to create, one run per `LIST` item (spaces or commas); may be empty with -scale")
	scaleList := flag.String("scale", "", "also run figure 6, the scaling figure, at each N of `LIST` (make bench SCALE=1: \"100 500 1000\")")
	bin := flag.String("bin", "bin", "`DIR` holding terraform-provider-box and box-emulator (make build)")
	timeBin := flag.String("time-bin", ".cache/bin", "`DIR` holding terraform-provider-time v0.14.2 (hashicorp/time)")
	tf := flag.String("terraform", "terraform", "terraform `BINARY` to run")
	flag.IntVar(&b.parallelism, "parallelism", 10, "terraform -parallelism (10 is Terraform's default)")
	flag.DurationVar(&b.latency, "latency", 50*time.Millisecond, "emulator -latency of figure 3's run")
	flag.IntVar(&b.rateLimit, "rate-limit", 0, "emulator -rate-limit (creates per minute) of figure 4's run; 0 means Box's 100/min, or N/2 when that is less, so that the limit is reached")
	flag.IntVar(&b.rounds, "rounds", 0, "how many times to repeat apply, plan and destroy (figures 1, 2, 3 and 5), showing the median wall time; 0 means 3 when N <= 100, else 1")
	stateBytes := flag.String("state-bytes", "", "only print where the bytes of the state `FILE` go, per attribute and instance, and exit")
	stacks := flag.String("stacks", "", "only print the top functions of Terraform core and of the providers in the perf recording `FILE` (BENCH_PROFILE=1 keeps them in .cache/bench-profile), and exit")
	growthDir := flag.String("growth", "", "only print figure 6's growth lists again from the recordings that BENCH_PROFILE=1 left in `DIR`, and exit")
	flag.Parse()
	if *growthDir != "" {
		if err := printGrowthFromDir(context.Background(), os.Stdout, *growthDir); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *stacks != "" {
		if err := printStacks(context.Background(), os.Stdout, *stacks, 40); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *stateBytes != "" {
		if err := printStateBytes(os.Stdout, *stateBytes); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}

	ns, err := parseNs(*nList)
	var scaleNs []int
	if *scaleList != "" {
		if strings.TrimSpace(*nList) == "" {
			ns, err = nil, nil
		}
		if err == nil {
			scaleNs, err = parseNs(*scaleList)
		}
	}
	if err == nil {
		err = b.setup(*bin, *timeBin, *tf)
	}
	if err == nil && (b.parallelism < 1 || b.rounds < 0 || b.latency <= 0 || b.rateLimit < 0) {
		err = errors.New("-parallelism must be at least 1, -latency positive, and -rounds and -rate-limit not negative")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	results, scaled, err := b.run(ctx, ns, scaleNs)
	stop()
	if len(results) > 0 {
		fmt.Println()
		printTable(os.Stdout, results, b.parallelism, b.latency)
		printProfiles(os.Stdout, results)
	}
	printScale(os.Stdout, scaled, b.parallelism)
	if err != nil {
		fmt.Fprintln(os.Stderr, "\nbench failed:", err)
		os.Exit(1)
	}
	for _, r := range results {
		if r.rate.err != nil {
			fmt.Fprintf(os.Stderr, "\nbench: the rate-limited apply failed at N=%d: %v\n", r.n, r.rate.err)
			os.Exit(1)
		}
	}
}

func parseNs(list string) ([]int, error) {
	var ns []int
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ' ' || r == ',' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-n: %q is not a positive whole number; give a list such as \"100 500\"", f)
		}
		ns = append(ns, n)
	}
	if len(ns) == 0 {
		return nil, errors.New("-n: give at least one number of resources, such as \"100 500\"")
	}
	return ns, nil
}

// bench holds the settings shared by every run.
type bench struct {
	parallelism int
	latency     time.Duration
	rateLimit   int
	rounds      int

	emulatorPath string
	tf           *terraform
}

// setup checks that every binary is where it should be, so a missing one
// fails now with a hint instead of minutes into the run.
func (b *bench) setup(bin, timeBin, tfName string) error {
	boxDir, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	timeDir, err := filepath.Abs(timeBin)
	if err != nil {
		return err
	}
	b.emulatorPath = filepath.Join(boxDir, "box-emulator")
	boxProvider := filepath.Join(boxDir, "terraform-provider-box")
	timeProvider := filepath.Join(timeDir, "terraform-provider-time")
	for _, p := range []string{b.emulatorPath, boxProvider} {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%s is missing: run `make build` first (or set -bin)", p)
		}
	}
	if _, err := os.Stat(timeProvider); err != nil {
		return fmt.Errorf("%s is missing: run `GOBIN=%s go install github.com/hashicorp/terraform-provider-time@v0.14.2` (make bench does) or set -time-bin", timeProvider, timeDir)
	}
	tfPath, err := exec.LookPath(tfName)
	if err != nil {
		return fmt.Errorf("%s is not on PATH: install Terraform 1.11 or later (nothing is downloaded)", tfName)
	}
	b.tf = &terraform{
		path:        tfPath,
		parallelism: b.parallelism,
		providers:   map[string]string{kindBox: boxProvider, kindTime: timeProvider},
	}
	return nil
}

// run measures every N in turn, then figure 6 at each of scaleNs, in a
// temporary folder removed at the end.
func (b *bench) run(ctx context.Context, ns, scaleNs []int) ([]*result, []*scaleResult, error) {
	tmp, err := os.MkdirTemp("", "box-bench-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)

	// Measure copies of the binaries: a `make build` elsewhere in the tree
	// during the run must not swap the provider under a measurement.
	boxDir, timeDir := filepath.Join(tmp, "box-bin"), filepath.Join(tmp, "time-bin")
	for _, c := range []struct{ from, to string }{
		{b.tf.providers[kindBox], filepath.Join(boxDir, "terraform-provider-box")},
		{b.emulatorPath, filepath.Join(boxDir, "box-emulator")},
		{b.tf.providers[kindTime], filepath.Join(timeDir, "terraform-provider-time")},
	} {
		if err := copyExecutable(c.from, c.to); err != nil {
			return nil, nil, err
		}
	}
	b.emulatorPath = filepath.Join(boxDir, "box-emulator")
	b.tf.providers = map[string]string{
		kindBox:  filepath.Join(boxDir, "terraform-provider-box"),
		kindTime: filepath.Join(timeDir, "terraform-provider-time"),
	}

	rc := filepath.Join(tmp, "terraformrc")
	if err := os.WriteFile(rc, []byte(cliConfig(boxDir, timeDir)), 0o600); err != nil {
		return nil, nil, err
	}
	b.tf.baseEnv = append(cleanEnv(),
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
	)

	var results []*result
	for _, n := range ns {
		r := newResult(n)
		root := filepath.Join(tmp, "n"+strconv.Itoa(n))
		for _, measure := range []func(context.Context, string, *result) error{b.alternating, b.rateLimited, b.profiled} {
			if err := measure(ctx, root, r); err != nil {
				return results, nil, fmt.Errorf("at N=%d: %w", n, err)
			}
		}
		results = append(results, r)
	}
	scaled, err := b.scaling(ctx, tmp, scaleNs)
	return results, scaled, err
}

// boxSignRateLimit is Box Sign's real limit on creates per user and minute
// (internal/emulator/FIDELITY.md, "Sign request create": Box Sign's 100
// creates and resends per minute per user).
const boxSignRateLimit = 100

var (
	phases = []string{"apply", "plan", "destroy"}
	kinds  = []string{kindBox, kindTime, kindData}
)

// alternating is figures 1, 2, 3 and 5: apply, plan and destroy of the
// three kinds against an emulator with no latency, and of the box
// resources against a second emulator with latency. Within each phase the
// four take turns, so that a machine that slows down mid-run slows all of
// them alike and their ratios hold.
func (b *bench) alternating(ctx context.Context, root string, r *result) error {
	emu, err := startEmulator(ctx, b.emulatorPath)
	if err != nil {
		return err
	}
	defer emu.stop()
	slow, err := startEmulator(ctx, b.emulatorPath, "-latency", b.latency.String())
	if err != nil {
		return err
	}
	defer slow.stop()

	var targets []*workspace
	for _, kind := range kinds {
		ws, err := newWorkspace(root, kind, kind, r.n, emu)
		if err != nil {
			return err
		}
		targets = append(targets, ws)
	}
	ws, err := newWorkspace(root, latencyBox, kindBox, r.n, slow)
	if err != nil {
		return err
	}
	targets = append(targets, ws)
	for _, ws := range targets {
		if _, err := b.tf.run(ctx, ws, "validate"); err != nil {
			return err
		}
	}

	rounds := b.rounds
	if rounds == 0 {
		// A command of a few seconds is easily doubled by another job on
		// the machine: the median of three keeps one such spike out. Long
		// commands average it out themselves.
		rounds = 1
		if r.n <= 100 {
			rounds = 3
		}
	}
	for round := 0; round < rounds; round++ {
		// Rotate who goes first, so no kind always runs right after another.
		k := round % len(targets)
		order := append(append([]*workspace(nil), targets[k:]...), targets[:k]...)
		for _, phase := range phases {
			for _, ws := range order {
				before, err := emu.stats(ctx)
				if err != nil {
					return err
				}
				m, err := b.tf.run(ctx, ws, phase)
				if err != nil {
					return err
				}
				after, err := emu.stats(ctx)
				if err != nil {
					return err
				}
				if ws.name == kindBox {
					r.calls[phase].add(after.minus(before))
				}
				r.record(ws.name, phase, m)
				progress("N=%d round %d: %-7s %-26s %6.1f s wall, CPU %.2f s provider + %.2f s core",
					r.n, round+1, phase, ws.name, m.wall.Seconds(), m.cpu.providers.Seconds(), m.cpu.core.Seconds())
			}
		}
	}
	return nil
}

// rateLimited is figure 4: one apply of the box resources against an
// emulator that allows limit creates per minute. The emulator's counters
// are sampled during the apply to time the creates.
func (b *bench) rateLimited(ctx context.Context, root string, r *result) error {
	limit := b.rateLimit
	if limit == 0 {
		// Box's own limit, or less when N is small so that it is reached.
		// It must bind well below the provider's unthrottled pace (several
		// hundred creates a minute), or the figure measures that pace.
		limit = max(1, min(boxSignRateLimit, r.n/2))
	}
	r.rate.limit = limit
	emu, err := startEmulator(ctx, b.emulatorPath, "-rate-limit", strconv.Itoa(limit))
	if err != nil {
		return err
	}
	defer emu.stop()
	ws, err := newWorkspace(root, "box_sign_request (rate limit)", kindBox, r.n, emu)
	if err != nil {
		return err
	}

	start := time.Now()
	samples := make(chan []createSample, 1)
	stopSampling := make(chan struct{})
	go func() {
		var out []createSample
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopSampling:
				samples <- out
				return
			case <-t.C:
			}
			if s, err := emu.stats(ctx); err == nil {
				out = append(out, createSample{at: time.Since(start), created: s.answered(routeCreate, "201"), limited: s.answered(routeCreate, "429")})
			}
		}
	}()
	m, runErr := b.tf.run(ctx, ws, "apply")
	wall := m.wall
	close(stopSampling)
	series := <-samples
	if ctx.Err() != nil {
		return ctx.Err()
	}
	final, err := emu.stats(ctx)
	if err != nil {
		return err
	}
	series = append(series, createSample{at: wall, created: final.answered(routeCreate, "201"), limited: final.answered(routeCreate, "429")})
	r.rate.measure(series, wall, runErr)
	status := "ok"
	if runErr != nil {
		status = "FAILED"
	}
	progress("N=%d rate limit %d/min: apply %s %6.1f s", r.n, limit, status, wall.Seconds())
	return nil
}

func copyExecutable(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o755)
}

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

// median of a non-empty list of durations.
func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
