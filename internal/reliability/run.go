package reliability

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Options configures a run.
type Options struct {
	Bin        string        // folder holding terraform-provider-box and box-emulator
	Terraform  string        // terraform binary
	Go         string        // go binary, for the acceptance suite and fuzzing
	ModuleDir  string        // the repository root
	N          int           // sign requests per scenario
	Only       []int         // scenario numbers to run; empty means all
	FuzzTime   time.Duration // per fuzz target
	KeepCorpus bool          // copy the inputs fuzzing found into testdata/fuzz
	KeepWork   bool          // keep the temporary folder (logs, states) for a look afterwards
	Log        io.Writer     // progress lines
}

// runner is the shared context of the scenarios of one run.
type runner struct {
	o    Options
	work string
	logM sync.Mutex
}

func (r *runner) logf(num int, format string, args ...any) {
	if r.o.Log == nil {
		return
	}
	r.logM.Lock()
	defer r.logM.Unlock()
	fmt.Fprintf(r.o.Log, "[%s] scenario %d: %s\n", time.Now().Format("15:04:05"), num, fmt.Sprintf(format, args...))
}

func (r *runner) emulatorBin() string { return filepath.Join(r.o.Bin, "box-emulator") }

// workspace makes a fresh terraform folder for a scenario step.
func (r *runner) workspace(name string, env ...string) (*workspace, error) {
	return newWorkspace(filepath.Join(r.work, name), r.o.Terraform, r.o.Bin, env...)
}

type scenario struct {
	num  int
	name string
	run  func(context.Context, *runner) Result
	// idle scenarios spend most of their time waiting (for a rate limit
	// window); they run alongside the others instead of before them.
	idle bool
	// noBinaries: the scenario runs go test, not the built binaries.
	noBinaries bool
}

var scenarios = []scenario{
	{num: 1, name: "429 storm", run: scenarioRateLimit, idle: true},
	{num: 2, name: "5xx bursts", run: scenario5xx},
	{num: 3, name: "ambiguous failures", run: scenarioAmbiguous},
	{num: 4, name: "token expiry mid-apply", run: scenarioTokenExpiry},
	{num: 5, name: "emulator restart mid-apply", run: scenarioRestart},
	{num: 6, name: "Ctrl-C mid-apply", run: scenarioInterrupt},
	{num: 7, name: "invalid configurations", run: scenarioInvalid},
	{num: 8, name: "secrets scan", run: scenarioSecrets, noBinaries: true},
	{num: 9, name: "transport security", run: scenarioTLS},
	{num: 10, name: "fuzzing", run: scenarioFuzz, noBinaries: true},
	{num: 11, name: "kill -9 mid-apply", run: scenarioKill},
	{num: 12, name: "double Ctrl-C mid-apply", run: scenarioDoubleInterrupt},
	{num: 13, name: "webhook retries", run: scenarioWebhook},
	{num: 14, name: "create_before_destroy replacement", run: scenarioReplace},
	{num: 15, name: "count shift", run: scenarioCountShift},
}

// Run runs the selected scenarios and returns their results in order.
func Run(ctx context.Context, o Options) ([]Result, error) {
	if o.N < 1 {
		return nil, fmt.Errorf("the number of sign requests per scenario must be at least 1, got %d", o.N)
	}
	want := map[int]bool{}
	for _, n := range o.Only {
		want[n] = true
	}
	selected := func(s scenario) bool { return len(want) == 0 || want[s.num] }
	for _, s := range scenarios {
		if !selected(s) || s.noBinaries {
			continue
		}
		for _, b := range []string{"box-emulator", "terraform-provider-box"} {
			if _, err := os.Stat(filepath.Join(o.Bin, b)); err != nil {
				return nil, fmt.Errorf("%s is missing from %s: run `make build` first", b, o.Bin)
			}
		}
	}
	work, err := os.MkdirTemp("", "box-reliability-")
	if err != nil {
		return nil, err
	}
	if o.KeepWork {
		fmt.Fprintf(os.Stderr, "keeping the work folder %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	r := &runner{o: o, work: work}

	var (
		mu      sync.Mutex
		results []Result
		wg      sync.WaitGroup
	)
	runOne := func(s scenario) {
		r.logf(s.num, "%s: started", s.name)
		start := time.Now()
		res := s.run(ctx, r)
		res.Num, res.Name = s.num, s.name
		res.Duration = time.Since(start)
		verdict := "PASS"
		if !res.Pass {
			verdict = "FAIL"
		}
		r.logf(s.num, "%s: %s in %s: %s", s.name, verdict, res.Duration.Round(time.Second), res.Outcome)
		mu.Lock()
		results = append(results, res)
		mu.Unlock()
	}
	for _, s := range scenarios {
		if selected(s) && s.idle {
			wg.Add(1)
			go func() { defer wg.Done(); runOne(s) }()
		}
	}
	for _, s := range scenarios {
		if !selected(s) || s.idle {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		runOne(s)
	}
	wg.Wait()
	sort.Slice(results, func(i, j int) bool { return results[i].Num < results[j].Num })
	return results, ctx.Err()
}
