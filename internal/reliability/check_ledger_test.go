package reliability

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testLedger holds requests "id status external_id signer" and mails
// "id signer".
func testLedger(reqs []string, mails ...string) *ledger {
	l := &ledger{reqs: map[string]boxRequest{}, mails: map[string]map[string]int{},
		keyed: map[string][]string{}, extra: map[string]map[string]int{}}
	for _, line := range reqs {
		f := strings.Fields(line)
		r := boxRequest{ID: f[0], Status: f[1], ExternalID: f[2]}
		r.Signers = []boxSigner{{"sender@example.com", "final_copy_reader"}, {f[3], "signer"}}
		l.reqs[r.ID] = r
		l.order = append(l.order, r.ID)
		l.keyed[r.ExternalID] = append(l.keyed[r.ExternalID], r.ID)
	}
	for _, m := range mails {
		f := strings.Fields(m)
		if l.mails[f[0]] == nil {
			l.mails[f[0]] = map[string]int{}
		}
		l.mails[f[0]][f[1]]++
	}
	return l
}

func TestLedgerReplacement(t *testing.T) {
	l := testLedger([]string{"old cancelled x-01 a@x", "new sent x-01 a@x"}, "old a@x", "new a@x")
	if p := append(l.mailProblems(), l.trackingProblems([]stateObject{{addr: "r", id: "new"}})...); len(p) > 0 {
		t.Errorf("a proper replacement: %v", p)
	}
	if ids := l.sentTo("x-01", "a@x"); len(ids) != 2 || l.live(ids) != 1 {
		t.Errorf("sentTo = %v", ids)
	}
	// The create adopted the request it replaced, and the destroy
	// cancelled it: the state tracks a cancelled request, nothing live.
	adopted := testLedger([]string{"old cancelled x-01 a@x"}, "old a@x")
	if p := adopted.trackingProblems([]stateObject{{addr: "r", id: "old"}}); len(p) != 1 || !strings.Contains(p[0], "cancelled in Box") {
		t.Errorf("adopted then cancelled: %v", p)
	}
}

func TestLedgerTracking(t *testing.T) {
	l := testLedger([]string{"a sent x-01 a@x", "b sent x-02 b@x"})
	p := l.trackingProblems([]stateObject{{addr: "r1", id: "a"}, {addr: "r1", id: "a", deposed: "d1"}, {addr: "r3", id: "gone"}})
	got := strings.Join(p, "; ")
	for _, want := range []string{"r1 and r1 (deposed) both track a", "r3 tracks gone, which Box does not hold", "1 live requests in Box are not in the state: b (x-02)"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %q", want, got)
		}
	}
}

func TestLedgerMails(t *testing.T) {
	l := testLedger([]string{"a sent x-01 a@x", "b cancelled x-01 a@x"}, "a a@x", "a a@x")
	got := strings.Join(l.mailProblems(), "; ")
	if !strings.Contains(got, "a@x×2 for a") || !strings.Contains(got, "a@x×0 for b") {
		t.Errorf("got %q", got)
	}
	res := &Result{}
	l.fill(res, 2)
	if res.InBox != "2 (1 cancelled)" || res.Dups != "0" || res.Emails != "0-2 per request" {
		t.Errorf("columns %+v", res)
	}
}

func TestStateObjects(t *testing.T) {
	dir := t.TempDir()
	state := `{"version": 4, "resources": [
  {"mode": "managed", "type": "box_sign_request", "name": "g01", "instances": [
    {"index_key": 0, "attributes": {"id": "a"}},
    {"index_key": 1, "attributes": {"id": "b"}}]},
  {"mode": "managed", "type": "box_sign_request", "name": "r01", "instances": [
    {"attributes": {"id": "new"}},
    {"deposed": "00aa", "attributes": {"id": "old"}}]},
  {"mode": "managed", "type": "box_file", "name": "f", "instances": [{"attributes": {"id": "f"}}]}]}`
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfstate"), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	w := &workspace{dir: dir}
	ids, err := w.stateIDs()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"box_sign_request.g01[0]": "a", "box_sign_request.g01[1]": "b",
		"box_sign_request.r01": "new", "box_sign_request.r01 (deposed 00aa)": "old"}
	if len(ids) != len(want) {
		t.Errorf("got %v, want %v", ids, want)
	}
	for k, v := range want {
		if ids[k] != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, ids[k], v, ids)
		}
	}
}
