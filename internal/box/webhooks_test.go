package box

import (
	"strings"
	"testing"
)

func TestWebhookAddressProblem(t *testing.T) {
	for _, tc := range []struct {
		addr, want string
	}{
		{"https://hooks.example.com/box", ""},
		{"https://hooks.example.com:443/box", ""},
		{"http://hooks.example.com/box", "https"},
		{"https://hooks.example.com:8443/box", "port 443"},
		{"https://user:pw@hooks.example.com/box", "user name"},
		{"hooks.example.com/box", "absolute URL"},
		{"", "absolute URL"},
	} {
		got, portOnly := WebhookAddressProblem(tc.addr)
		if portOnly != (tc.want == "port 443") {
			t.Errorf("%q: portOnly %v", tc.addr, portOnly)
		}
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.addr, got, tc.want)
		}
		if got != "" && strings.Contains(got, "hooks.example.com") {
			t.Errorf("%q: the message repeats the address: %q", tc.addr, got)
		}
	}
}
