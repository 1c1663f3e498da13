package emulator

import (
	"strings"
	"testing"
	"time"
)

func sgn(email string, extra ...any) map[string]any {
	m := map[string]any{"email": email}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i].(string)] = extra[i+1]
	}
	return m
}

func TestCreateValidation(t *testing.T) {
	e := newEnv(t, Options{})
	folder := e.folderID("F")
	file := e.uploadID(folder, "a.pdf")
	trashed := e.uploadID(folder, "t.pdf")
	mustStatus(t, e.do("DELETE", "/2.0/files/"+trashed, nil), 204)
	gone := e.folderID("Gone")
	mustStatus(t, e.do("DELETE", "/2.0/folders/"+gone, nil), 204)

	many := func(n int, f func(i int) any) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	ok := func() map[string]any {
		return map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file)}
	}
	with := func(k string, v any) map[string]any { m := ok(); m[k] = v; return m }
	cases := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"no signers", map[string]any{"source_files": fileRef(file)}, "signers"},
		{"empty signers", with("signers", []any{}), "signers"},
		{"36 signers", with("signers", many(36, func(i int) any { return sgn(strings.Repeat("x", i+1) + "@example.com") })), "signers"},
		{"missing email", with("signers", []any{map[string]any{"role": "signer"}}), "signers[0].email"},
		{"bad email", with("signers", []any{sgn("not-an-email")}), "signers[0].email"},
		{"display-name email", with("signers", []any{sgn("Bob <bob@example.com>")}), "signers[0].email"},
		{"duplicate email", with("signers", []any{sgn("a@example.com"), sgn("A@example.com")}), "signers[1].email"},
		{"bad role", with("signers", []any{sgn("s@example.com", "role", "owner")}), "signers[0].role"},
		{"negative order", with("signers", []any{sgn("s@example.com", "order", -1)}), "signers[0].order"},
		{"login and phone", with("signers", []any{sgn("s@example.com", "login_required", true, "verification_phone_number", "+15550001111")}), "signers[0].verification_phone_number"},
		{"no source files", map[string]any{"signers": []any{sgn("s@example.com")}}, "source_files"},
		{"empty source files", with("source_files", []any{}), "source_files"},
		{"11 source files", with("source_files", many(11, func(int) any { return map[string]any{"type": "file", "id": file} })), "source_files"},
		{"file type", with("source_files", []any{map[string]any{"type": "folder", "id": file}}), "source_files[0].type"},
		{"root parent", with("parent_folder", map[string]any{"type": "folder", "id": "0"}), "parent_folder.id"},
		{"days_valid high", with("days_valid", 731), "days_valid"},
		{"days_valid low", with("days_valid", -1), "days_valid"},
		{"signature_color", with("signature_color", "green"), "signature_color"},
		{"request_flow cfr11", with("request_flow", "cfr11"), "request_flow"},
		{"prefill two values", with("prefill_tags", []any{map[string]any{"document_tag_id": "x", "text_value": "a", "checkbox_value": true}}), "prefill_tags[0]"},
		{"prefill date", with("prefill_tags", []any{map[string]any{"document_tag_id": "x", "date_value": "01/02/2030"}}), "prefill_tags[0].date_value"},
		{"wrong type", with("days_valid", "ten"), "days_valid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", "/2.0/sign_requests", tc.body)
			mustStatus(t, r, 400)
			m := r.json(t)
			if m["code"] != "bad_request" {
				t.Fatalf("code %v", m["code"])
			}
			errs := m["context_info"].(map[string]any)["errors"].([]any)
			fe := errs[0].(map[string]any)
			if fe["reason"] != "invalid_parameter" || fe["name"] != tc.field || fe["message"] == "" {
				t.Errorf("context_info error %v, want name %q", fe, tc.field)
			}
		})
	}

	// Secrets are never echoed in errors.
	r := e.do("POST", "/2.0/sign_requests", with("signers", []any{sgn("s@example.com", "login_required", true,
		"verification_phone_number", "+15559876543", "password", "hunter2-secret")}))
	if strings.Contains(string(r.body), "5559876543") || strings.Contains(string(r.body), "hunter2") {
		t.Errorf("secret echoed: %s", r.body)
	}
	mustStatus(t, e.do("POST", "/2.0/sign_requests", "not json"), 400)

	// A missing or trashed item answers Box's 404, the same as an item the
	// caller cannot see (TestVisibilityPerUser).
	gone404 := []struct {
		name string
		body map[string]any
		code string
	}{
		{"missing file", with("source_files", fileRef("123")), "not_found"},
		{"trashed file", with("source_files", fileRef(trashed)), "trashed"},
		{"missing parent", with("parent_folder", map[string]any{"type": "folder", "id": "999"}), "not_found"},
		{"trashed parent", with("parent_folder", map[string]any{"type": "folder", "id": gone}), "trashed"},
		{"unknown template", with("template_id", "nope"), "not_found"},
	}
	for _, tc := range gone404 {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", "/2.0/sign_requests", tc.body)
			mustStatus(t, r, 404)
			if code := r.errCode(t); code != tc.code {
				t.Errorf("code %s, want %s", code, tc.code)
			}
		})
	}

	// Unknown top-level fields are ignored.
	mustStatus(t, e.do("POST", "/2.0/sign_requests", with("no_such_field", 1)), 201)
	// days_valid bounds are inclusive.
	mustStatus(t, e.do("POST", "/2.0/sign_requests", with("days_valid", 730)), 201)
	mustStatus(t, e.do("POST", "/2.0/sign_requests", with("days_valid", 0)), 201)
}

func TestCreateDefaults(t *testing.T) {
	e := newEnv(t, Options{})
	folder := e.folderID("F")
	file := e.uploadID(folder, "Simple-PDF.pdf")
	sr := e.createSR(map[string]any{
		"signers": []any{
			sgn("Alice@Example.com", "password", "pw", "signer_group_id", "g1", "order", 1),
			sgn("bob@example.com", "signer_group_id", "g1", "order", 1, "embed_url_external_user_id", "ext-1"),
			sgn("carol@example.com", "signer_group_id", "lonely", "verification_phone_number", "+15551112222", "order", 2),
		},
		"source_files": fileRef(file),
		"days_valid":   5,
	})
	now := e.clock.Now()
	// The parent is the source's own folder, which holds Simple-PDF.pdf:
	// the copy, and so the request, is "Simple-PDF (1).pdf" (issue 21).
	if sr["name"] != "Simple-PDF (1).pdf" {
		t.Errorf("name from the file's de-duplicated copy: %v", sr["name"])
	}
	if sr["status"] != "sent" {
		t.Errorf("status without conversion delay: %v", sr["status"])
	}
	id := sr["id"].(string)
	if sr["short_id"] != id[strings.LastIndex(id, "-")+1:] {
		t.Errorf("short_id %v for %v", sr["short_id"], id)
	}
	if sr["parent_folder"].(map[string]any)["id"] != folder {
		t.Errorf("parent defaults to the file's folder: %v", sr["parent_folder"])
	}
	if exp, _ := time.Parse(time.RFC3339, sr["auto_expire_at"].(string)); !exp.Equal(now.AddDate(0, 0, 5)) {
		t.Errorf("auto_expire_at %v", sr["auto_expire_at"])
	}
	for k, want := range map[string]any{"is_document_preparation_needed": false, "are_reminders_enabled": false,
		"are_text_signatures_enabled": true, "collaborator_level": "owner", "sender_email": adminLogin} {
		if sr[k] != want {
			t.Errorf("%s = %v, want %v", k, sr[k], want)
		}
	}
	for _, k := range []string{"email_subject", "email_message", "external_id", "template_id", "signature_color",
		"redirect_url", "declined_redirect_url", "prepare_url", "finished_at"} {
		if v, ok := sr[k]; !ok || v != nil {
			t.Errorf("%s must be an explicit null, got %v (present %v)", k, v, ok)
		}
	}
	if _, ok := sr["is_phone_verification_required_to_view"]; ok {
		t.Error("is_phone_verification_required_to_view echoed though not sent")
	}
	if sr["sender_id"].(float64) != 11446498 {
		t.Errorf("sender_id %v", sr["sender_id"])
	}
	ss := signersOf(sr)
	if len(ss) != 4 || ss[0]["email"] != adminLogin || ss[0]["role"] != "final_copy_reader" || ss[0]["order"].(float64) != 0 {
		t.Fatalf("requester not signers[0] final_copy_reader: %v", ss[0])
	}
	if ss[1]["email"] != "Alice@Example.com" {
		t.Errorf("email not echoed as sent: %v", ss[1]["email"])
	}
	g1, g2 := ss[1]["signer_group_id"], ss[2]["signer_group_id"]
	if g1 == nil || g1 != g2 || g1 == "g1" {
		t.Errorf("shared signer_group_id not replaced consistently: %v %v", g1, g2)
	}
	if ss[3]["signer_group_id"] != nil {
		t.Errorf("single-use signer_group_id kept: %v", ss[3]["signer_group_id"])
	}
	if ss[3]["verification_phone_number"] != "+15551112222" || ss[1]["verification_phone_number"] != nil {
		t.Errorf("phone echo: %v / %v", ss[3]["verification_phone_number"], ss[1]["verification_phone_number"])
	}
	for _, s := range ss {
		if _, ok := s["password"]; ok {
			t.Errorf("password returned for %v", s["email"])
		}
		for k, want := range map[string]any{"is_in_person": false, "login_required": false, "suppress_notifications": false, "has_viewed_document": false} {
			if s[k] != want {
				t.Errorf("signer %v: %s = %v", s["email"], k, s[k])
			}
		}
	}
	if ss[2]["embed_url"] == nil || !strings.Contains(ss[2]["iframeable_embed_url"].(string), "/embed/sign/document/"+id+"/") {
		t.Errorf("embed urls: %v %v", ss[2]["embed_url"], ss[2]["iframeable_embed_url"])
	}
	if ss[1]["embed_url"] != nil || ss[1]["iframeable_embed_url"] != nil {
		t.Error("embed url without embed_url_external_user_id")
	}

	// sign_files are real copies in the parent folder.
	sf := sr["sign_files"].(map[string]any)
	// Processed PDFs can be downloaded before anyone signs (spec
	// SignRequest.sign_files.is_ready_for_download).
	if sf["is_ready_for_download"] != true {
		t.Error("not ready for download once converted")
	}
	copyID := sf["files"].([]any)[0].(map[string]any)["id"].(string)
	if copyID == file {
		t.Error("sign file is the source file")
	}
	got := e.do("GET", "/2.0/files/"+copyID, nil).json(t)
	if got["parent"].(map[string]any)["id"] != folder {
		t.Errorf("copy not in the parent folder: %v", got["parent"])
	}
	if sr["signing_log"] == nil {
		t.Error("signing_log null after conversion")
	}

	// .pdf appended once; explicit fields echoed.
	sr2 := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file),
		"name": "Sign Request", "email_subject": "Hi", "signature_color": "blue", "is_phone_verification_required_to_view": false})
	if sr2["name"] != "Sign Request.pdf" || sr2["email_subject"] != "Hi" || sr2["signature_color"] != "blue" {
		t.Errorf("echo: %v %v %v", sr2["name"], sr2["email_subject"], sr2["signature_color"])
	}
	if sf := sr2["sign_files"].(map[string]any)["files"].([]any)[0].(map[string]any); sf["name"] != "Sign Request.pdf" {
		t.Errorf("sign file name %v", sf["name"])
	}
	if v, ok := sr2["is_phone_verification_required_to_view"]; !ok || v != false {
		t.Errorf("is_phone_verification_required_to_view not echoed: %v", v)
	}
	sr3 := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file), "name": "Already.PDF"})
	if sr3["name"] != "Already.PDF" {
		t.Errorf("name %v", sr3["name"])
	}
	// A requester listed as a signer is not added again.
	sr4 := e.createSR(map[string]any{"signers": []any{sgn("ADMIN@example.com")}, "source_files": fileRef(file)})
	if n := len(signersOf(sr4)); n != 1 {
		t.Errorf("requester listed: %d signers", n)
	}
	// A file at the root: the parent becomes "My Sign Requests".
	rootFile := e.uploadID("0", "root.pdf")
	sr5 := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(rootFile)})
	if p := sr5["parent_folder"].(map[string]any); p["name"] != "My Sign Requests" {
		t.Errorf("default folder for root files: %v", p)
	}
}

func TestLifecycle(t *testing.T) {
	e := newEnv(t, Options{ConversionDelay: 30 * time.Second})
	file := e.uploadID("0", "a.pdf")
	folder := e.folderID("F")
	body := map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file),
		"parent_folder": map[string]any{"type": "folder", "id": folder}}
	sr := e.createSR(body)
	id := sr["id"].(string)
	if _, ok := sr["signing_log"]; sr["status"] != "converting" || ok {
		t.Fatalf("new request: %v, signing_log %v", sr["status"], sr["signing_log"])
	}
	e.clock.Advance(29 * time.Second)
	if st := e.do("GET", "/2.0/sign_requests/"+id, nil).json(t)["status"]; st != "converting" {
		t.Errorf("before the delay: %v", st)
	}
	if emails := e.control("GET", "/_emulator/emails", nil).json(t)["entries"].([]any); len(emails) != 0 {
		t.Errorf("emails while converting: %v", emails)
	}
	e.clock.Advance(time.Second)
	got := e.do("GET", "/2.0/sign_requests/"+id, nil).json(t)
	if got["status"] != "sent" || got["signing_log"] == nil {
		t.Errorf("after the delay: %v", got["status"])
	}

	// Preparation needed: created, with prepare_url.
	prep := map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file), "is_document_preparation_needed": true}
	sr = e.createSR(prep)
	if !strings.HasPrefix(sr["prepare_url"].(string), "https://") || sr["status"] != "converting" {
		t.Errorf("prepare: %v %v", sr["prepare_url"], sr["status"])
	}
	e.clock.Advance(time.Minute)
	pid := sr["id"].(string)
	if st := e.do("GET", "/2.0/sign_requests/"+pid, nil).json(t)["status"]; st != "created" {
		t.Errorf("prepared request: %v", st)
	}
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+pid+"/prepare", nil), 200)
	if st := e.do("GET", "/2.0/sign_requests/"+pid, nil).json(t)["status"]; st != "sent" {
		t.Errorf("after prepare: %v", st)
	}

	// Expiry from days_valid.
	exp := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file), "days_valid": 1})
	e.clock.Advance(24*time.Hour + time.Second)
	if st := e.do("GET", "/2.0/sign_requests/"+exp["id"].(string), nil).json(t)["status"]; st != "expired" {
		t.Errorf("after days_valid: %v", st)
	}

	// Explicit expire, decline.
	x := e.createSR(body)
	e.clock.Advance(time.Minute)
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+x["id"].(string)+"/expire", nil), 200)
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+x["id"].(string)+"/expire", nil), 409)
	d := e.createSR(body)
	e.clock.Advance(time.Minute)
	r := e.control("POST", "/_emulator/sign_requests/"+d["id"].(string)+"/signers/S@example.com/decline", map[string]any{"reason": "no"})
	mustStatus(t, r, 200)
	dm := r.json(t)
	dec := signersOf(dm)[1]["signer_decision"].(map[string]any)
	if dm["status"] != "declined" || dec["type"] != "declined" || dec["additional_info"] != "no" || dm["finished_at"] == nil {
		t.Errorf("decline: %v %v", dm["status"], dec)
	}
}

func TestCancelResendAndRateLimit(t *testing.T) {
	e := newEnv(t, Options{RateLimit: 3})
	file := e.uploadID("0", "a.pdf")
	// Box mails no one whose notifications are suppressed together with an
	// embed_url_external_user_id (TestEmailSuppressionNeedsBoth covers the
	// flag alone).
	quiet := sgn("q@example.com", "suppress_notifications", true)
	quiet["embed_url_external_user_id"] = "q-1"
	body := map[string]any{"signers": []any{sgn("s@example.com"), quiet}, "source_files": fileRef(file)}
	sr := e.createSR(body)
	id := sr["id"].(string)

	// Resend: 10-minute cool-down after the send.
	r := e.do("POST", "/2.0/sign_requests/"+id+"/resend", nil)
	mustStatus(t, r, 400)
	e.clock.Advance(10 * time.Minute)
	r = e.do("POST", "/2.0/sign_requests/"+id+"/resend", nil)
	mustStatus(t, r, 202)
	if len(r.body) != 0 {
		t.Errorf("resend body %q", r.body)
	}
	mustStatus(t, e.do("POST", "/2.0/sign_requests/"+id+"/resend", nil), 400)
	var kinds []string
	for _, m := range e.control("GET", "/_emulator/emails", nil).json(t)["entries"].([]any) {
		em := m.(map[string]any)
		if em["to"] == "q@example.com" {
			t.Error("email to a signer with suppress_notifications")
		}
		kinds = append(kinds, em["kind"].(string)+":"+em["to"].(string))
	}
	if strings.Join(kinds, ",") != "signature_requested:s@example.com,resend:s@example.com" {
		t.Errorf("emails: %v", kinds)
	}

	// Rate limit: 3 per minute on create and resend (1 create + 3 resends so far, 1 allowed window reset).
	e.clock.Advance(time.Minute)
	mustStatus(t, e.do("POST", "/2.0/sign_requests", body), 201)
	mustStatus(t, e.do("POST", "/2.0/sign_requests", body), 201)
	e.clock.Advance(20 * time.Second)
	mustStatus(t, e.do("POST", "/2.0/sign_requests", body), 201)
	r = e.do("POST", "/2.0/sign_requests", body)
	mustStatus(t, r, 429)
	if r.errCode(t) != "rate_limit_exceeded" || r.header.Get("Retry-After") != "40" {
		t.Errorf("429: %s Retry-After %q", r.body, r.header.Get("Retry-After"))
	}
	e.clock.Advance(40 * time.Second)
	mustStatus(t, e.do("POST", "/2.0/sign_requests", body), 201)

	// Cancel: only the sender sees it; finished requests give 400.
	sa := e.form(ccg("enterprise", "1000")).json(t)["access_token"].(string)
	admin := e.token
	e.token = sa
	mustStatus(t, e.do("POST", "/2.0/sign_requests/"+id+"/cancel", nil), 404)
	e.token = admin
	r = e.do("POST", "/2.0/sign_requests/"+id+"/cancel", map[string]any{"reason": "changed my mind"})
	mustStatus(t, r, 200)
	if st := r.json(t)["status"]; st != "cancelled" {
		t.Errorf("cancel: %v", st)
	}
	mustStatus(t, e.do("POST", "/2.0/sign_requests/"+id+"/cancel", nil), 400)
	e.clock.Advance(time.Hour)
	mustStatus(t, e.do("POST", "/2.0/sign_requests/"+id+"/resend", nil), 400)
	mustStatus(t, e.do("POST", "/2.0/sign_requests/nope/cancel", nil), 404)
}

func TestListAndVisibility(t *testing.T) {
	e := newEnv(t, Options{})
	folder := e.folderID("F")
	file := e.uploadID(folder, "a.pdf")
	var ids []string
	for i := 0; i < 5; i++ {
		sr := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file)})
		ids = append(ids, sr["id"].(string))
		e.clock.Advance(time.Second)
	}
	var got []string
	marker := ""
	for pages := 0; pages < 10; pages++ {
		q := "/2.0/sign_requests?limit=2"
		if marker != "" {
			q += "&marker=" + marker
		}
		page := e.do("GET", q, nil).json(t)
		if page["limit"].(float64) != 2 {
			t.Errorf("limit %v", page["limit"])
		}
		for _, it := range page["entries"].([]any) {
			got = append(got, it.(map[string]any)["id"].(string))
		}
		next, _ := page["next_marker"].(string)
		if next == "" {
			if page["next_marker"] != nil {
				t.Errorf("last page next_marker %v", page["next_marker"])
			}
			break
		}
		marker = next
	}
	want := []string{ids[4], ids[3], ids[2], ids[1], ids[0]}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("list order %v, want newest first %v", got, want)
	}
	if l := e.do("GET", "/2.0/sign_requests?limit=5000", nil).json(t)["limit"]; l.(float64) != 1000 {
		t.Errorf("limit not clamped: %v", l)
	}
	mustStatus(t, e.do("GET", "/2.0/sign_requests?marker=bad", nil), 400)

	// Another user sees none of them.
	sa := e.form(ccg("enterprise", "1000")).json(t)["access_token"].(string)
	admin := e.token
	e.token = sa
	if n := len(e.do("GET", "/2.0/sign_requests", nil).json(t)["entries"].([]any)); n != 0 {
		t.Errorf("service account sees %d of the admin's requests", n)
	}
	mustStatus(t, e.do("GET", "/2.0/sign_requests/"+ids[0], nil), 404)
	e.token = admin

	// Deleting a sign file hides that request; deleting the folder hides all.
	sr := e.do("GET", "/2.0/sign_requests/"+ids[0], nil).json(t)
	copyID := sr["sign_files"].(map[string]any)["files"].([]any)[0].(map[string]any)["id"].(string)
	mustStatus(t, e.do("DELETE", "/2.0/files/"+copyID, nil), 204)
	mustStatus(t, e.do("GET", "/2.0/sign_requests/"+ids[0], nil), 404)
	if n := len(e.do("GET", "/2.0/sign_requests", nil).json(t)["entries"].([]any)); n != 4 {
		t.Errorf("list after deleting a sign file: %d", n)
	}
	mustStatus(t, e.do("DELETE", "/2.0/folders/"+folder+"?recursive=true", nil), 204)
	mustStatus(t, e.do("GET", "/2.0/sign_requests/"+ids[1], nil), 404)
	if n := len(e.do("GET", "/2.0/sign_requests", nil).json(t)["entries"].([]any)); n != 0 {
		t.Errorf("list after deleting the folder: %d", n)
	}
}

func TestTemplates(t *testing.T) {
	e := newEnv(t, Options{Seed: true})
	seed := e.emu.Seeded()
	if seed.FolderID == "" || len(seed.FileIDs) != 2 || len(seed.TemplateIDs) != 3 || seed.AdminUserID != adminUserID || seed.AdminLogin != adminLogin ||
		seed.ServiceAccountID != e.emu.st.ServiceAccountID || seed.ServiceAccountLogin != e.emu.st.ServiceAccountMail {
		t.Fatalf("seed %+v", seed)
	}
	list := e.do("GET", "/2.0/sign_templates", nil).json(t)
	entries := list["entries"].([]any)
	if len(entries) != 3 || list["next_marker"] != nil {
		t.Fatalf("templates: %v", list)
	}
	var pw, phone bool
	for _, it := range entries {
		for _, s := range it.(map[string]any)["signers"].([]any) {
			pw = pw || s.(map[string]any)["is_password_required"] == true
			phone = phone || s.(map[string]any)["is_phone_number_required"] == true
		}
	}
	if !pw || !phone {
		t.Errorf("need a password template and a phone template")
	}
	page := e.do("GET", "/2.0/sign_templates?limit=1", nil).json(t)
	next := page["next_marker"].(string)
	page2 := e.do("GET", "/2.0/sign_templates?limit=1&marker="+next, nil).json(t)
	if page2["entries"].([]any)[0].(map[string]any)["id"] != seed.TemplateIDs[1] {
		t.Errorf("template paging: %v", page2)
	}

	// Creating from the password template needs the signer's password.
	tid := seed.TemplateIDs[0]
	r := e.do("POST", "/2.0/sign_requests", map[string]any{"template_id": tid, "signers": []any{sgn("s@example.com")}})
	mustStatus(t, r, 400)
	sr := e.createSR(map[string]any{"template_id": tid, "signers": []any{sgn("s@example.com", "password", "pw")}})
	if sr["template_id"] != tid || sr["name"] != "NDA (password).pdf" || sr["parent_folder"].(map[string]any)["id"] != seed.FolderID {
		t.Errorf("from template: %v %v %v", sr["template_id"], sr["name"], sr["parent_folder"])
	}
	// Box answers source_files: [] for a template request; the copies in
	// sign_files are of the template's file.
	if src := sr["source_files"].([]any); len(src) != 0 {
		t.Errorf("template request source_files = %v, want []", src)
	}
	if files := sr["sign_files"].(map[string]any)["files"].([]any); len(files) != 1 {
		t.Errorf("template request sign_files = %v", files)
	}
	mustStatus(t, e.do("POST", "/2.0/sign_requests", map[string]any{"template_id": seed.TemplateIDs[1], "signers": []any{sgn("s@example.com")}}), 400)
	mustStatus(t, e.do("POST", "/2.0/sign_requests", map[string]any{"template_id": seed.TemplateIDs[1],
		"signers": []any{sgn("s@example.com", "verification_phone_number", "+15550000000")}}), 201)
}

// Box names a new request after its de-duplicated copy: the request's
// name is sign_files.files[0].name, "X (n).pdf" when the parent folder
// already holds "X.pdf", and the signing log is named after it.
func TestCreateNamesAfterDeduplicatedCopy(t *testing.T) {
	e := newEnv(t, Options{})
	src := e.folderID("Sources")
	out := e.folderID("Out")
	file := e.uploadID(src, "Contract.pdf")
	body := func() map[string]any {
		return map[string]any{"signers": []any{sgn("a@example.com")}, "source_files": fileRef(file), "name": "Deal",
			"parent_folder": map[string]any{"type": "folder", "id": out}}
	}
	for i, want := range []string{"Deal.pdf", "Deal (1).pdf", "Deal (2).pdf"} {
		sr := e.createSR(body())
		files := sr["sign_files"].(map[string]any)["files"].([]any)
		if sr["name"] != want || files[0].(map[string]any)["name"] != want {
			t.Errorf("request %d: name %v, sign_files[0] %v; want %s", i, sr["name"], files[0].(map[string]any)["name"], want)
		}
		log, _ := sr["signing_log"].(map[string]any)
		if wantLog := strings.TrimSuffix(want, ".pdf") + " Signing Log.pdf"; log == nil || log["name"] != wantLog {
			t.Errorf("request %d: signing log %v, want %s", i, log, wantLog)
		}
	}
}
