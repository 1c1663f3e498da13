package reliability

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// scenarioInvalid: every invalid configuration fails at plan time with a
// diagnostic that names the attribute, and nothing reaches Box: the
// emulator counts zero API calls.
func scenarioInvalid(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	emu, err := r.startEmulator(ctx, emulatorproc.Options{})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	notPEM := filepath.Join(r.work, "not-a-certificate.pem")
	if err := os.WriteFile(notPEM, []byte("this is not a certificate\n"), 0o600); err != nil {
		res.failf("%v", err)
		return res
	}

	var failures []string
	var mu sync.Mutex
	fail := func(c invalidCase, format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, fmt.Sprintf("%q: %s", c.name, fmt.Sprintf(format, args...)))
	}
	if err := checkResourceCases(ctx, r, emu, &res, fail); err != nil {
		res.failf("%v", err)
		return res
	}
	checkProviderCases(ctx, r, emu, notPEM, fail)

	st, err := emu.stats()
	if err != nil {
		res.failf("%v", err)
		return res
	}
	calls := st.total()
	res.InBox, res.Dups, res.Emails = "0", "0", "0"
	if calls != 0 {
		res.failf("the invalid configurations made %d API calls (%v)", calls, st)
	}
	if len(failures) > 0 {
		sort.Strings(failures)
		res.failf("%d of %d cases: %s", len(failures), len(resourceCases)+len(providerCases), strings.Join(failures, "; "))
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("%d invalid resource and %d invalid provider configurations each failed at plan time with a diagnostic naming the attribute; 0 API calls",
			len(resourceCases), len(providerCases))
	}
	return res
}

// checkResourceCases puts every resource case in one configuration:
// terraform validates every resource and reports each one's diagnostics,
// located by line. It returns an error only when it could not run.
func checkResourceCases(ctx context.Context, r *runner, emu *emulator, res *Result, fail func(invalidCase, string, ...any)) error {
	ws, err := r.workspace("invalid-resources", "BOX_ACCESS_TOKEN="+devToken)
	if err != nil {
		return err
	}
	cfg := providerBlock(emu.URL)
	type span struct{ from, to int }
	spans := make([]span, len(resourceCases))
	offset := strings.Count(terraformBlock, "\n")
	for i, c := range resourceCases {
		from := offset + strings.Count(cfg, "\n") + 1
		cfg += fmt.Sprintf("resource \"box_sign_request\" \"c%02d\" {\n%s\n}\n", i+1, strings.ReplaceAll(c.body, "{file}", emu.FileID))
		spans[i] = span{from, offset + strings.Count(cfg, "\n")}
	}
	if err := ws.write(cfg); err != nil {
		return err
	}
	out := ws.run(ctx, "plan", "-json")
	diags := jsonDiagnostics(out.out)
	if out.ok() {
		res.failf("plan of the invalid resources succeeded")
	}
	for i, c := range resourceCases {
		var mine []diagnostic
		for _, d := range diags {
			if d.Range != nil && d.Range.Start.Line >= spans[i].from && d.Range.Start.Line <= spans[i].to {
				mine = append(mine, d)
			}
		}
		checkCase(c, mine, fail)
	}
	return nil
}

// checkProviderCases runs each provider case in its own configuration, two
// at a time: a provider error stops the plan before anything else would be
// reported.
func checkProviderCases(ctx context.Context, r *runner, emu *emulator, notPEM string, fail func(invalidCase, string, ...any)) {
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i, c := range providerCases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ws, err := r.workspace(fmt.Sprintf("invalid-provider-%02d", i+1))
			if err == nil {
				err = ws.write(providerCaseConfig(c, emu, notPEM))
			}
			if err != nil {
				fail(c, "%v", err)
				return
			}
			out := ws.run(ctx, "plan", "-json")
			if out.ok() {
				fail(c, "plan succeeded")
				return
			}
			checkCase(c, jsonDiagnostics(out.out), fail)
		}()
	}
	wg.Wait()
}

// providerCaseConfig is a provider block with the case's lines (and the
// emulator's address unless the case sets one) and one valid request.
func providerCaseConfig(c invalidCase, emu *emulator, notPEM string) string {
	lines := strings.Split(strings.ReplaceAll(c.body, "{notpem}", notPEM), "\n")
	if !strings.Contains(c.body, "api_base_url") {
		lines = append(lines, fmt.Sprintf("api_base_url = %q", emu.URL))
	}
	var body strings.Builder
	body.WriteString("provider \"box\" {\n")
	for _, l := range lines {
		if l != "" {
			body.WriteString("  " + l + "\n")
		}
	}
	body.WriteString("}\n")
	fmt.Fprintf(&body, "resource \"box_sign_request\" \"ok\" {\n  source_file_ids = [%q]\n  %s}\n", emu.FileID, oneSigner)
	return body.String()
}

// checkCase wants an error diagnostic mentioning the case's attribute.
func checkCase(c invalidCase, diags []diagnostic, fail func(invalidCase, string, ...any)) {
	var seen []string
	for _, d := range diags {
		if d.Severity != "error" {
			continue
		}
		text := d.Summary + " " + d.Detail
		if d.Snippet != nil {
			text += " " + d.Snippet.Code
		}
		if strings.Contains(text, c.attr) {
			return
		}
		seen = append(seen, d.Summary+": "+d.Detail)
	}
	if len(seen) == 0 {
		fail(c, "no error diagnostic")
		return
	}
	fail(c, "no error names %s (got %s)", c.attr, strings.Join(seen, " | "))
}

// diagnostic is one entry of `terraform plan -json` of type "diagnostic".
type diagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
	Range    *struct {
		Start struct {
			Line int `json:"line"`
		} `json:"start"`
	} `json:"range"`
	Snippet *struct {
		Code string `json:"code"`
	} `json:"snippet"`
}

func jsonDiagnostics(out string) []diagnostic {
	var diags []diagnostic
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var m struct {
			Type       string      `json:"type"`
			Diagnostic *diagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(sc.Bytes(), &m) == nil && m.Type == "diagnostic" && m.Diagnostic != nil {
			diags = append(diags, *m.Diagnostic)
		}
	}
	return diags
}
