package reliability

import (
	"strings"
	"testing"
)

func view(n int, open []string, emails map[string]int) *boxView {
	v := &boxView{n: n, total: len(open), open: map[string]bool{}, emails: map[string]int{}}
	for _, id := range open {
		v.open[id] = true
	}
	for i := 1; i <= n; i++ {
		v.emails[signerEmail("p", i)] = 1
	}
	for k, c := range emails {
		v.emails[k] = c
	}
	return v
}

func TestApplied(t *testing.T) {
	state := map[string]string{"box_sign_request.r01": "a", "box_sign_request.r02": "b"}
	if err := view(2, []string{"a", "b"}, nil).applied(state); err != nil {
		t.Errorf("converged view: %v", err)
	}
	err := view(2, []string{"a", "b", "c"}, map[string]int{"p-02@example.com": 2}).applied(state)
	if err == nil || !strings.Contains(err.Error(), "3 open requests") || !strings.Contains(err.Error(), "not in the state") ||
		!strings.Contains(err.Error(), "p-02@example.com×2") {
		t.Errorf("duplicate not reported: %v", err)
	}
	if err := view(2, []string{"a"}, nil).applied(state); err == nil || !strings.Contains(err.Error(), "box_sign_request.r02") {
		t.Errorf("state entry missing from Box not reported: %v", err)
	}
}

func TestEmailRange(t *testing.T) {
	if got := view(3, nil, nil).emailRange(); got != "1" {
		t.Errorf("got %q", got)
	}
	if got := view(3, nil, map[string]int{"p-01@example.com": 0, "p-03@example.com": 2}).emailRange(); got != "0-2" {
		t.Errorf("got %q", got)
	}
}

func TestErrorBlocks(t *testing.T) {
	out := `
│ Error: Could not create the sign request
│ 
│   with box_sign_request.r07,
│ box: POST /2.0/sign_requests failed after 3 attempt(s): connection refused
╵
╷
│ Error: Could not read sign request 42
│ 
│ Box API error: GET /2.0/sign_requests/42 returned 503 (request_id: abc)
╵`
	b := errorBlocks(out)
	if len(b) != 2 || !strings.Contains(b[0], "connection refused") || !strings.Contains(b[1], "request_id: abc") {
		t.Errorf("got %q", b)
	}
}

func TestFindFuzzTargets(t *testing.T) {
	got, err := findFuzzTargets("../..")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, f := range got {
		found[f.pkg+" "+f.name] = true
	}
	for _, want := range []string{"./internal/box FuzzParseJWTConfig", "./internal/provider/validators FuzzIsE164"} {
		if !found[want] {
			t.Errorf("%s not found in %v", want, got)
		}
	}
}
