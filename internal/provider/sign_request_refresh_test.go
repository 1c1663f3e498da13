package provider

import (
	"strings"
	"testing"

	"github.com/box/terraform-provider-box/internal/box"
)

// Destroy's warning says the real status, and mentions signed files only
// where there are some.
func TestNotCancelledDetail(t *testing.T) {
	for _, c := range []struct {
		status      box.SignRequestStatus
		says        string
		signedFiles bool
	}{
		{box.StatusSigned, "is signed", true},
		{box.StatusFinalizing, "is finalizing", true},
		{box.StatusDeclined, "was declined", false},
		{box.StatusExpired, "has expired", false},
		{box.StatusCancelled, "was already cancelled", false},
		{box.StatusErrorSending, "failed (status error_sending)", false},
	} {
		t.Run(string(c.status), func(t *testing.T) {
			got := notCancelledDetail("42", c.status)
			if !strings.Contains(got, "Sign request 42 "+c.says) {
				t.Errorf("%q does not say %q", got, c.says)
			}
			if strings.Contains(got, "signed files") != c.signedFiles {
				t.Errorf("%q: mentions signed files = %v, want %v", got, !c.signedFiles, c.signedFiles)
			}
		})
	}
}
