package reliability

import (
	"context"
	"fmt"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// scenarioAmbiguous: failures after Box has acted (a 502, or a dropped
// connection, once the request took effect) on create and on cancel. The
// client cannot tell from the failure whether Box acted; it must find out,
// so exactly N requests exist, each signer is emailed once, and the state
// matches Box.
func scenarioAmbiguous(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	n := r.o.N
	q := max(1, n/4)
	emu, err := r.startEmulator(ctx, emulatorproc.Options{})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	ws, err := r.workspace("ambiguous", "BOX_ACCESS_TOKEN="+devToken)
	if err == nil {
		err = ws.write(providerBlock(emu.URL) + signRequests("ambig", emu.FileID, n))
	}
	if err != nil {
		res.failf("%v", err)
		return res
	}
	// phase makes q calls to path answer 502 and q drop the connection, each
	// after Box acted, runs `terraform <what>`, and checks that every fault
	// was met (calls names them in a failure) and that Box matches the state.
	phase := func(path, what, calls string, fill bool, check func(*boxView, map[string]string) error) bool {
		err := emu.addFaults(
			fault{Method: "POST", Path: path, Status: 502, Times: q, AfterEffect: true},
			fault{Method: "POST", Path: path, DropConnection: true, Times: q, AfterEffect: true},
		)
		if err != nil {
			res.failf("%v", err)
			return false
		}
		out := ws.run(ctx, what, "-auto-approve")
		st, _ := emu.stats()
		c502, cDrop := st.count("POST "+path, "502"), st.count("POST "+path, "dropped")
		if !out.ok() {
			res.failf("%s failed: %s", what, lastError(out.out))
		}
		if c502 != q || cDrop != q {
			res.failf("%s saw %d 502s and %d dropped connections, want %d of each", calls, c502, cDrop, q)
		}
		return matchBox(ws, emu, devToken, "ambig", n, &res, fill, check, "after "+what+": ")
	}
	if !phase("/2.0/sign_requests", "apply", "creates", false, (*boxView).applied) ||
		!phase("/2.0/sign_requests/{id}/cancel", "destroy", "cancels", true, (*boxView).destroyed) {
		return res
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("%d creates and %d cancels took effect but answered 502 or dropped the connection: "+
			"the client found each one in Box (list, or read after cancel); no request sent twice, state matched Box after apply and destroy", 2*q, 2*q)
	}
	return res
}
