package reliability

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// boxView is what Box holds for one scenario's n requests, as a signer or
// an auditor would see it.
type boxView struct {
	n          int
	total      int             // requests with the scenario's external IDs
	open       map[string]bool // IDs of those not cancelled
	cancelled  int
	duplicates int            // requests beyond one per external ID
	emails     map[string]int // signer → signature_requested emails
	missing    []string       // external IDs with no request at all
}

// observe lists the requests and emails of prefix's n requests. token is
// the sender's: the developer token, or a service account token for CCG.
func observe(emu *emulator, token, prefix string, n int) (*boxView, error) {
	reqs, err := emu.signRequests(token)
	if err != nil {
		return nil, fmt.Errorf("listing sign requests: %w", err)
	}
	mails, err := emu.emails()
	if err != nil {
		return nil, fmt.Errorf("reading the emulator's emails: %w", err)
	}
	v := &boxView{n: n, open: map[string]bool{}, emails: map[string]int{}}
	perKey := map[string]int{}
	for _, r := range reqs {
		if !strings.HasPrefix(r.ExternalID, prefix+"-") {
			continue
		}
		v.total++
		perKey[r.ExternalID]++
		if r.Status == "cancelled" {
			v.cancelled++
		} else {
			v.open[r.ID] = true
		}
	}
	for i := 1; i <= n; i++ {
		k := requestKey(prefix, i)
		if perKey[k] == 0 {
			v.missing = append(v.missing, k)
		}
		if perKey[k] > 1 {
			v.duplicates += perKey[k] - 1
		}
		v.emails[signerEmail(prefix, i)] = 0
	}
	for _, m := range mails {
		if _, ours := v.emails[m.To]; ours && m.Kind == "signature_requested" {
			v.emails[m.To]++
		}
	}
	return v, nil
}

// emailRange renders the fewest and most emails any signer got.
func (v *boxView) emailRange() string {
	lo, hi := -1, 0
	for _, c := range v.emails {
		if lo < 0 || c < lo {
			lo = c
		}
		hi = max(hi, c)
	}
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

// fill copies the view into a result's columns.
func (v *boxView) fill(res *Result) {
	if v.cancelled > 0 && len(v.open) == 0 {
		res.InBox = fmt.Sprintf("%d (cancelled)", v.total)
	} else {
		res.InBox = fmt.Sprint(v.total)
	}
	res.Dups = fmt.Sprint(v.duplicates)
	res.Emails = v.emailRange()
}

// applied checks that Box holds exactly the n requests of the config,
// open, once each, each signer emailed once, and that the state names
// exactly those requests.
func (v *boxView) applied(state map[string]string) error {
	var problems []string
	if len(v.missing) > 0 {
		problems = append(problems, fmt.Sprintf("%d requests missing from Box (%s)", len(v.missing), strings.Join(v.missing, ", ")))
	}
	if v.duplicates > 0 {
		problems = append(problems, fmt.Sprintf("%d duplicate requests", v.duplicates))
	}
	if len(v.open) != v.n {
		problems = append(problems, fmt.Sprintf("%d open requests in Box, want %d", len(v.open), v.n))
	}
	problems = append(problems, v.emailProblems()...)
	if d := stateDiff(state, v.open); d != "" {
		problems = append(problems, d)
	}
	return joinProblems(problems)
}

// destroyed checks that every request was cancelled, once, and the state
// is empty.
func (v *boxView) destroyed(state map[string]string) error {
	var problems []string
	if v.total != v.n || v.duplicates > 0 {
		problems = append(problems, fmt.Sprintf("%d requests in Box (%d duplicates), want %d", v.total, v.duplicates, v.n))
	}
	if len(v.open) > 0 {
		problems = append(problems, fmt.Sprintf("%d requests still open after destroy", len(v.open)))
	}
	if len(state) > 0 {
		problems = append(problems, fmt.Sprintf("%d resources left in the state", len(state)))
	}
	problems = append(problems, v.emailProblems()...)
	return joinProblems(problems)
}

func (v *boxView) emailProblems() []string {
	var bad []string
	for to, c := range v.emails {
		if c != 1 {
			bad = append(bad, fmt.Sprintf("%s×%d", to, c))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return []string{"signers not emailed exactly once: " + strings.Join(bad, ", ")}
}

// stateDiff compares the IDs in the state with the open requests in Box.
func stateDiff(state map[string]string, open map[string]bool) string {
	inState := map[string]bool{}
	var notInBox []string
	for addr, id := range state {
		inState[id] = true
		if !open[id] {
			notInBox = append(notInBox, addr)
		}
	}
	notInState := 0
	for id := range open {
		if !inState[id] {
			notInState++
		}
	}
	var parts []string
	if len(notInBox) > 0 {
		sort.Strings(notInBox)
		parts = append(parts, fmt.Sprintf("state holds %d requests not open in Box (%s)", len(notInBox), strings.Join(notInBox, ", ")))
	}
	if notInState > 0 {
		parts = append(parts, fmt.Sprintf("%d open requests in Box are not in the state", notInState))
	}
	return strings.Join(parts, "; ")
}

func joinProblems(p []string) error {
	if len(p) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(p, "; "))
}

// convergeAfter runs the apply that must repair a failed or interrupted
// one, then checks that Box holds exactly the requests the configuration
// describes and the state knows them. It reports false when Box could not
// be observed, so there is nothing more to check.
func convergeAfter(ctx context.Context, ws *workspace, emu *emulator, prefix string, n int, res *Result) bool {
	second := ws.run(ctx, "apply", "-auto-approve")
	if !second.ok() {
		res.failf("the next apply failed: %s", lastError(second.out))
	}
	return matchBox(ws, emu, devToken, prefix, n, res, true, (*boxView).applied, "after the next apply: ")
}

// matchBox compares the workspace's state with what Box holds: check is
// (*boxView).applied or (*boxView).destroyed, and a failure is reported
// behind when. With fill, the view also fills the result's columns. It
// reports false when Box could not be observed.
func matchBox(ws *workspace, emu *emulator, token, prefix string, n int, res *Result, fill bool,
	check func(*boxView, map[string]string) error, when string) bool {
	state, _ := ws.stateIDs()
	view, err := observe(emu, token, prefix, n)
	if err != nil {
		res.failf("%v", err)
		return false
	}
	if fill {
		view.fill(res)
	}
	if err := check(view, state); err != nil {
		res.failf("%s%v", when, err)
	}
	return true
}
