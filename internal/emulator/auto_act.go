package emulator

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// AutoAct is a test-only behaviour of the emulator, not Box's: a signer
// who opens and signs (or declines) every request on their own, Delay after
// their turn came (after Box emailed them to sign, or after the request was
// sent when their notifications are suppressed). It lets a test that has
// only Terraform, such as `terraform test`, see a request reach signed or
// declined without calling the /_emulator controls over HTTP. The signer
// knows their password and reads their SMS code, as a person would.
type AutoAct struct {
	Email  string // the signer's email, compared case-insensitively
	Action string // "sign" or "decline"
	Delay  time.Duration
}

// ParseAutoAct reads the -auto-act flag's form, EMAIL=sign|decline[@DELAY],
// such as alice@example.com=sign@2s. The email's own @ comes before the =,
// so the delay is what follows the last @ after it.
func ParseAutoAct(s string) (AutoAct, error) {
	addr, act, ok := strings.Cut(s, "=")
	if !ok {
		return AutoAct{}, fmt.Errorf("%q: want EMAIL=sign|decline[@DELAY]", s)
	}
	r := AutoAct{Email: strings.TrimSpace(addr), Action: act}
	if a, delay, ok := strings.Cut(act, "@"); ok {
		d, err := time.ParseDuration(delay)
		if err != nil || d < 0 {
			return AutoAct{}, fmt.Errorf("%q: the delay must be a duration such as 2s, not negative", s)
		}
		r.Action, r.Delay = a, d
	}
	if _, err := mail.ParseAddress(r.Email); err != nil || strings.ContainsAny(r.Email, "<> ") {
		return AutoAct{}, fmt.Errorf("%q: %q is not an email address", s, r.Email)
	}
	if r.Action != "sign" && r.Action != "decline" {
		return AutoAct{}, fmt.Errorf("%q: the action must be sign or decline", s)
	}
	return r, nil
}

// autoAct lets the AutoAct signers whose turn it is act once their delay
// has passed. Like the rest of the lifecycle it runs when the request is
// looked at (settle), so an action lands at the first read after its time.
func (e *Emulator) autoAct(sr *signRequest) {
	if len(e.opts.AutoAct) == 0 {
		return
	}
	for acted := true; acted; {
		acted = false
		if sr.Status != statusSent && sr.Status != statusViewed {
			return
		}
		for _, s := range sr.Signers {
			if !hasTurn(sr, s) {
				continue
			}
			rule, ok := e.autoActRule(s.Email)
			if !ok || e.now().Before(e.turnStart(sr, s).Add(rule.Delay)) {
				continue
			}
			e.actAsSigner(sr, s, rule.Action)
			acted = s.Decision != nil // a step refused leaves the signer for the next look
			break                     // the turn or the status may have moved on
		}
	}
}

func (e *Emulator) autoActRule(addr string) (AutoAct, bool) {
	for _, r := range e.opts.AutoAct {
		if strings.EqualFold(r.Email, addr) {
			return r, true
		}
	}
	return AutoAct{}, false
}

// turnStart is when the signer was emailed to sign, else (notifications
// suppressed) when the request was last sent.
func (e *Emulator) turnStart(sr *signRequest, s *signer) time.Time {
	for _, m := range e.st.Emails {
		if m.SignRequestID == sr.ID && m.Kind == "signature_requested" && strings.EqualFold(m.To, s.Email) {
			return m.SentAt
		}
	}
	if sr.LastSentAt != nil {
		return *sr.LastSentAt
	}
	return e.now()
}

// actAsSigner opens the document and signs or declines it through the
// same steps as the signer controls, giving the password and, when an SMS
// step sends a code, that code.
func (e *Emulator) actAsSigner(sr *signRequest, s *signer, action string) {
	b := signerBody{Password: s.Password, Reason: "declined by -auto-act"}
	for _, step := range []string{"open", action} {
		if step == "open" && s.HasViewed {
			continue
		}
		if resp := e.signerAct(sr, s, step, b); resp != nil && s.SMSCode != "" {
			b.SMSCode = s.SMSCode
			_ = e.signerAct(sr, s, step, b)
		}
	}
}
