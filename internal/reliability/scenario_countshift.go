package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// scenarioCountShift: N resources, each a request per signer of a list of
// three through count, and the middle signer of every list removed.
// Terraform then plans, per resource, a replacement of [1] (its signer
// becomes the third one) and a destroy of [2]. The new request of [1] is
// identical to the one [2] holds (same file, name, external ID and
// signer), so to a provider that adopts whatever matches it looks like an
// orphan. Terraform refreshes and plans a resource's instances
// concurrently, so [1]'s plan may look before [2]'s refresh has told the
// provider the request is tracked. Either order must end as its plan said
// (issue 21), per resource:
//   - [2] refreshed first: [1] sends a new request to the third signer and
//     the destroy of [2] cancels the old one;
//   - [1] looked first: the plan says [1] adopts [2]'s request, naming it,
//     and that the destroy of [2] leaves it live ("passes to another
//     resource"); the third signer keeps it, mailed once.
//
// Afterwards Box holds, per resource: the first signer's request
// untouched, live and tracked at [0]; the removed signer's cancelled; the
// third signer's as the plan said, tracked at [1]; no request cancelled
// that is tracked, none live untracked, no signer mailed twice for a
// request; and a plan shows no changes.
func scenarioCountShift(ctx context.Context, r *runner) Result {
	const prefix = "shift"
	res := Result{Pass: true}
	n := r.o.N
	emu, err := r.startEmulator(ctx, emulatorproc.Options{})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	ws, err := r.workspace("countshift", "BOX_ACCESS_TOKEN="+devToken)
	if err == nil {
		err = ws.write(providerBlock(emu.URL) + countedRequests(prefix, emu.FileID, n, "a", "b", "c"))
	}
	if err != nil {
		res.failf("%v", err)
		return res
	}
	first := ws.run(ctx, "apply", "-auto-approve")
	r.logf(15, "three signers each: exit %d in %s", first.code, first.duration.Round(time.Second))
	if !first.ok() {
		res.failf("the first apply failed: %s", lastError(first.out))
		return res
	}
	before, err := ws.stateObjects()
	if err != nil {
		res.failf("%v", err)
		return res
	}
	was := map[string]string{}
	for _, o := range before {
		was[o.addr] = o.id
	}
	if len(was) != 3*n {
		res.failf("the first apply left %d requests in the state, want %d", len(was), 3*n)
		return res
	}

	if err := ws.write(providerBlock(emu.URL) + countedRequests(prefix, emu.FileID, n, "a", "c")); err != nil {
		res.failf("%v", err)
		return res
	}
	failedClosed, adopted, ok := applyShift(ctx, r, ws, emu, prefix, n, &res)
	if !ok {
		return res
	}
	l, state, ok := readBoth(ws, emu, prefix, &res)
	if !ok {
		return res
	}
	problems := append(l.mailProblems(), l.trackingProblems(state)...)
	now := map[string]string{}
	for _, o := range state {
		now[o.addr] = o.id
	}
	if len(state) != 2*n {
		problems = append(problems, fmt.Sprintf("the state holds %d requests, want %d", len(state), 2*n))
	}
	handedOver := 0
	for i := 1; i <= n; i++ {
		key := requestKey(prefix, i)
		addr := func(k int) string { return fmt.Sprintf("box_sign_request.g%02d[%d]", i, k) }
		a, b, c := l.sentTo(key, groupSigner(prefix, i, "a")), l.sentTo(key, groupSigner(prefix, i, "b")), l.sentTo(key, groupSigner(prefix, i, "c"))
		var bad []string
		if len(a) != 1 || a[0] != was[addr(0)] || now[addr(0)] != was[addr(0)] || l.live(a) != 1 {
			bad = append(bad, fmt.Sprintf("first signer: %d requests (%d live), [0] tracks %q, was %q", len(a), l.live(a), now[addr(0)], was[addr(0)]))
		}
		if len(b) != 1 || l.live(b) != 0 {
			bad = append(bad, fmt.Sprintf("removed signer: %d requests, %d live; want 1, cancelled", len(b), l.live(b)))
		}
		// The plan's ID for [1] says whether it adopts [2]'s request.
		passed := adopted[addr(1)] == was[addr(2)]
		switch {
		case adopted[addr(1)] != "" && !passed:
			bad = append(bad, fmt.Sprintf("the plan has [1] adopt %s, which [2] did not hold", adopted[addr(1)]))
		case passed:
			handedOver++
			if len(c) != 1 || l.live(c) != 1 || now[addr(1)] != was[addr(2)] {
				bad = append(bad, fmt.Sprintf("third signer: %d requests (%d live); [1] tracks %q; the plan passed %s to [1]",
					len(c), l.live(c), now[addr(1)], was[addr(2)]))
			}
		case len(c) != 2 || l.live(c) != 1 || l.reqs[was[addr(2)]].Status != "cancelled" || now[addr(1)] == was[addr(2)] || !contains(c, now[addr(1)]):
			bad = append(bad, fmt.Sprintf("third signer: %d requests (%d live), the old one %s; [1] tracks %q; the plan sent a new one: want 2, the old one cancelled, [1] the new one",
				len(c), l.live(c), l.reqs[was[addr(2)]].Status, now[addr(1)]))
		}
		if len(bad) > 0 {
			problems = append(problems, fmt.Sprintf("%s: %s", key, strings.Join(bad, ", ")))
		}
	}
	if len(adopted) != handedOver {
		problems = append(problems, fmt.Sprintf("the plan adopts %d requests, %d of them passed on by a destroy of [2]: %v", len(adopted), handedOver, adopted))
	}
	l.fill(&res, 4*n-handedOver)
	if len(problems) > 0 {
		res.failf("after the shift: %s", strings.Join(problems, "; "))
	}
	if plan := ws.run(ctx, "plan", "-detailed-exitcode"); plan.code != 0 {
		res.failf("the plan after the shift is not empty (exit %d): %s", plan.code, lastError(plan.out))
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("%d resources of three count instances, the middle signer removed: the plan replaced [1] and destroyed [2] in each; "+
			"in %d the third signer's request passed from [2] to [1] (the plan said so), in %d the old one was cancelled and a new one sent; "+
			"the removed signers' requests cancelled, [0] untouched; each request mailed its signer once, the plan then empty", n, handedOver, n-handedOver)
		if len(failedClosed) > 0 {
			res.Outcome += fmt.Sprintf("; %d earlier plans or applies failed closed first: %s", len(failedClosed), strings.Join(failedClosed, "; "))
		}
	}
	return res
}

// shiftAttempts bounds the plans and applies of the shift: one that fails
// closed (the apply's own plan disagreed with the plan and nothing was
// sent) is run again, as its error says.
const shiftAttempts = 3

// applyShift plans the shift to a file and applies that plan. Until an
// apply ran, a plan must show [1] replaced and [2] destroyed in each of
// the n resources, and every adoption it announces must be a request
// passed on by a destroy of the same plan. A plan or apply that fails must
// fail closed ("inconsistent final plan" when the apply's own plan
// disagreed) and leave the state tracking exactly the live requests, each
// mailed once (a failed plan: Box unchanged); then both are run again. It
// returns the failures' first lines and the adoptions of the plan the last
// apply applied (plannedAdoptions), and reports false when there is nothing more to check.
func applyShift(ctx context.Context, r *runner, ws *workspace, emu *emulator, prefix string, n int, res *Result) ([]string, map[string]string, bool) {
	// What Terraform plans for a count shift: [1] replaced, [2] destroyed.
	wantPlan := fmt.Sprintf("Plan: %d to add, 0 to change, %d to destroy.", n, 2*n)
	var failedClosed []string
	var adopted map[string]string
	applied := false // an apply ran, so the next plan is what it left to do
	for attempt := 1; attempt <= shiftAttempts; attempt++ {
		step := "plan"
		out := ws.run(ctx, "plan", "-out=shift.tfplan")
		if out.ok() {
			if !applied && !strings.Contains(out.out, wantPlan) {
				res.failf("the plan was not a replacement of [1] and a destroy of [2] in each resource: want %q", wantPlan)
			}
			var err error
			if adopted, err = plannedAdoptions(ctx, ws, "shift.tfplan"); err != nil {
				res.failf("%v", err)
				return failedClosed, nil, false
			}
			// Terraform folds warnings with the same summary into the first:
			// each kind shows at least once when the plan adopts.
			if len(adopted) > 0 && (!strings.Contains(out.out, "This create adopts an existing sign request") ||
				!strings.Contains(out.out, "passes to another resource instead of being cancelled")) {
				res.failf("the plan adopts %d requests without saying so, or without saying that a destroy passes them on", len(adopted))
			}
			step, applied = "apply", true
			out = ws.run(ctx, "apply", "shift.tfplan")
		}
		r.logf(15, "middle signer removed, attempt %d: %s exit %d in %s", attempt, step, out.code, out.duration.Round(time.Second))
		if out.ok() {
			return failedClosed, adopted, true
		}
		reason := lastError(out.out)
		if !strings.Contains(reason, "inconsistent final plan") {
			res.failf("the %s failed, and not closed: %s", step, reason)
			return failedClosed, adopted, false
		}
		closedBy := countErrors(out.out, "inconsistent final plan")
		failedClosed = append(failedClosed, fmt.Sprintf("%s: %d× %s", step, closedBy, strings.TrimPrefix(firstLine(reason), "Error: ")))
		l, state, ok := readBoth(ws, emu, prefix, res)
		if !ok {
			return failedClosed, adopted, false
		}
		p := append(l.mailProblems(), l.trackingProblems(state)...)
		if step == "plan" && (len(l.reqs) != 3*n || l.cancelled() != 0) {
			p = append(p, fmt.Sprintf("Box holds %d requests, %d cancelled; a plan must change nothing", len(l.reqs), l.cancelled()))
		}
		if len(p) > 0 {
			res.failf("after a %s that failed closed: %s", step, strings.Join(p, "; "))
			return failedClosed, adopted, false
		}
		if attempt == shiftAttempts {
			l.fill(res, 4*n)
		}
	}
	res.failf("%d plans or applies in a row failed closed, each sending nothing: %s", shiftAttempts, strings.Join(failedClosed, "; "))
	return failedClosed, adopted, false
}

// groupSigner is the signer with letter in resource i's list.
func groupSigner(prefix string, i int, letter string) string {
	return fmt.Sprintf("%s-%s@example.com", requestKey(prefix, i), letter)
}

// countedRequests is n resources, g01..gNN, each with one request per
// signer letter through count. A resource's requests differ only in their
// signer: the same file, name and external ID.
func countedRequests(prefix, fileID string, n int, letters ...string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		emails := make([]string, len(letters))
		for j, l := range letters {
			emails[j] = fmt.Sprintf("%q", groupSigner(prefix, i, l))
		}
		fmt.Fprintf(&b, `
locals {
  g%02d = [%s]
}

resource "box_sign_request" "g%02d" {
  count           = length(local.g%02d)
  source_file_ids = [%q]
  name            = %q
  external_id     = %q
  signer {
    email = local.g%02d[count.index]
  }
}
`, i, strings.Join(emails, ", "), i, i, fileID, requestKey(prefix, i), requestKey(prefix, i), i)
	}
	return b.String()
}

// plannedAdoptions reads a saved plan: the address and planned ID of every
// box_sign_request create whose ID the plan already knows, that is, every
// create that adopts a request instead of sending one.
func plannedAdoptions(ctx context.Context, ws *workspace, planFile string) (map[string]string, error) {
	out := ws.run(ctx, "show", "-json", planFile)
	if !out.ok() {
		return nil, fmt.Errorf("terraform show -json %s: %s", planFile, lastError(out.out))
	}
	var p struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Type    string `json:"type"`
			Change  struct {
				Actions []string       `json:"actions"`
				After   map[string]any `json:"after"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(out.out), &p); err != nil {
		return nil, fmt.Errorf("reading the plan's JSON: %w", err)
	}
	adopted := map[string]string{}
	for _, rc := range p.ResourceChanges {
		if rc.Type != "box_sign_request" || !slices.Contains(rc.Change.Actions, "create") {
			continue
		}
		if id, _ := rc.Change.After["id"].(string); id != "" {
			adopted[rc.Address] = id
		}
	}
	return adopted, nil
}
