package emulator

import (
	"fmt"
	"net/url"
	"testing"
	"time"
)

func TestTemplateLocks(t *testing.T) {
	e := newEnv(t, Options{Seed: true})
	locked := e.emu.Seeded().TemplateIDs[2]
	tpl := e.do("GET", "/2.0/sign_templates/"+locked, nil).json(t)
	for _, k := range []string{"are_fields_locked", "are_options_locked", "are_recipients_locked", "are_email_settings_locked", "are_files_locked"} {
		if tpl[k] != true {
			t.Errorf("%s = %v", k, tpl[k])
		}
	}
	if ne := tpl["additional_info"].(map[string]any)["non_editable"].([]any); len(ne) == 0 {
		t.Errorf("non_editable is empty")
	}
	base := func(kv ...any) map[string]any {
		m := map[string]any{"template_id": locked, "signers": []any{sgn("legal@example.com")}}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"email subject", base("email_subject", "Other"), "email_subject"},
		{"email message", base("email_message", "Other"), "email_message"},
		{"days_valid", base("days_valid", 3), "days_valid"},
		{"reminders", base("are_reminders_enabled", true), "are_reminders_enabled"},
		{"signer email", base("signers", []any{sgn("else@example.com")}), "signers[0].email"},
		{"signer role", base("signers", []any{sgn("legal@example.com", "role", "approver")}), "signers[0].role"},
		{"signer order", base("signers", []any{sgn("legal@example.com", "order", 0)}), "signers[0].order"},
		{"name", base("name", "Other"), "name"},
		{"extra signer", base("signers", []any{sgn("legal@example.com"), sgn("b@example.com")}), "signers"},
		{"prefill tags", base("prefill_tags", []any{map[string]any{"document_tag_id": "x", "text_value": "y"}}), "prefill_tags"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", "/2.0/sign_requests", tc.body)
			mustStatus(t, r, 400)
			fe := r.json(t)["context_info"].(map[string]any)["errors"].([]any)[0].(map[string]any)
			if fe["name"] != tc.field {
				t.Errorf("field %v, want %s", fe["name"], tc.field)
			}
		})
	}
	// What the template already says is no change.
	sr := e.createSR(base("email_subject", "Contract for signature", "days_valid", 30, "name", "Contract (locked)"))
	if sr["email_message"] != "Please review and sign." {
		t.Errorf("template defaults: %v", sr["email_message"])
	}
	// Locks of a template made through the control.
	r := e.control("POST", "/_emulator/sign_templates", map[string]any{"name": "L", "are_options_locked": true})
	mustStatus(t, r, 201)
	mustStatus(t, e.do("POST", "/2.0/sign_requests", map[string]any{"template_id": r.json(t)["id"],
		"signers": []any{sgn("s@example.com")}, "days_valid": 2}), 400)
}

func TestAsUserAndUserTokenSwitches(t *testing.T) {
	on := newEnv(t, Options{})
	sa := on.form(ccg("enterprise", "1000")).json(t)["access_token"].(string)
	on.token = sa
	mustStatus(t, on.do("GET", "/2.0/users/me", nil, "As-User", memberUserID), 200)
	// As-User reaches only users of the enterprise.
	if code := on.do("GET", "/2.0/users/me", nil, "As-User", externalUserID).errCode(t); code != "access_denied_insufficient_permissions" {
		t.Errorf("As-User external: %s", code)
	}
	mustStatus(t, on.form(ccg("user", memberUserID)), 200)
	if got := oauthErr(t, on.form(ccg("user", externalUserID))); got != "invalid_grant" {
		t.Errorf("user grant for an external user: %s", got)
	}

	off := newEnv(t, Options{AsUserDisabled: true, UserTokensDisabled: true})
	off.token = off.form(ccg("enterprise", "1000")).json(t)["access_token"].(string)
	r := off.do("GET", "/2.0/users/me", nil, "As-User", memberUserID)
	mustStatus(t, r, 403)
	if code := r.errCode(t); code != "access_denied_insufficient_permissions" {
		t.Errorf("As-User off: %s", code)
	}
	// Client credentials refuse a user subject the app's settings do not
	// allow as they refuse any bad subject (the JWT grant's own answer is
	// in TestJWTGrant).
	r = off.form(ccg("user", memberUserID))
	if got := oauthErr(t, r); got != "invalid_grant" || r.json(t)["error_description"] != "Grant credentials are invalid" {
		t.Errorf("user tokens off: %s", r.body)
	}
	mustStatus(t, off.form(ccg("enterprise", "1000")), 200)
}

func TestDeveloperTokenExpiry(t *testing.T) {
	e := newEnv(t, Options{DeveloperTokenTTL: DefaultDeveloperTokenTTL})
	mustStatus(t, e.do("GET", "/2.0/users/me", nil), 200)
	e.clock.Advance(59 * time.Minute)
	mustStatus(t, e.do("GET", "/2.0/users/me", nil), 200)
	e.clock.Advance(time.Minute)
	r := e.do("GET", "/2.0/users/me", nil)
	mustStatus(t, r, 401)
	if r.header.Get("WWW-Authenticate") == "" {
		t.Error("no WWW-Authenticate")
	}
	// Generating it again in the console gives it a new lifetime.
	mustStatus(t, e.control("POST", "/_emulator/developer_token", nil), 200)
	mustStatus(t, e.do("GET", "/2.0/users/me", nil), 200)
	// The zero Options mean Box's 60 minutes.
	if d := newEnv(t, Options{DeveloperTokenTTL: -1}).emu.opts.DeveloperTokenTTL; d != 60*time.Minute {
		t.Errorf("default developer token TTL %v", d)
	}
}

func TestConversion(t *testing.T) {
	cases := []struct {
		name    string
		file    string // its extension decides only for text
		content []byte
		want    string
	}{
		{"pdf", "a.pdf", minimalPDF("x"), statusSent},
		{"docx zip", "a.docx", []byte("PK\x03\x04\x14\x00rest"), statusSent},
		{"legacy doc", "a.doc", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), statusSent},
		{"png", "a.png", []byte("\x89PNG\r\n\x1a\nrest"), statusSent},
		{"jpeg", "a.jpg", []byte("\xFF\xD8\xFF\xE0rest"), statusSent},
		{"tiff", "a.tiff", []byte("II*\x00rest"), statusSent},
		{"csv", "a.csv", []byte("name,amount\nA,1\n"), statusSent},
		{"txt", "a.TXT", []byte("terms\n"), statusSent},
		{"gif", "a.gif", []byte("GIF89a\x01\x00rest"), statusErrorConverting},
		{"other text", "a.json", []byte(`{"terms": 1}`), statusErrorConverting},
		{"text named pdf", "a.pdf", []byte("name,amount\nA,1\n"), statusErrorConverting},
		{"binary named txt", "a.txt", []byte("\x00\x01\x02"), statusErrorConverting},
		{"executable", "a.pdf", []byte("\x7fELF\x02\x01\x01\x00\x00\x00"), statusErrorConverting},
		{"empty", "a.txt", []byte{}, statusErrorConverting},
	}
	e := newEnv(t, Options{ConversionDelay: 5 * time.Second})
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			folder := e.folderID(fmt.Sprintf("conversion %d", i)) // names repeat across cases
			r := e.upload(folder, tc.file, tc.content)
			mustStatus(t, r, 201)
			file := r.json(t)["entries"].([]any)[0].(map[string]any)["id"].(string)
			sr := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file)})
			if sr["status"] != statusConverting {
				t.Fatalf("right after create: %v", sr["status"])
			}
			e.clock.Advance(5 * time.Second)
			got := e.do("GET", "/2.0/sign_requests/"+sr["id"].(string), nil).json(t)
			if got["status"] != tc.want {
				t.Errorf("after the delay: %v, want %s", got["status"], tc.want)
			}
			if tc.want == statusErrorConverting {
				mustStatus(t, e.do("POST", "/2.0/sign_requests/"+sr["id"].(string)+"/resend", nil), 400)
			}
		})
	}
	// The Go zero value converts at once, which in-process tests rely on.
	z := newEnv(t, Options{})
	f := z.uploadID("0", "a.pdf")
	if st := z.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(f)})["status"]; st != statusSent {
		t.Errorf("zero ConversionDelay: %v", st)
	}
}

func TestDaysValidZeroNeverExpires(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.uploadID("0", "a.pdf")
	sr := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(f), "days_valid": 0})
	if sr["auto_expire_at"] != nil || sr["days_valid"] != float64(0) {
		t.Errorf("days_valid 0: auto_expire_at %v, days_valid %v", sr["auto_expire_at"], sr["days_valid"])
	}
	e.clock.Advance(1000 * 24 * time.Hour)
	if st := e.do("GET", "/2.0/sign_requests/"+sr["id"].(string), nil).json(t)["status"]; st != statusSent {
		t.Errorf("1000 days later: %v", st)
	}
}

func TestMarkerZeroIsFirstPage(t *testing.T) {
	e := newEnv(t, Options{Seed: true})
	seed := e.emu.Seeded()
	e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(seed.FileIDs[0])})
	for _, path := range []string{
		"/2.0/sign_requests?marker=0",
		"/2.0/sign_templates?marker=0",
		"/2.0/folders/" + seed.FolderID + "/items?usemarker=true&marker=0",
		"/2.0/folders/" + seed.FolderID + "/collaborations?marker=0",
	} {
		t.Run(path, func(t *testing.T) {
			r := e.do("GET", path, nil)
			mustStatus(t, r, 200)
			if len(r.json(t)["entries"].([]any)) == 0 {
				t.Errorf("marker=0 gave an empty page: %s", r.body)
			}
		})
	}
	mustStatus(t, e.do("GET", "/2.0/sign_requests?marker=bogus", nil), 400)
}

func TestControlsList(t *testing.T) {
	e := newEnv(t, Options{Seed: true})
	r := e.control("GET", "/_emulator", nil)
	mustStatus(t, r, 200)
	listed := map[string]bool{}
	for _, c := range r.json(t)["controls"].([]any) {
		m := c.(map[string]any)
		listed[m["method"].(string)+" "+m["path"].(string)] = true
		if _, ok := m["body"]; !ok {
			t.Errorf("control without body keys: %v", m)
		}
	}
	// Every control the emulator serves is listed (one table serves and lists).
	for _, c := range e.emu.controls {
		if !listed[c.Method+" "+c.Path] {
			t.Errorf("%s %s not listed", c.Method, c.Path)
		}
	}
	for _, want := range []string{"GET /_emulator", "POST /_emulator/reset", "DELETE /_emulator/emails", "DELETE /_emulator/sms"} {
		if !listed[want] {
			t.Errorf("%s not listed", want)
		}
	}

	// DELETE /_emulator/emails and /sms clear just the logs.
	sr := e.createSR(map[string]any{"signers": []any{sgn("s@example.com", "verification_phone_number", "+15550001111")},
		"source_files": fileRef(e.emu.Seeded().FileIDs[0]), "is_phone_verification_required_to_view": true})
	id := sr["id"].(string)
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+id+"/signers/s@example.com/open", nil), 403) // sends an SMS
	count := func(path string) int { return len(e.control("GET", path, nil).json(t)["entries"].([]any)) }
	if count("/_emulator/emails") == 0 || count("/_emulator/sms") == 0 {
		t.Fatal("nothing logged")
	}
	mustStatus(t, e.control("DELETE", "/_emulator/emails", nil), 204)
	if count("/_emulator/emails") != 0 || count("/_emulator/sms") == 0 {
		t.Error("DELETE emails cleared the wrong log")
	}
	mustStatus(t, e.control("DELETE", "/_emulator/sms", nil), 204)
	if count("/_emulator/sms") != 0 {
		t.Error("DELETE sms left entries")
	}
	mustStatus(t, e.do("GET", "/2.0/sign_requests/"+id, nil), 200)
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+id+"/signers/s@example.com/dance", nil), 404)
}

// coverAccessModel drives the user and collaboration operations to a
// success and an error for TestConformanceCoverage.
func coverAccessModel(t *testing.T) {
	e := newEnv(t, Options{})
	folder := e.folderID("Conf")
	mustStatus(t, e.do("GET", "/2.0/users", nil), 200)
	mustStatus(t, e.do("GET", "/2.0/users?filter_term="+url.QueryEscape(externalLogin), nil), 200)
	mustStatus(t, e.do("GET", "/2.0/users?limit=0", nil), 400)
	mustStatus(t, e.do("GET", "/2.0/users/"+memberUserID, nil), 200)
	mustStatus(t, e.do("GET", "/2.0/users/"+externalUserID, nil), 200)
	mustStatus(t, e.do("GET", "/2.0/users/1", nil), 404)
	r := e.do("POST", "/2.0/collaborations", map[string]any{"item": map[string]any{"type": "folder", "id": folder},
		"accessible_by": map[string]any{"type": "user", "id": memberUserID}, "role": roleEditor})
	mustStatus(t, r, 201)
	id := r.json(t)["id"].(string)
	file := e.uploadID(folder, "c.pdf")
	mustStatus(t, e.do("POST", "/2.0/collaborations", map[string]any{"item": map[string]any{"type": "file", "id": file},
		"accessible_by": map[string]any{"type": "user", "id": externalUserID}, "role": roleViewer}), 201)
	mustStatus(t, e.do("POST", "/2.0/collaborations", map[string]any{"item": map[string]any{"type": "folder", "id": "1"},
		"accessible_by": map[string]any{"type": "user", "id": memberUserID}, "role": roleEditor}), 404)
	mustStatus(t, e.do("GET", "/2.0/collaborations/"+id, nil), 200)
	mustStatus(t, e.do("GET", "/2.0/collaborations/1", nil), 404)
	mustStatus(t, e.do("GET", "/2.0/folders/"+folder+"/collaborations?limit=1", nil), 200)
	mustStatus(t, e.do("GET", "/2.0/folders/1/collaborations", nil), 404)
	mustStatus(t, e.do("PUT", "/2.0/collaborations/"+id, map[string]any{"role": roleViewer}), 200)
	mustStatus(t, e.do("PUT", "/2.0/collaborations/1", map[string]any{"role": roleViewer}), 404)
	mustStatus(t, e.do("DELETE", "/2.0/collaborations/"+id, nil), 204)
	mustStatus(t, e.do("DELETE", "/2.0/collaborations/"+id, nil), 404)
	// A member (not an admin) may not list the enterprise's users.
	e.token = e.form(ccg("user", memberUserID)).json(t)["access_token"].(string)
	mustStatus(t, e.do("GET", "/2.0/users", nil), 403)
}

// sign_files.is_ready_for_download follows the processing of the PDFs,
// not the signing: false while converting and finalizing, true between
// and after, false when conversion failed.
func TestSignFilesReadyForDownload(t *testing.T) {
	e := newEnv(t, Options{ConversionDelay: 5 * time.Second})
	ready := func(id string) any {
		t.Helper()
		return e.do("GET", "/2.0/sign_requests/"+id, nil).json(t)["sign_files"].(map[string]any)["is_ready_for_download"]
	}
	file := e.uploadID("0", "a.pdf")
	sr := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file)})
	id := sr["id"].(string)
	if got := ready(id); got != false {
		t.Errorf("converting: %v", got)
	}
	e.clock.Advance(5 * time.Second)
	if got := ready(id); got != true {
		t.Errorf("sent, unsigned: %v", got)
	}
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+id+"/signers/s@example.com/open", nil), 200)
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+id+"/signers/s@example.com/sign", nil), 200)
	if st := e.do("GET", "/2.0/sign_requests/"+id, nil).json(t)["status"]; st != statusFinalizing {
		t.Fatalf("after the last signature: %v", st)
	}
	if got := ready(id); got != false {
		t.Errorf("finalizing: %v", got)
	}
	e.clock.Advance(5 * time.Second)
	if got := ready(id); got != true {
		t.Errorf("signed: %v", got)
	}
	bad := e.upload("0", "b.gif", []byte("GIF89a rest"))
	mustStatus(t, bad, 201)
	failed := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")},
		"source_files": fileRef(bad.json(t)["entries"].([]any)[0].(map[string]any)["id"].(string))})
	e.clock.Advance(5 * time.Second)
	if got := ready(failed["id"].(string)); got != false {
		t.Errorf("error_converting: %v", got)
	}
}
