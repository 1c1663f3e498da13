// Package validators holds the schema validators the Box resources share.
// Their messages never repeat the rejected value: some of the attributes they
// guard (phone numbers) are secrets.
package validators

import (
	"context"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// stringCheck adapts a predicate to validator.String. Null and unknown values
// pass: other validators (Required, AlsoRequires) decide about presence.
type stringCheck struct {
	desc  string
	valid func(string) bool
	fix   string
}

func (c stringCheck) Description(context.Context) string         { return c.desc }
func (c stringCheck) MarkdownDescription(context.Context) string { return c.desc }

func (c stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if !c.valid(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+c.desc, "Attribute "+req.Path.String()+" is not a valid "+c.desc+". "+c.fix)
	}
}

// Email accepts a single bare address such as signer@example.com.
func Email() validator.String {
	return stringCheck{
		desc:  "email address",
		valid: IsEmail,
		fix:   "Set a single email address such as signer@example.com, without a display name or angle brackets.",
	}
}

// IsEmail reports whether s is one bare address with a dotted domain.
func IsEmail(s string) bool {
	if s == "" || strings.TrimSpace(s) != s || len(s) > 254 {
		return false
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
		!strings.HasSuffix(domain, ".") && !strings.Contains(domain, "..")
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// PhoneE164 accepts a phone number in E.164 form, such as +15551232190.
func PhoneE164() validator.String {
	return stringCheck{
		desc:  "phone number",
		valid: IsE164,
		fix:   "Set the number in E.164 form: a plus sign, the country code and the number, digits only, such as +15551232190.",
	}
}

// IsE164 reports whether s is an E.164 phone number.
func IsE164(s string) bool { return e164.MatchString(s) }

// HTTPURL accepts an absolute http or https URL.
func HTTPURL() validator.String {
	return stringCheck{
		desc: "URL",
		valid: func(s string) bool {
			u, err := url.Parse(s)
			return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
		},
		fix: "Set an absolute URL starting with https:// (or http://).",
	}
}

// Date accepts a calendar date as YYYY-MM-DD, the form Box's prefill tags use.
func Date() validator.String {
	return stringCheck{
		desc: "date",
		valid: func(s string) bool {
			_, err := time.Parse("2006-01-02", s)
			return err == nil
		},
		fix: "Set the date as YYYY-MM-DD, for example 2035-01-31.",
	}
}

var boxID = regexp.MustCompile(`^[0-9]+$`)

// BoxID accepts a numeric Box file or folder ID.
func BoxID() validator.String {
	return stringCheck{
		desc:  "Box ID",
		valid: boxID.MatchString,
		fix:   "Box file and folder IDs are numbers, such as \"1234567890\": copy it from the item's URL in the Box web app.",
	}
}

var language = regexp.MustCompile(`^[a-z]{2}(-[A-Za-z0-9]{2,8})?$`)

// Language accepts a language code such as en or pt-BR.
func Language() validator.String {
	return stringCheck{
		desc:  "language code",
		valid: language.MatchString,
		fix:   "Set a two-letter ISO 639-1 language code such as \"en\" or \"de\", optionally with a region such as \"pt-BR\".",
	}
}

// ItemName applies Box's rules for file and folder names (spec
// `put_folders_id`, `post_files_content`): at most 255 characters, no `/`
// or `\`, no non-printable ASCII, no trailing spaces, not `.` or `..`.
// The message says which rule failed, never the name.
func ItemName() validator.String { return itemName{} }

type itemName struct{}

func (itemName) Description(context.Context) string {
	return "a Box item name: 1 to 255 characters, no / or \\, no trailing spaces, not . or .."
}

func (v itemName) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (itemName) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := ItemNameProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Box item name",
			"Attribute "+req.Path.String()+" "+problem+": Box refuses such names. Choose another name.")
	}
}

// ItemNameProblem says which of Box's name rules s breaks, or "".
func ItemNameProblem(s string) string {
	switch {
	case s == "":
		return "is empty"
	case utf8.RuneCountInString(s) > 255:
		return "is longer than 255 characters"
	case s == "." || s == "..":
		return "is . or .."
	case strings.ContainsAny(s, `/\`):
		return "contains / or \\"
	case strings.TrimRight(s, " ") != s:
		return "ends with a space"
	case strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0:
		return "contains a non-printable character"
	}
	return ""
}
