package emulator

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Box has no API to create sign templates (they are made in the web app),
// so they exist only through the seed and POST /_emulator/sign_templates.
// A template belongs to a user and is visible to its owner and to
// collaborators of the folder that holds it (FIDELITY.md, "Templates").

type template struct {
	ID             string            `json:"id"`
	Seq            int64             `json:"seq"`
	Name           string            `json:"name"`
	EmailSubject   *string           `json:"email_subject"`
	EmailMessage   *string           `json:"email_message"`
	DaysValid      *int              `json:"days_valid"`
	ParentFolderID string            `json:"parent_folder_id"`
	SourceFileIDs  []string          `json:"source_file_ids"`
	Signers        []*templateSigner `json:"signers"`
	OwnerID        string            `json:"owner_id"`
	Locks          templateLocks     `json:"locks"`
}

// templateLocks are the template's are_*_locked flags: what a request made
// from it may not change.
type templateLocks struct {
	Fields        bool `json:"are_fields_locked"`
	Options       bool `json:"are_options_locked"`
	Recipients    bool `json:"are_recipients_locked"`
	EmailSettings bool `json:"are_email_settings_locked"`
	Files         bool `json:"are_files_locked"`
}

// nonEditable is additional_info.non_editable for the locks.
func (l templateLocks) nonEditable() []string {
	out := []string{}
	if l.EmailSettings {
		out = append(out, "email_subject", "email_message")
	}
	if l.Options {
		// The spec's are_options_locked: "for example renaming the
		// document"; its non_editable enum names name and days_valid.
		out = append(out, "name", "days_valid")
	}
	if l.Recipients {
		out = append(out, "signers")
	}
	if l.Files {
		out = append(out, "source_files")
	}
	return out
}

func (e *Emulator) templateVisible(u user, t *template) bool {
	return t.OwnerID == u.ID || e.folderRole(u, e.st.Folders[t.ParentFolderID]) != ""
}

// templateSigner is one of the template's roles that a request fills in,
// in order. The sender's placeholder that Box lists first in every
// template (FIDELITY.md, "Templates") is not stored: templateJSON adds it,
// so Signers[i] is the role request signer i takes.
type templateSigner struct {
	Email                 string `json:"email"`
	Role                  string `json:"role"`
	IsInPerson            bool   `json:"is_in_person"`
	Order                 int    `json:"order"`
	Label                 string `json:"label"`
	PublicID              string `json:"public_id"`
	IsPasswordRequired    bool   `json:"is_password_required"`
	IsPhoneNumberRequired bool   `json:"is_phone_number_required"`
	// Password and Phone are what the template's creator stored for a
	// role with an email and a requirement: Box uses them by default
	// (the spec's TemplateSigner). Never rendered.
	Password string `json:"password,omitempty"`
	Phone    string `json:"verification_phone_number,omitempty"`
	// Inputs are the signer's fields besides the signature; those with a
	// document_tag_id are what a request's prefill_tags can fill
	// (TemplateSignerInput in the spec).
	Inputs []templateInput `json:"inputs"`
}

// templateInput is one field a template signer fills in.
type templateInput struct {
	DocumentTagID string `json:"document_tag_id"`
	Type          string `json:"type"` // text, checkbox, date, ...
}

func (e *Emulator) templateJSON(t *template) map[string]any {
	files := make([]any, 0, len(t.SourceFileIDs))
	for _, id := range t.SourceFileIDs {
		files = append(files, e.fileMiniByID(id))
	}
	var parent any
	if f := e.st.Folders[t.ParentFolderID]; f != nil {
		parent = e.folderMini(f)
	}
	// Box lists the sender first in every template, as a
	// final_copy_reader with an empty email: the role the request's sender
	// takes, which the request's signers never fill.
	signers := []any{map[string]any{
		"inputs": []any{}, "email": "", "role": "final_copy_reader", "is_in_person": false, "order": 0,
		"signer_group_id": nil, "label": nil, "public_id": fmt.Sprintf("%08X", t.Seq),
		"is_password_required": false, "is_phone_number_required": false, "login_required": false,
	}}
	required := []any{[]string{}}
	for _, s := range t.Signers {
		inputs := []any{templateInputJSON(nil, "signature", t.SourceFileIDs[0])}
		for _, in := range s.Inputs {
			inputs = append(inputs, templateInputJSON(&in.DocumentTagID, in.Type, t.SourceFileIDs[0]))
		}
		signers = append(signers, map[string]any{
			"inputs": inputs,
			"email":  s.Email, "role": s.Role, "is_in_person": s.IsInPerson, "order": s.Order,
			"signer_group_id": nil, "label": s.Label, "public_id": s.PublicID,
			"is_password_required": s.IsPasswordRequired, "is_phone_number_required": s.IsPhoneNumberRequired,
			"login_required": false,
		})
		if s.Email == "" {
			required = append(required, []string{"email"})
		} else {
			required = append(required, []string{})
		}
	}
	return map[string]any{
		"type": "sign-template", "id": t.ID, "name": t.Name,
		"email_subject": t.EmailSubject, "email_message": t.EmailMessage, "days_valid": t.DaysValid,
		"parent_folder": parent, "source_files": files,
		"are_fields_locked": t.Locks.Fields, "are_options_locked": t.Locks.Options,
		"are_recipients_locked": t.Locks.Recipients, "are_email_settings_locked": t.Locks.EmailSettings,
		"are_files_locked": t.Locks.Files,
		"signers":          signers,
		"additional_info": map[string]any{
			"non_editable": t.Locks.nonEditable(),
			"required":     map[string]any{"signers": required},
		},
		"ready_sign_link": nil, "custom_branding": nil, "request_flow": "standard",
	}
}

// templateInputJSON is a TemplateSignerInput: a field on the first page.
func templateInputJSON(tagID *string, typ, documentID string) map[string]any {
	return map[string]any{
		"document_tag_id": tagID, "text_value": nil, "checkbox_value": nil, "date_value": nil,
		"type": typ, "content_type": typ, "is_required": typ == "signature",
		"page_index": 0, "document_id": documentID, "dropdown_choices": nil,
		"group_id": nil, "coordinates": map[string]float64{"x": 0.1, "y": 0.8},
		"dimensions": map[string]float64{"width": 0.3, "height": 0.05},
		"label":      nil, "read_only": false,
	}
}

// handleListTemplates is GET /2.0/sign_templates: the templates the user
// can see.
func (e *Emulator) handleListTemplates(c *call) *response {
	q := c.r.URL.Query()
	limit, resp := pageLimit(q, 100)
	if resp != nil {
		return resp
	}
	start, resp := markerStart(q.Get("marker"), "tpl", 0)
	if resp != nil {
		return resp
	}
	var list []*template
	for _, t := range e.st.Templates {
		if t.Seq >= start && e.templateVisible(c.user, t) {
			list = append(list, t)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Seq < list[j].Seq })
	var next any
	if len(list) > limit {
		next = encodeMarker("tpl", list[limit].Seq)
		list = list[:limit]
	}
	entries := make([]any, 0, len(list))
	for _, t := range list {
		entries = append(entries, e.templateJSON(t))
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"limit": limit, "next_marker": next, "prev_marker": nil, "entries": entries,
	})
}

// handleGetTemplate is GET /2.0/sign_templates/{id}.
func (e *Emulator) handleGetTemplate(c *call) *response {
	t := e.st.Templates[c.params["id"]]
	if t == nil || !e.templateVisible(c.user, t) {
		return notFound()
	}
	return jsonResponse(http.StatusOK, e.templateJSON(t))
}

// seed makes what a Box admin sets up for the demo: a folder, two PDFs and
// three templates owned by the admin (one with a password-protected
// signer whose fields carry the tag IDs full_name, agree and start_date,
// one with a phone-verified signer, one with every lock set), and the
// folder collaborated with the service account as editor, so every auth
// method reaches the demo content. IDs come from the state's
// counters, so a reset reseeds identical IDs.
func (e *Emulator) seed() {
	now := e.now()
	st := e.st
	f := &folder{ID: st.newID(), Name: "Box Sign Demo", ParentID: rootFolderID, OwnerID: adminUserID,
		CreatedAt: now, ModifiedAt: now}
	st.Folders[f.ID] = f
	sa := e.serviceAccount()
	info := &SeedInfo{FolderID: f.ID, AdminUserID: adminUserID, AdminLogin: adminLogin,
		ServiceAccountID: sa.ID, ServiceAccountLogin: sa.Login}
	for _, name := range []string{"Contract.pdf", "NDA.pdf"} {
		file := e.newFile(f.ID, name, adminUserID, minimalPDF(name))
		info.FileIDs = append(info.FileIDs, file.ID)
	}
	days := 30
	tpls := []*template{
		{
			ID: "7d117509-8f05-42e4-a5ef-5190a319d41d", Name: "NDA (password)",
			EmailSubject: strPtr("Please sign this NDA"), DaysValid: &days,
			ParentFolderID: f.ID, SourceFileIDs: []string{info.FileIDs[1]},
			Signers: []*templateSigner{{Role: "signer", Order: 1, Label: "Signer",
				PublicID: "1A2B3C4D", IsPasswordRequired: true,
				Inputs: []templateInput{{"full_name", "text"}, {"agree", "checkbox"}, {"start_date", "date"}}}},
		},
		{
			ID: "6ae28666-03c4-4ac1-80db-06a90d3b1361", Name: "Contract (phone verification)",
			EmailSubject:   strPtr("Please sign this contract"),
			ParentFolderID: f.ID, SourceFileIDs: []string{info.FileIDs[0]},
			Signers: []*templateSigner{{Role: "signer", Order: 1, Label: "Signer",
				PublicID: "5E6F7A8B", IsPhoneNumberRequired: true}},
		},
		{
			ID: "3f1c2a9e-5b7d-4c8e-9a61-2d4b6e8f0a13", Name: "Contract (locked)",
			EmailSubject: strPtr("Contract for signature"), EmailMessage: strPtr("Please review and sign."),
			DaysValid: &days, ParentFolderID: f.ID, SourceFileIDs: []string{info.FileIDs[0]},
			Signers: []*templateSigner{{Email: "legal@example.com", Role: "signer", Order: 1, Label: "Legal",
				PublicID: "9C0D1E2F"}},
			Locks: templateLocks{Fields: true, Options: true, Recipients: true, EmailSettings: true, Files: true},
		},
	}
	for _, t := range tpls {
		t.OwnerID = adminUserID
		t.Seq = st.seq()
		st.Templates[t.ID] = t
		info.TemplateIDs = append(info.TemplateIDs, t.ID)
	}
	col := &collaboration{ID: st.newID(), Seq: st.seq(), ItemType: "folder", ItemID: f.ID, UserID: sa.ID,
		Role: roleEditor, Status: "accepted", CreatedByID: adminUserID, CreatedAt: now, ModifiedAt: now}
	st.Collaborations[col.ID] = col
	st.Seed = info
}

// checkTemplateLocks refuses a create from a template that changes what
// the template locks: request signer i is the template's role i after the
// sender's placeholder. Box answers 400 (FIDELITY.md, "Templates"); the
// error's exact body is a guess.
func checkTemplateLocks(_ user, p *createPlan) *response {
	t, b := p.tmpl, p.body
	if t == nil {
		return nil
	}
	locked := func(field, flag string) *response {
		return badParam(field, "The template sets "+flag+"; a request made from it cannot change "+field)
	}
	if t.Locks.EmailSettings {
		if changed(b.EmailSubject, t.EmailSubject) {
			return locked("email_subject", "are_email_settings_locked")
		}
		if changed(b.EmailMessage, t.EmailMessage) {
			return locked("email_message", "are_email_settings_locked")
		}
	}
	if t.Locks.Options {
		if nonEmpty(b.Name) && withPDF(*b.Name) != withPDF(t.Name) {
			return locked("name", "are_options_locked")
		}
		if field := changedOption(b, t); field != "" {
			return locked(field, "are_options_locked")
		}
	}
	if t.Locks.Recipients {
		if field := changedRecipient(*b.Signers, t.Signers); field != "" {
			return locked(field, "are_recipients_locked")
		}
	}
	if t.Locks.Fields && len(b.PrefillTags) > 0 {
		return locked("prefill_tags", "are_fields_locked")
	}
	return nil
}

func changed[T comparable](given, tmpl *T) bool {
	return given != nil && (tmpl == nil || *given != *tmpl)
}

// changedOption names the first request option that departs from what the
// template gives: its days_valid, or the defaults for the rest.
func changedOption(b *createBody, t *template) string {
	switch {
	case b.DaysValid != nil && (t.DaysValid == nil || *b.DaysValid != *t.DaysValid):
		return "days_valid"
	case b.AreRemindersEnabled != nil && *b.AreRemindersEnabled:
		return "are_reminders_enabled"
	case b.AreTextSignaturesEnabled != nil && !*b.AreTextSignaturesEnabled:
		return "are_text_signatures_enabled"
	case b.IsDocumentPreparationNeeded != nil && *b.IsDocumentPreparationNeeded:
		return "is_document_preparation_needed"
	case b.SignatureColor != nil:
		return "signature_color"
	case b.RedirectURL != nil:
		return "redirect_url"
	case b.DeclinedRedirectURL != nil:
		return "declined_redirect_url"
	}
	return ""
}

// changedRecipient names the first signer setting that departs from the
// template's recipients: their number, emails, roles or order.
func changedRecipient(in []createSigner, ts []*templateSigner) string {
	if len(in) != len(ts) {
		return "signers"
	}
	for i, s := range in {
		field := fmt.Sprintf("signers[%d]", i)
		switch {
		case nonEmpty(s.Email) && ts[i].Email != "" && !strings.EqualFold(*s.Email, ts[i].Email):
			return field + ".email"
		case s.Role != nil && *s.Role != ts[i].Role:
			return field + ".role"
		case s.Order != nil && *s.Order != ts[i].Order:
			return field + ".order"
		}
	}
	return ""
}

// minimalPDF is a tiny valid one-page PDF showing title.
func minimalPDF(title string) []byte {
	stream := fmt.Sprintf("BT /F1 18 Tf 72 720 Td (%s) Tj ET", title)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	out := "%PDF-1.4\n"
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = len(out)
		out += fmt.Sprintf("%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := len(out)
	out += fmt.Sprintf("xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		out += fmt.Sprintf("%010d 00000 n \n", off)
	}
	out += fmt.Sprintf("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(out)
}
