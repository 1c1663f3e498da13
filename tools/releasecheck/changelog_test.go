package main

import (
	"os"
	"strings"
	"testing"
)

const released = `# Changelog

## Unreleased

## 0.2.0 (December 1, 2026)

FEATURES:

* a feature

BUG FIXES:

* a fix

## 0.1.0 (November 3, 2026)

NOTES:

* first release
`

func TestCheckChangelog(t *testing.T) {
	cases := []struct {
		name, text, tag string
		want            string // a problem containing this; "" for none
	}{
		{"snapshot with Unreleased", released, "", ""},
		{"tagged release with its section", released, "v0.2.0", ""},
		{"older tagged release", released, "v0.1.0", ""},
		{"tag without a section", released, "v0.3.0", "no `## 0.3.0 ("},
		{"snapshot without Unreleased", strings.Replace(released, "## Unreleased\n", "", 1), "", "(or `## Unreleased`)"},
		{"tagged release without Unreleased is fine", strings.Replace(released, "## Unreleased\n", "", 1), "v0.2.0", ""},
		{"empty section", strings.Replace(released, "* first release\n", "", 1), "v0.1.0", "lists no changes"},
		{"Unreleased not first", strings.Replace(released, "## Unreleased\n", "", 1) + "\n## Unreleased\n", "", "must be the first section"},
		{"date in the wrong form", strings.Replace(released, "(December 1, 2026)", "(2026-12-01)", 1), "v0.2.0", "the date must read like"},
		{"heading of another form", strings.Replace(released, "## 0.2.0 (December 1, 2026)", "## v0.2.0", 1), "", "is neither"},
		{"unknown category", strings.Replace(released, "BUG FIXES:", "BUILD AND DEVELOPMENT:", 1), "", "not a changelog category"},
		{"oldest first", strings.Replace(released, "0.1.0 (November 3", "0.9.0 (November 3", 1), "", "sections go newest first"},
		{"same version twice", strings.Replace(released, "0.1.0 (November 3", "0.2.0 (November 3", 1), "", "a second section for 0.2.0"},
		{"tag that is no version", released, "release-1", "not a release version"},
		{"snapshot with a versioned unreleased section", strings.Replace(released, "## Unreleased\n", "## 0.3.0 (Unreleased)\n\nNOTES:\n\n* next\n", 1), "", ""},
		{"tag of a section still unreleased", strings.Replace(released, "## Unreleased\n", "## 0.3.0 (Unreleased)\n\nNOTES:\n\n* next\n", 1), "v0.3.0", "still reads (Unreleased)"},
		{"older tag below a versioned unreleased section", strings.Replace(released, "## Unreleased\n", "## 0.3.0 (Unreleased)\n\nNOTES:\n\n* next\n", 1), "v0.2.0", ""},
		{"versioned unreleased section not first", released + "\n## 0.0.1 (Unreleased)\n", "", "must be the first section"},
		{"versioned unreleased section older than a release", strings.Replace(released, "## Unreleased\n", "## 0.1.5 (Unreleased)\n", 1), "", "sections go newest first"},
		{"snapshot whose top section is released", strings.Replace(released, "## Unreleased\n", "", 1), "", "must start with a `## x.y.z (Unreleased)`"},
		{"tag without patch", released, "v0.2", "not a release version"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			problems := checkChangelog(tc.text, tc.tag)
			if tc.want == "" {
				if len(problems) > 0 {
					t.Errorf("want no problems, got %q", problems)
				}
				return
			}
			for _, p := range problems {
				if strings.Contains(p, tc.want) {
					return
				}
			}
			t.Errorf("want a problem containing %q, got %q", tc.want, problems)
		})
	}
}

// The repository's changelog passes as it stands (it is a snapshot until a
// tag is pushed).
func TestRepositoryChangelog(t *testing.T) {
	b, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	if problems := checkChangelog(string(b), ""); len(problems) > 0 {
		t.Errorf("CHANGELOG.md: %q", problems)
	}
}
