package reliability

import (
	"strings"
	"testing"
)

const sampleLog = `2026-11-26T08:27:38.344Z [DEBUG] box: Box API request: method=POST request_body="{\"signers\":[{\"email\":\"a@example.com\",\"password\":\"[REDACTED]\"}]}" request_headers="map[Authorization:Bearer [REDACTED]]"
2026-11-26T08:27:38.345Z [TRACE] sdk.helper_resource: Using TestStep Config:
  |   signer {
  |     password = "Literal-Pw-123"
  |     verification_phone_number = "+15557770123"
  |   }
2026-11-26T08:27:38.346Z [ERROR] sdk.proto: Response contains error diagnostic: diagnostic_detail="Set the number in E.164 form, such as +15551232190."
2026-11-26T08:27:38.347Z [DEBUG] command "terraform" running with config line: password = "Literal-Pw-123"
`

func scanText(t *testing.T, known, literals []secret, log string) []string {
	t.Helper()
	s := newScanner(known, literals)
	if err := s.scanLog("test.log", strings.NewReader(log)); err != nil {
		t.Fatal(err)
	}
	return s.report()
}

// Literal config values may appear in Terraform's and the harness's
// lines (rule 2), and the validator's example number is not a secret.
func TestScanCleanLog(t *testing.T) {
	lits := []secret{{"password", "Literal-Pw-123"}, {"verification_phone_number", "+15557770123"}, {"verification_phone_number", "+15551232190"}}
	if got := scanText(t, nil, lits, sampleLog); len(got) > 0 {
		t.Errorf("clean log reported: %v", got)
	}
}

func TestScanFindings(t *testing.T) {
	cases := []struct {
		name, line string
		known      []secret
		literals   []secret
		want       string
	}{
		{"known secret in terraform's line", `2026-11-26T08:27:38.347Z [DEBUG] building graph with Var-Pw-77`,
			[]secret{{"password", "Var-Pw-77"}}, nil, "passed by variable"},
		{"known secret JSON-escaped", `2026-11-26T08:27:38.347Z [DEBUG] box: body {\"note\":\"a\u0026b-secret\"}`,
			[]secret{{"password", "a&b-secret"}}, nil, "passed by variable"},
		{"literal in the provider's line", `2026-11-26T08:27:38.347Z [DEBUG] box: sending Literal-Pw-123`,
			nil, []secret{{"password", "Literal-Pw-123"}}, "configured password"},
		{"phone in the provider's line", `2026-11-26T08:27:38.347Z [DEBUG] sdk.framework: value +447911123456`,
			nil, nil, "phone number"},
		{"unredacted password field", `2026-11-26T08:27:38.347Z [DEBUG] box: request_body="{\"password\":\"hunter22\"}"`,
			nil, nil, "unredacted password field"},
		{"unredacted client secret form field", `2026-11-26T08:27:38.347Z [DEBUG] box: request_body="client_id=c&client_secret=abc"`,
			nil, nil, "client_secret form field"},
		{"embed URL", `2026-11-26T08:27:38.347Z [DEBUG] box: link https://app.box.com/embed/sign/document/8e96a779-3e52-4275-852b-c0173cbcc7e5/09a9/`,
			nil, nil, "embed URL"},
		{"bearer token anywhere", `2026-11-26T08:27:38.347Z [DEBUG] net/http: Authorization: Bearer abcdefgh12345`,
			nil, nil, "bearer token"},
		{"private key anywhere", "2026-11-26T08:27:38.347Z [DEBUG] config:\n-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n",
			nil, nil, "private key"},
		{"continuation line of a provider entry", "2026-11-26T08:27:38.347Z [ERROR] sdk.proto: diagnostic:\n  | the number +15550001111 is invalid\n",
			nil, nil, "phone number"},
	}
	for _, c := range cases {
		got := strings.Join(scanText(t, c.known, c.literals, c.line+"\n"), "\n")
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: findings %q, want one about %q", c.name, got, c.want)
		}
		for _, s := range append(c.known, c.literals...) {
			if strings.Contains(got, s.value) {
				t.Errorf("%s: the report repeats the secret", c.name)
			}
		}
	}
}

func TestScanState(t *testing.T) {
	s := newScanner([]secret{{"password_wo", "Wo-Var-1"}, {"password", "Pw-Var-2"}}, nil)
	s.scanState("a/terraform.tfstate", `{"password":"Pw-Var-2","password_wo":null}`, []secret{{"password_wo", "wo-Literal-3"}})
	if s.total() != 0 {
		t.Errorf("a password (not write-only) in the state was reported: %v", s.report())
	}
	s.scanState("b/terraform.tfstate", `{"x":"Wo-Var-1","y":"wo-Literal-3"}`, []secret{{"password_wo", "wo-Literal-3"}})
	if s.total() != 2 {
		t.Errorf("want 2 findings, got %v", s.report())
	}
}

func TestConfigSecrets(t *testing.T) {
	got := configSecrets(`
  password    = "Pw-123456"
  password_wo = var.pw
  verification_phone_number = "+15551230000"
  access_token = "x"
  client_secret = "q\"uoted-secret"
`)
	want := map[string]string{"password": "Pw-123456", "verification_phone_number": "+15551230000", "client_secret": `q\"uoted-secret`}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for _, s := range got {
		if want[s.name] != s.value {
			t.Errorf("%s = %q", s.name, s.value)
		}
	}
}
