package reliability

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// scenarioSecrets runs the whole acceptance suite once with TRACE logging
// to files, keeping every working folder, then scans every log, the test
// output and every state file under the rule in secretscan.go.
func scenarioSecrets(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	dir := filepath.Join(r.work, "secrets")
	logs, wd := filepath.Join(dir, "logs"), filepath.Join(dir, "workdirs")
	recorded := filepath.Join(dir, "recorded-secrets.jsonl")
	for _, d := range []string{logs, wd} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			res.failf("%v", err)
			return res
		}
	}
	cmd := exec.CommandContext(ctx, r.o.Go, "test", "-count=1", "-timeout=20m", "-v", "-run", "TestAcc", "./internal/provider/...")
	cmd.Dir = r.o.ModuleDir
	cmd.Env = append(suiteEnv(),
		"TF_ACC=1",
		"TF_LOG=TRACE",
		"TF_LOG_PATH_MASK="+filepath.Join(logs, "%s.log"),
		"TF_ACC_PERSIST_WORKING_DIR=1",
		"TF_ACC_TEMP_DIR="+wd,
		"BOX_TEST_LOG_DIR="+logs,
		"BOX_TEST_SECRETS_FILE="+recorded,
	)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r.logf(8, "acceptance suite with TRACE logging: %s", time.Since(start).Round(time.Second))
	tests := len(regexp.MustCompile(`(?m)^--- PASS: TestAcc`).FindAll(out, -1))
	if err != nil {
		failed := regexp.MustCompile(`(?m)^--- FAIL: (\S+)`).FindAllSubmatch(out, -1)
		var names []string
		for _, m := range failed {
			names = append(names, string(m[1]))
		}
		res.failf("the acceptance suite failed (%v): %s", err, strings.Join(names, ", "))
	}

	known, err := readRecorded(recorded)
	if err != nil {
		res.failf("%v", err)
	}
	kept := readWorkdirs(wd)
	sc := newScanner(known, kept.literals)
	logFiles, _ := filepath.Glob(filepath.Join(logs, "*.log"))
	for _, f := range logFiles {
		if err := scanLogFile(sc, f); err != nil {
			res.failf("%v", err)
		}
	}
	sc.scanOutput("test output", string(out))
	for _, p := range kept.states {
		b, err := os.ReadFile(p)
		if err == nil {
			sc.scanState(filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p), string(b), kept.writeOnly)
		}
	}
	literals, states := kept.literals, kept.states

	res.Secrets = fmt.Sprint(sc.total())
	switch {
	case len(logFiles) == 0 || sc.bytes < 1<<20:
		res.failf("only %d log files (%d bytes): trace logging did not happen, so nothing was checked", len(logFiles), sc.bytes)
	case len(known) == 0:
		res.failf("no test recorded the secrets it passed (BOX_TEST_SECRETS_FILE), so rule 1 checked nothing")
	case len(states) == 0:
		res.failf("no state file was kept, so rule 4 checked nothing")
	}
	if f := sc.report(); len(f) > 0 {
		res.failf("%d findings: %s", sc.total(), strings.Join(f, "; "))
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("%d acceptance tests at TRACE: %d logs (%d MB), the test output and %d state files hold none of %d recorded secrets, "+
			"the provider's lines none of %d literal ones nor any phone number, unredacted secret field, embed URL; no bearer token or private key anywhere; no password_wo in any state",
			tests, len(logFiles), sc.bytes>>20, len(states), len(known), len(literals))
	}
	return res
}

// workdirs is what the acceptance suite left in its working folders: the
// secrets its configurations hold literally (password_wo among them) and
// its state files.
type workdirs struct {
	literals, writeOnly []secret
	states              []string
}

func readWorkdirs(wd string) workdirs {
	var w workdirs
	_ = filepath.WalkDir(wd, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		switch {
		case strings.HasSuffix(p, ".tf"):
			b, _ := os.ReadFile(p)
			for _, s := range configSecrets(string(b)) {
				w.literals = append(w.literals, s)
				if s.name == "password_wo" {
					w.writeOnly = append(w.writeOnly, s)
				}
			}
		case strings.Contains(filepath.Base(p), ".tfstate"):
			w.states = append(w.states, p)
		}
		return nil
	})
	w.literals, w.writeOnly = dedupe(w.literals), dedupe(w.writeOnly)
	return w
}

// scanLogFile scans one TRACE log.
func scanLogFile(sc *scanner, path string) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	if err := sc.scanLog(filepath.Base(path), fh); err != nil {
		return fmt.Errorf("reading %s: %w", filepath.Base(path), err)
	}
	return nil
}

// suiteEnv is the runner's environment without credentials and logging
// settings, so that the suite runs against the emulator with only the
// logging this scenario sets.
func suiteEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "BOX_") || strings.HasPrefix(k, "TF_LOG") || strings.HasPrefix(k, "TF_ACC") && k != "TF_ACC_TERRAFORM_PATH" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// readRecorded reads the secrets the tests recorded, one JSON object per
// line: {"test": ..., "name": ..., "value": ...}.
func readRecorded(path string) ([]secret, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []secret
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Value != "" {
			out = append(out, secret{name: rec.Name, value: rec.Value})
		}
	}
	return dedupe(out), sc.Err()
}
