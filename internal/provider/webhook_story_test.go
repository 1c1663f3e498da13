package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// selfSigned makes a certificate for 127.0.0.1 signed by its own key, as
// a developer's test receiver would have: no public authority knows it.
func selfSigned(t *testing.T) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "webhook receiver"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// hookReceiver is an HTTPS receiver on loopback that keeps every delivery.
type hookReceiver struct {
	url string
	mu  sync.Mutex
	got []hookDelivery
}

type hookDelivery struct {
	header http.Header
	body   []byte
}

func newHookReceiver(t *testing.T, cert tls.Certificate) *hookReceiver {
	t.Helper()
	r := &hookReceiver{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, hookDelivery{header: req.Header.Clone(), body: b})
		r.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	r.url = srv.URL
	return r
}

// waitFor returns the first delivery of trigger for the sign request id.
func (r *hookReceiver) waitFor(t *testing.T, trigger, id string) (hookDelivery, map[string]any) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		got := append([]hookDelivery(nil), r.got...)
		r.mu.Unlock()
		for _, d := range got {
			var p map[string]any
			if json.Unmarshal(d.body, &p) != nil {
				continue
			}
			info, _ := p["additional_info"].(map[string]any)
			if p["trigger"] == trigger && info["sign_request_id"] == id {
				return d, p
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s delivery for sign request %s", trigger, id)
	return hookDelivery{}, nil
}

// verifyBoxSignature is a receiver's check, written from Box's guide
// ("Signature Verification"): the timestamp is at most 10 minutes old, and
// the signature is base64(HMAC-SHA256(key, body bytes + timestamp bytes)).
func verifyBoxSignature(h http.Header, body []byte, header, key string) error {
	ts := h.Get("BOX-DELIVERY-TIMESTAMP")
	at, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return fmt.Errorf("timestamp %q: %w", ts, err)
	}
	if time.Since(at) > 10*time.Minute {
		return fmt.Errorf("timestamp %s is older than 10 minutes", ts)
	}
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write(body)
	mac.Write([]byte(ts))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if got := h.Get(header); !hmac.Equal([]byte(got), []byte(want)) {
		return fmt.Errorf("%s %q does not verify", header, got)
	}
	return nil
}

// The whole story: a receiver with a self-signed certificate, trusted
// through the emulator's webhook CA option; box_webhook on the folder of
// signed copies; a request sent there and signed by its signer; the
// receiver gets SIGN_REQUEST.COMPLETED for that request, with a primary and
// a secondary signature that verify.
func TestAccWebhook_signStory(t *testing.T) {
	cert, caPEM := selfSigned(t)
	rcv := newHookReceiver(t, cert)
	const primary, secondary = "story-primary-key", "story-secondary-key"
	e := newTestEnv(t, func(o *emulator.Options) {
		o.Webhooks = emulator.WebhookOptions{PrimaryKey: primary, SecondaryKey: secondary, RootCAsPEM: caPEM}
	})
	e.requireEmulator(t)
	t.Cleanup(func() { _ = e.emu.Close() })
	cfg := e.provider() + fmt.Sprintf(`
resource "box_folder" "signed" {
  name            = "Signed NDAs"
  delete_contents = true
}

resource "box_webhook" "signed" {
  target_type = "folder"
  target_id   = box_folder.signed.id
  address     = "%s/box-events"
  triggers    = ["SIGN_REQUEST.COMPLETED", "SIGN_REQUEST.DECLINED"]
}

resource "box_sign_request" "nda" {
  source_file_ids  = [%q]
  parent_folder_id = box_folder.signed.id
  signer {
    email = "signer@example.com"
  }
  depends_on = [box_webhook.signed]
}
`, rcv.url, e.FileID)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeTestCheckFunc(
				captureAttr("box_sign_request.nda", "id", &id),
				func(*terraform.State) error {
					for _, act := range []string{"open", "sign"} {
						if code, errCode := e.signer(t, id, "signer@example.com", act, nil); code != 200 {
							return fmt.Errorf("%s: HTTP %d %s", act, code, errCode)
						}
					}
					d, p := rcv.waitFor(t, "SIGN_REQUEST.COMPLETED", id)
					if err := verifyBoxSignature(d.header, d.body, "BOX-SIGNATURE-PRIMARY", primary); err != nil {
						return err
					}
					if err := verifyBoxSignature(d.header, d.body, "BOX-SIGNATURE-SECONDARY", secondary); err != nil {
						return err
					}
					if d.header.Get("BOX-SIGNATURE-VERSION") != "1" || d.header.Get("BOX-SIGNATURE-ALGORITHM") != "HmacSHA256" {
						return fmt.Errorf("signature headers: %v", d.header)
					}
					if p["type"] != "webhook_event" {
						return fmt.Errorf("payload type %v", p["type"])
					}
					return nil
				},
			),
		}},
	})
}
