package reliability

import (
	"context"
	"fmt"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// scenarioTokenExpiry: client-credentials tokens that live a few seconds,
// and enough latency that they expire many times during the apply. Nothing
// may fail, and the client must renew once per expiry (shortly before it),
// not once per request.
func scenarioTokenExpiry(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	n := r.o.N
	// The client renews a token 10% of its lifetime early (400 ms here), so
	// the latency stays well below that and no request reaches Box with a
	// stale token even on a busy machine. The conversion delay makes each
	// create poll once, stretching the apply over several lifetimes.
	const ttl = 4 * time.Second
	emu, err := r.startEmulator(ctx, emulatorproc.Options{
		ConversionDelay: time.Second,
		Args:            []string{"-token-ttl", ttl.String(), "-latency", "150ms"},
	})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	ws, err := r.workspace("token", ccgEnv...)
	if err == nil {
		err = ws.write(providerBlock(emu.URL) + signRequests("token", emu.FileID, n))
	}
	if err != nil {
		res.failf("%v", err)
		return res
	}
	// Two at a time, so that the apply outlives several tokens.
	ap := ws.run(ctx, "apply", "-auto-approve", "-parallelism=2")
	st, err := emu.stats()
	if err != nil {
		res.failf("%v", err)
		return res
	}
	tokens := st.count("POST /oauth2/token")
	calls := st.total() - tokens
	unauthorized := 0
	for route := range st {
		unauthorized += st.count(route, "401")
	}
	if !ap.ok() {
		res.failf("apply failed: %s", lastError(ap.out))
	}
	token, err := emu.serviceAccountToken()
	if err != nil {
		res.failf("%v", err)
		return res
	}
	if !matchBox(ws, emu, token, "token", n, &res, true, (*boxView).applied, "") {
		return res
	}
	// The client renews 10% of the lifetime early. Each provider process
	// (terraform starts a few per apply) fetches its own first token.
	renewEvery := ttl - ttl/10
	expiries := int(ap.duration / renewEvery)
	const processes = 3
	switch {
	case expiries < 2:
		res.failf("the apply took only %s, too short for tokens of %s to expire during it", ap.duration.Round(time.Second), ttl)
	case tokens < 2:
		res.failf("%d token request(s) in a %s apply with %s tokens: tokens were not renewed", tokens, ap.duration.Round(time.Second), ttl)
	case tokens > expiries+processes:
		res.failf("%d token requests for %d expiries (%d API calls): renewed more often than once per expiry", tokens, expiries, calls)
	case unauthorized > 0:
		res.failf("Box answered 401 %d times: a token was used after it expired", unauthorized)
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("tokens lived %s: the %s apply made %d API calls with %d tokens, one per renewal (every %s, before expiry), not one per request; no 401",
			ttl, ap.duration.Round(time.Second), calls, tokens, renewEvery)
	}
	return res
}
