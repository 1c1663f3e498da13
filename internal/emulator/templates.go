package emulator

import (
	"fmt"
	"net/http"
	"sort"
)

// Box has no API to create sign templates (they are made in the web app),
// so they exist only through the seed.

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
}

type templateSigner struct {
	Email                 string `json:"email"`
	Role                  string `json:"role"`
	IsInPerson            bool   `json:"is_in_person"`
	Order                 int    `json:"order"`
	Label                 string `json:"label"`
	PublicID              string `json:"public_id"`
	IsPasswordRequired    bool   `json:"is_password_required"`
	IsPhoneNumberRequired bool   `json:"is_phone_number_required"`
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
	signers := make([]any, 0, len(t.Signers))
	required := []any{}
	for _, s := range t.Signers {
		signers = append(signers, map[string]any{
			"inputs": []any{
				map[string]any{
					"document_tag_id": nil, "text_value": nil, "checkbox_value": nil, "date_value": nil,
					"type": "signature", "content_type": "signature", "is_required": true,
					"page_index": 0, "document_id": t.SourceFileIDs[0], "dropdown_choices": nil,
					"group_id": nil, "coordinates": map[string]float64{"x": 0.1, "y": 0.8},
					"dimensions": map[string]float64{"width": 0.3, "height": 0.05},
					"label":      nil, "read_only": false,
				},
			},
			"email": s.Email, "role": s.Role, "is_in_person": s.IsInPerson, "order": s.Order,
			"signer_group_id": nil, "label": s.Label, "public_id": s.PublicID,
			"is_password_required": s.IsPasswordRequired, "is_phone_number_required": s.IsPhoneNumberRequired,
			"login_required": false,
		})
		if s.Email == "" {
			required = append(required, []string{"email"})
		}
	}
	return map[string]any{
		"type": "sign-template", "id": t.ID, "name": t.Name,
		"email_subject": t.EmailSubject, "email_message": t.EmailMessage, "days_valid": t.DaysValid,
		"parent_folder": parent, "source_files": files,
		"are_fields_locked": false, "are_options_locked": false, "are_recipients_locked": false,
		"are_email_settings_locked": false, "are_files_locked": false,
		"signers": signers,
		"additional_info": map[string]any{
			"non_editable": []string{},
			"required":     map[string]any{"signers": required},
		},
		"ready_sign_link": nil, "custom_branding": nil, "request_flow": "standard",
	}
}

// handleListTemplates is GET /2.0/sign_templates. Templates are shared
// with every user of the enterprise here, since the seed has one owner but
// tests act as the admin or the service account.
func (e *Emulator) handleListTemplates(c *call) *response {
	q := c.r.URL.Query()
	limit, resp := pageLimit(q, 100)
	if resp != nil {
		return resp
	}
	start := int64(0)
	if m := q.Get("marker"); m != "" {
		n, ok := decodeMarker("tpl", m)
		if !ok {
			return badParam("marker", "Invalid marker")
		}
		start = n
	}
	var list []*template
	for _, t := range e.st.Templates {
		if t.Seq >= start {
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
	if t == nil {
		return notFound()
	}
	return jsonResponse(http.StatusOK, e.templateJSON(t))
}

// seed makes the demo content: a folder, two PDFs and two templates, one
// with a password-protected signer and one with a phone-verified signer.
// IDs come from the state's counters, so a reset reseeds identical IDs.
func (e *Emulator) seed() {
	now := e.now()
	st := e.st
	f := &folder{ID: st.newID(), Name: "Box Sign Demo", ParentID: rootFolderID, OwnerID: adminUserID,
		CreatedAt: now, ModifiedAt: now}
	st.Folders[f.ID] = f
	info := &SeedInfo{FolderID: f.ID, AdminUserID: adminUserID, AdminLogin: adminLogin}
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
				PublicID: "1A2B3C4D", IsPasswordRequired: true}},
		},
		{
			ID: "6ae28666-03c4-4ac1-80db-06a90d3b1361", Name: "Contract (phone verification)",
			EmailSubject:   strPtr("Please sign this contract"),
			ParentFolderID: f.ID, SourceFileIDs: []string{info.FileIDs[0]},
			Signers: []*templateSigner{{Role: "signer", Order: 1, Label: "Signer",
				PublicID: "5E6F7A8B", IsPhoneNumberRequired: true}},
		},
	}
	for _, t := range tpls {
		t.Seq = st.seq()
		st.Templates[t.ID] = t
		info.TemplateIDs = append(info.TemplateIDs, t.ID)
	}
	st.Seed = info
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
