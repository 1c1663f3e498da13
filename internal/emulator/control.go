package emulator

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The /_emulator/ endpoints are not Box: they let tests act as signers, as
// the Developer Console and as the network. They need no token, add no
// latency, are not counted in stats and are never subject to faults.
// GET /_emulator lists them all (from the controls table below).
//
// Signer-action errors use the ClientError envelope with codes
// password_required, password_incorrect, sms_code_required,
// sms_code_incorrect (403), not_your_turn, invalid_status, not_a_signer,
// already_finalized, document_not_opened (409) and not_found (404).

// control is one /_emulator endpoint. path segments in braces match any
// one segment and reach the handler in order.
type control struct {
	Method string   `json:"method"`
	Path   string   `json:"path"`
	Body   []string `json:"body"` // the JSON body's keys, if it takes one
	Doc    string   `json:"description"`

	segs   []string
	handle func(e *Emulator, args []string, body []byte) *response
}

func (e *Emulator) buildControls() []control {
	cs := []control{
		{Method: "GET", Path: "/_emulator", Doc: "this list",
			handle: func(e *Emulator, _ []string, _ []byte) *response { return e.ctlList() }},
		{Method: "POST", Path: "/_emulator/sign_requests/{id}/signers/{email}/{open|sign|decline}",
			Body:   []string{"password", "sms_code", "reason", "inputs", "attachment"},
			Doc:    "act as a signer; sign takes inputs (values for the request's tags: document_tag_id and one of text_value, checkbox_value, date_value) and an attachment ({name, content})",
			handle: func(e *Emulator, a []string, b []byte) *response { return e.ctlSigner(a[0], a[1], a[2], b) }},
		{Method: "GET", Path: "/_emulator/sign_requests/{id}", Doc: "a sign request as its sender sees it, with the cancel_reason Box keeps but does not return",
			handle: func(e *Emulator, a []string, _ []byte) *response { return e.ctlSignRequest(a[0]) }},
		{Method: "POST", Path: "/_emulator/sign_requests/{id}/expire", Doc: "expire an active request now",
			handle: func(e *Emulator, a []string, _ []byte) *response { return e.ctlExpire(a[0]) }},
		{Method: "POST", Path: "/_emulator/sign_requests/{id}/prepare", Doc: "finish document preparation (Box's web UI step)",
			handle: func(e *Emulator, a []string, _ []byte) *response { return e.ctlPrepare(a[0]) }},
		{Method: "GET", Path: "/_emulator/emails", Doc: "emails sent to signers and collaborators",
			handle: func(e *Emulator, _ []string, _ []byte) *response { return e.ctlEmails() }},
		{Method: "DELETE", Path: "/_emulator/emails", Doc: "clear the email log",
			handle: func(e *Emulator, _ []string, _ []byte) *response {
				e.st.Emails = nil
				return newResponse(http.StatusNoContent)
			}},
		{Method: "GET", Path: "/_emulator/sms", Doc: "text messages sent to signers, with their codes",
			handle: func(e *Emulator, _ []string, _ []byte) *response { return e.ctlSMS() }},
		{Method: "DELETE", Path: "/_emulator/sms", Doc: "clear the text message log",
			handle: func(e *Emulator, _ []string, _ []byte) *response {
				e.st.SMS = nil
				return newResponse(http.StatusNoContent)
			}},
		{Method: "GET", Path: "/_emulator/stats", Doc: "API calls by operation and status",
			handle: func(e *Emulator, _ []string, _ []byte) *response {
				return jsonResponse(http.StatusOK, map[string]any{"requests": e.stats})
			}},
		{Method: "POST", Path: "/_emulator/faults",
			Body: []string{"method", "path", "status", "times", "retry_after", "delay", "drop_connection", "after_effect", "field", "field_message"},
			Doc:  "inject a failure", handle: func(e *Emulator, _ []string, b []byte) *response { return e.ctlAddFault(b) }},
		{Method: "GET", Path: "/_emulator/faults", Doc: "pending faults",
			handle: func(e *Emulator, _ []string, _ []byte) *response {
				return jsonResponse(http.StatusOK, map[string]any{"entries": e.faultList()})
			}},
		{Method: "DELETE", Path: "/_emulator/faults", Doc: "drop pending faults",
			handle: func(e *Emulator, _ []string, _ []byte) *response {
				e.faults = nil
				return newResponse(http.StatusNoContent)
			}},
		{Method: "POST", Path: "/_emulator/sign_templates",
			Body: []string{"name", "source_file_ids", "parent_folder_id", "email_subject", "days_valid", "signers",
				"are_fields_locked", "are_options_locked", "are_recipients_locked", "are_email_settings_locked", "are_files_locked"},
			Doc: "add a template, as Box's web app does", handle: func(e *Emulator, _ []string, b []byte) *response { return e.ctlAddTemplate(b) }},
		{Method: "POST", Path: "/_emulator/developer_token", Doc: "generate the developer token again: a fresh lifetime, as the Developer Console's button gives",
			handle: func(e *Emulator, _ []string, _ []byte) *response { return e.ctlDeveloperToken() }},
		{Method: "POST", Path: "/_emulator/reset", Doc: "empty Box (and reseed with -seed); tokens survive",
			handle: func(e *Emulator, _ []string, _ []byte) *response { e.reset(); return newResponse(http.StatusNoContent) }},
	}
	cs = append(cs, e.webhookControls()...)
	for i := range cs {
		cs[i].segs = splitPath(cs[i].Path)
		if cs[i].Body == nil {
			cs[i].Body = []string{} // listed as [] rather than null: no body
		}
	}
	return cs
}

// match reports whether the control serves method and segs, and its
// arguments. A {a|b} segment matches only those words.
func (ct *control) match(method string, segs []string) ([]string, bool) {
	if ct.Method != method || len(ct.segs) != len(segs) {
		return nil, false
	}
	var args []string
	for i, t := range ct.segs {
		if !strings.HasPrefix(t, "{") {
			if t != segs[i] {
				return nil, false
			}
			continue
		}
		if words := strings.Trim(t, "{}"); strings.Contains(words, "|") && !slices.Contains(strings.Split(words, "|"), segs[i]) {
			return nil, false
		}
		args = append(args, segs[i])
	}
	return args, true
}

func (e *Emulator) ctlList() *response {
	return jsonResponse(http.StatusOK, map[string]any{"controls": e.controls})
}

func (e *Emulator) ctlDeveloperToken() *response {
	e.devTokenEnd = e.now().Add(e.opts.DeveloperTokenTTL)
	return jsonResponse(http.StatusOK, map[string]any{
		"expires_in": int64(e.opts.DeveloperTokenTTL / time.Second),
	})
}

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
	// Field and FieldMessage make a 400 name a refused field in
	// context_info.errors, Box's shape for invalid parameters, so a test
	// can provoke a refusal the provider's plan-time checks would catch.
	Field        string `json:"field"`
	FieldMessage string `json:"field_message"`

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
	if f.Status == http.StatusBadRequest && f.Field != "" {
		return badParam(f.Field, f.FieldMessage)
	}
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
	segs := splitPath(r.URL.EscapedPath())
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = u
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range e.controls {
		if args, ok := e.controls[i].match(r.Method, segs); ok {
			return e.controls[i].handle(e, args, body)
		}
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

// senderOf is the user who sent sr: controls show requests as they see it.
func (e *Emulator) senderOf(sr *signRequest) user {
	u, _ := e.userByID(sr.SenderID)
	return u
}

func (e *Emulator) ctlExpire(id string) *response {
	sr := e.st.SignRequests[id]
	if sr == nil {
		return controlError(http.StatusNotFound, "not_found", "No such sign request")
	}
	e.settle(sr)
	defer e.signEvents(sr)
	if !active(sr.Status) {
		return controlError(http.StatusConflict, "invalid_status", "A sign request with status "+sr.Status+" cannot expire")
	}
	now := e.now()
	sr.Status = statusExpired
	sr.FinishedAt = &now
	return jsonResponse(http.StatusOK, e.signRequestJSON(sr, e.senderOf(sr)))
}

// ctlPrepare finishes document preparation, which Box does in its web UI:
// a request in `created` is sent.
func (e *Emulator) ctlPrepare(id string) *response {
	sr := e.st.SignRequests[id]
	if sr == nil {
		return controlError(http.StatusNotFound, "not_found", "No such sign request")
	}
	e.settle(sr)
	defer e.signEvents(sr)
	if sr.Status != statusCreated {
		return controlError(http.StatusConflict, "invalid_status", "Only a sign request in status created can be prepared")
	}
	e.send(sr, e.now())
	return jsonResponse(http.StatusOK, e.signRequestJSON(sr, e.senderOf(sr)))
}

type signerBody struct {
	Password string `json:"password"`
	SMSCode  string `json:"sms_code"`
	Reason   string `json:"reason"`
	signBody
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
	if sr.Status != statusSent && sr.Status != statusViewed {
		return controlError(http.StatusConflict, "invalid_status", "The sign request is "+sr.Status)
	}
	if !s.mustAct() {
		return controlError(http.StatusConflict, "not_a_signer", "A "+s.Role+" does not sign")
	}
	if s.Decision != nil {
		return controlError(http.StatusConflict, "already_finalized", "This signer has already "+s.Decision.Type)
	}
	if !hasTurn(sr, s) {
		return controlError(http.StatusConflict, "not_your_turn", "Approvers, then signers with a lower order, must act first")
	}
	if resp := e.signerAct(sr, s, action, b); resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, e.signRequestJSON(sr, e.senderOf(sr)))
}

// signerAct applies one signer action whose turn it is.
func (e *Emulator) signerAct(sr *signRequest, s *signer, action string, b signerBody) *response {
	defer e.signEvents(sr)
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
		if resp := e.checkSignBody(sr, b.signBody); resp != nil {
			return resp
		}
		s.Decision = &decision{Type: "signed", FinalizedAt: now}
		e.recordSignerEvidence(sr, s, b.signBody)
		e.newSignedVersion(sr, s)
		if pending(sr) {
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
	return nil
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

// newSignedVersion gives each sign file a new version holding s's
// signature, as each signature does on Box.
func (e *Emulator) newSignedVersion(sr *signRequest, s *signer) {
	now := e.now()
	for _, id := range sr.SignFileIDs {
		if f := e.st.Files[id]; f != nil {
			e.putVersion(f, signedContent(f.Content, s, now), sr.SenderID)
		}
	}
}
