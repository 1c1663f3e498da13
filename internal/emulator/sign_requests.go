package emulator

import (
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"
)

// Sign request statuses (spec enum).
const (
	statusConverting = "converting"
	statusCreated    = "created"
	statusSent       = "sent"
	statusViewed     = "viewed"
	statusFinalizing = "finalizing"
	statusSigned     = "signed"
	statusCancelled  = "cancelled"
	statusDeclined   = "declined"
	statusExpired    = "expired"

	statusErrorConverting = "error_converting"
)

const resendCooldown = 10 * time.Minute

type signer struct {
	Email               string    `json:"email"`
	Role                string    `json:"role"`
	IsInPerson          bool      `json:"is_in_person"`
	Order               int       `json:"order"`
	EmbedExternalUserID *string   `json:"embed_url_external_user_id"`
	RedirectURL         *string   `json:"redirect_url"`
	DeclinedRedirectURL *string   `json:"declined_redirect_url"`
	LoginRequired       bool      `json:"login_required"`
	Phone               *string   `json:"verification_phone_number"`
	Password            string    `json:"password,omitempty"` // kept to check it; never rendered
	GroupID             *string   `json:"signer_group_id"`
	Suppress            bool      `json:"suppress_notifications"`
	Language            *string   `json:"language"`
	HasViewed           bool      `json:"has_viewed_document"`
	Decision            *decision `json:"signer_decision"`
	EmbedURL            *string   `json:"embed_url"`
	IframeURL           *string   `json:"iframeable_embed_url"`
	PhoneVerified       bool      `json:"phone_verified"`
	SMSCode             string    `json:"sms_code,omitempty"`
	Notified            bool      `json:"notified"`

	// What the signer typed and uploaded (sign_request_evidence.go).
	Inputs      []signerInput      `json:"inputs,omitempty"`
	Attachments []signerAttachment `json:"attachments,omitempty"`
}

type decision struct {
	Type           string    `json:"type"`
	FinalizedAt    time.Time `json:"finalized_at"`
	AdditionalInfo *string   `json:"additional_info"`
}

type prefillTag struct {
	DocumentTagID *string `json:"document_tag_id"`
	TextValue     *string `json:"text_value"`
	CheckboxValue *bool   `json:"checkbox_value"`
	DateValue     *string `json:"date_value"`
}

type signRequest struct {
	ID                       string       `json:"id"`
	ShortID                  string       `json:"short_id"`
	Seq                      int64        `json:"seq"`
	SenderID                 string       `json:"sender_id"`
	SenderEmail              string       `json:"sender_email"`
	Status                   string       `json:"status"`
	StatusUntil              time.Time    `json:"status_until"`     // end of converting / finalizing
	ConversionFails          bool         `json:"conversion_fails"` // a source Box cannot convert
	CreatedAt                time.Time    `json:"created_at"`
	FinishedAt               *time.Time   `json:"finished_at"`
	LastSentAt               *time.Time   `json:"last_sent_at"`
	Name                     string       `json:"name"`
	IsDocPrepNeeded          bool         `json:"is_document_preparation_needed"`
	RedirectURL              *string      `json:"redirect_url"`
	DeclinedRedirectURL      *string      `json:"declined_redirect_url"`
	AreTextSignaturesEnabled bool         `json:"are_text_signatures_enabled"`
	EmailSubject             *string      `json:"email_subject"`
	EmailMessage             *string      `json:"email_message"`
	AreRemindersEnabled      bool         `json:"are_reminders_enabled"`
	PrefillTags              []prefillTag `json:"prefill_tags"`
	DaysValid                *int         `json:"days_valid"`
	AutoExpireAt             *time.Time   `json:"auto_expire_at"`
	ExternalID               *string      `json:"external_id"`
	TemplateID               *string      `json:"template_id"`
	ExternalSystemName       *string      `json:"external_system_name"`
	SignatureColor           *string      `json:"signature_color"`
	RequestFlow              *string      `json:"request_flow"`
	PhoneToView              *bool        `json:"is_phone_verification_required_to_view"`
	SourceFileIDs            []string     `json:"source_file_ids"`
	SignFileIDs              []string     `json:"sign_file_ids"`
	SigningLogID             string       `json:"signing_log_id"`
	ParentFolderID           string       `json:"parent_folder_id"`
	PrepareURL               *string      `json:"prepare_url"`
	Signers                  []*signer    `json:"signers"`
	CancelReason             *string      `json:"cancel_reason"`
}

// ----- lifecycle -----

func active(status string) bool {
	switch status {
	case statusConverting, statusCreated, statusSent, statusViewed:
		return true
	}
	return false
}

// settle moves a request along the timed parts of its lifecycle. Statuses
// are computed lazily from the clock, so tests with a fake clock see the
// same transitions as a real run.
func (e *Emulator) settle(sr *signRequest) {
	defer e.signEvents(sr)
	now := e.now()
	if sr.AutoExpireAt != nil && active(sr.Status) && now.After(*sr.AutoExpireAt) &&
		(sr.Status != statusConverting || sr.AutoExpireAt.Before(sr.StatusUntil)) {
		sr.Status = statusExpired
		t := *sr.AutoExpireAt
		sr.FinishedAt = &t
		return
	}
	if sr.Status == statusConverting && !now.Before(sr.StatusUntil) {
		at := sr.StatusUntil
		if sr.ConversionFails {
			sr.Status = statusErrorConverting
			sr.FinishedAt = &at
			return
		}
		if parent := e.st.Folders[sr.ParentFolderID]; parent != nil {
			base := strings.TrimSuffix(sr.Name, ".pdf")
			sender, _ := e.userByID(sr.SenderID)
			log := e.newFile(parent.ID, e.uniqueName(parent.ID, sr.SenderID, base+" Signing Log.pdf"),
				e.ownerOfNew(parent, sender), minimalPDF("Signing log"))
			sr.SigningLogID = log.ID
		}
		if sr.IsDocPrepNeeded {
			sr.Status = statusCreated
		} else {
			e.send(sr, at)
		}
	}
	if sr.AutoExpireAt != nil && active(sr.Status) && now.After(*sr.AutoExpireAt) {
		sr.Status = statusExpired
		t := *sr.AutoExpireAt
		sr.FinishedAt = &t
		return
	}
	e.autoAct(sr) // test-only signers (-auto-act, auto_act.go)
	if sr.Status == statusFinalizing && !now.Before(sr.StatusUntil) {
		at := sr.StatusUntil
		sr.Status = statusSigned
		sr.FinishedAt = &at
		e.finalizeLog(sr)
		for _, s := range sr.Signers {
			e.mail(sr, s, "final_copy", at)
		}
	}
}

// send marks the request sent and notifies the first signing group.
func (e *Emulator) send(sr *signRequest, at time.Time) {
	sr.Status = statusSent
	sr.LastSentAt = &at
	e.notifyTurn(sr, at)
}

// mustAct reports whether a signer has to sign or approve.
func (s *signer) mustAct() bool { return s.Role == "signer" || s.Role == "approver" }

// pending reports whether anyone still has to sign or approve.
func pending(sr *signRequest) bool {
	for _, s := range sr.Signers {
		if s.mustAct() && s.Decision == nil {
			return true
		}
	}
	return false
}

// hasTurn reports whether s is among those who act now. Approvers act
// before any signer, whatever the orders (FIDELITY.md, "Lifecycle and
// conversion"); within the approvers, and then within the signers, the
// lowest order goes first and equal orders act together.
func hasTurn(sr *signRequest, s *signer) bool {
	if !s.mustAct() || s.Decision != nil {
		return false
	}
	stage := func(x *signer) int {
		if x.Role == "approver" {
			return 0
		}
		return 1
	}
	for _, x := range sr.Signers {
		if !x.mustAct() || x.Decision != nil {
			continue
		}
		if stage(x) < stage(s) || (stage(x) == stage(s) && x.Order < s.Order) {
			return false
		}
	}
	return true
}

// notifyTurn emails signature_requested to the signers whose turn it is
// and who were not emailed yet.
func (e *Emulator) notifyTurn(sr *signRequest, at time.Time) {
	for _, s := range sr.Signers {
		if hasTurn(sr, s) && !s.Notified {
			s.Notified = true
			e.mail(sr, s, "signature_requested", at)
		}
	}
}

// mail records an email to a signer, unless Box's notifications are off
// for them: that takes both suppress_notifications and an
// embed_url_external_user_id (FIDELITY.md, "Lifecycle and conversion").
func (e *Emulator) mail(sr *signRequest, s *signer, kind string, at time.Time) {
	if s.Suppress && nonEmpty(s.EmbedExternalUserID) {
		return
	}
	e.st.Emails = append(e.st.Emails, email{To: s.Email, Kind: kind, SignRequestID: sr.ID, SentAt: at})
}

// visible returns the request when the user may see it: its sender and
// collaborators of its parent folder do (FIDELITY.md, "Sign request
// access"), and nobody once its sign files or parent folder are deleted.
func (e *Emulator) visible(u user, id string) *signRequest {
	sr := e.st.SignRequests[id]
	if sr == nil || e.requestLevel(u, sr) == "" || !e.filesLive(sr) {
		return nil
	}
	e.settle(sr)
	return sr
}

// requestLevel is the user's collaborator_level on a request: owner for
// its sender; editor or viewer for a collaborator of its parent folder,
// by their role there; "" when the request is not theirs to see.
func (e *Emulator) requestLevel(u user, sr *signRequest) string {
	if sr.SenderID == u.ID {
		return "owner"
	}
	switch e.folderRole(u, e.st.Folders[sr.ParentFolderID]) {
	case "":
		return ""
	case roleOwner, roleCoOwner, roleEditor:
		return "editor"
	}
	return "viewer"
}

// sentByCaller is the check cancel and resend add: only the requester
// may act on a request; collaborators who can see it get 403.
func sentByCaller(u user, sr *signRequest) *response {
	if sr.SenderID != u.ID {
		return forbidden()
	}
	return nil
}

func (e *Emulator) filesLive(sr *signRequest) bool {
	if e.liveFolder(sr.ParentFolderID) == nil {
		return false
	}
	for _, id := range sr.SignFileIDs {
		if e.liveFile(id) == nil {
			return false
		}
	}
	return true
}

// rateLimit applies Box Sign's per-user limit on create and resend.
func (e *Emulator) rateLimit(userID string) *response {
	if e.opts.RateLimit <= 0 {
		return nil
	}
	now := e.now()
	var recent []time.Time
	for _, t := range e.st.RateWindows[userID] {
		if now.Sub(t) < time.Minute {
			recent = append(recent, t)
		}
	}
	if len(recent) >= e.opts.RateLimit {
		e.st.RateWindows[userID] = recent
		wait := recent[0].Add(time.Minute).Sub(now)
		return rateLimited(int(math.Max(1, math.Ceil(wait.Seconds()))))
	}
	e.st.RateWindows[userID] = append(recent, now)
	return nil
}

// ----- other operations -----

// handleGetSignRequest is GET /2.0/sign_requests/{id}.
func (e *Emulator) handleGetSignRequest(c *call) *response {
	sr := e.visible(c.user, c.params["id"])
	if sr == nil {
		return notFound()
	}
	return jsonResponse(http.StatusOK, e.signRequestJSON(sr, c.user))
}

// handleListSignRequests is GET /2.0/sign_requests. The order is not
// documented; newest first is a guess (it is what Box's web app shows).
// The default limit is also undocumented; 100 is a guess matching the
// Java SDK and Box's other list endpoints.
func (e *Emulator) handleListSignRequests(c *call) *response {
	q := c.r.URL.Query()
	limit, resp := pageLimit(q, 100)
	if resp != nil {
		return resp
	}
	shared := q.Get("shared_requests") == "true"
	if q.Get("senders") != "" && !shared {
		return badParam("senders", "senders requires shared_requests=true")
	}
	start, resp := markerStart(q.Get("marker"), "sr", math.MaxInt64)
	if resp != nil {
		return resp
	}
	senders := map[string]bool{}
	for _, s := range strings.Split(q.Get("senders"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			senders[strings.ToLower(s)] = true
		}
	}
	// Without shared_requests: the user's own requests. With it: only
	// requests the user collaborates on and did not send, optionally from
	// the given senders.
	var list []*signRequest
	for _, sr := range e.st.SignRequests {
		if sr.Seq > start || !e.filesLive(sr) || (sr.SenderID == c.user.ID) == shared {
			continue
		}
		if shared && (e.requestLevel(c.user, sr) == "" || (len(senders) > 0 && !senders[strings.ToLower(sr.SenderEmail)])) {
			continue
		}
		list = append(list, sr)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Seq > list[j].Seq })
	var next any
	if len(list) > limit {
		next = encodeMarker("sr", list[limit].Seq)
		list = list[:limit]
	}
	entries := make([]any, 0, len(list))
	for _, sr := range list {
		e.settle(sr)
		entries = append(entries, e.signRequestJSON(sr, c.user))
	}
	return jsonResponse(http.StatusOK, map[string]any{"limit": limit, "next_marker": next, "entries": entries})
}

// handleCancelSignRequest is POST /2.0/sign_requests/{id}/cancel.
func (e *Emulator) handleCancelSignRequest(c *call) *response {
	sr := e.visible(c.user, c.params["id"])
	if sr == nil {
		return notFound()
	}
	if resp := sentByCaller(c.user, sr); resp != nil {
		return resp
	}
	var body struct {
		Reason *string `json:"reason"`
	}
	if len(strings.TrimSpace(string(c.body))) > 0 {
		if resp := decodeJSON(c.body, &body); resp != nil {
			return resp
		}
	}
	// Box's guide bans cancelling while converting, yet its SDK tests cancel
	// a request right after creating it and get `cancelled`, so converting
	// is cancellable here. The error body for a finished request is
	// undocumented; a plain 400 bad_request is a guess (FIDELITY.md,
	// "Cancel and resend").
	if !active(sr.Status) {
		return errorResponse(http.StatusBadRequest, "bad_request", "Bad Request", map[string]any{
			"errors": []fieldError{{Reason: "invalid_parameter", Name: "status",
				Message: "A sign request with status " + sr.Status + " cannot be cancelled"}},
		})
	}
	now := e.now()
	sr.Status = statusCancelled
	sr.FinishedAt = &now
	sr.CancelReason = body.Reason
	return jsonResponse(http.StatusOK, e.signRequestJSON(sr, c.user))
}

// handleResendSignRequest is POST /2.0/sign_requests/{id}/resend.
func (e *Emulator) handleResendSignRequest(c *call) *response {
	if resp := e.rateLimit(c.user.ID); resp != nil {
		return resp
	}
	sr := e.visible(c.user, c.params["id"])
	if sr == nil {
		return notFound()
	}
	if resp := sentByCaller(c.user, sr); resp != nil {
		return resp
	}
	switch sr.Status {
	case statusSigned, statusCancelled, statusDeclined, statusExpired, statusFinalizing,
		"error", "error_sending", "error_converting", "error_finalizing":
		return errorResponse(http.StatusBadRequest, "bad_request", "Bad Request", map[string]any{
			"errors": []fieldError{{Reason: "invalid_parameter", Name: "status",
				Message: "A sign request with status " + sr.Status + " cannot be resent"}},
		})
	}
	now := e.now()
	if sr.LastSentAt != nil && now.Sub(*sr.LastSentAt) < resendCooldown {
		return errorResponse(http.StatusBadRequest, "bad_request", "Bad Request", map[string]any{
			"errors": []fieldError{{Reason: "invalid_parameter", Name: "sign_request_id",
				Message: "A sign request can be resent only once every 10 minutes"}},
		})
	}
	sr.LastSentAt = &now
	for _, s := range sr.Signers {
		if s.mustAct() && s.Decision == nil && s.Notified {
			e.mail(sr, s, "resend", now)
		}
	}
	return newResponse(http.StatusAccepted)
}

// ----- representation -----

func (e *Emulator) fileMiniByID(id string) any {
	if f := e.st.Files[id]; f != nil {
		return e.fileMini(f)
	}
	return map[string]any{"type": "file", "id": id}
}

// signRequestJSON is the request as viewer sees it (collaborator_level).
func (e *Emulator) signRequestJSON(sr *signRequest, viewer user) map[string]any {
	// A request made from a template answers source_files: [] on Box
	// (FIDELITY.md, "Sign request defaults"); sign_files has the copies.
	sources := make([]any, 0, len(sr.SourceFileIDs))
	for _, id := range sr.SourceFileIDs {
		if sr.TemplateID == nil {
			sources = append(sources, e.fileMiniByID(id))
		}
	}
	signFiles := make([]any, 0, len(sr.SignFileIDs))
	for _, id := range sr.SignFileIDs {
		signFiles = append(signFiles, e.fileMiniByID(id))
	}
	var parent any
	if f := e.st.Folders[sr.ParentFolderID]; f != nil {
		parent = e.folderMini(f)
	}
	signers := make([]any, 0, len(sr.Signers))
	for _, s := range sr.Signers {
		signers = append(signers, signerJSON(s))
	}
	var senderID any
	var n int64
	if _, err := fmt.Sscan(sr.SenderID, &n); err == nil {
		senderID = n // a number, unlike other Box IDs (the spec's sender_id)
	}
	m := map[string]any{
		"type": "sign-request", "id": sr.ID, "short_id": sr.ShortID, "status": sr.Status,
		"name":                           sr.Name,
		"is_document_preparation_needed": sr.IsDocPrepNeeded,
		"redirect_url":                   sr.RedirectURL,
		"declined_redirect_url":          sr.DeclinedRedirectURL,
		"are_text_signatures_enabled":    sr.AreTextSignaturesEnabled,
		"email_subject":                  sr.EmailSubject,
		"email_message":                  sr.EmailMessage,
		"are_reminders_enabled":          sr.AreRemindersEnabled,
		"prefill_tags":                   sr.PrefillTags,
		"days_valid":                     sr.DaysValid,
		"external_id":                    sr.ExternalID,
		"template_id":                    sr.TemplateID,
		"external_system_name":           sr.ExternalSystemName,
		"signature_color":                sr.SignatureColor,
		"request_flow":                   sr.RequestFlow,
		"source_files":                   sources,
		"signers":                        signers,
		"prepare_url":                    sr.PrepareURL,
		"sign_files": map[string]any{
			"files": signFiles, "is_ready_for_download": signFilesReady(sr.Status),
		},
		"auto_expire_at":     sr.AutoExpireAt,
		"parent_folder":      parent,
		"collaborator_level": e.requestLevel(viewer, sr),
		"sender_email":       sr.SenderEmail,
		"sender_id":          senderID,
		"created_at":         sr.CreatedAt,
		"finished_at":        sr.FinishedAt,
		"error_code":         errorCode(sr),
	}
	// Box answers signing_log: null while converting [obs], but the spec
	// does not allow null there; leaving the key out satisfies the spec and
	// reads the same to clients that treat a missing key as null.
	if sr.SigningLogID != "" && sr.Status != statusConverting {
		m["signing_log"] = e.fileMiniByID(sr.SigningLogID)
	}
	// is_phone_verification_required_to_view left the spec in 2024-12 and
	// Box said it "doesn't need to be visible in responses"; the emulator
	// echoes it only when the request set it, and omits the key otherwise.
	if sr.PhoneToView != nil {
		m["is_phone_verification_required_to_view"] = *sr.PhoneToView
	}
	return m
}

// signerJSON is a SignRequestSigner; password is write-only and never
// returned.
func signerJSON(s *signer) map[string]any {
	var dec any
	if s.Decision != nil {
		dec = map[string]any{"type": s.Decision.Type, "finalized_at": s.Decision.FinalizedAt,
			"additional_info": s.Decision.AdditionalInfo}
	}
	return map[string]any{
		"email": s.Email, "role": s.Role, "is_in_person": s.IsInPerson, "order": s.Order,
		"embed_url_external_user_id": s.EmbedExternalUserID,
		"redirect_url":               s.RedirectURL, "declined_redirect_url": s.DeclinedRedirectURL,
		"login_required":            s.LoginRequired,
		"verification_phone_number": s.Phone,
		"signer_group_id":           s.GroupID,
		"suppress_notifications":    s.Suppress,
		"language":                  s.Language,
		"has_viewed_document":       s.HasViewed,
		"signer_decision":           dec,
		"inputs":                    signerInputsJSON(s),
		"embed_url":                 s.EmbedURL,
		"iframeable_embed_url":      s.IframeURL,
		"attachments":               signerAttachmentsJSON(s),
	}
}
