package reliability

import (
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
	"github.com/box/terraform-provider-box/internal/offloopback"
)

// scenarioTLS: Box behind a self-signed certificate (a TLS proxy in front
// of the emulator) is refused with a message about the certificate and
// nothing reaches it; with ca_cert_file naming its CA the same apply
// succeeds. Plain http off loopback is refused before any connection.
func scenarioTLS(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	n := r.o.N
	emu, err := r.startEmulator(ctx, emulatorproc.Options{})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	target, _ := url.Parse(emu.URL)
	proxy := httptest.NewUnstartedServer(httputil.NewSingleHostReverseProxy(target))
	proxy.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	proxy.StartTLS()
	defer proxy.Close()
	caFile := filepath.Join(r.work, "tls-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: proxy.Certificate().Raw}), 0o600); err != nil {
		res.failf("%v", err)
		return res
	}

	ws, err := r.workspace("tls", "BOX_ACCESS_TOKEN="+devToken)
	if err == nil {
		err = ws.write(providerBlock(proxy.URL) + signRequests("tls", emu.FileID, n))
	}
	if err != nil {
		res.failf("%v", err)
		return res
	}
	untrusted := ws.run(ctx, "apply", "-auto-approve")
	msg := strings.Join(strings.Fields(lastError(untrusted.out)), " ")
	st, _ := emu.stats()
	switch {
	case untrusted.ok():
		res.failf("apply through a self-signed certificate succeeded")
	case !strings.Contains(msg, "certificate") || !strings.Contains(msg, "ca_cert_file"):
		res.failf("the error does not explain the certificate problem: %s", msg)
	case st.total() != 0:
		res.failf("%d API calls went through an untrusted connection", st.total())
	}

	// BOX_CA_CERT_FILE works the same as ca_cert_file; the attribute is
	// what the invalid-configuration scenario checks.
	ws.env = append(ws.env, "BOX_CA_CERT_FILE="+caFile)
	trusted := ws.run(ctx, "apply", "-auto-approve")
	if !trusted.ok() {
		res.failf("apply with the CA configured failed: %s", lastError(trusted.out))
	}
	if !matchBox(ws, emu, devToken, "tls", n, &res, true, (*boxView).applied, "") {
		return res
	}

	// Plain http to a host off loopback: refused before any connection.
	host := checkPlainHTTP(ctx, r, emu, &res)
	if !res.Pass {
		return res
	}
	if host == "" {
		res.Outcome = fmt.Sprintf("self-signed server: refused, 0 API calls, %q; with its CA in ca_cert_file: %d requests created; plain http off loopback not checked (no non-loopback address here)",
			certSentence(msg), n)
		return res
	}
	res.Outcome = fmt.Sprintf("self-signed server: refused, 0 API calls, %q; with its CA in ca_cert_file: %d requests created; http://%s: refused at plan, 0 connections",
		certSentence(msg), n, host)
	return res
}

// checkPlainHTTP points the provider at plain http on a host off loopback
// (a listener of this machine) and wants the plan refused before any
// connection. It returns the host, or "" when this machine has no
// non-loopback address, so nothing was checked.
func checkPlainHTTP(ctx context.Context, r *runner, emu *emulator, res *Result) string {
	host, conns, stop := offloopback.Listen(ctx)
	defer stop()
	if host == "" {
		return ""
	}
	plain, err := r.workspace("tls-plain-http", "BOX_ACCESS_TOKEN="+devToken)
	if err == nil {
		err = plain.write(providerBlock("http://"+host) + signRequests("plain", emu.FileID, 1))
	}
	if err != nil {
		res.failf("%v", err)
		return host
	}
	refused := plain.run(ctx, "plan")
	pmsg := strings.Join(strings.Fields(lastError(refused.out)), " ")
	switch {
	case refused.ok():
		res.failf("plan against plain http off loopback succeeded")
	case !strings.Contains(pmsg, "api_base_url") || !strings.Contains(pmsg, "refusing plain http"):
		res.failf("the refusal does not name api_base_url: %s", pmsg)
	case conns.Load() != 0:
		res.failf("the plain http host received %d connections", conns.Load())
	}
	return host
}

// certSentence picks the part of msg about the certificate.
func certSentence(msg string) string {
	if m := regexp.MustCompile(`tls: [^.]*certificate: x509: [a-z ]+`).FindString(msg); m != "" {
		return strings.TrimSpace(m)
	}
	return msg
}
