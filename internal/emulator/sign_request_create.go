package emulator

import (
	"fmt"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ----- create -----

type createSigner struct {
	Email                   *string `json:"email"`
	Role                    *string `json:"role"`
	IsInPerson              *bool   `json:"is_in_person"`
	Order                   *int    `json:"order"`
	EmbedURLExternalUserID  *string `json:"embed_url_external_user_id"`
	RedirectURL             *string `json:"redirect_url"`
	DeclinedRedirectURL     *string `json:"declined_redirect_url"`
	LoginRequired           *bool   `json:"login_required"`
	VerificationPhoneNumber *string `json:"verification_phone_number"`
	Password                *string `json:"password"`
	SignerGroupID           *string `json:"signer_group_id"`
	SuppressNotifications   *bool   `json:"suppress_notifications"`
	Language                *string `json:"language"`
}

type itemRef struct {
	ID   *string `json:"id"`
	Type *string `json:"type"`
}

// createBody is SignRequestCreateRequest. Unknown top-level fields are
// ignored: Box's API generally ignores fields it does not know (its SDKs
// send fields newer or older than a given server), and no source shows
// strict rejection (FIDELITY.md, "Sign request create"). Pointers tell "absent/null" from a value.
type createBody struct {
	Signers                     *[]createSigner `json:"signers"`
	SourceFiles                 *[]itemRef      `json:"source_files"`
	ParentFolder                *itemRef        `json:"parent_folder"`
	IsDocumentPreparationNeeded *bool           `json:"is_document_preparation_needed"`
	RedirectURL                 *string         `json:"redirect_url"`
	DeclinedRedirectURL         *string         `json:"declined_redirect_url"`
	AreTextSignaturesEnabled    *bool           `json:"are_text_signatures_enabled"`
	EmailSubject                *string         `json:"email_subject"`
	EmailMessage                *string         `json:"email_message"`
	AreRemindersEnabled         *bool           `json:"are_reminders_enabled"`
	Name                        *string         `json:"name"`
	PrefillTags                 []prefillTag    `json:"prefill_tags"`
	DaysValid                   *int            `json:"days_valid"`
	ExternalID                  *string         `json:"external_id"`
	TemplateID                  *string         `json:"template_id"`
	ExternalSystemName          *string         `json:"external_system_name"`
	SignatureColor              *string         `json:"signature_color"`
	RequestFlow                 *string         `json:"request_flow"`
	PhoneToView                 *bool           `json:"is_phone_verification_required_to_view"`
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// validEmail accepts a bare address (no display name), which is what Box
// takes for signer emails.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

func nonEmpty(p *string) bool { return p != nil && *p != "" }

// createPlan is a create request as its validation steps resolve it.
type createPlan struct {
	body    *createBody
	tmpl    *template // the template_id's template, or nil
	sources []*file   // the documents, in order
	parent  *folder   // an explicit parent_folder, or nil
}

// handleCreateSignRequest is POST /2.0/sign_requests: each step checks one
// part of the body the way Box does and answers Box's error for it; the
// first failing step decides the response.
func (e *Emulator) handleCreateSignRequest(c *call) *response {
	if resp := e.rateLimit(c.user.ID); resp != nil {
		return resp
	}
	var b createBody
	if resp := decodeJSON(c.body, &b); resp != nil {
		return resp
	}
	p := &createPlan{body: &b}
	steps := []func(user, *createPlan) *response{
		e.resolveTemplate, e.checkSigners, e.resolveDocuments, e.resolveFolder, checkOptions, checkTemplateLocks,
	}
	for _, step := range steps {
		if resp := step(c.user, p); resp != nil {
			return resp
		}
	}
	sr := e.createSignRequest(c.user, p)
	return jsonResponse(http.StatusCreated, e.signRequestJSON(sr, c.user))
}

// resolveTemplate finds template_id among the templates the user can see;
// others are missing to them (404).
func (e *Emulator) resolveTemplate(u user, p *createPlan) *response {
	if p.body.TemplateID == nil {
		return nil
	}
	t := e.st.Templates[*p.body.TemplateID]
	if t == nil || !e.templateVisible(u, t) {
		return notFound()
	}
	p.tmpl = t
	return nil
}

// templateSigner is the template's signer at position i, if any.
func (p *createPlan) templateSigner(i int) *templateSigner {
	if p.tmpl != nil && i < len(p.tmpl.Signers) {
		return p.tmpl.Signers[i]
	}
	return nil
}

func (e *Emulator) checkSigners(_ user, p *createPlan) *response {
	if p.body.Signers == nil || len(*p.body.Signers) == 0 {
		return badParam("signers", "signers is required and must hold at least one signer")
	}
	in := *p.body.Signers
	if len(in) > 35 {
		return badParam("signers", "A sign request can have at most 35 signers")
	}
	seen := map[string]bool{}
	for i, s := range in {
		if resp := checkSigner(fmt.Sprintf("signers[%d]", i), s, p.templateSigner(i), seen); resp != nil {
			return resp
		}
	}
	return nil
}

func checkSigner(field string, s createSigner, ts *templateSigner, seen map[string]bool) *response {
	email := ""
	if s.Email != nil {
		email = *s.Email
	}
	if email == "" && ts != nil {
		email = ts.Email
	}
	if email == "" {
		return badParam(field+".email", "email is required")
	}
	if !validEmail(email) {
		return badParam(field+".email", "email must be a valid email address")
	}
	key := strings.ToLower(email)
	if seen[key] {
		// A guess: Box's UI refuses the same recipient twice.
		return badParam(field+".email", "Each signer must have a unique email address")
	}
	seen[key] = true
	if s.Role != nil {
		switch *s.Role {
		case "signer", "approver", "final_copy_reader":
		default:
			return badParam(field+".role", "role must be one of signer, approver, final_copy_reader")
		}
	}
	if s.Order != nil && *s.Order < 0 {
		return badParam(field+".order", "order must be greater than or equal to 0")
	}
	if s.LoginRequired != nil && *s.LoginRequired && nonEmpty(s.VerificationPhoneNumber) {
		return badParam(field+".verification_phone_number",
			"verification_phone_number cannot be combined with login_required")
	}
	// A role with a stored email brings the password or phone its creator
	// stored; only a role without one obliges the request (the spec's
	// TemplateSigner).
	if ts != nil && ts.Email == "" && ts.IsPasswordRequired && !nonEmpty(s.Password) {
		return badParam(field+".password", "The template requires a password for this signer")
	}
	if ts != nil && ts.Email == "" && ts.IsPhoneNumberRequired && !nonEmpty(s.VerificationPhoneNumber) {
		return badParam(field+".verification_phone_number", "The template requires a phone number for this signer")
	}
	return nil
}

// resolveDocuments finds the source files (the template's, or
// source_files): each must be visible to the user (else 404, as if
// missing) and downloadable by them (else 403).
func (e *Emulator) resolveDocuments(u user, p *createPlan) *response {
	b := p.body
	if p.tmpl != nil {
		if b.SourceFiles != nil && len(*b.SourceFiles) > 0 {
			return badParam("source_files", "source_files cannot be combined with template_id; the template holds the files")
		}
		for _, id := range p.tmpl.SourceFileIDs {
			f := e.liveFile(id)
			if f == nil {
				return badParam("template_id", "A file of the template is no longer available")
			}
			if !roleAllows(e.fileRole(u, f), permDownload) {
				return forbidden()
			}
			p.sources = append(p.sources, f)
		}
		return nil
	}
	if b.SourceFiles == nil || len(*b.SourceFiles) == 0 {
		return badParam("source_files", "source_files is required unless template_id is given")
	}
	if len(*b.SourceFiles) > 10 {
		return badParam("source_files", "source_files can hold at most 10 files")
	}
	for i, ref := range *b.SourceFiles {
		field := fmt.Sprintf("source_files[%d]", i)
		if ref.Type == nil || *ref.Type != "file" {
			return badParam(field+".type", "type must be \"file\"")
		}
		if !nonEmpty(ref.ID) {
			return badParam(field+".id", "id is required")
		}
		f, role, resp := e.visibleFile(u, *ref.ID)
		if resp != nil {
			return resp
		}
		if !roleAllows(role, permDownload) {
			return forbidden()
		}
		p.sources = append(p.sources, f)
	}
	return nil
}

// resolveFolder checks an explicit parent_folder: never the root, visible
// (else 404) and open to uploads by the user (else 403).
func (e *Emulator) resolveFolder(u user, p *createPlan) *response {
	ref := p.body.ParentFolder
	if ref == nil {
		return nil
	}
	if ref.Type != nil && *ref.Type != "folder" {
		return badParam("parent_folder.type", "type must be \"folder\"")
	}
	if !nonEmpty(ref.ID) {
		return badParam("parent_folder.id", "id is required")
	}
	if *ref.ID == rootFolderID {
		return badParam("parent_folder.id", "The root folder (ID 0) cannot be used as parent_folder")
	}
	f, role, resp := e.visibleFolder(u, *ref.ID)
	if resp != nil {
		return resp
	}
	if !roleAllows(role, permUpload) {
		return forbidden()
	}
	p.parent = f
	return nil
}

// checkOptions checks the request-wide settings against the spec.
func checkOptions(_ user, p *createPlan) *response {
	b := p.body
	if b.DaysValid != nil && (*b.DaysValid < 0 || *b.DaysValid > 730) {
		return badParam("days_valid", "days_valid must be between 0 and 730")
	}
	if b.SignatureColor != nil {
		switch *b.SignatureColor {
		case "blue", "black", "red":
		default:
			return badParam("signature_color", "signature_color must be one of blue, black, red")
		}
	}
	if b.RequestFlow != nil {
		switch *b.RequestFlow {
		case "standard":
		case "cfr11":
			// The Sign guide: CFR Part 11 requests cannot be created through the public API.
			return badParam("request_flow", "CFR Part 11 sign requests cannot be created through the API")
		default:
			return badParam("request_flow", "request_flow must be standard or cfr11")
		}
	}
	return checkPrefillTags(b.PrefillTags)
}

func checkPrefillTags(tags []prefillTag) *response {
	for i, t := range tags {
		field := fmt.Sprintf("prefill_tags[%d]", i)
		n := 0
		if t.TextValue != nil {
			n++
		}
		if t.CheckboxValue != nil {
			n++
		}
		if t.DateValue != nil {
			n++
			if _, err := time.Parse("2006-01-02", *t.DateValue); err != nil || !dateRE.MatchString(*t.DateValue) {
				return badParam(field+".date_value", "date_value must be a date in the form YYYY-MM-DD")
			}
		}
		if n > 1 {
			return badParam(field, "Only one value field can be set on a prefill tag")
		}
	}
	return nil
}

// ----- storing -----

// createSignRequest applies Box's server-side defaults (FIDELITY.md, "Sign
// request defaults") to a validated plan and stores the request.
func (e *Emulator) createSignRequest(u user, p *createPlan) *signRequest {
	b := p.body
	now := e.now()
	id := uuid.NewString()
	sr := &signRequest{
		ID: id, ShortID: id[strings.LastIndex(id, "-")+1:], Seq: e.st.seq(),
		SenderID: u.ID, SenderEmail: u.Login,
		Status: statusConverting, StatusUntil: now.Add(e.opts.ConversionDelay), CreatedAt: now,
		ConversionFails: !allConvertible(p.sources),
		RedirectURL:     b.RedirectURL, DeclinedRedirectURL: b.DeclinedRedirectURL,
		AreTextSignaturesEnabled: true,
		EmailSubject:             b.EmailSubject, EmailMessage: b.EmailMessage,
		PrefillTags: b.PrefillTags, DaysValid: b.DaysValid,
		ExternalID: b.ExternalID, TemplateID: b.TemplateID, ExternalSystemName: b.ExternalSystemName,
		SignatureColor: b.SignatureColor, PhoneToView: b.PhoneToView,
		RequestFlow: b.RequestFlow,
	}
	applyDefaults(sr, b, p.tmpl)
	if sr.DaysValid != nil && *sr.DaysValid > 0 {
		// auto_expire_at = now + days_valid (GMT); days_valid 0 never
		// expires, like an omitted one.
		t := now.AddDate(0, 0, *sr.DaysValid)
		sr.AutoExpireAt = &t
	}
	sr.Name = withPDF(requestName(b, p))
	parent := e.defaultParent(u, p)
	sr.ParentFolderID = parent.ID
	for _, f := range p.sources {
		sr.SourceFileIDs = append(sr.SourceFileIDs, f.ID)
	}
	// sign_files are real copies in the parent folder; the first carries the
	// request's name (sign_files.files[0].name == name), de-duplicated as
	// any file in the folder is: when the folder already holds "X.pdf" (the
	// source itself, in its own folder, or an earlier request's copy) the
	// copy and so the request are named "X (1).pdf".
	for i, f := range p.sources {
		n := withPDF(f.Name)
		if i == 0 {
			n = sr.Name
		}
		cp := e.newFile(parent.ID, e.uniqueName(parent.ID, u.ID, n), e.ownerOfNew(parent, u), f.Content)
		if i == 0 {
			sr.Name = cp.Name
		}
		sr.SignFileIDs = append(sr.SignFileIDs, cp.ID)
	}
	sr.Signers = e.buildSigners(u, sr, *b.Signers, p.tmpl)
	if sr.IsDocPrepNeeded {
		sr.PrepareURL = strPtr(fmt.Sprintf("https://app.box.com/sign/document/%s/%s/prepare_doc/", sr.ID, randomHex(16)))
	}
	e.st.SignRequests[sr.ID] = sr
	e.settle(sr)
	return sr
}

// applyDefaults fills what Box fills when the body leaves it out.
func applyDefaults(sr *signRequest, b *createBody, tmpl *template) {
	if sr.PrefillTags == nil {
		sr.PrefillTags = []prefillTag{}
	}
	if sr.RequestFlow == nil {
		// "When not specified … chosen based on admin settings": standard.
		sr.RequestFlow = strPtr("standard")
	}
	if b.IsDocumentPreparationNeeded != nil {
		sr.IsDocPrepNeeded = *b.IsDocumentPreparationNeeded
	}
	if b.AreTextSignaturesEnabled != nil {
		sr.AreTextSignaturesEnabled = *b.AreTextSignaturesEnabled
	}
	if b.AreRemindersEnabled != nil {
		sr.AreRemindersEnabled = *b.AreRemindersEnabled
	}
	if tmpl != nil {
		if sr.EmailSubject == nil {
			sr.EmailSubject = tmpl.EmailSubject
		}
		if sr.EmailMessage == nil {
			sr.EmailMessage = tmpl.EmailMessage
		}
		if sr.DaysValid == nil {
			sr.DaysValid = tmpl.DaysValid
		}
	}
}

// requestName is the given name, else the template's or the first file's.
func requestName(b *createBody, p *createPlan) string {
	switch {
	case nonEmpty(b.Name):
		return *b.Name
	case p.tmpl != nil && p.tmpl.Name != "":
		return p.tmpl.Name
	}
	return p.sources[0].Name
}

// defaultParent is the explicit parent_folder; else the template's folder
// or the first file's folder when the user may upload there (never a
// root); else the user's own "My Sign Requests" (the spec's parent_folder
// description). Create never refuses for a folder it picked itself.
func (e *Emulator) defaultParent(u user, p *createPlan) *folder {
	if p.parent != nil {
		return p.parent
	}
	var candidates []string
	if p.tmpl != nil {
		candidates = append(candidates, p.tmpl.ParentFolderID)
	}
	candidates = append(candidates, p.sources[0].ParentID)
	for _, id := range candidates {
		f := e.liveFolder(id)
		if f != nil && f.ID != rootFolderID && roleAllows(e.folderRole(u, f), permUpload) {
			return f
		}
	}
	return e.mySignRequestsFolder(u)
}

func withPDF(name string) string {
	if strings.HasSuffix(strings.ToLower(name), ".pdf") {
		return name
	}
	return name + ".pdf"
}

// mySignRequestsFolder is the user's own fallback parent folder, made in
// their root on first use.
func (e *Emulator) mySignRequestsFolder(u user) *folder {
	for _, f := range e.st.Folders {
		if f.live() && f.ParentID == rootFolderID && f.ID != rootFolderID && f.OwnerID == u.ID && f.Name == "My Sign Requests" {
			return f
		}
	}
	now := e.now()
	f := &folder{ID: e.st.newID(), Name: "My Sign Requests", ParentID: rootFolderID, OwnerID: u.ID,
		CreatedAt: now, ModifiedAt: now}
	e.st.Folders[f.ID] = f
	return f
}

func (e *Emulator) buildSigners(u user, sr *signRequest, in []createSigner, tmpl *template) []*signer {
	var out []*signer
	requesterListed := false
	for i, s := range in {
		var ts *templateSigner
		if tmpl != nil && i < len(tmpl.Signers) {
			ts = tmpl.Signers[i]
		}
		sg := &signer{Role: "signer"}
		if ts != nil {
			sg.Email, sg.Role, sg.Order, sg.IsInPerson = ts.Email, ts.Role, ts.Order, ts.IsInPerson
			sg.Password = ts.Password
			if ts.Phone != "" {
				sg.Phone = strPtr(ts.Phone)
			}
		}
		if nonEmpty(s.Email) {
			sg.Email = *s.Email // echoed as sent; compared case-insensitively
		}
		if s.Role != nil {
			sg.Role = *s.Role
		}
		if s.Order != nil {
			sg.Order = *s.Order
		}
		if s.IsInPerson != nil {
			sg.IsInPerson = *s.IsInPerson
		}
		if s.LoginRequired != nil {
			sg.LoginRequired = *s.LoginRequired
		}
		if s.SuppressNotifications != nil {
			sg.Suppress = *s.SuppressNotifications
		}
		if nonEmpty(s.Password) {
			sg.Password = *s.Password
		}
		if nonEmpty(s.VerificationPhoneNumber) {
			sg.Phone = s.VerificationPhoneNumber // opaque, echoed as sent
		}
		sg.EmbedExternalUserID = s.EmbedURLExternalUserID
		sg.RedirectURL, sg.DeclinedRedirectURL = s.RedirectURL, s.DeclinedRedirectURL
		sg.GroupID, sg.Language = s.SignerGroupID, s.Language
		if nonEmpty(sg.EmbedExternalUserID) {
			h := randomHex(20)
			sg.EmbedURL = strPtr(fmt.Sprintf("https://app.box.com/sign/document/%s/%s/sign", sr.ID, h))
			sg.IframeURL = strPtr(fmt.Sprintf("https://app.box.com/embed/sign/document/%s/%s/", sr.ID, h))
		}
		if strings.EqualFold(sg.Email, u.Login) {
			requesterListed = true
		}
		out = append(out, sg)
	}

	normalizeGroups(out)

	// "If the requester is not given a role, a signer with the role
	// final_copy_reader is automatically created", as signers[0].
	if !requesterListed {
		out = append([]*signer{{Email: u.Login, Role: "final_copy_reader", Order: 0}}, out...)
	}
	return out
}

// normalizeGroups applies Box's signer_group_id rule: a value shared by
// two or more signers becomes one server-generated UUID; a value used once
// is ignored (null).
func normalizeGroups(out []*signer) {
	counts := map[string]int{}
	for _, s := range out {
		if nonEmpty(s.GroupID) {
			counts[*s.GroupID]++
		}
	}
	groups := map[string]string{}
	for _, s := range out {
		if !nonEmpty(s.GroupID) {
			s.GroupID = nil
			continue
		}
		if counts[*s.GroupID] < 2 {
			s.GroupID = nil
			continue
		}
		g, ok := groups[*s.GroupID]
		if !ok {
			g = uuid.NewString()
			groups[*s.GroupID] = g
		}
		s.GroupID = strPtr(g)
	}
}
