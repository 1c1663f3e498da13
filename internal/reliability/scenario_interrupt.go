package reliability

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// scenarioInterrupt: the user presses Ctrl-C while creates are in flight
// (the emulator's latency keeps each create on the wire for a second).
// Terraform must exit, the state must hold every request Box created, and
// the next apply converges without a duplicate.
func scenarioInterrupt(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	n := r.o.N
	emu, err := r.startEmulator(ctx, emulatorproc.Options{Args: []string{"-latency", "1s"}})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	proxy := newWireProxy(emu.URL)
	defer proxy.Close()
	ws, err := r.workspace("interrupt", "BOX_ACCESS_TOKEN="+devToken)
	if err == nil {
		err = ws.write(providerBlock(proxy.URL) + signRequests("sigint", emu.FileID, n))
	}
	if err != nil {
		res.failf("%v", err)
		return res
	}
	p := ws.start(ctx, "apply", "-auto-approve")
	// Interrupt while creates are on the wire, inside the emulator's
	// one-second latency.
	if !waitUntil(ctx, time.Minute, func() bool { return proxy.onWire.Load() > 0 }) {
		res.failf("terraform sent no create within a minute: %s", lastError(p.out.String()))
		p.wait()
		return res
	}
	time.Sleep(200 * time.Millisecond)
	inFlight := proxy.onWire.Load()
	if err := p.interrupt(); err != nil {
		res.failf("sending SIGINT: %v", err)
	}
	first := waitExit(p, 2*time.Minute, &res, "SIGINT")
	r.logf(6, "interrupted apply: exit %d in %s", first.code, first.duration.Round(time.Second))
	if first.ok() && !strings.Contains(first.out, "Interrupt received") {
		res.failf("terraform did not see the interrupt")
	}
	if strings.Contains(first.out, "panic") || strings.Contains(first.out, "Plugin did not respond") {
		res.failf("the provider crashed: %s", lastError(first.out))
	}
	// Wait out the latency of requests the interrupt may have orphaned, so
	// that Box shows everything it will ever create from this apply.
	time.Sleep(2 * time.Second)
	before, ok := observeAfterStop(ws, emu, "sigint", n, &res)
	if !ok {
		return res
	}
	if d := stateDiff(before.state, before.open); d != "" {
		res.failf("after the interrupt: %s", d)
	}
	if !convergeAfter(ctx, ws, emu, "sigint", n, &res) {
		return res
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("SIGINT with %d creates on the wire: terraform exited (code %d) after %s; the state held all %d requests Box had; the next apply created the other %d, no duplicate",
			inFlight, first.code, first.duration.Round(time.Second), before.total, n-before.total)
	}
	return res
}

// stoppedView is what Box and the state held once terraform was stopped.
type stoppedView struct {
	*boxView
	state map[string]string
}

// observeAfterStop reads Box and the state after terraform was stopped
// mid-apply. It fails res when Box holds nothing from that apply (the stop
// came too early to prove anything), and reports false when Box cannot be
// read, so there is nothing more to check.
func observeAfterStop(ws *workspace, emu *emulator, prefix string, n int, res *Result) (stoppedView, bool) {
	state, _ := ws.stateIDs()
	v, err := observe(emu, devToken, prefix, n)
	if err != nil {
		res.failf("%v", err)
		return stoppedView{}, false
	}
	if v.total == 0 {
		res.failf("nothing was created before terraform was stopped, so it proved nothing")
	}
	return stoppedView{boxView: v, state: state}, true
}
