package workflows

import (
	"fmt"
	"slices"
	"strings"
)

// ProviderConfig is the goreleaser config that builds what the Terraform
// Registry reads; it is the one goreleaser uses without --config.
const ProviderConfig = ".goreleaser.yml"

// Release reports what release.yml gets wrong: it must run only on a push of
// a v* tag with `contents: write` and nothing more, check out the full
// history, refuse a tag CHANGELOG.md has no section for before publishing,
// import the GPG key from the GPG_PRIVATE_KEY and PASSPHRASE secrets, and
// run goreleaser at goreleaserVersion once for each of configs, the
// provider's first, passing the key's fingerprint in every variable of
// signEnv.
func Release(wf *Workflow, goreleaserVersion string, configs, signEnv []string) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	push, ok := wf.On["push"]
	if len(wf.On) != 1 || !ok || !slices.Equal(push.Tags, []string{"v*"}) || len(push.Branches) > 0 {
		bad("release.yml must run on a push of a v* tag and on nothing else (on.push.tags: ['v*'])")
	}
	problems = append(problems, Permissions(wf, map[string]string{"contents": "write"})...)

	steps := wf.steps()
	first := slices.IndexFunc(steps, func(s Step) bool { return s.action() == "goreleaser/goreleaser-action" })
	if first < 0 {
		return append(problems, "release.yml runs no goreleaser/goreleaser-action step")
	}
	checkout := slices.IndexFunc(steps, func(s Step) bool { return s.action() == "actions/checkout" })
	if checkout < 0 || checkout > first || steps[checkout].With["fetch-depth"] != "0" {
		bad("release.yml must check out the full history (actions/checkout with fetch-depth: 0) before goreleaser: goreleaser reads the tags")
	}
	changelog := slices.IndexFunc(steps, func(s Step) bool { return strings.Contains(s.Run, "./releasecheck -changelog-only") })
	if changelog < 0 || changelog > first {
		bad("release.yml must check CHANGELOG.md for the tag (releasecheck -changelog-only) before goreleaser publishes anything")
	}
	gpg := slices.IndexFunc(steps, func(s Step) bool { return s.action() == "crazy-max/ghaction-import-gpg" })
	if gpg < 0 || gpg > first {
		return append(problems, "release.yml must import the GPG key (crazy-max/ghaction-import-gpg) before goreleaser")
	}
	key := steps[gpg]
	if key.ID == "" || key.With["gpg_private_key"] != "${{ secrets.GPG_PRIVATE_KEY }}" || key.With["passphrase"] != "${{ secrets.PASSPHRASE }}" {
		bad("the GPG import step needs an id and must read the GPG_PRIVATE_KEY and PASSPHRASE secrets")
	}
	fingerprint := "${{ steps." + key.ID + ".outputs.fingerprint }}"
	return append(problems, goreleaserRuns(steps[first:], goreleaserVersion, configs, signEnv, fingerprint)...)
}

// goreleaserRuns checks the goreleaser steps among steps.
func goreleaserRuns(steps []Step, version string, configs, signEnv []string, fingerprint string) []string {
	var problems []string
	var released []string
	for _, s := range steps {
		if s.action() != "goreleaser/goreleaser-action" {
			continue
		}
		if s.With["version"] != version {
			problems = append(problems, fmt.Sprintf("goreleaser step %q runs version %q; GNUmakefile's GORELEASER_VERSION is %s", s.Name, s.With["version"], version))
		}
		config := configOf(s.With["args"])
		if !strings.HasPrefix(s.With["args"], "release --clean") {
			problems = append(problems, fmt.Sprintf("goreleaser step %q must run `release --clean`, not %q", s.Name, s.With["args"]))
		}
		if config == ProviderConfig {
			for _, name := range signEnv {
				if s.Env[name] != fingerprint {
					problems = append(problems, fmt.Sprintf("the provider's goreleaser step must set %s: %s (%s signs with it)", name, fingerprint, ProviderConfig))
				}
			}
		}
		released = append(released, config)
	}
	if len(released) > 0 && released[0] != ProviderConfig {
		problems = append(problems, fmt.Sprintf("the first goreleaser run must be the provider's (%s), not %s: the others write inside its dist/", ProviderConfig, released[0]))
	}
	for _, c := range configs {
		if n := count(released, c); n != 1 {
			problems = append(problems, fmt.Sprintf("release.yml runs goreleaser with %s %d times; it must run once for each goreleaser config", c, n))
		}
	}
	for _, c := range released {
		if !slices.Contains(configs, c) {
			problems = append(problems, fmt.Sprintf("release.yml runs goreleaser with %s, which is not in the repository", c))
		}
	}
	return problems
}

// configOf returns the config file a goreleaser command line uses.
func configOf(args string) string {
	fields := strings.Fields(args)
	for i, f := range fields {
		if (f == "--config" || f == "-f") && i+1 < len(fields) {
			return fields[i+1]
		}
		if v, ok := strings.CutPrefix(f, "--config="); ok {
			return v
		}
	}
	return ProviderConfig
}

func count(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}
