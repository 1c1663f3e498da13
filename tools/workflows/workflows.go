// Package workflows checks the facts about .github/workflows that actionlint
// cannot know because they are this repository's: the release runs only on a
// v* tag with only the permissions it needs, every action is pinned to a
// commit, the release runs the goreleaser version GNUmakefile pins for
// `make release-snapshot`, once for each goreleaser config, and hands the
// signing key's fingerprint to .goreleaser.yml under the name it reads; the
// test workflow runs the repository's own make targets. Its test runs these
// checks on the real files (`make workflows-check`, part of `make test`).
package workflows

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Workflow is the part of a GitHub Actions workflow these checks read.
type Workflow struct {
	On          map[string]Trigger `yaml:"on"`
	Permissions map[string]string  `yaml:"permissions"`
	Jobs        map[string]Job     `yaml:"jobs"`
	root        yaml.Node          // the whole document, for the comments
}

// Trigger is one event under `on:`.
type Trigger struct {
	Branches []string `yaml:"branches"`
	Tags     []string `yaml:"tags"`
}

// Job is one entry under `jobs:`.
type Job struct {
	Permissions map[string]string `yaml:"permissions"`
	Strategy    struct {
		Matrix struct {
			Include []map[string]string `yaml:"include"`
		} `yaml:"matrix"`
	} `yaml:"strategy"`
	Steps []Step `yaml:"steps"`
}

// Step is one entry under a job's `steps:`.
type Step struct {
	ID   string            `yaml:"id"`
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

// Parse reads a workflow file's text.
func Parse(text []byte) (*Workflow, error) {
	var wf Workflow
	if err := yaml.Unmarshal(text, &wf.root); err != nil {
		return nil, err
	}
	if err := wf.root.Decode(&wf); err != nil {
		return nil, err
	}
	return &wf, nil
}

// steps lists every step of every job, in job-name order.
func (wf *Workflow) steps() []Step {
	names := make([]string, 0, len(wf.Jobs))
	for name := range wf.Jobs {
		names = append(names, name)
	}
	slices.Sort(names)
	var all []Step
	for _, name := range names {
		all = append(all, wf.Jobs[name].Steps...)
	}
	return all
}

// action is the `owner/repo` part of a step's `uses:`.
func (s Step) action() string {
	name, _, _ := strings.Cut(s.Uses, "@")
	return name
}

var (
	pinned         = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$`)
	versionComment = regexp.MustCompile(`^# v[0-9]+(\.[0-9]+)*$`)
)

// Pins reports every `uses:` that is not an action pinned to a full commit
// SHA with its version in a comment (`@<40 hex> # v1.2.3`): a tag or branch
// can be moved to other code after review, a commit cannot.
func Pins(wf *Workflow) []string {
	var problems []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				key, value := n.Content[i], n.Content[i+1]
				if key.Value == "uses" && value.Kind == yaml.ScalarNode {
					if !pinned.MatchString(value.Value) {
						problems = append(problems, fmt.Sprintf("line %d: uses %q is not pinned to a full commit SHA (owner/repo@<40 hex>)", value.Line, value.Value))
					} else if !versionComment.MatchString(value.LineComment) {
						problems = append(problems, fmt.Sprintf("line %d: uses %q has no version comment (# v1.2.3) saying which release the SHA is", value.Line, value.Value))
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&wf.root)
	return problems
}

// Permissions reports a workflow whose token may do more than want: the
// top-level block must be exactly want, and a job may only narrow it.
func Permissions(wf *Workflow, want map[string]string) []string {
	var problems []string
	if wf.Permissions == nil || !mapsEqual(wf.Permissions, want) {
		problems = append(problems, fmt.Sprintf("top-level permissions are %v; they must be exactly %v", wf.Permissions, want))
	}
	for name, job := range wf.Jobs {
		for scope, level := range job.Permissions {
			if level != "none" && level != "read" && level != want[scope] {
				problems = append(problems, fmt.Sprintf("job %s widens the permissions (%s: %s)", name, scope, level))
			}
			if level == "read" && want[scope] == "" {
				problems = append(problems, fmt.Sprintf("job %s adds a permission (%s: read)", name, scope))
			}
		}
	}
	return problems
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// MakeVariable returns the value GNUmakefile gives name (`NAME := value`).
func MakeVariable(makefile []byte, name string) (string, error) {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `\s*:?=\s*(\S+)\s*$`).FindSubmatch(makefile)
	if m == nil {
		return "", fmt.Errorf("GNUmakefile sets no %s", name)
	}
	return string(m[1]), nil
}

// SignEnv returns the environment variables a goreleaser config's signs
// blocks read ({{ .Env.NAME }}): the release workflow must set each.
func SignEnv(goreleaserConfig []byte) ([]string, error) {
	var cfg struct {
		Signs []struct {
			Args []string `yaml:"args"`
		} `yaml:"signs"`
	}
	if err := yaml.Unmarshal(goreleaserConfig, &cfg); err != nil {
		return nil, err
	}
	ref := regexp.MustCompile(`\{\{\s*\.Env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)
	var names []string
	for _, s := range cfg.Signs {
		for _, arg := range s.Args {
			for _, m := range ref.FindAllStringSubmatch(arg, -1) {
				if !slices.Contains(names, m[1]) {
					names = append(names, m[1])
				}
			}
		}
	}
	return names, nil
}
