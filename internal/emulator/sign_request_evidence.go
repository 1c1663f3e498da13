package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// What a sign request leaves behind (FIDELITY.md, "Evidence"): what the
// signers typed and uploaded, a new version of each signed copy per
// signature, the signing log written at finalization, the error code of a
// failed request and the reason it was cancelled.

// signerInput is a value a signer entered into one of the request's tags
// (SignRequestSignerInput: a prefill tag plus its type).
type signerInput struct {
	prefillTag
	Type string `json:"type"`
}

// signerAttachment is a file a signer uploaded (SignRequestSignerAttachment).
type signerAttachment struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// signBody is what the sign control takes beyond the checks of signerBody:
// values for the request's tags and one attachment.
type signBody struct {
	Inputs     []prefillTag `json:"inputs"`
	Attachment *struct {
		Name    string `json:"name"`
		Content string `json:"content"`
	} `json:"attachment"`
}

// requestTags are the tag IDs of a request a signer can fill, with their
// type when the template says it: the request's prefill tags and its
// template's inputs. Which signer a tag belongs to is not modelled (guess:
// any signer may fill any of the request's tags).
func (e *Emulator) requestTags(sr *signRequest) map[string]string {
	tags := map[string]string{}
	for _, t := range sr.PrefillTags {
		if t.DocumentTagID != nil {
			tags[*t.DocumentTagID] = ""
		}
	}
	if sr.TemplateID != nil {
		if t := e.st.Templates[*sr.TemplateID]; t != nil {
			for _, s := range t.Signers {
				for _, in := range s.Inputs {
					tags[in.DocumentTagID] = in.Type
				}
			}
		}
	}
	return tags
}

// checkSignBody refuses values for tags the request does not have, values
// that are not exactly one of text, checkbox and date, and an attachment
// without a name, before the signature changes anything.
func (e *Emulator) checkSignBody(sr *signRequest, b signBody) *response {
	tags := e.requestTags(sr)
	for i, in := range b.Inputs {
		if in.DocumentTagID == nil {
			return controlError(http.StatusBadRequest, "bad_request", fmt.Sprintf("inputs[%d] needs a document_tag_id", i))
		}
		if _, ok := tags[*in.DocumentTagID]; !ok {
			return controlError(http.StatusBadRequest, "bad_request",
				fmt.Sprintf("inputs[%d]: the sign request has no tag %q (its tags are its prefill tags and its template's inputs)", i, *in.DocumentTagID))
		}
		if inputType(in) == "" {
			return controlError(http.StatusBadRequest, "bad_request", fmt.Sprintf("inputs[%d] needs exactly one of text_value, checkbox_value and date_value", i))
		}
	}
	if b.Attachment != nil && validName(b.Attachment.Name) != nil {
		return controlError(http.StatusBadRequest, "bad_request", "attachment needs a valid file name")
	}
	return nil
}

// inputType is the input's type from its one value, or "".
func inputType(in prefillTag) string {
	var kinds []string
	if in.TextValue != nil {
		kinds = append(kinds, "text")
	}
	if in.CheckboxValue != nil {
		kinds = append(kinds, "checkbox")
	}
	if in.DateValue != nil {
		kinds = append(kinds, "date")
	}
	if len(kinds) != 1 {
		return ""
	}
	return kinds[0]
}

// recordSignerEvidence keeps what a signer typed and uploaded when signing.
// An attachment is a file in the request's folder, owned as the signed
// copies are (where Box stores attachments is a guess).
func (e *Emulator) recordSignerEvidence(sr *signRequest, s *signer, b signBody) {
	tags := e.requestTags(sr)
	for _, in := range b.Inputs {
		typ := tags[*in.DocumentTagID]
		if typ == "" {
			typ = inputType(in)
		}
		s.Inputs = append(s.Inputs, signerInput{prefillTag: in, Type: typ})
	}
	if b.Attachment == nil {
		return
	}
	if parent := e.st.Folders[sr.ParentFolderID]; parent != nil {
		f := e.newFile(parent.ID, e.uniqueName(parent.ID, sr.SenderID, b.Attachment.Name),
			e.ownerOfNew(parent, e.senderOf(sr)), []byte(b.Attachment.Content))
		s.Attachments = append(s.Attachments, signerAttachment{ID: f.ID, Name: f.Name})
	}
}

// signerInputsJSON is the signer's inputs as Box returns them.
func signerInputsJSON(s *signer) []any {
	out := make([]any, 0, len(s.Inputs))
	for _, in := range s.Inputs {
		out = append(out, map[string]any{
			"document_tag_id": in.DocumentTagID, "text_value": in.TextValue,
			"checkbox_value": in.CheckboxValue, "date_value": in.DateValue,
			"type": in.Type, "content_type": in.Type, "page_index": 0, "read_only": false,
		})
	}
	return out
}

// signerAttachmentsJSON is null until the signer uploads a file, as the
// spec's nullable list allows.
func signerAttachmentsJSON(s *signer) any {
	if len(s.Attachments) == 0 {
		return nil
	}
	return s.Attachments
}

// errorCodes are the error_code of each error status. The spec names one
// code (cfr11_validation_failed, which a request the emulator accepts can
// never reach); the code for a failed conversion is a guess.
var errorCodes = map[string]string{statusErrorConverting: "file_conversion_failed"}

// errorCode is the request's error_code: null unless it failed.
func errorCode(sr *signRequest) any {
	if c, ok := errorCodes[sr.Status]; ok {
		return c
	}
	return nil
}

// signedContent is a sign file's content once s has signed: the previous
// bytes and a line that names the signature, so each signature is a new
// version with its own SHA-1 (the bytes of Box's signed PDF: guess).
func signedContent(prev []byte, s *signer, at time.Time) []byte {
	line := fmt.Sprintf("\n%% Signed by %s at %s\n", s.Email, at.UTC().Format(time.RFC3339))
	return append(append([]byte{}, prev...), line...)
}

// signingLogContent is the signing log Box writes when a request is
// finalized: one line per signer's decision.
func signingLogContent(sr *signRequest) []byte {
	var b strings.Builder
	b.WriteString(string(minimalPDF("Signing log")))
	fmt.Fprintf(&b, "\n%% Sign request %s (%s)\n", sr.ID, sr.Name)
	for _, s := range sr.Signers {
		if s.Decision != nil {
			fmt.Fprintf(&b, "%% %s %s at %s\n", s.Email, s.Decision.Type, s.Decision.FinalizedAt.UTC().Format(time.RFC3339))
		}
	}
	return []byte(b.String())
}

// finalizeLog gives the signing log its final version.
func (e *Emulator) finalizeLog(sr *signRequest) {
	if f := e.st.Files[sr.SigningLogID]; f != nil {
		e.putVersion(f, signingLogContent(sr), sr.SenderID)
	}
}

// ctlSignRequest is GET /_emulator/sign_requests/{id}: the request as its
// sender sees it, plus what Box keeps and does not return: the reason it
// was cancelled with.
func (e *Emulator) ctlSignRequest(id string) *response {
	sr := e.st.SignRequests[id]
	if sr == nil {
		return controlError(http.StatusNotFound, "not_found", "No such sign request")
	}
	e.settle(sr)
	return jsonResponse(http.StatusOK, map[string]any{
		"sign_request":  e.signRequestJSON(sr, e.senderOf(sr)),
		"cancel_reason": sr.CancelReason,
	})
}
