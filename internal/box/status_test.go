package box

import "testing"

// The predicates the provider relies on, for every status Box defines and
// one it may add later (left for Box to judge).
func TestSignRequestStatusPredicates(t *testing.T) {
	cases := []struct {
		status                        SignRequestStatus
		final, cancel, resend, broken bool
	}{
		{StatusConverting, false, true, true, false},
		{StatusCreated, false, true, true, false},
		{StatusSent, false, true, true, false},
		{StatusViewed, false, true, true, false},
		{StatusFinalizing, false, false, false, false},
		{StatusSigned, true, false, false, false},
		{StatusDeclined, true, false, false, false},
		{StatusCancelled, true, false, false, false},
		{StatusExpired, true, false, false, false},
		{StatusError, true, false, false, true},
		{StatusErrorConverting, true, false, false, true},
		{StatusErrorSending, true, false, false, true},
		{StatusErrorFinalizing, true, false, false, true},
		{"on_hold", false, true, true, false},
	}
	for _, c := range cases {
		t.Run(string(c.status), func(t *testing.T) {
			if got := c.status.IsFinal(); got != c.final {
				t.Errorf("IsFinal = %v", got)
			}
			if got := c.status.CanCancel(); got != c.cancel {
				t.Errorf("CanCancel = %v", got)
			}
			if got := c.status.CanResend(); got != c.resend {
				t.Errorf("CanResend = %v", got)
			}
			if got := c.status.IsError(); got != c.broken {
				t.Errorf("IsError = %v", got)
			}
		})
	}
	if n := len(SignRequestStatuses()); n != 13 {
		t.Errorf("%d statuses, Box's enum has 13", n)
	}
}
