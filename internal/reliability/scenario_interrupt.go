package reliability

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// scenarioInterrupt: the user presses Ctrl-C while creates are in flight
// (the emulator's latency keeps each create on the wire for a second).
// Terraform must exit, the state must hold every request Box created, and
// the next apply converges without a duplicate.
func scenarioInterrupt(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	n := r.o.N
	emu, err := startEmulator(ctx, r.emulatorBin(), "-latency", "1s")
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	// A proxy in front of the emulator counts the creates on the wire, so
	// that the interrupt comes while one is, however busy the machine.
	target, _ := url.Parse(emu.URL)
	var onWire atomic.Int32
	rp := httputil.NewSingleHostReverseProxy(target)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPost && req.URL.Path == "/2.0/sign_requests" {
			onWire.Add(1)
			defer onWire.Add(-1)
		}
		rp.ServeHTTP(w, req)
	}))
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
	if !waitUntil(ctx, time.Minute, func() bool { return onWire.Load() > 0 }) {
		res.failf("terraform sent no create within a minute: %s", lastError(p.out.String()))
		p.wait()
		return res
	}
	time.Sleep(200 * time.Millisecond)
	inFlight := onWire.Load()
	if err := p.interrupt(); err != nil {
		res.failf("sending SIGINT: %v", err)
	}
	exited := make(chan tfResult, 1)
	go func() { exited <- p.wait() }()
	var first tfResult
	select {
	case first = <-exited:
	case <-time.After(2 * time.Minute):
		res.failf("terraform did not exit within 2 minutes of SIGINT")
		_ = p.cmd.Process.Kill()
		first = <-exited
	}
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
	state, _ := ws.stateIDs()
	before, err := observe(emu, devToken, "sigint", n)
	if err != nil {
		res.failf("%v", err)
		return res
	}
	if before.total == 0 {
		res.failf("nothing was created before the interrupt, so it proved nothing")
	}
	if d := stateDiff(state, before.open); d != "" {
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
