package reliability

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// scenarioWebhook: a receiver that fails twice before answering 200 gets
// the event exactly once successfully, after bounded retries, each attempt
// signed with both keys. The receiver uses its own certificate, trusted
// through -webhook-ca-file; the webhook and the event come from terraform.
func scenarioWebhook(ctx context.Context, r *runner) Result {
	res := Result{Pass: true}
	const primary, secondary = "reliability-primary", "reliability-secondary"
	rcv := &flakyReceiver{failures: 2}
	srv := httptest.NewUnstartedServer(rcv)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	caFile := filepath.Join(r.work, "webhook-ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		res.failf("%v", err)
		return res
	}
	emu, err := r.startEmulator(ctx, emulatorproc.Options{Args: []string{
		"-webhook-primary-key", primary, "-webhook-secondary-key", secondary, "-webhook-ca-file", caFile}})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()

	ws, err := r.workspace("webhook", "BOX_ACCESS_TOKEN="+devToken)
	if err == nil {
		err = ws.write(providerBlock(emu.URL) + fmt.Sprintf(`
resource "box_webhook" "inbox" {
  target_type = "folder"
  target_id   = %q
  address     = "%s/box"
  triggers    = ["FOLDER.CREATED"]
}

resource "box_folder" "child" {
  name       = "Webhook scenario"
  parent_id  = %q
  depends_on = [box_webhook.inbox]
}
`, emu.FolderID, srv.URL, emu.FolderID))
	}
	if err != nil {
		res.failf("%v", err)
		return res
	}
	if out := ws.run(ctx, "apply", "-auto-approve"); !out.ok() {
		res.failf("apply failed: %s", lastError(out.out))
		return res
	}

	d, err := emu.settledDelivery(ctx)
	if err != nil {
		res.failf("%v", err)
		return res
	}
	// Long enough for a retry that should not happen (the first waits 1 s).
	time.Sleep(3 * time.Second)
	got := rcv.snapshot()
	ok := 0
	for _, a := range got {
		if a.status == http.StatusOK {
			ok++
		}
		if !boxSigned(a, primary, "BOX-SIGNATURE-PRIMARY") || !boxSigned(a, secondary, "BOX-SIGNATURE-SECONDARY") {
			res.failf("attempt %s: a signature does not verify", a.header.Get("BOX-DELIVERY-ID"))
		}
	}
	switch {
	case d.Status != "delivered":
		res.failf("delivery status %q, want delivered", d.Status)
	case len(d.Attempts) != 3 || len(got) != 3:
		res.failf("%d attempts logged, %d received, want 3 (two failures, then 200)", len(d.Attempts), len(got))
	case ok != 1:
		res.failf("%d successful deliveries, want exactly 1", ok)
	}
	if res.Pass {
		res.Outcome = fmt.Sprintf("receiver failed twice, then 200: %s delivered once after %d attempts, no attempt after the 200, every attempt signed with both keys",
			d.Trigger, len(d.Attempts))
	}
	return res
}

// flakyReceiver answers 500 to its first failures requests, then 200, and
// keeps every request.
type flakyReceiver struct {
	failures int
	mu       sync.Mutex
	got      []receivedAttempt
}

type receivedAttempt struct {
	header http.Header
	body   []byte
	status int
}

func (f *flakyReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	f.mu.Lock()
	status := http.StatusOK
	if len(f.got) < f.failures {
		status = http.StatusInternalServerError
	}
	f.got = append(f.got, receivedAttempt{header: req.Header.Clone(), body: b, status: status})
	f.mu.Unlock()
	w.WriteHeader(status)
}

func (f *flakyReceiver) snapshot() []receivedAttempt {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]receivedAttempt(nil), f.got...)
}

// boxSigned checks one signature header as Box's guide tells a receiver:
// base64(HMAC-SHA256(key, body + BOX-DELIVERY-TIMESTAMP)).
func boxSigned(a receivedAttempt, key, header string) bool {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(a.body)
	m.Write([]byte(a.header.Get("BOX-DELIVERY-TIMESTAMP")))
	return hmac.Equal([]byte(a.header.Get(header)), []byte(base64.StdEncoding.EncodeToString(m.Sum(nil))))
}

// webhookDelivery is an entry of GET /_emulator/webhook_deliveries.
type webhookDelivery struct {
	Trigger  string `json:"trigger"`
	Status   string `json:"status"`
	Attempts []any  `json:"attempts"`
}

// settledDelivery waits (at most a minute) for the one delivery to stop
// being pending, and fails when there is not exactly one.
func (e *emulator) settledDelivery(ctx context.Context) (webhookDelivery, error) {
	deadline := time.Now().Add(time.Minute)
	for {
		var out struct {
			Entries []webhookDelivery `json:"entries"`
		}
		if err := e.control("GET", "/_emulator/webhook_deliveries", "", nil, &out); err != nil {
			return webhookDelivery{}, err
		}
		if len(out.Entries) > 1 {
			return webhookDelivery{}, fmt.Errorf("%d deliveries, want 1", len(out.Entries))
		}
		if len(out.Entries) == 1 && out.Entries[0].Status != "pending" {
			return out.Entries[0], nil
		}
		if time.Now().After(deadline) {
			return webhookDelivery{}, fmt.Errorf("no settled delivery after a minute: %v", out.Entries)
		}
		select {
		case <-ctx.Done():
			return webhookDelivery{}, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
