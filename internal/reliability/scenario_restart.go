package reliability

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// scenarioRestart: Box goes away in the middle of an apply (the emulator
// stops, saving its state to -data) and comes back. The apply must fail
// cleanly, naming what failed; the state must know every request Box
// created; and the next apply converges without a duplicate.
func scenarioRestart(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	n := r.o.N
	data := filepath.Join(r.work, "restart-emulator.json")
	emu, err := r.startEmulator(ctx, emulatorproc.Options{Args: []string{"-data", data, "-latency", "300ms"}})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	ws, err := r.workspace("restart", "BOX_ACCESS_TOKEN="+devToken)
	if err == nil {
		// Few retries, so the apply gives up while the emulator is down.
		err = ws.write(providerBlock(emu.URL, "max_retries = 2") + signRequests("restart", emu.FileID, n))
	}
	if err != nil {
		res.failf("%v", err)
		return res
	}
	p := ws.start(ctx, "apply", "-auto-approve")
	created := func() int {
		st, _ := emu.stats()
		return st.count("POST /2.0/sign_requests", "201")
	}
	if !waitUntil(ctx, 2*time.Minute, func() bool { return created() >= max(1, n/3) }) {
		res.failf("no request was created within 2 minutes")
		p.wait()
		return res
	}
	r.logf(5, "stopping the emulator after %d creates", created())
	emu.stop()
	first := p.wait()
	r.logf(5, "first apply: exit %d in %s", first.code, first.duration.Round(time.Second))
	if err := emu.restart(ctx); err != nil {
		res.failf("restarting the emulator: %v", err)
		return res
	}
	msg := lastError(first.out)
	switch {
	case first.ok():
		res.failf("the apply succeeded although Box was down for the rest of it")
	case strings.Contains(first.out, "panic") || strings.Contains(first.out, "Plugin did not respond"):
		res.failf("the provider crashed: %s", msg)
	case !strings.Contains(msg, "/2.0/sign_requests"):
		res.failf("the error does not say which request failed: %s", msg)
	}
	// Everything Box created before it stopped must be in the state.
	state, _ := ws.stateIDs()
	before, err := observe(emu, devToken, "restart", n)
	if err != nil {
		res.failf("%v", err)
		return res
	}
	if d := stateDiff(state, before.open); d != "" {
		res.failf("after the failed apply: %s", d)
	}
	if !convergeAfter(ctx, ws, emu, "restart", n, &res) {
		return res
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("Box stopped after %d of %d creates; the apply failed with %q; the state held all %d; the next apply created the rest, no duplicate",
			len(before.open), n, regexp.MustCompile(`box: [A-Z]+ /2\.0/\S+ failed after \d+ attempt\(s\): .*?(connection refused|EOF|reset by peer|closed)`).FindString(strings.Join(strings.Fields(msg), " ")), len(before.open))
	}
	return res
}
