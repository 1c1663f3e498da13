package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
)

// Each operation gives its own advice for a 404, every diagnostic keeps
// Box's request_id, and one with an attribute points at it.
func TestAPIFailureDiagnostics(t *testing.T) {
	notFound := fmt.Errorf("wrapped: %w", &box.Error{StatusCode: 404, Code: "not_found", RequestID: "rid-1", Method: "GET", Path: "/2.0/x"})
	cases := []struct {
		name string
		f    apiFailure
		err  error
		want []string
	}{
		{"create 404", apiFailure{op: opCreate, summary: "s"}, notFound, []string{"rid-1", "files, folder or template"}},
		{"read 404", apiFailure{op: opRead, summary: "s"}, notFound, []string{"rid-1", "sign request exists"}},
		{"data source 404", apiFailure{op: opDataSource, summary: "s", attr: path.Root("id")}, notFound, []string{"rid-1", "ID or name"}},
		{"401", apiFailure{op: opCancel, summary: "s"}, &box.Error{StatusCode: 401}, []string{"credentials were refused"}},
		{"403", apiFailure{op: opResend, summary: "s"}, &box.Error{StatusCode: 403}, []string{"sign_requests.readwrite"}},
		{"advice last", apiFailure{op: opResend, summary: "s", advice: "apply again"}, errors.New("dial tcp: refused"), []string{"refused\n\napply again"}},
		{"cancel 404", apiFailure{op: opCancel, summary: "s"}, notFound, []string{"only its sender", "can cancel it"}},
		{"resend 404", apiFailure{op: opResend, summary: "s"}, notFound, []string{"only its sender", "remind the signers"}},
		{"create 403", apiFailure{op: opCreate, summary: "s"}, &box.Error{StatusCode: 403}, []string{"download access to every source file", "upload access to `parent_folder_id`"}},
		{"read 401", apiFailure{op: opRead, summary: "s"}, &box.Error{StatusCode: 401}, []string{"credentials were refused", "The state is unchanged"}},
		{"resend 400", apiFailure{op: opResend, summary: "s"}, &box.Error{StatusCode: 400}, []string{"at most every 10 minutes"}},
		{"caller's hint wins", apiFailure{op: opCreate, summary: "s", hint: "file 7 is not shared"}, notFound, []string{"rid-1)\n\nfile 7 is not shared"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diags := c.f.diagnostics(c.err)
			if len(diags) != 1 || diags[0].Summary() != "s" {
				t.Fatalf("got %v", diags)
			}
			for _, w := range c.want {
				if !strings.Contains(diags[0].Detail(), w) {
					t.Errorf("detail %q lacks %q", diags[0].Detail(), w)
				}
			}
			wd, withPath := diags[0].(interface{ Path() path.Path })
			if hasAttr := !c.f.attr.Equal(path.Empty()); hasAttr != withPath || (withPath && !wd.Path().Equal(c.f.attr)) {
				t.Errorf("attribute path: want %v", c.f.attr)
			}
		})
	}
}

// Box's field paths in the create body become the configuration's
// attribute paths; names that lead to no attribute map to nothing.
func TestCreateFieldPath(t *testing.T) {
	cases := []struct{ box, want string }{
		{"signers[1].email", "signer[1].email"},
		{"signers.1.email", "signer[1].email"},
		{"signers[0].verification_phone_number", "signer[0].verification_phone_number"},
		{"signers[2]", "signer[2]"},
		{"signers", "signer"},
		{"signers[0].no_such_field", "signer[0]"},
		{"source_files[0].id", "source_file_ids[0]"},
		{"source_files[3].type", "source_file_ids[3]"},
		{"source_files", "source_file_ids"},
		{"parent_folder.id", "parent_folder_id"},
		{"parent_folder", "parent_folder_id"},
		{"prefill_tags[1].date_value", "prefill_tag[1].date_value"},
		{"prefill_tags", "prefill_tag"},
		{"template_id", "template_id"},
		{"days_valid", "days_valid"},
		{"email_subject", "email_subject"},
		{"request_flow", "request_flow"},
		{"no_such_field", ""},
		{"body", ""},
		{"", ""},
		{"[0].email", ""},
	}
	for _, c := range cases {
		t.Run(c.box, func(t *testing.T) {
			p, ok := createFieldPath(c.box)
			if got := p.String(); ok != (c.want != "") || (ok && got != c.want) {
				t.Errorf("createFieldPath(%q) = %q, %v; want %q", c.box, got, ok, c.want)
			}
		})
	}
}

// Box validates the body the client sent, where signers[i] is the
// configuration's signer[i] (the sender Box adds at signers[0] appears only
// in responses): the value at each Box path in the body createRequest
// builds is the configured value at the mapped attribute path.
func TestCreateFieldPathMatchesRequestBody(t *testing.T) {
	ctx := t.Context()
	signers, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: signerAttrTypes}, []signerModel{
		{signerArgs: signerArgs{Email: types.StringValue("alice@example.com")}, signerEvidence: noSignerEvidence()},
		{signerArgs: signerArgs{Email: types.StringValue("bob@example.com"), Role: types.StringValue("approver")}, signerEvidence: noSignerEvidence()},
	})
	files, d2 := types.ListValueFrom(ctx, types.StringType, []string{"111", "222"})
	tags, d3 := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: prefillAttrTypes}, []prefillTagModel{
		{DocumentTagID: types.StringValue("t0"), TextValue: types.StringValue("x")},
		{DocumentTagID: types.StringValue("t1"), DateValue: types.StringValue("2026-12-01")},
	})
	if d.HasError() || d2.HasError() || d3.HasError() {
		t.Fatal(d, d2, d3)
	}
	m := signRequestModel{Signers: signers, SourceFileIDs: files, PrefillTags: tags, ParentFolderID: types.StringValue("333")}
	req, diags := m.createRequest(ctx, nil)
	if diags.HasError() {
		t.Fatal(diags)
	}
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	var sent map[string]any
	if err := json.Unmarshal(body, &sent); err != nil {
		t.Fatal(err)
	}
	configured := map[string]string{
		"signer[1].email": "bob@example.com", "signer[1].role": "approver", "signer[0].email": "alice@example.com",
		"source_file_ids[1]": "222", "parent_folder_id": "333", "prefill_tag[1].date_value": "2026-12-01",
	}
	for _, boxPath := range []string{"signers[1].email", "signers[1].role", "signers[0].email", "source_files[1].id", "parent_folder.id", "prefill_tags[1].date_value"} {
		t.Run(boxPath, func(t *testing.T) {
			p, ok := createFieldPath(boxPath)
			if !ok {
				t.Fatalf("%s maps to nothing", boxPath)
			}
			if got, want := jsonAt(t, sent, boxPath), configured[p.String()]; got != want {
				t.Errorf("body %s = %q, but it maps to %s, configured as %q", boxPath, got, p, want)
			}
		})
	}
}

// jsonAt follows a path like a[1].b in decoded JSON.
func jsonAt(t *testing.T, v any, p string) string {
	t.Helper()
	for _, step := range strings.FieldsFunc(p, func(r rune) bool { return r == '.' || r == '[' || r == ']' }) {
		switch x := v.(type) {
		case map[string]any:
			v = x[step]
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i >= len(x) {
				t.Fatalf("%s: no element %s", p, step)
			}
			v = x[i]
		}
	}
	s, _ := v.(string)
	return s
}

// A Box 400 names the refused field in the request body: the diagnostic
// points at the attribute and says what Box refused in its words, keeping
// the request_id; fields that map to nothing leave the diagnostic where it
// was.
func TestAPIFailureFieldErrors(t *testing.T) {
	bad := func(name string) error {
		return &box.Error{StatusCode: 400, Code: "bad_request", RequestID: "rid-9", Method: "POST", Path: "/2.0/sign_requests",
			ContextInfo: json.RawMessage(`{"errors":[{"reason":"invalid_parameter","name":"` + name + `","message":"Each signer must have a unique email address"}]}`)}
	}
	cases := []struct {
		name     string
		f        apiFailure
		err      error
		wantPath string
		want     []string
	}{
		{"create signer email", apiFailure{op: opCreate, summary: "s", fields: createFieldPath}, bad("signers[1].email"), "signer[1].email",
			[]string{"Box refused `signer[1].email`: Each signer must have a unique email address", "rid-9", "correct the attribute named above"}},
		{"create unknown field", apiFailure{op: opCreate, summary: "s", fields: createFieldPath}, bad("no_such_field"), "", []string{"rid-9"}},
		{"no mapping outside create", apiFailure{op: opResend, summary: "s", attr: path.Root("resend_version")}, bad("signers[1].email"), "resend_version", []string{"10 minutes"}},
		{"404 is no field error", apiFailure{op: opCreate, summary: "s", fields: createFieldPath, attr: path.Root("template_id")},
			&box.Error{StatusCode: 404, ContextInfo: json.RawMessage(`{"errors":[{"name":"signers[0].email"}]}`)}, "template_id", []string{"files, folder or template"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			diags := c.f.diagnostics(c.err)
			if len(diags) != 1 {
				t.Fatalf("got %v", diags)
			}
			for _, w := range c.want {
				if !strings.Contains(diags[0].Detail(), w) {
					t.Errorf("detail %q lacks %q", diags[0].Detail(), w)
				}
			}
			got := ""
			if wp, ok := diags[0].(interface{ Path() path.Path }); ok {
				got = wp.Path().String()
			}
			if got != c.wantPath {
				t.Errorf("path %q, want %q", got, c.wantPath)
			}
		})
	}
}
