package reliability

import (
	"fmt"
	"strings"
)

// providerBlock is a provider "box" block for the emulator at url, with
// extra attribute lines. Credentials come from the environment, the way
// users are told to pass them.
func providerBlock(url string, extra ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"box\" {\n  api_base_url = %q\n", url)
	for _, l := range extra {
		b.WriteString("  " + l + "\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// requestKey names request i (1-based) of a scenario: it is the resource
// name, the sign request's external_id and name, and the local part of its
// one signer's email, so each request can be told apart in Box.
func requestKey(prefix string, i int) string { return fmt.Sprintf("%s-%02d", prefix, i) }

func signerEmail(prefix string, i int) string { return requestKey(prefix, i) + "@example.com" }

func resourceAddress(i int) string { return fmt.Sprintf("box_sign_request.r%02d", i) }

// signRequests is n box_sign_request resources on fileID.
func signRequests(prefix, fileID string, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `
resource "box_sign_request" "r%02d" {
  source_file_ids = [%q]
  name            = %q
  external_id     = %q
  signer {
    email = %q
  }
}
`, i, fileID, requestKey(prefix, i), requestKey(prefix, i), signerEmail(prefix, i))
	}
	return b.String()
}
