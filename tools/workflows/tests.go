package workflows

import (
	"fmt"
	"slices"
	"strings"
)

// matrixRun is the step that runs each matrix entry's make targets.
const matrixRun = "make ${{ matrix.targets }}"

// Tests reports what test.yml gets wrong: it must run on pull requests and
// pushes to main with a read-only token, run every one of wantTargets with
// make from its matrix (the same targets a developer runs), cache the Go
// build, and install Terraform 1.11 without the wrapper script, whose
// rewritten output terraform-plugin-testing cannot read.
func Tests(wf *Workflow, wantTargets []string) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	if _, ok := wf.On["pull_request"]; !ok || !slices.Equal(wf.On["push"].Branches, []string{"main"}) {
		bad("test.yml must run on pull_request and on push to main")
	}
	problems = append(problems, Permissions(wf, map[string]string{"contents": "read"})...)

	var targets []string
	for name, job := range wf.Jobs {
		if !slices.ContainsFunc(job.Steps, func(s Step) bool { return strings.TrimSpace(s.Run) == matrixRun }) {
			continue
		}
		for _, entry := range job.Strategy.Matrix.Include {
			if entry["targets"] == "" {
				bad("job %s: matrix entry %q names no make targets", name, entry["name"])
			}
			targets = append(targets, strings.Fields(entry["targets"])...)
		}
	}
	for _, t := range wantTargets {
		if !slices.Contains(targets, t) {
			bad("test.yml runs no `make %s` (a matrix entry of a job whose step runs %q)", t, matrixRun)
		}
	}

	steps := wf.steps()
	for _, s := range steps {
		switch s.action() {
		case "actions/setup-go":
			if s.With["cache"] != "true" || s.With["go-version-file"] != "go.mod" {
				bad("actions/setup-go must take Go's version from go.mod and cache the Go build (cache: true)")
			}
		case "hashicorp/setup-terraform":
			if !strings.HasPrefix(s.With["terraform_version"], "1.11") || s.With["terraform_wrapper"] != "false" {
				bad("hashicorp/setup-terraform must install Terraform 1.11 with terraform_wrapper: false")
			}
		}
	}
	if !slices.ContainsFunc(steps, func(s Step) bool { return s.action() == "hashicorp/setup-terraform" }) {
		bad("test.yml installs no Terraform (hashicorp/setup-terraform): make test needs one on PATH")
	}
	return problems
}
