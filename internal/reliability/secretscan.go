package reliability

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// The secrets scan follows one rule, because a scan can only find what it
// knows to look for:
//
//  1. Secrets a test passes the way users are told to (the environment,
//     sensitive or ephemeral variables) are recorded by the test
//     (BOX_TEST_SECRETS_FILE) and must appear nowhere: not in any log line,
//     whoever wrote it, not in the test output, not in any state file.
//  2. Secret values written as literals in a test's configuration are
//     exempt from Terraform's own lines: Terraform quotes configuration
//     lines in diagnostics and the test harness logs the configuration, as
//     they would for a user who wrote a secret into a .tf file. They must
//     still never appear in a line the provider wrote.
//  3. Whatever the source, the provider's lines hold no phone number, no
//     unredacted password, phone, token, client secret or JWT assertion
//     field, no embed URL; and no line at all holds a bearer token or a
//     private key.
//  4. No state file holds a password_wo value.

// secret is a value to look for, with a name for the report. Findings name
// the kind and the file, never the value.
type secret struct {
	name, value string
}

// minSecretLen skips literal values too short to search for meaningfully
// ("x", "one"): they occur everywhere.
const minSecretLen = 6

// forms returns the ways value may appear in a log: as is, JSON-escaped
// (with and without HTML escaping), and Go-quoted.
func (s secret) forms() []string {
	out := []string{s.value}
	if b, err := json.Marshal(s.value); err == nil {
		out = append(out, string(b[1:len(b)-1]))
	}
	q := fmt.Sprintf("%q", s.value)
	out = append(out, q[1:len(q)-1])
	out = append(out, strings.NewReplacer("&", `\u0026`, "<", `\u003c`, ">", `\u003e`).Replace(s.value))
	return out
}

func (s secret) in(text string) bool {
	for _, f := range s.forms() {
		if strings.Contains(text, f) {
			return true
		}
	}
	return false
}

var (
	// A log entry starts with a timestamp and a level; the logger name
	// follows ("box", "sdk.framework", "sdk.helper_resource", ...).
	entryStart = regexp.MustCompile(`^\d{4}-\d\d-\d\dT[0-9:.]+Z? \[(\w+)\] ([^:\s]*)`)

	privateKey  = regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`)
	bearerToken = regexp.MustCompile(`Bearer ([A-Za-z0-9._~+/=-]{8,})`)
	embedURL    = regexp.MustCompile(`https://app\.box\.com/(embed/sign/document/[0-9a-f-]{36}/|sign/document/[0-9a-f-]{36}/[0-9a-f]+/sign)`)
	phoneNumber = regexp.MustCompile(`\+[1-9][0-9]{6,14}\b`)
	// A sensitive JSON field with its value, in a body logged as is or
	// quoted inside a log line (\"password\":\"...\").
	jsonSecretField = regexp.MustCompile(`\\?"(password|verification_phone_number|phone_number|access_token|refresh_token|client_secret|assertion|embed_url|iframeable_embed_url)\\?"\s*:\s*\\?"([^"\\]*)`)
	formSecretField = regexp.MustCompile(`\b(client_secret|assertion|password)=([^&\s"\\]+)`)
	// The phone validator's help text shows an example number; it is not
	// a configured value, though some tests configure the same number.
	phoneExample = "such as +15551232190"
)

// isProviderLogger reports whether a log entry was written by the provider
// (its own messages, or the plugin framework and protocol on its behalf)
// rather than by Terraform or the test harness.
func isProviderLogger(name string) bool {
	switch {
	case name == "box", strings.HasPrefix(name, "provider"):
		return true
	case name == "sdk.helper_resource":
		return false // the test harness: it logs configurations
	case strings.HasPrefix(name, "sdk."):
		return true
	}
	return false
}

// scanner holds what to look for and collects findings.
type scanner struct {
	known    []secret // rule 1
	literals []secret // rule 2
	findings map[string]int
	bytes    int
	files    int
}

func newScanner(known, literals []secret) *scanner {
	return &scanner{known: known, literals: literals, findings: map[string]int{}}
}

func (s *scanner) found(where, what string) { s.findings[where+": "+what]++ }

// scanLog scans one Terraform/test log, entry by entry.
func (s *scanner) scanLog(name string, r io.Reader) error {
	s.files++
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var entry strings.Builder
	logger := ""
	flush := func() {
		if entry.Len() > 0 {
			s.scanEntry(name, logger, entry.String())
			entry.Reset()
		}
	}
	for sc.Scan() {
		line := sc.Text()
		s.bytes += len(line) + 1
		if m := entryStart.FindStringSubmatch(line); m != nil {
			flush()
			logger = m[2]
		}
		entry.WriteString(line)
		entry.WriteByte('\n')
	}
	flush()
	return sc.Err()
}

func (s *scanner) scanEntry(file, logger, text string) {
	for _, k := range s.known {
		if k.in(text) {
			s.found(file, "the "+k.name+" passed by variable or environment")
		}
	}
	s.scanEverywhere(file, text)
	if !isProviderLogger(logger) {
		return
	}
	text = strings.ReplaceAll(text, phoneExample, "")
	for _, l := range s.literals {
		if l.in(text) {
			s.found(file, "a configured "+l.name+" in a line the provider wrote")
		}
	}
	s.scanProviderText(file, text)
}

// scanEverywhere applies rule 3's checks that hold for every line.
func (s *scanner) scanEverywhere(where, text string) {
	if privateKey.MatchString(text) {
		s.found(where, "a private key")
	}
	for _, m := range bearerToken.FindAllStringSubmatch(text, -1) {
		if !strings.HasPrefix(m[1], "realm") {
			s.found(where, "a bearer token")
		}
	}
}

// scanProviderText applies rule 3's checks on text the provider wrote.
func (s *scanner) scanProviderText(where, text string) {
	if embedURL.MatchString(text) {
		s.found(where, "an embed URL")
	}
	if phoneNumber.MatchString(text) {
		s.found(where, "a phone number")
	}
	for _, m := range jsonSecretField.FindAllStringSubmatch(text, -1) {
		if m[2] != "" && m[2] != "[REDACTED]" {
			s.found(where, "an unredacted "+m[1]+" field")
		}
	}
	for _, m := range formSecretField.FindAllStringSubmatch(text, -1) {
		if m[2] != "[REDACTED]" && m[2] != "%5BREDACTED%5D" {
			s.found(where, "an unredacted "+m[1]+" form field")
		}
	}
}

// scanOutput scans the test run's own output (error messages, plan output
// the tests print): known secrets and rule 3 in full.
func (s *scanner) scanOutput(where, text string) {
	s.bytes += len(text)
	for _, k := range s.known {
		if k.in(text) {
			s.found(where, "the "+k.name+" passed by variable or environment")
		}
	}
	s.scanEverywhere(where, text)
	if embedURL.MatchString(text) {
		s.found(where, "an embed URL")
	}
}

// scanState checks a state file for known secrets and password_wo values.
func (s *scanner) scanState(where, text string, writeOnly []secret) {
	for _, k := range s.known {
		if k.name == "password_wo" && k.in(text) {
			s.found(where, "a password_wo value in the state")
		}
	}
	for _, w := range writeOnly {
		if w.in(text) {
			s.found(where, "a password_wo value in the state")
		}
	}
}

// report lists the findings, sorted; it never includes a secret value.
func (s *scanner) report() []string {
	var out []string
	for k, n := range s.findings {
		out = append(out, fmt.Sprintf("%s (×%d)", k, n))
	}
	sort.Strings(out)
	return out
}

func (s *scanner) total() int {
	n := 0
	for _, c := range s.findings {
		n += c
	}
	return n
}

// literalSecret finds secret attributes written as literals in a
// configuration, such as `password = "..."`.
var literalSecret = regexp.MustCompile(`\b(password|password_wo|verification_phone_number|access_token|client_secret|jwt_config)\s*=\s*"((?:[^"\\]|\\.)*)"`)

// configSecrets returns the literal secret values of a configuration.
func configSecrets(tf string) []secret {
	var out []secret
	for _, m := range literalSecret.FindAllStringSubmatch(tf, -1) {
		if len(m[2]) >= minSecretLen {
			out = append(out, secret{name: m[1], value: m[2]})
		}
	}
	return out
}

// dedupe drops repeated secrets.
func dedupe(in []secret) []secret {
	seen := map[secret]bool{}
	var out []secret
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
