package emulator

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The /_emulator/ endpoints are not Box: they let tests act as signers and
// as the network. They need no token, add no latency, are not counted in
// stats and are never subject to faults.
//
//	POST   /_emulator/sign_requests/{id}/signers/{email}/open|sign|decline
//	POST   /_emulator/sign_requests/{id}/expire
//	POST   /_emulator/sign_requests/{id}/prepare   (extra: finish document preparation)
//	GET    /_emulator/sms, /_emulator/emails, /_emulator/stats
//	POST   /_emulator/faults, DELETE /_emulator/faults, GET /_emulator/faults (extra)
//	POST   /_emulator/reset
//	POST   /_emulator/sign_templates                (extra: a template made in the web app)
//
// Signer-action errors use the ClientError envelope with codes
// password_required, password_incorrect, sms_code_required,
// sms_code_incorrect (403), not_your_turn, invalid_status, not_a_signer,
// already_finalized, document_not_opened (409) and not_found (404).

// fault is one injected failure.
type fault struct {
	Method         string `json:"method"`
	Path           string `json:"path"`
	Status         int    `json:"status"`
	Times          int    `json:"times"`
	RetryAfter     int    `json:"retry_after"`
	Delay          string `json:"delay"`
	DropConnection bool   `json:"drop_connection"`
	AfterEffect    bool   `json:"after_effect"`

	delay time.Duration
}

func (f *fault) matches(method, path string, rt *route) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	if f.Path == path || (rt != nil && f.Path == rt.pattern) {
		return true
	}
	// A template with any parameter names, e.g. /2.0/sign_requests/{sign_request_id}.
	_, ok := matchSegs(splitPath(f.Path), splitPath(path))
	return ok && strings.Contains(f.Path, "{")
}

func (f *fault) response() *response {
	code, msg := codeForStatus(f.Status)
	resp := errorResponse(f.Status, code, msg, nil)
	if f.RetryAfter > 0 {
		resp.header.Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	return resp
}

// takeFault consumes one use of the first fault matching the request.
func (e *Emulator) takeFault(method, path string, rt *route) *fault {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, f := range e.faults {
		if !f.matches(method, path, rt) {
			continue
		}
		f.Times--
		if f.Times <= 0 {
			e.faults = append(e.faults[:i], e.faults[i+1:]...)
		}
		cp := *f
		return &cp
	}
	return nil
}

func (e *Emulator) handleControl(r *http.Request) *response {
	body, err := readBody(r)
	if err != nil {
		return controlError(http.StatusBadRequest, "bad_request", "Unreadable body")
	}
	segs := splitPath(r.URL.EscapedPath())[1:] // drop "_emulator"
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = u
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	route := r.Method + " " + strings.Join(segs, "/")
	switch {
	case route == "GET sms":
		return e.ctlSMS()
	case route == "GET emails":
		return e.ctlEmails()
	case route == "GET stats":
		return jsonResponse(http.StatusOK, map[string]any{"requests": e.stats})
	case route == "POST faults":
		return e.ctlAddFault(body)
	case route == "GET faults":
		return jsonResponse(http.StatusOK, map[string]any{"entries": e.faultList()})
	case route == "DELETE faults":
		e.faults = nil
		return newResponse(http.StatusNoContent)
	case route == "POST sign_templates":
		return e.ctlAddTemplate(body)
	case route == "POST reset":
		e.reset()
		return newResponse(http.StatusNoContent)
	case len(segs) == 3 && segs[0] == "sign_requests" && r.Method == "POST" && segs[2] == "expire":
		return e.ctlExpire(segs[1])
	case len(segs) == 3 && segs[0] == "sign_requests" && r.Method == "POST" && segs[2] == "prepare":
		return e.ctlPrepare(segs[1])
	case len(segs) == 5 && segs[0] == "sign_requests" && segs[2] == "signers" && r.Method == "POST":
		return e.ctlSigner(segs[1], segs[3], segs[4], body)
	}
	return controlError(http.StatusNotFound, "not_found", "No such emulator control")
}

func (e *Emulator) faultList() []*fault {
	out := make([]*fault, len(e.faults))
	copy(out, e.faults)
	return out
}

func (e *Emulator) ctlAddFault(body []byte) *response {
	f := &fault{}
	if err := json.Unmarshal(body, f); err != nil {
		return controlError(http.StatusBadRequest, "bad_request", "Invalid fault JSON: "+err.Error())
	}
	if f.Path == "" {
		return controlError(http.StatusBadRequest, "bad_request", "path is required")
	}
	if f.Times == 0 {
		f.Times = 1
	}
	if f.Times < 0 {
		return controlError(http.StatusBadRequest, "bad_request", "times must be positive")
	}
	if f.Status == 0 && !f.DropConnection {
		f.Status = http.StatusServiceUnavailable
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		return controlError(http.StatusBadRequest, "bad_request", "status must be 4xx or 5xx")
	}
	if f.Delay != "" {
		d, err := time.ParseDuration(f.Delay)
		if err != nil || d < 0 {
			return controlError(http.StatusBadRequest, "bad_request", "delay must be a Go duration such as 1.5s")
		}
		f.delay = d
	}
	e.faults = append(e.faults, f)
	return jsonResponse(http.StatusCreated, f)
}

// reset empties the state but keeps issued tokens and the service
// account's identity: they are credentials rather than Box content, and a
// client that cached a token across a reset would otherwise see spurious
// 401s.
func (e *Emulator) reset() {
	old := e.st
	e.st = e.freshState()
	e.st.Tokens = old.Tokens
	e.st.ServiceAccountID = old.ServiceAccountID
	e.st.ServiceAccountMail = old.ServiceAccountMail
	e.faults = nil
	e.stats = map[string]map[string]int{}
	if e.opts.Seed {
		e.seed()
	}
}

func (e *Emulator) settleAll() {
	for _, sr := range e.st.SignRequests {
		e.settle(sr)
	}
}

func (e *Emulator) ctlSMS() *response {
	entries := make([]any, 0, len(e.st.SMS))
	for _, m := range e.st.SMS {
		entries = append(entries, m)
	}
	return jsonResponse(http.StatusOK, map[string]any{"entries": entries})
}

func (e *Emulator) ctlEmails() *response {
	e.settleAll() // emails of lazily sent requests
	entries := make([]any, 0, len(e.st.Emails))
	for _, m := range e.st.Emails {
		entries = append(entries, m)
	}
	return jsonResponse(http.StatusOK, map[string]any{"entries": entries})
}

func (e *Emulator) ctlExpire(id string) *response {
	sr := e.st.SignRequests[id]
	if sr == nil {
		return controlError(http.StatusNotFound, "not_found", "No such sign request")
	}
	e.settle(sr)
	if !active(sr.Status) {
		return controlError(http.StatusConflict, "invalid_status", "A sign request with status "+sr.Status+" cannot expire")
	}
	now := e.now()
	sr.Status = statusExpired
	sr.FinishedAt = &now
	return jsonResponse(http.StatusOK, e.signRequestJSON(sr))
}

// ctlPrepare finishes document preparation, which Box does in its web UI:
// a request in `created` is sent.
func (e *Emulator) ctlPrepare(id string) *response {
	sr := e.st.SignRequests[id]
	if sr == nil {
		return controlError(http.StatusNotFound, "not_found", "No such sign request")
	}
	e.settle(sr)
	if sr.Status != statusCreated {
		return controlError(http.StatusConflict, "invalid_status", "Only a sign request in status created can be prepared")
	}
	e.send(sr, e.now())
	return jsonResponse(http.StatusOK, e.signRequestJSON(sr))
}

type signerBody struct {
	Password string `json:"password"`
	SMSCode  string `json:"sms_code"`
	Reason   string `json:"reason"`
}

func (e *Emulator) ctlSigner(id, emailAddr, action string, body []byte) *response {
	var b signerBody
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &b); err != nil {
			return controlError(http.StatusBadRequest, "bad_request", "Invalid JSON body")
		}
	}
	sr := e.st.SignRequests[id]
	if sr == nil {
		return controlError(http.StatusNotFound, "not_found", "No such sign request")
	}
	e.settle(sr)
	var s *signer
	for _, x := range sr.Signers {
		if strings.EqualFold(x.Email, emailAddr) {
			s = x
			break
		}
	}
	if s == nil {
		return controlError(http.StatusNotFound, "not_found", "No such signer on this sign request")
	}
	switch action {
	case "open", "sign", "decline":
	default:
		return controlError(http.StatusNotFound, "not_found", "No such signer action")
	}
	if sr.Status != statusSent && sr.Status != statusViewed {
		return controlError(http.StatusConflict, "invalid_status", "The sign request is "+sr.Status)
	}
	if !s.mustAct() {
		return controlError(http.StatusConflict, "not_a_signer", "A "+s.Role+" does not sign")
	}
	if s.Decision != nil {
		return controlError(http.StatusConflict, "already_finalized", "This signer has already "+s.Decision.Type)
	}
	if order, _ := currentOrder(sr); s.Order != order {
		return controlError(http.StatusConflict, "not_your_turn", "Signers with a lower order must sign first")
	}
	now := e.now()
	switch action {
	case "open":
		// The password is the first step: nothing is shown without it.
		if s.Password != "" {
			if b.Password == "" {
				return controlError(http.StatusForbidden, "password_required", "This signer must enter a password")
			}
			if b.Password != s.Password {
				return controlError(http.StatusForbidden, "password_incorrect", "The password is incorrect")
			}
		}
		if s.Phone != nil && !s.PhoneVerified && sr.PhoneToView != nil && *sr.PhoneToView {
			if resp := e.smsCheck(sr, s, b.SMSCode, now); resp != nil {
				return resp
			}
		}
		s.HasViewed = true
		if sr.Status == statusSent {
			sr.Status = statusViewed
		}
	case "sign":
		if !s.HasViewed {
			return controlError(http.StatusConflict, "document_not_opened", "The signer must open the document first")
		}
		if s.Phone != nil && !s.PhoneVerified {
			if resp := e.smsCheck(sr, s, b.SMSCode, now); resp != nil {
				return resp
			}
		}
		s.Decision = &decision{Type: "signed", FinalizedAt: now}
		e.newSignedVersion(sr)
		if _, pending := currentOrder(sr); pending {
			e.notifyTurn(sr, now)
		} else {
			sr.Status = statusFinalizing
			sr.StatusUntil = now.Add(e.opts.ConversionDelay)
			e.settle(sr)
		}
	case "decline":
		var info *string
		if b.Reason != "" {
			info = strPtr(b.Reason)
		}
		s.Decision = &decision{Type: "declined", FinalizedAt: now, AdditionalInfo: info}
		sr.Status = statusDeclined
		sr.FinishedAt = &now
	}
	return jsonResponse(http.StatusOK, e.signRequestJSON(sr))
}

// smsCheck runs the SMS step: no code sends a fresh one, a wrong code is
// refused. Messages never include the number or the code.
func (e *Emulator) smsCheck(sr *signRequest, s *signer, code string, now time.Time) *response {
	if code == "" {
		s.SMSCode = sixDigits()
		e.st.SMS = append(e.st.SMS, sms{To: *s.Phone, Code: s.SMSCode, SignRequestID: sr.ID,
			SignerEmail: s.Email, SentAt: now})
		return controlError(http.StatusForbidden, "sms_code_required", "A verification code was sent by text message")
	}
	if s.SMSCode == "" || code != s.SMSCode {
		return controlError(http.StatusForbidden, "sms_code_incorrect", "The verification code is incorrect")
	}
	s.PhoneVerified = true
	s.SMSCode = ""
	return nil
}

func sixDigits() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// newSignedVersion gives each sign file a new version, as each signature
// does on Box.
func (e *Emulator) newSignedVersion(sr *signRequest) {
	now := e.now()
	for _, id := range sr.SignFileIDs {
		if f := e.st.Files[id]; f != nil {
			f.Seq++
			f.VersionID = e.st.newID()
			f.ModifiedAt = now
		}
	}
}
