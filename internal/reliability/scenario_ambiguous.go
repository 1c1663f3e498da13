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
	inject := func(path string) error {
		return emu.addFaults(
			fault{Method: "POST", Path: path, Status: 502, Times: q, AfterEffect: true},
			fault{Method: "POST", Path: path, DropConnection: true, Times: q, AfterEffect: true},
		)
	}
	// hit reports how many injected failures a route produced.
	hit := func(route string) (int, int) {
		st, _ := emu.stats()
		return st.count(route, "502"), st.count(route, "dropped")
	}

	if err := inject("/2.0/sign_requests"); err != nil {
		res.failf("%v", err)
		return res
	}
	ap := ws.run(ctx, "apply", "-auto-approve")
	c502, cDrop := hit("POST /2.0/sign_requests")
	if !ap.ok() {
		res.failf("apply failed: %s", lastError(ap.out))
	}
	if c502 != q || cDrop != q {
		res.failf("creates saw %d 502s and %d dropped connections, want %d of each", c502, cDrop, q)
	}
	if !matchBox(ws, emu, devToken, "ambig", n, &res, false, (*boxView).applied, "after apply: ") {
		return res
	}

	if err := inject("/2.0/sign_requests/{id}/cancel"); err != nil {
		res.failf("%v", err)
		return res
	}
	de := ws.run(ctx, "destroy", "-auto-approve")
	x502, xDrop := hit("POST /2.0/sign_requests/{id}/cancel")
	if !de.ok() {
		res.failf("destroy failed: %s", lastError(de.out))
	}
	if x502 != q || xDrop != q {
		res.failf("cancels saw %d 502s and %d dropped connections, want %d of each", x502, xDrop, q)
	}
	if !matchBox(ws, emu, devToken, "ambig", n, &res, true, (*boxView).destroyed, "after destroy: ") {
		return res
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("%d creates and %d cancels took effect but answered 502 or dropped the connection: "+
			"the client found each one in Box (list, or read after cancel); no request sent twice, state matched Box after apply and destroy", 2*q, 2*q)
	}
	return res
}
