package reliability

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// scenarioRateLimit: Box Sign allows 100 creates a minute per user. With
// the emulator's limit at a third of N, most creates cannot go in the
// first minute. The apply must still succeed, without a duplicate, by
// honouring Retry-After; and the client paces itself: after a 429 on a
// sign request write it holds every create until the Retry-After time, so
// creates started meanwhile wait instead of running into the limit.
func scenarioRateLimit(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	n := r.o.N
	limit := max(1, (n+2)/3)
	windows := (n+limit-1)/limit - 1 // minutes the apply must wait
	emu, err := r.startEmulator(ctx, emulatorproc.Options{Args: []string{"-rate-limit", strconv.Itoa(limit)}})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	ws, err := r.workspace("ratelimit", "BOX_ACCESS_TOKEN="+devToken)
	if err == nil {
		err = ws.write(providerBlock(emu.URL) + signRequests("storm", emu.FileID, n))
	}
	if err != nil {
		res.failf("%v", err)
		return res
	}
	r.logf(1, "rate limit %d/min for %d creates: expect about %d minute(s) of waiting", limit, n, windows)
	ap := ws.run(ctx, "apply", "-auto-approve")
	st, err := emu.stats()
	if err != nil {
		res.failf("%v", err)
		return res
	}
	refused := st.count("POST /2.0/sign_requests", "429")
	view, err := observe(emu, devToken, "storm", n)
	if err != nil {
		res.failf("%v", err)
		return res
	}
	view.fill(&res)
	state, _ := ws.stateIDs()
	if !ap.ok() {
		res.failf("apply failed: %s", lastError(ap.out))
	}
	if err := view.applied(state); err != nil {
		res.failf("%v", err)
	}
	held := n - limit
	switch {
	case n > limit && refused == 0:
		res.failf("the emulator refused no create, so the storm did not happen")
	case refused > 2*held:
		res.failf("%d answers 429 for %d creates that had to wait: the client kept sending into the limit", refused, held)
	case windows > 0 && ap.duration < time.Duration(windows)*time.Minute-5*time.Second:
		res.failf("the apply took %s, less than the %d minute(s) the limit imposes: Retry-After was not honoured", ap.duration.Round(time.Second), windows)
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("limit %d/min: %d of %d creates could not go in the first minute; Box answered 429 %d times, "+
			"the client held the rest until Retry-After; apply succeeded in %s", limit, held, n, refused, ap.duration.Round(time.Second))
	}
	return res
}
