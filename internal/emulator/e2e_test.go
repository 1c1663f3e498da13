package emulator

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSeedScenario is the end-to-end scenario: a seeded PDF, a
// first signer with a password, a second with a phone number and
// is_phone_verification_required_to_view, both driven through open and
// sign with the SMS code read from /_emulator/sms.
func TestSeedScenario(t *testing.T) {
	e := newEnv(t, Options{Seed: true, ConversionDelay: 5 * time.Second})
	seed := e.emu.Seeded()
	e.token = e.form(ccg("enterprise", "1000")).json(t)["access_token"].(string)
	sr := e.createSR(map[string]any{
		"signers": []any{
			sgn("first@example.com", "password", "s3cret", "order", 1),
			sgn("Second@Example.com", "verification_phone_number", "+15551230000", "order", 2),
		},
		"source_files":                           fileRef(seed.FileIDs[0]),
		"parent_folder":                          map[string]any{"type": "folder", "id": seed.FolderID},
		"name":                                   "Seed scenario",
		"is_phone_verification_required_to_view": true,
	})
	id := sr["id"].(string)
	ctl := func(who, action string, body map[string]any) result {
		return e.control("POST", "/_emulator/sign_requests/"+id+"/signers/"+who+"/"+action, body)
	}
	wantCode := func(r result, status int, code string) {
		t.Helper()
		if r.status != status || r.json(t)["code"] != code {
			t.Fatalf("want %d %s, got %d %s", status, code, r.status, r.body)
		}
	}

	wantCode(ctl("first@example.com", "open", nil), 409, "invalid_status") // still converting
	e.clock.Advance(5 * time.Second)

	wantCode(ctl("second@example.com", "open", nil), 409, "not_your_turn")
	wantCode(ctl("first@example.com", "sign", nil), 409, "document_not_opened")
	wantCode(ctl("first@example.com", "open", nil), 403, "password_required")
	wantCode(ctl("first@example.com", "open", map[string]any{"password": "wrong"}), 403, "password_incorrect")
	r := ctl("first@example.com", "open", map[string]any{"password": "s3cret"})
	mustStatus(t, r, 200)
	if st := r.json(t)["status"]; st != "viewed" {
		t.Errorf("after first open: %v", st)
	}
	mustStatus(t, ctl("first@example.com", "sign", nil), 200)

	// Second signer: SMS before viewing.
	wantCode(ctl("second@example.com", "open", nil), 403, "sms_code_required")
	sms := e.control("GET", "/_emulator/sms", nil).json(t)["entries"].([]any)
	if len(sms) != 1 {
		t.Fatalf("sms: %v", sms)
	}
	msg := sms[0].(map[string]any)
	code := msg["code"].(string)
	if len(code) != 6 || msg["to"] != "+15551230000" || msg["sign_request_id"] != id || !strings.EqualFold(msg["signer_email"].(string), "second@example.com") {
		t.Errorf("sms entry %v", msg)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantCode(ctl("second@example.com", "open", map[string]any{"sms_code": wrong}), 403, "sms_code_incorrect")
	mustStatus(t, ctl("second@example.com", "open", map[string]any{"sms_code": code}), 200)
	r = ctl("second@example.com", "sign", nil)
	mustStatus(t, r, 200)
	if st := r.json(t)["status"]; st != "finalizing" {
		t.Errorf("after the last signature (conversion delay 5s): %v", st)
	}
	e.clock.Advance(5 * time.Second)

	got := e.do("GET", "/2.0/sign_requests/"+id, nil).json(t)
	if got["status"] != "signed" || got["sign_files"].(map[string]any)["is_ready_for_download"] != true || got["finished_at"] == nil {
		t.Fatalf("final: %v %v", got["status"], got["sign_files"])
	}
	for _, s := range signersOf(got)[1:] {
		if s["has_viewed_document"] != true || s["signer_decision"].(map[string]any)["type"] != "signed" {
			t.Errorf("signer %v: %v", s["email"], s)
		}
	}
	if got["is_phone_verification_required_to_view"] != true {
		t.Error("is_phone_verification_required_to_view not echoed")
	}
	wantCode(ctl("first@example.com", "open", map[string]any{"password": "s3cret"}), 409, "invalid_status")

	// Emails: in signing order, then final copies to everyone.
	var log []string
	for _, m := range e.control("GET", "/_emulator/emails", nil).json(t)["entries"].([]any) {
		em := m.(map[string]any)
		log = append(log, em["kind"].(string)+":"+strings.ToLower(em["to"].(string)))
	}
	sa := strings.ToLower(got["sender_email"].(string))
	want := "signature_requested:first@example.com,signature_requested:second@example.com," +
		"final_copy:" + sa + ",final_copy:first@example.com,final_copy:second@example.com"
	if strings.Join(log, ",") != want {
		t.Errorf("emails:\n got %v\nwant %v", strings.Join(log, ","), want)
	}
}

// TestSignAtSigningStep: without is_phone_verification_required_to_view
// the SMS check happens when signing.
func TestSMSAtSigningStep(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.uploadID("0", "a.pdf")
	sr := e.createSR(map[string]any{"signers": []any{sgn("p@example.com", "verification_phone_number", "+15550001111")}, "source_files": fileRef(f)})
	base := "/_emulator/sign_requests/" + sr["id"].(string) + "/signers/p@example.com/"
	mustStatus(t, e.control("POST", base+"open", nil), 200)
	r := e.control("POST", base+"sign", nil)
	if r.status != 403 || r.json(t)["code"] != "sms_code_required" {
		t.Fatalf("sign without code: %d %s", r.status, r.body)
	}
	code := e.control("GET", "/_emulator/sms", nil).json(t)["entries"].([]any)[0].(map[string]any)["code"].(string)
	r = e.control("POST", base+"sign", map[string]any{"sms_code": code})
	mustStatus(t, r, 200)
	if r.json(t)["status"] != "signed" {
		t.Errorf("status %v", r.json(t)["status"])
	}
}

func TestPersistence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	clock := newClock()
	e1, err := New(Options{DataFile: path, Seed: true, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	env1 := &env{t: t, emu: e1, clock: clock, token: "dev-token"}
	env1.srv = newServer(t, e1)
	tok := env1.form(ccg("enterprise", "1000")).json(t)["access_token"].(string)
	f := env1.uploadID(e1.Seeded().FolderID, "persist.pdf")
	sr := env1.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(f)})
	if err := e1.Save(); err != nil {
		t.Fatal(err)
	}

	e2, err := New(Options{DataFile: path, Seed: true, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if e2.Seeded().FolderID != e1.Seeded().FolderID {
		t.Errorf("seed changed across restart: %+v vs %+v", e2.Seeded(), e1.Seeded())
	}
	env2 := &env{t: t, emu: e2, clock: clock, token: "dev-token"}
	env2.srv = newServer(t, e2)
	mustStatus(t, env2.do("GET", "/2.0/sign_requests/"+sr["id"].(string), nil), 200)
	mustStatus(t, env2.do("GET", "/2.0/files/"+f, nil), 200)
	env2.token = tok
	mustStatus(t, env2.do("GET", "/2.0/users/me", nil), 200)
	// New IDs do not collide with old ones.
	if f2 := env2.uploadID(e2.Seeded().FolderID, "second.pdf"); f2 == f {
		t.Error("ID reused after restart")
	}
	// Collaborations persist: the service account still reaches the seed.
	mustStatus(t, env2.do("GET", "/2.0/files/"+e2.Seeded().FileIDs[0], nil), 200)
	// A data file from before templates had owners: they go to the owner
	// of the folder that holds them, so the admin still sees them.
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, tpl := range doc["templates"].(map[string]any) {
		delete(tpl.(map[string]any), "owner_id")
	}
	raw, _ = json.Marshal(doc)
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	e4, err := New(Options{DataFile: path, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range e4.st.Templates {
		if tpl.OwnerID != adminUserID {
			t.Errorf("template %s from an old data file: owner %q", tpl.ID, tpl.OwnerID)
		}
	}
	// No data file: Save is a no-op.
	e3, _ := New(Options{})
	if err := e3.Save(); err != nil {
		t.Error(err)
	}
}

func TestReset(t *testing.T) {
	e := newEnv(t, Options{Seed: true})
	before := e.emu.Seeded()
	tok := e.form(ccg("enterprise", "1000")).json(t)["access_token"].(string)
	f := e.uploadID("0", "x.pdf")
	mustStatus(t, e.control("POST", "/_emulator/reset", nil), http.StatusNoContent)
	mustStatus(t, e.do("GET", "/2.0/files/"+f, nil), 404)
	after := e.emu.Seeded()
	if after.FolderID != before.FolderID || after.TemplateIDs[0] != before.TemplateIDs[0] {
		t.Errorf("reseed changed IDs: %+v vs %+v", after, before)
	}
	mustStatus(t, e.do("GET", "/2.0/folders/"+after.FolderID, nil), 200)
	e.token = tok
	mustStatus(t, e.do("GET", "/2.0/users/me", nil), 200)
	if reqs := e.control("GET", "/_emulator/stats", nil).json(t)["requests"].(map[string]any); len(reqs) != 3 {
		t.Errorf("stats after reset: %v", reqs)
	}
}
