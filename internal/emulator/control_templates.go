package emulator

import (
	"encoding/json"
	"net/http"

	"github.com/google/uuid"
)

// ctlAddTemplate is POST /_emulator/sign_templates: it stands in for a
// template made in Box's web app, which has no API. Tests use it for what
// the seed lacks, such as two templates with the same name (Box does not
// make template names unique) or enough templates to page through.
//
// Body: {"name": "...", "source_file_ids": [...], "parent_folder_id": "...",
// "email_subject": "...", "signers": [{"role": "signer", "order": 1, ...}],
// "are_options_locked": true, ...}. Without source_file_ids or
// parent_folder_id the seed's are used; without signers the template has
// one signer. The template belongs to the folder's owner.
func (e *Emulator) ctlAddTemplate(body []byte) *response {
	var in struct {
		Name           string            `json:"name"`
		SourceFileIDs  []string          `json:"source_file_ids"`
		ParentFolderID string            `json:"parent_folder_id"`
		EmailSubject   *string           `json:"email_subject"`
		DaysValid      *int              `json:"days_valid"`
		Signers        []*templateSigner `json:"signers"`
		templateLocks
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return controlError(http.StatusBadRequest, "bad_request", "Invalid template JSON: "+err.Error())
	}
	if in.Name == "" {
		return controlError(http.StatusBadRequest, "bad_request", "name is required")
	}
	if len(in.SourceFileIDs) == 0 && e.st.Seed != nil && len(e.st.Seed.FileIDs) > 0 {
		in.SourceFileIDs = []string{e.st.Seed.FileIDs[0]}
	}
	if in.ParentFolderID == "" && e.st.Seed != nil {
		in.ParentFolderID = e.st.Seed.FolderID
	}
	if len(in.SourceFileIDs) == 0 || in.ParentFolderID == "" {
		return controlError(http.StatusBadRequest, "bad_request", "source_file_ids and parent_folder_id are required without a seed")
	}
	for _, id := range in.SourceFileIDs {
		if e.liveFile(id) == nil {
			return controlError(http.StatusBadRequest, "bad_request", "no such file: "+id)
		}
	}
	parent := e.liveFolder(in.ParentFolderID)
	if parent == nil || parent.ID == rootFolderID {
		return controlError(http.StatusBadRequest, "bad_request", "no such folder: "+in.ParentFolderID)
	}
	if len(in.Signers) == 0 {
		in.Signers = []*templateSigner{{Role: "signer", Order: 1, Label: "Signer"}}
	}
	for _, s := range in.Signers {
		if s.Role == "" {
			s.Role = "signer"
		}
		if s.PublicID == "" {
			s.PublicID = randomString(8, "0123456789ABCDEF")
		}
	}
	t := &template{
		ID: uuid.NewString(), Seq: e.st.seq(), Name: in.Name,
		EmailSubject: in.EmailSubject, DaysValid: in.DaysValid,
		ParentFolderID: in.ParentFolderID, SourceFileIDs: in.SourceFileIDs, Signers: in.Signers,
		OwnerID: parent.OwnerID, Locks: in.templateLocks,
	}
	e.st.Templates[t.ID] = t
	return jsonResponse(http.StatusCreated, e.templateJSON(t))
}
