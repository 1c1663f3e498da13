package provider

import (
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/box/terraform-provider-box/internal/offloopback"
)

// Box behind a certificate no public CA signed (a TLS-inspecting proxy, a
// private endpoint): the provider refuses it with a message about the
// certificate, sends nothing, and trusts it once ca_cert_file names its CA.
func TestAccProvider_caCertFile(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	srv := httptest.NewUnstartedServer(e.emu)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	providerTLS := func(extra string) string {
		return fmt.Sprintf("provider \"box\" {\n  api_base_url = %q\n  access_token = \"dev-token\"\n  %s\n}\n", srv.URL, extra)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      providerTLS("") + minimalRequest(e),
				ExpectError: regexp.MustCompile(`(?s)certificate.*nothing\s+was\s+sent.*ca_cert_file`),
			},
			{
				PreConfig: func() {
					if n := e.apiCalls(t, ""); n != 0 {
						t.Errorf("an untrusted server received %d API calls", n)
					}
				},
				Config: providerTLS(fmt.Sprintf("ca_cert_file = %q", caFile)) + minimalRequest(e),
				Check:  resource.TestCheckResourceAttr(res, "status", "sent"),
			},
		},
	})
}

// Plain http to a host that is not loopback would carry the token in clear
// text: the provider refuses it at plan time, naming the attribute, before
// any connection.
func TestAccProvider_plainHTTPOffLoopbackRefused(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	// Should the refusal ever fail, the traffic stays on this machine;
	// without such an address the check is skipped (the client's own tests
	// cover the refusal) rather than aimed at another host.
	host, conns, stop := offloopback.Listen(t.Context())
	t.Cleanup(stop)
	if host == "" {
		t.Skip("this machine has no non-loopback address to listen on")
	}
	for _, c := range []struct{ attr, settings string }{
		{"api_base_url", fmt.Sprintf("api_base_url = \"http://%s\"", host)},
		{"upload_base_url", fmt.Sprintf("api_base_url = %q\n  upload_base_url = \"http://%s\"", e.URL, host)},
	} {
		attr := c.attr
		t.Run(attr, func(t *testing.T) {
			cfg := "provider \"box\" {\n  access_token = \"dev-token\"\n  " + c.settings + "\n}\n" + minimalRequest(e)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:      cfg,
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(`(?s)` + attr + `.*refusing\s+plain\s+http`),
				}},
			})
		})
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("the refused host received %d connections", n)
	}
	if n := e.apiCalls(t, ""); n != 0 {
		t.Errorf("%d API calls", n)
	}
}
