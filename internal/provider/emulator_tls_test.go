package provider

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// The emulator as a CI service reached by host name: `box-emulator -tls
// -tls-hosts NAME` and the provider's ca_cert_file, as the testing guide
// shows. The names resolve to the emulator's loopback address through the
// provider's test-only dial hook; no resolver is asked, and every other
// name is refused. A name the certificate does not carry fails at the
// handshake, before anything is sent.
func TestAccProvider_emulatorTLSByHostName(t *testing.T) {
	testAccPreCheck(t)
	if realBox() {
		t.Skip("runs its own emulator")
	}
	bin := filepath.Join(t.TempDir(), "box-emulator")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "../cmd/box-emulator")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build of the emulator: %v\n%s", err, out)
	}
	const name, other = "box-emulator.ci.test", "not-in-the-certificate.ci.test"
	ca := filepath.Join(t.TempDir(), "emulator-ca.pem")
	p, err := emulatorproc.Start(t.Context(), emulatorproc.Options{
		Bin:  bin,
		Args: []string{"-tls", "-tls-hosts", name, "-tls-ca-out", ca},
		Need: []string{"file_id", "service_account_login"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	if p.URL != "https://"+p.Addr() {
		t.Fatalf("startup URL %q, want https://", p.URL)
	}
	_, port, _ := net.SplitHostPort(p.Addr())

	var mu sync.Mutex
	dials := map[string]int{}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		mu.Lock()
		dials[host]++
		mu.Unlock()
		if host != name && host != other {
			return nil, fmt.Errorf("test dialer: %s is not a test name", host)
		}
		return (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, network, p.Addr())
	}
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"box": providerserver.NewProtocol6WithError(&boxProvider{version: "test", getenv: func(string) string { return "" }, dial: dial}),
	}
	config := func(host string) string {
		base := "https://" + net.JoinHostPort(host, port)
		return fmt.Sprintf(`
provider "box" {
  api_base_url    = %[1]q
  upload_base_url = %[1]q
  ca_cert_file    = %[2]q
  client_id       = %[3]q
  client_secret   = %[4]q
  enterprise_id   = %[5]q
  max_retries     = 0
}

data "box_current_user" "me" {}
`, base, ca, emulatorproc.ClientID, emulatorproc.ClientSecret, emulatorproc.EnterpriseID) + requestFor(p.Seed.Get("file_id"))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			{
				Config:      config(other),
				ExpectError: regexp.MustCompile(`(?s)certificate.*` + regexp.QuoteMeta(other)),
			},
			{
				Config: config(name),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "status", "sent"),
					resource.TestCheckResourceAttr("data.box_current_user.me", "login", p.Seed.Get("service_account_login")),
				),
			},
		},
	})
	mu.Lock()
	defer mu.Unlock()
	if len(dials) != 2 || dials[name] == 0 || dials[other] == 0 {
		t.Errorf("dials by host %v, want only %s and %s", dials, name, other)
	}
}
