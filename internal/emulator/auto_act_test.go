package emulator

import (
	"testing"
	"time"
)

func TestParseAutoAct(t *testing.T) {
	for _, c := range []struct {
		in   string
		want AutoAct
		ok   bool
	}{
		{"alice@example.com=sign", AutoAct{Email: "alice@example.com", Action: "sign"}, true},
		{"Bob@Example.com=decline@1500ms", AutoAct{Email: "Bob@Example.com", Action: "decline", Delay: 1500 * time.Millisecond}, true},
		{"alice@example.com=sign@0s", AutoAct{Email: "alice@example.com", Action: "sign"}, true},
		{"alice@example.com", AutoAct{}, false},
		{"alice@example.com=approve", AutoAct{}, false},
		{"alice@example.com=sign@soon", AutoAct{}, false},
		{"alice@example.com=sign@-1s", AutoAct{}, false},
		{"not-an-email=sign", AutoAct{}, false},
		{"Alice <alice@example.com>=sign", AutoAct{}, false},
	} {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseAutoAct(c.in)
			if (err == nil) != c.ok || got != c.want {
				t.Errorf("ParseAutoAct(%q) = %+v, %v; want %+v, ok=%v", c.in, got, err, c.want, c.ok)
			}
		})
	}
}

// An -auto-act signer acts only once their turn came and their delay
// passed, gives their password and SMS code like a person, and hands the
// turn on; a signer with no rule is left alone.
func TestAutoActSignsInTurnAfterTheDelay(t *testing.T) {
	e := newEnv(t, Options{Seed: true, AutoAct: []AutoAct{
		{Email: "First@example.com", Action: "sign", Delay: 2 * time.Second},
		{Email: "second@example.com", Action: "sign", Delay: 3 * time.Second},
	}})
	seed := e.emu.Seeded()
	create := func(signers ...any) string {
		return e.createSR(map[string]any{
			"signers": signers, "source_files": fileRef(seed.FileIDs[0]),
			"parent_folder": map[string]any{"type": "folder", "id": seed.FolderID},
		})["id"].(string)
	}
	status := func(id string) string {
		t.Helper()
		r := e.do("GET", "/2.0/sign_requests/"+id, nil)
		mustStatus(t, r, 200)
		return r.json(t)["status"].(string)
	}

	id := create(
		sgn("first@example.com", "password", "s3cret", "order", 1),
		sgn("second@example.com", "verification_phone_number", "+15551230000", "order", 2),
	)
	other := create(sgn("first@example.com"), sgn("nobody@example.com"))
	phoneToView := e.createSR(map[string]any{
		"signers": []any{sgn("second@example.com", "verification_phone_number", "+15551230001")}, "source_files": fileRef(seed.FileIDs[0]),
		"parent_folder": map[string]any{"type": "folder", "id": seed.FolderID}, "is_phone_verification_required_to_view": true,
	})["id"].(string)

	after := func(d time.Duration, want, when string) {
		t.Helper()
		e.clock.Advance(d)
		if st := status(id); st != want {
			t.Fatalf("%s: %s, want %s", when, st, want)
		}
	}
	after(1999*time.Millisecond, "sent", "before the delay")
	after(time.Millisecond, "viewed", "after the first signer's delay (the second signer's turn has just come)")
	after(2999*time.Millisecond, "viewed", "the second signer's delay counts from their turn")
	after(time.Millisecond, "signed", "after both delays")
	if st := status(other); st != "viewed" {
		t.Errorf("a request with a signer no rule names: %s, want viewed (first signed, nobody waits)", st)
	}
	if st := status(phoneToView); st != "signed" {
		t.Errorf("SMS before viewing: %s", st)
	}
	if n := len(e.control("GET", "/_emulator/sms", nil).json(t)["entries"].([]any)); n != 2 {
		t.Errorf("%d SMS sent, want 2 (one per request with a phone)", n)
	}
}

func TestAutoActDeclines(t *testing.T) {
	e := newEnv(t, Options{Seed: true, AutoAct: []AutoAct{{Email: "bob@example.com", Action: "decline"}}})
	seed := e.emu.Seeded()
	id := e.createSR(map[string]any{
		"signers": []any{sgn("bob@example.com")}, "source_files": fileRef(seed.FileIDs[0]),
		"parent_folder": map[string]any{"type": "folder", "id": seed.FolderID},
	})["id"].(string)
	r := e.do("GET", "/2.0/sign_requests/"+id, nil)
	mustStatus(t, r, 200)
	m := r.json(t)
	if m["status"] != "declined" {
		t.Fatalf("status %v, want declined", m["status"])
	}
	for _, s := range signersOf(m) {
		if s["email"] == "bob@example.com" && s["signer_decision"].(map[string]any)["type"] != "declined" {
			t.Errorf("bob's decision: %v", s["signer_decision"])
		}
	}
}
