package reliability

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// ccgEnv authenticates with the client-credentials grant, so that the
// token endpoint is part of every run.
var ccgEnv = []string{"BOX_CLIENT_ID=" + clientID, "BOX_CLIENT_SECRET=" + clientSecret, "BOX_ENTERPRISE_ID=" + enterpriseID}

// scenario5xx: bursts of 5xx on every operation (token, create, read,
// cancel). Token requests, reads and cancels are retried and succeed
// within max_retries. A create that got a 500 may have taken effect, so
// the client looks for it and, finding nothing (a list can lag), fails
// closed instead of sending again (issue 21): the apply fails for exactly
// those resources, naming each, and the next apply sends them, with no
// duplicate. A burst longer than max_retries fails with an error that
// names the request and Box's request_id.
func scenario5xx(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	n := r.o.N
	half := max(1, n/2)
	emu, err := r.startEmulator(ctx, emulatorproc.Options{})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	ws, err := r.workspace("5xx", ccgEnv...)
	if err == nil {
		err = ws.write(providerBlock(emu.URL, "max_retries = 3") + signRequests("burst", emu.FileID, n))
	}
	if err != nil {
		res.failf("%v", err)
		return res
	}
	token, err := emu.serviceAccountToken()
	if err != nil {
		res.failf("%v", err)
		return res
	}
	step := faultStep{ctx: ctx, r: r, emu: emu, ws: ws, res: &res}.run
	ap, ok := step("apply", []fault{
		{Method: "POST", Path: "/oauth2/token", Status: 503, Times: 2},
		{Method: "POST", Path: "/2.0/sign_requests", Status: 500, Times: half},
	}, "apply", "-auto-approve")
	if !ok {
		return res
	}
	closed := countErrors(ap.out, "Box may have created the sign request")
	if ap.ok() || closed != half {
		res.failf("apply through %d 500s on create: exit %d with %d errors failing closed, want %d (one for each create that got a 500): %s",
			half, ap.code, closed, half, lastError(ap.out))
		return res
	}
	if re := ws.run(ctx, "apply", "-auto-approve"); !re.ok() {
		res.failf("the apply after the creates that failed closed failed: %s", lastError(re.out))
		return res
	}
	if !matchBox(ws, emu, token, "burst", n, &res, false, (*boxView).applied, "after apply: ") {
		return res
	}
	state, _ := ws.stateIDs() // the error check below looks for a request's ID

	pl, ok := step("plan", []fault{
		{Method: "POST", Path: "/oauth2/token", Status: 500, Times: 1},
		{Method: "GET", Path: "/2.0/sign_requests/{id}", Status: 502, Times: half},
		{Method: "GET", Path: "/2.0/sign_requests/{id}", Status: 503, Times: half},
	}, "plan", "-detailed-exitcode")
	if ok && pl.code != 0 {
		res.failf("plan after 5xx on reads: exit %d (want 0, no changes): %s", pl.code, lastError(pl.out))
	}

	msg := checkRetriesExhausted(ctx, ws, emu, state[resourceAddress(1)], &res)

	de, ok := step("destroy", []fault{
		{Method: "POST", Path: "/oauth2/token", Status: 503, Times: 1},
		{Method: "POST", Path: "/2.0/sign_requests/{id}/cancel", Status: 500, Times: half},
	}, "destroy", "-auto-approve")
	if ok && !de.ok() {
		res.failf("destroy failed: %s", lastError(de.out))
	}
	if !matchBox(ws, emu, token, "burst", n, &res, true, (*boxView).destroyed, "after destroy: ") {
		return res
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("plan and destroy succeeded through 5xx on token (4), read (%d) and cancel (%d) with max_retries = 3; "+
			"the %d creates that got a 500 failed closed (Box may have created them; none found), the next apply sent them, no duplicate; "+
			"past max_retries the plan failed with %q", 2*half, half, half, regexp.MustCompile(`Box API error: .*?attempts`).FindString(msg))
	}
	return res
}

// faultStep injects faults, runs terraform and checks every fault was used.
type faultStep struct {
	ctx context.Context
	r   *runner
	emu *emulator
	ws  *workspace
	res *Result
}

func (f faultStep) run(what string, faults []fault, args ...string) (tfResult, bool) {
	if err := f.emu.addFaults(faults...); err != nil {
		f.res.failf("%s: %v", what, err)
		return tfResult{}, false
	}
	out := f.ws.run(f.ctx, args...)
	left, err := f.emu.pendingFaults()
	if err != nil {
		f.res.failf("%s: %v", what, err)
		return out, false
	}
	if left != "" {
		f.res.failf("%s: injected failures never hit, so they proved nothing: %s", what, left)
		_ = f.emu.clearFaults()
	}
	f.r.logf(2, "%s: exit %d in %s", what, out.code, out.duration.Round(100*time.Millisecond))
	return out, true
}

// checkRetriesExhausted: a burst longer than max_retries. The error must
// say which request failed and give Box's request_id, which Box support
// asks for. It returns the error, on one line.
func checkRetriesExhausted(ctx context.Context, ws *workspace, emu *emulator, id string, res *Result) string {
	_ = emu.addFaults(fault{Method: "GET", Path: "/2.0/sign_requests/{id}", Status: 503, Times: 1000})
	ex := ws.run(ctx, "plan", "-target="+resourceAddress(1))
	_ = emu.clearFaults()
	msg := strings.Join(strings.Fields(lastError(ex.out)), " ")
	switch {
	case ex.ok():
		res.failf("plan succeeded although every read failed")
	case !regexp.MustCompile(`GET /2\.0/sign_requests/\S+ returned 503`).MatchString(msg) ||
		!regexp.MustCompile(`request_id: \w+`).MatchString(msg) || !strings.Contains(msg, id):
		res.failf("the error after retries are exhausted does not name the request, its sign request and Box's request_id: %s", msg)
	}
	return msg
}
