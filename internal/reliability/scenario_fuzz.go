package reliability

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// fuzzTarget is one `func FuzzX(f *testing.F)` of the module.
type fuzzTarget struct {
	pkg  string // relative package path, e.g. ./internal/box
	name string
}

var fuzzFunc = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(\w+ \*testing\.F\)`)

// findFuzzTargets lists the fuzz targets under dir/internal, so a new one
// is run without being registered anywhere.
func findFuzzTargets(dir string) ([]fuzzTarget, error) {
	var out []fuzzTarget
	err := filepath.WalkDir(filepath.Join(dir, "internal"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, filepath.Dir(p))
		for _, m := range fuzzFunc.FindAllSubmatch(b, -1) {
			out = append(out, fuzzTarget{pkg: "./" + filepath.ToSlash(rel), name: string(m[1])})
		}
		return nil
	})
	return out, err
}

var (
	fuzzExecs   = regexp.MustCompile(`execs: (\d+)`)
	fuzzFailing = regexp.MustCompile(`Failing input written to (\S+)`)
)

// scenarioFuzz runs every fuzz target for FuzzTime (go test -fuzz takes one
// package and one target at a time). With KeepCorpus, the inputs the
// fuzzer found interesting are copied into the package's testdata/fuzz,
// where plain `go test` replays them.
func scenarioFuzz(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	targets, err := findFuzzTargets(r.o.ModuleDir)
	if err != nil || len(targets) == 0 {
		res.failf("no fuzz targets found under %s/internal: %v", r.o.ModuleDir, err)
		return res
	}
	var execs int
	kept := 0
	var names []string
	for _, t := range targets {
		if ctx.Err() != nil {
			res.failf("interrupted")
			return res
		}
		cmd := exec.CommandContext(ctx, r.o.Go, "test", "-run", "^$", "-fuzz", "^"+t.name+"$", "-fuzztime", r.o.FuzzTime.String(), t.pkg)
		cmd.Dir = r.o.ModuleDir
		out, err := cmd.CombinedOutput()
		n := 0
		if m := fuzzExecs.FindAllSubmatch(out, -1); len(m) > 0 {
			n, _ = strconv.Atoi(string(m[len(m)-1][1]))
		}
		execs += n
		names = append(names, t.name)
		r.logf(10, "%s %s: %d execs", t.pkg, t.name, n)
		if err != nil {
			if m := fuzzFailing.FindSubmatch(out); m != nil {
				res.failf("%s found a failing input (%s): rerun with go test -run=%s/%s %s", t.name, m[1], t.name, filepath.Base(string(m[1])), t.pkg)
			} else {
				res.failf("%s: %v: %s", t.name, err, lastLines(string(out), 5))
			}
			continue
		}
		if r.o.KeepCorpus {
			k, err := keepCorpus(ctx, r.o, t)
			if err != nil {
				res.failf("keeping the corpus of %s: %v", t.name, err)
			}
			kept += k
		}
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("%d targets (%s) ran %s each: %d inputs, no failure", len(targets), strings.Join(names, ", "), r.o.FuzzTime, execs)
		if r.o.KeepCorpus {
			res.Outcome += fmt.Sprintf("; %d new corpus entries kept under testdata/fuzz", kept)
		}
	}
	return res
}

// keepCorpus copies the cached corpus of t into its package's testdata.
func keepCorpus(ctx context.Context, o Options, t fuzzTarget) (int, error) {
	env, err := exec.CommandContext(ctx, o.Go, "env", "GOCACHE").Output()
	if err != nil {
		return 0, err
	}
	mod, err := modulePath(o.ModuleDir)
	if err != nil {
		return 0, err
	}
	src := filepath.Join(strings.TrimSpace(string(env)), "fuzz", mod+strings.TrimPrefix(t.pkg, "."), t.name)
	dst := filepath.Join(o.ModuleDir, t.pkg, "testdata", "fuzz", t.name)
	entries, err := os.ReadDir(src)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		to := filepath.Join(dst, e.Name())
		if _, err := os.Stat(to); err == nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return n, err
		}
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return n, err
		}
		if err := os.WriteFile(to, b, 0o644); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func modulePath(dir string) (string, error) {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "module "); ok {
			return strings.TrimSpace(rest), nil
		}
	}
	return "", fmt.Errorf("no module line in %s/go.mod", dir)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
