package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

// CHANGELOG.md follows the Terraform providers' convention: the next
// version's section on top while changes gather, `## x.y.z (Unreleased)`
// (or a bare `## Unreleased` before the number is chosen), then one
// `## x.y.z (Month D, YYYY)` section a release, newest first, its entries
// under the category lines below.
const (
	unreleased     = "## Unreleased"
	unreleasedDate = "Unreleased"
)

var (
	versionHeading = regexp.MustCompile(`^## ([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?) \((.+)\)$`)
	categoryLine   = regexp.MustCompile(`^[A-Z][A-Z ]*:$`)
	categories     = []string{"BREAKING CHANGES:", "NOTES:", "FEATURES:", "ENHANCEMENTS:", "BUG FIXES:"}
)

// changelogSection is one `## ` section of CHANGELOG.md.
type changelogSection struct {
	version    string // "" for a bare ## Unreleased
	unreleased bool   // ## Unreleased or ## x.y.z (Unreleased)
	entries    int    // lines starting with "* "
}

// checkChangelog reports what CHANGELOG.md gets wrong for a release of tag
// (vX.Y.Z), or for a snapshot when tag is empty: a tagged release needs its
// own dated section with at least one entry, a snapshot needs an unreleased
// section on top. Either way every heading and category must follow the
// convention.
func checkChangelog(text, tag string) []string {
	sections, problems := parseChangelog(text)
	if tag == "" {
		if len(sections) == 0 || !sections[0].unreleased {
			problems = append(problems, "CHANGELOG.md must start with a `## x.y.z (Unreleased)` (or `## Unreleased`) section while no version tag is being released")
		}
		return problems
	}
	if !strings.HasPrefix(tag, "v") || !semver.IsValid(tag) || semver.Canonical(tag) != tag {
		return append(problems, fmt.Sprintf("tag %q is not a release version (vX.Y.Z)", tag))
	}
	version := strings.TrimPrefix(tag, "v")
	for _, s := range sections {
		if s.version == version {
			if s.unreleased {
				problems = append(problems, fmt.Sprintf("CHANGELOG.md's section for %s still reads (Unreleased): put the release date there (%s) before tagging",
					version, time.Now().UTC().Format("January 2, 2006")))
			}
			if s.entries == 0 {
				problems = append(problems, fmt.Sprintf("CHANGELOG.md's section for %s lists no changes", version))
			}
			return problems
		}
	}
	return append(problems, fmt.Sprintf("CHANGELOG.md has no `## %s (%s)` section for tag %s: date the unreleased section (or rename `## Unreleased` to it) before tagging",
		version, time.Now().UTC().Format("January 2, 2006"), tag))
}

// parseChangelog splits CHANGELOG.md into its sections and reports headings
// and category lines that break the convention.
func parseChangelog(text string) ([]changelogSection, []string) {
	var sections []changelogSection
	var problems []string
	bad := func(n int, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("CHANGELOG.md:%d: ", n)+fmt.Sprintf(format, args...))
	}
	seen := map[string]bool{}
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		line = strings.TrimRight(line, " \r")
		switch {
		case line == unreleased:
			if len(sections) > 0 {
				bad(n, "`## Unreleased` must be the first section")
			}
			sections = append(sections, changelogSection{unreleased: true})
		case strings.HasPrefix(line, "## "):
			m := versionHeading.FindStringSubmatch(line)
			if m == nil {
				bad(n, "%q is neither `## Unreleased`, `## x.y.z (Unreleased)` nor `## x.y.z (Month D, YYYY)`", line)
				continue
			}
			isUnreleased := m[2] == unreleasedDate
			if isUnreleased && len(sections) > 0 {
				bad(n, "`## %s (Unreleased)` must be the first section", m[1])
			}
			if _, err := time.Parse("January 2, 2006", m[2]); err != nil && !isUnreleased {
				bad(n, "%q: the date must read like (January 2, 2006), or (Unreleased) for the next version", line)
			}
			if seen[m[1]] {
				bad(n, "a second section for %s", m[1])
			}
			if len(sections) > 0 && sections[len(sections)-1].version != "" && semver.Compare("v"+sections[len(sections)-1].version, "v"+m[1]) <= 0 {
				bad(n, "%s follows %s: sections go newest first", m[1], sections[len(sections)-1].version)
			}
			seen[m[1]] = true
			sections = append(sections, changelogSection{version: m[1], unreleased: isUnreleased})
		case categoryLine.MatchString(line):
			if !slices.Contains(categories, line) {
				bad(n, "%q is not a changelog category (%s)", line, strings.Join(categories, " "))
			}
		case strings.HasPrefix(line, "* ") && len(sections) > 0:
			sections[len(sections)-1].entries++
		}
	}
	return sections, problems
}
