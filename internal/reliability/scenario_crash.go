package reliability

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// crashLatency keeps each create on the wire long enough that terraform
// is stopped with creates in flight and others already answered.
const crashLatency = 1500 * time.Millisecond

// crash is a way terraform ends abruptly in the middle of an apply.
type crash struct {
	num    int
	prefix string // of the scenario's external IDs and signers
	what   string // for the outcome: "kill -9", "double Ctrl-C"
	says   string // what terraform prints when it saw the crash, if anything
	do     func(p *tfProcess) error
}

// scenarioKill: a CI job timeout, an OOM kill or a preempted runner kills
// terraform's process group with SIGKILL mid-apply. Terraform saves
// nothing, while Box already holds the requests answered so far and those
// on the wire. A plain `terraform apply` afterwards must leave exactly the
// configured requests in Box, each signer mailed once, all in the state:
// the provider has to adopt what the killed apply left behind (issue 17).
func scenarioKill(ctx context.Context, r *runner) Result {
	return crashMidApply(ctx, r, crash{num: 11, prefix: "kill", what: "kill -9 of terraform's process group",
		do: func(p *tfProcess) error { return p.signalGroup(syscall.SIGKILL) }})
}

// scenarioDoubleInterrupt: the user presses Ctrl-C twice, which reaches
// the whole foreground process group as in a terminal; on the second one
// terraform exits at once ("data loss may have occurred"). The same
// guarantee as after kill -9.
func scenarioDoubleInterrupt(ctx context.Context, r *runner) Result {
	return crashMidApply(ctx, r, crash{num: 12, prefix: "twice", what: "two Ctrl-C 300 ms apart", says: "Two interrupts received",
		do: func(p *tfProcess) error {
			if err := p.signalGroup(syscall.SIGINT); err != nil {
				return err
			}
			time.Sleep(300 * time.Millisecond)
			return p.signalGroup(syscall.SIGINT)
		}})
}

func crashMidApply(ctx context.Context, r *runner, c crash) Result {
	res := Result{Pass: true}
	n := r.o.N
	emu, err := r.startEmulator(ctx, emulatorproc.Options{Args: []string{"-latency", crashLatency.String()}})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	proxy := newWireProxy(emu.URL)
	defer proxy.Close()
	ws, err := r.workspace(c.prefix, "BOX_ACCESS_TOKEN="+devToken)
	if err == nil {
		err = ws.write(providerBlock(proxy.URL) + signRequests(c.prefix, emu.FileID, n))
	}
	if err != nil {
		res.failf("%v", err)
		return res
	}
	created, inFlight, first, ok := stopMidCreates(ctx, ws, proxy, n, c, &res)
	if !ok {
		return res
	}
	r.logf(c.num, "%s with %d created and %d on the wire: exit %d in %s", c.what, created, inFlight, first.code, first.duration.Round(time.Second))
	// Wait out the latency of the creates that were on the wire, so that
	// Box shows everything it will ever create from the stopped apply.
	time.Sleep(crashLatency + time.Second)
	before, ok := observeAfterStop(ws, emu, c.prefix, n, &res)
	if !ok {
		return res
	}
	stopped := fmt.Sprintf("%s with %d creates answered and %d on the wire: Box then held %d, the state %d",
		c.what, created, inFlight, before.total, len(before.state))
	if !convergeAfter(ctx, ws, emu, c.prefix, n, &res) {
		return res
	}
	if !res.Pass {
		res.Outcome = stopped + "; " + res.Outcome
		return res
	}
	res.Outcome = fmt.Sprintf("%s; the next apply left exactly %d, each signer mailed once, all in the state", stopped, n)
	return res
}

// stopMidCreates starts the apply and stops it the crash's way once Box
// has answered a first wave of creates and the rest are all on the wire.
// Half of n at a time, so that there is a second wave at any n > 1.
func stopMidCreates(ctx context.Context, ws *workspace, proxy *wireProxy, n int, c crash, res *Result) (created, inFlight int32, out tfResult, ok bool) {
	wave := max(1, (n+1)/2)
	p := ws.start(ctx, "apply", "-auto-approve", fmt.Sprintf("-parallelism=%d", wave))
	midApply := func() bool {
		created := int(proxy.created.Load())
		return created >= wave && created+int(proxy.onWire.Load()) >= n
	}
	if !waitUntil(ctx, 2*time.Minute, midApply) {
		res.failf("Box answered no create within 2 minutes: %s", lastError(p.out.String()))
		_ = p.signalGroup(syscall.SIGKILL)
		p.wait()
		return 0, 0, tfResult{}, false
	}
	created, inFlight = proxy.created.Load(), proxy.onWire.Load()
	if err := c.do(p); err != nil {
		res.failf("%s: %v", c.what, err)
	}
	out = waitExit(p, 2*time.Minute, res, c.what)
	if out.ok() {
		res.failf("terraform completed the apply despite the %s: it came too late to prove anything", c.what)
	}
	if c.says != "" && !strings.Contains(out.out, c.says) {
		res.failf("terraform never printed %q, so the %s did not happen as meant", c.says, c.what)
	}
	if strings.Contains(out.out, "panic:") {
		res.failf("the provider panicked: %s", lastError(out.out))
	}
	return created, inFlight, out, true
}
