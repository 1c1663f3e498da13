package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func run(v validator.String, s string) *validator.StringResponse {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{
		Path:        path.Root("x"),
		ConfigValue: types.StringValue(s),
	}, resp)
	return resp
}

func TestValidators(t *testing.T) {
	cases := []struct {
		name string
		v    validator.String
		good []string
		bad  []string
	}{
		{"email", Email(),
			[]string{"a@example.com", "First.Last+tag@sub.example.co.uk", "UPPER@EXAMPLE.COM"},
			[]string{"", "plain", "a@b", "a@.com", "a@example..com", "Name <a@example.com>", " a@example.com", "a@example.com.", "a@@example.com", "@example.com"}},
		{"e164", PhoneE164(),
			[]string{"+15551232190", "+447911123456", "+4930123456"},
			[]string{"", "5551232190", "+0551232190", "+1 555 123 2190", "+1-555-123-2190", "+123", "+1234567890123456", "++15551232190"}},
		{"url", HTTPURL(),
			[]string{"https://example.com/done", "http://localhost:8080/x"},
			[]string{"", "example.com", "ftp://example.com", "https://", "/relative"}},
		{"date", Date(),
			[]string{"2035-01-31", "2024-02-29"},
			[]string{"", "2035-1-31", "2023-02-29", "31/01/2035", "2035-01-31T00:00:00Z"}},
		{"boxid", BoxID(),
			[]string{"0", "1234567890"},
			[]string{"", "abc", "12a", "-1", " 12"}},
		{"language", Language(),
			[]string{"en", "de", "pt-BR"},
			[]string{"", "EN", "english", "e", "en_US"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, s := range c.good {
				if r := run(c.v, s); r.Diagnostics.HasError() {
					t.Errorf("%s: %q rejected: %v", c.name, s, r.Diagnostics)
				}
			}
			for _, s := range c.bad {
				r := run(c.v, s)
				if !r.Diagnostics.HasError() {
					t.Errorf("%s: %q accepted", c.name, s)
					continue
				}
				// A rejected value must never be echoed (phone numbers are
				// secrets): the message must not depend on the value at all.
				canary := run(c.v, "#canary#")
				if r.Diagnostics[0].Detail() != canary.Diagnostics[0].Detail() || r.Diagnostics[0].Summary() != canary.Diagnostics[0].Summary() {
					t.Errorf("%s: diagnostic for %q depends on the value", c.name, s)
				}
			}
		})
	}
}

func TestNullAndUnknownPass(t *testing.T) {
	for _, v := range []validator.String{Email(), PhoneE164(), HTTPURL(), Date(), BoxID(), Language()} {
		for _, val := range []types.String{types.StringNull(), types.StringUnknown()} {
			resp := &validator.StringResponse{}
			v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: val}, resp)
			if resp.Diagnostics.HasError() {
				t.Errorf("%T rejected %v", v, val)
			}
		}
	}
}

func FuzzIsE164(f *testing.F) {
	for _, s := range []string{"+15551232190", "", "+0", "+1 555"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if IsE164(s) {
			if s[0] != '+' || len(s) < 8 || len(s) > 16 {
				t.Fatalf("accepted %q", s)
			}
		}
	})
}

func FuzzIsEmail(f *testing.F) {
	for _, s := range []string{"a@example.com", "", "x <a@b.c>", "a@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if IsEmail(s) && (!strings.Contains(s, "@") || strings.ContainsAny(s, " <>")) {
			t.Fatalf("accepted %q", s)
		}
	})
}

func TestItemName(t *testing.T) {
	for _, s := range []string{"NDA.pdf", "Signed copies", ".hidden", "a..b", strings.Repeat("é", 255)} {
		if r := run(ItemName(), s); r.Diagnostics.HasError() {
			t.Errorf("%q rejected: %v", s, r.Diagnostics)
		}
	}
	for name, s := range map[string]string{
		"empty": "", "slash": "nda/v1", "backslash": `nda\v1`, "dot": ".", "dotdot": "..",
		"trailing space": "nda ", "long": strings.Repeat("x", 256), "control": "nda\tv1",
	} {
		t.Run(name, func(t *testing.T) {
			r := run(ItemName(), s)
			if !r.Diagnostics.HasError() {
				t.Fatalf("%q accepted", s)
			}
			if len(s) > 2 && strings.Contains(r.Diagnostics[0].Detail(), s) {
				t.Errorf("the message repeats the name: %s", r.Diagnostics[0].Detail())
			}
		})
	}
}
