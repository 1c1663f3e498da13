package emulator

import (
	"strings"
	"testing"
)

// emailsTo lists the emulator's email log as kind:to, oldest first.
func (e *env) emailsTo(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, m := range e.control("GET", "/_emulator/emails", nil).json(t)["entries"].([]any) {
		em := m.(map[string]any)
		out = append(out, em["kind"].(string)+":"+em["to"].(string))
	}
	return out
}

// Box lists the sender first in every template, as a final_copy_reader
// with an empty email; the request's signers take the other roles in
// order, with their role and order.
func TestTemplateSenderPlaceholder(t *testing.T) {
	e := newEnv(t, Options{Seed: true})
	r := e.control("POST", "/_emulator/sign_templates", map[string]any{"name": "Reader and signer", "signers": []any{
		map[string]any{"role": "approver", "order": 1}, map[string]any{"role": "signer", "order": 2},
	}})
	mustStatus(t, r, 201)
	tid := r.json(t)["id"].(string)
	tpl := e.do("GET", "/2.0/sign_templates/"+tid, nil).json(t)
	signers := tpl["signers"].([]any)
	if len(signers) != 3 {
		t.Fatalf("template signers = %d, want the placeholder and two roles", len(signers))
	}
	first := signers[0].(map[string]any)
	if first["role"] != "final_copy_reader" || first["email"] != "" || first["order"] != float64(0) {
		t.Errorf("signers[0] = %v, want the sender's placeholder", first)
	}
	sr := e.createSR(map[string]any{"template_id": tid, "signers": []any{sgn("a@example.com"), sgn("b@example.com")}})
	got := signersOf(sr)
	if len(got) != 3 || got[0]["email"] != adminLogin || got[0]["role"] != "final_copy_reader" {
		t.Fatalf("request signers = %v", got)
	}
	for i, want := range []struct {
		email, role string
		order       float64
	}{{"a@example.com", "approver", 1}, {"b@example.com", "signer", 2}} {
		s := got[i+1]
		if s["email"] != want.email || s["role"] != want.role || s["order"] != want.order {
			t.Errorf("signers[%d] = %v %v %v, want %+v", i+1, s["email"], s["role"], s["order"], want)
		}
	}
}

// A template whose roles sign in turn emails only the first role at first,
// however the request leaves order out.
func TestTemplateOrderKept(t *testing.T) {
	e := newEnv(t, Options{Seed: true})
	r := e.control("POST", "/_emulator/sign_templates", map[string]any{"name": "In turn", "signers": []any{
		map[string]any{"order": 1}, map[string]any{"order": 2},
	}})
	mustStatus(t, r, 201)
	sr := e.createSR(map[string]any{"template_id": r.json(t)["id"], "signers": []any{sgn("first@example.com"), sgn("second@example.com")}})
	e.takeTurns(t, sr["id"].(string), "first@example.com", "second@example.com")
}

// takeTurns checks that only first is emailed and may act, and that
// second is emailed once first has signed or approved.
func (e *env) takeTurns(t *testing.T, id, first, second string) {
	t.Helper()
	if got := strings.Join(e.emailsTo(t), ","); got != "signature_requested:"+first {
		t.Errorf("emails = %s, want %s alone", got, first)
	}
	act := func(who, action string, want int) {
		t.Helper()
		mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+id+"/signers/"+who+"/"+action, nil), want)
	}
	act(second, "open", 409)
	act(first, "open", 200)
	act(first, "sign", 200)
	if got := strings.Join(e.emailsTo(t), ","); got != "signature_requested:"+first+",signature_requested:"+second {
		t.Errorf("emails after %s acted = %s", first, got)
	}
}

// is_password_required and is_phone_number_required oblige the request
// only for a role without a stored email; a role with one brings what the
// template's creator stored.
func TestTemplateRequirementsOnlyWithoutEmail(t *testing.T) {
	e := newEnv(t, Options{Seed: true})
	r := e.control("POST", "/_emulator/sign_templates", map[string]any{"name": "Stored", "signers": []any{
		map[string]any{"email": "hr@example.com", "is_password_required": true, "password": "stored-pw",
			"is_phone_number_required": true, "verification_phone_number": "+15550001111"},
	}})
	mustStatus(t, r, 201)
	sr := e.createSR(map[string]any{"template_id": r.json(t)["id"], "signers": []any{sgn("hr@example.com")}})
	id := sr["id"].(string)
	// The stored password is asked for.
	if code := e.control("POST", "/_emulator/sign_requests/"+id+"/signers/hr@example.com/open", nil).errCode(t); code != "password_required" {
		t.Errorf("open without the stored password: %s", code)
	}
	mustStatus(t, e.control("POST", "/_emulator/sign_requests/"+id+"/signers/hr@example.com/open", map[string]any{"password": "stored-pw"}), 200)

	// Without a stored email the request must bring them.
	nda := e.emu.Seeded().TemplateIDs[0]
	r = e.do("POST", "/2.0/sign_requests", map[string]any{"template_id": nda, "signers": []any{sgn("s@example.com")}})
	mustStatus(t, r, 400)
	if fe := r.json(t)["context_info"].(map[string]any)["errors"].([]any)[0].(map[string]any); fe["name"] != "signers[0].password" {
		t.Errorf("refused field %v", fe["name"])
	}
}

// Approvers act before any signer is emailed, whatever the orders.
func TestApproversFirst(t *testing.T) {
	e := newEnv(t, Options{})
	file := e.uploadID("0", "a.pdf")
	sr := e.createSR(map[string]any{"source_files": fileRef(file), "signers": []any{
		sgn("signer@example.com", "order", 1), sgn("approver@example.com", "role", "approver", "order", 2),
	}})
	e.takeTurns(t, sr["id"].(string), "approver@example.com", "signer@example.com")
}

// Box's notifications stop for a signer only with both
// suppress_notifications and embed_url_external_user_id; the flag alone is
// accepted and the signer is emailed.
func TestEmailSuppressionNeedsBoth(t *testing.T) {
	e := newEnv(t, Options{})
	file := e.uploadID("0", "a.pdf")
	both := sgn("both@example.com", "suppress_notifications", true, "embed_url_external_user_id", "u-1")
	e.createSR(map[string]any{"source_files": fileRef(file), "signers": []any{
		sgn("flag@example.com", "suppress_notifications", true), both,
	}})
	if got := strings.Join(e.emailsTo(t), ","); got != "signature_requested:flag@example.com" {
		t.Errorf("emails = %s, want the flag-only signer alone", got)
	}
}
