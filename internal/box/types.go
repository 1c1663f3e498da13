package box

import "time"

// FileRef is Box's File--Base as sent in a create body, and File--Mini as
// Box returns it (the signed copies and the signing log of a request).
type FileRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Name string `json:"name,omitempty"`

	// Only in responses: the SHA-1 of the current version, and its ID.
	SHA1        string       `json:"sha1,omitempty"`
	FileVersion *FileVersion `json:"file_version,omitempty"`
}

// FileVersion is Box's FileVersion--Mini, and the fields of a past version
// (FileVersion--Full) the client reads.
type FileVersion struct {
	Type      string     `json:"type,omitempty"`
	ID        string     `json:"id"`
	SHA1      string     `json:"sha1,omitempty"`
	Name      string     `json:"name,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
}

// VersionID is the ID of the file's current version, or "".
func (f FileRef) VersionID() string {
	if f.FileVersion == nil {
		return ""
	}
	return f.FileVersion.ID
}

// FolderRef is Box's Folder--Mini.
type FolderRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Name string `json:"name,omitempty"`
}

// SignRequestCreateSigner is one entry of signers[] in a create body.
// Pointers are nil when the user did not set the field, so that Box
// applies its own default instead of receiving an explicit zero.
type SignRequestCreateSigner struct {
	Email                   string  `json:"email,omitempty"` // omitted only for templates that carry the emails
	Role                    string  `json:"role,omitempty"`
	IsInPerson              *bool   `json:"is_in_person,omitempty"`
	Order                   *int64  `json:"order,omitempty"`
	EmbedURLExternalUserID  *string `json:"embed_url_external_user_id,omitempty"`
	RedirectURL             *string `json:"redirect_url,omitempty"`
	DeclinedRedirectURL     *string `json:"declined_redirect_url,omitempty"`
	LoginRequired           *bool   `json:"login_required,omitempty"`
	VerificationPhoneNumber *string `json:"verification_phone_number,omitempty"`
	Password                *string `json:"password,omitempty"`
	SignerGroupID           *string `json:"signer_group_id,omitempty"`
	SuppressNotifications   *bool   `json:"suppress_notifications,omitempty"`
	Language                *string `json:"language,omitempty"`
}

// PrefillTag is Box's SignRequestPrefillTag; exactly one value is set.
type PrefillTag struct {
	DocumentTagID string  `json:"document_tag_id"`
	TextValue     *string `json:"text_value,omitempty"`
	CheckboxValue *bool   `json:"checkbox_value,omitempty"`
	DateValue     *string `json:"date_value,omitempty"`
}

// SignRequestCreate is the body of POST /2.0/sign_requests.
type SignRequestCreate struct {
	Signers                           []SignRequestCreateSigner `json:"signers"`
	SourceFiles                       []FileRef                 `json:"source_files,omitempty"`
	ParentFolder                      *FolderRef                `json:"parent_folder,omitempty"`
	IsDocumentPreparationNeeded       *bool                     `json:"is_document_preparation_needed,omitempty"`
	RedirectURL                       *string                   `json:"redirect_url,omitempty"`
	DeclinedRedirectURL               *string                   `json:"declined_redirect_url,omitempty"`
	AreTextSignaturesEnabled          *bool                     `json:"are_text_signatures_enabled,omitempty"`
	EmailSubject                      *string                   `json:"email_subject,omitempty"`
	EmailMessage                      *string                   `json:"email_message,omitempty"`
	AreRemindersEnabled               *bool                     `json:"are_reminders_enabled,omitempty"`
	Name                              *string                   `json:"name,omitempty"`
	PrefillTags                       []PrefillTag              `json:"prefill_tags,omitempty"`
	DaysValid                         *int64                    `json:"days_valid,omitempty"`
	ExternalID                        *string                   `json:"external_id,omitempty"`
	TemplateID                        *string                   `json:"template_id,omitempty"`
	ExternalSystemName                *string                   `json:"external_system_name,omitempty"`
	SignatureColor                    *string                   `json:"signature_color,omitempty"`
	IsPhoneVerificationRequiredToView *bool                     `json:"is_phone_verification_required_to_view,omitempty"`

	// RequestFlow is standard or cfr11; nil lets Box choose by its admin
	// settings.
	RequestFlow *string `json:"request_flow,omitempty"`
}

// SignerDecision is Box's signer_decision object.
type SignerDecision struct {
	Type           string     `json:"type"`
	FinalizedAt    *time.Time `json:"finalized_at"`
	AdditionalInfo *string    `json:"additional_info"`
}

// SignRequestSigner is a signer as Box returns it. Box never returns password.
type SignRequestSigner struct {
	Email                   string          `json:"email"`
	Role                    string          `json:"role"`
	IsInPerson              bool            `json:"is_in_person"`
	Order                   int64           `json:"order"`
	EmbedURLExternalUserID  *string         `json:"embed_url_external_user_id"`
	RedirectURL             *string         `json:"redirect_url"`
	DeclinedRedirectURL     *string         `json:"declined_redirect_url"`
	LoginRequired           bool            `json:"login_required"`
	VerificationPhoneNumber *string         `json:"verification_phone_number"`
	SignerGroupID           *string         `json:"signer_group_id"`
	SuppressNotifications   bool            `json:"suppress_notifications"`
	Language                *string         `json:"language"`
	HasViewedDocument       bool            `json:"has_viewed_document"`
	SignerDecision          *SignerDecision `json:"signer_decision"`
	EmbedURL                *string         `json:"embed_url"`
	IframeableEmbedURL      *string         `json:"iframeable_embed_url"`

	// What the signer typed and uploaded.
	Inputs      []SignerInput      `json:"inputs"`
	Attachments []SignerAttachment `json:"attachments"`
}

// SignerInput is Box's SignRequestSignerInput: a value a signer entered
// into a tag of the document, with its type.
type SignerInput struct {
	DocumentTagID *string `json:"document_tag_id"`
	Type          string  `json:"type"`
	ContentType   string  `json:"content_type"`
	TextValue     *string `json:"text_value"`
	CheckboxValue *bool   `json:"checkbox_value"`
	DateValue     *string `json:"date_value"`
	PageIndex     int64   `json:"page_index"`
}

// SignerAttachment is Box's SignRequestSignerAttachment: a file a signer
// uploaded.
type SignerAttachment struct {
	ID   *string `json:"id"`
	Name *string `json:"name"`
}

// SignFiles is Box's sign_files object.
type SignFiles struct {
	Files              []FileRef `json:"files"`
	IsReadyForDownload bool      `json:"is_ready_for_download"`
}

// SignRequest is Box's SignRequest response object.
type SignRequest struct {
	Type                              string              `json:"type"`
	ID                                string              `json:"id"`
	Status                            SignRequestStatus   `json:"status"`
	ShortID                           string              `json:"short_id"`
	Name                              *string             `json:"name"`
	Signers                           []SignRequestSigner `json:"signers"`
	SourceFiles                       []FileRef           `json:"source_files"`
	ParentFolder                      *FolderRef          `json:"parent_folder"`
	IsDocumentPreparationNeeded       bool                `json:"is_document_preparation_needed"`
	RedirectURL                       *string             `json:"redirect_url"`
	DeclinedRedirectURL               *string             `json:"declined_redirect_url"`
	AreTextSignaturesEnabled          bool                `json:"are_text_signatures_enabled"`
	EmailSubject                      *string             `json:"email_subject"`
	EmailMessage                      *string             `json:"email_message"`
	AreRemindersEnabled               bool                `json:"are_reminders_enabled"`
	PrefillTags                       []PrefillTag        `json:"prefill_tags"`
	DaysValid                         *int64              `json:"days_valid"`
	ExternalID                        *string             `json:"external_id"`
	TemplateID                        *string             `json:"template_id"`
	ExternalSystemName                *string             `json:"external_system_name"`
	SignatureColor                    *string             `json:"signature_color"`
	IsPhoneVerificationRequiredToView *bool               `json:"is_phone_verification_required_to_view"`
	PrepareURL                        *string             `json:"prepare_url"`
	SigningLog                        *FileRef            `json:"signing_log"`
	SignFiles                         *SignFiles          `json:"sign_files"`
	AutoExpireAt                      *time.Time          `json:"auto_expire_at"`
	SenderEmail                       *string             `json:"sender_email"`
	SenderID                          *int64              `json:"sender_id"`
	CreatedAt                         *time.Time          `json:"created_at"`
	FinishedAt                        *time.Time          `json:"finished_at"`
	ErrorCode                         *string             `json:"error_code"`
	RequestFlow                       *string             `json:"request_flow"`
}

// SignRequestPage is one page of GET /2.0/sign_requests.
type SignRequestPage struct {
	Limit      int64         `json:"limit"`
	NextMarker *string       `json:"next_marker"`
	Entries    []SignRequest `json:"entries"`
}

// ListSignRequestsOptions are the query parameters of GET /2.0/sign_requests.
type ListSignRequestsOptions struct {
	Marker         string
	Limit          int64 // 0 lets the client choose
	Senders        []string
	SharedRequests bool
}

// User is the subset of Box's User object the provider uses.
type User struct {
	Type       string     `json:"type"`
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Login      string     `json:"login"`
	Enterprise *FolderRef `json:"enterprise,omitempty"` // id, type "enterprise", name; absent for users outside an enterprise
}

// Item is an entry of a folder listing (file, folder or web link).
type Item struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ItemPage is one page of GET /2.0/folders/{id}/items (marker pagination).
type ItemPage struct {
	Entries    []Item  `json:"entries"`
	Limit      int64   `json:"limit"`
	NextMarker *string `json:"next_marker"`
}

// Folder is the subset of Folder--Full the provider uses.
type Folder struct {
	Type           string     `json:"type"`
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	ETag           string     `json:"etag"`
	Description    string     `json:"description"`
	ItemStatus     string     `json:"item_status"`
	Parent         *FolderRef `json:"parent"`
	CreatedAt      *time.Time `json:"created_at"`
	CreatedBy      *User      `json:"created_by"`
	PathCollection *struct {
		TotalCount int64       `json:"total_count"`
		Entries    []FolderRef `json:"entries"`
	} `json:"path_collection"`
}

// File is the subset of File--Full the provider uses.
type File struct {
	Type        string     `json:"type"`
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Size        int64      `json:"size"`
	SHA1        string     `json:"sha1"`
	ETag        string     `json:"etag"`
	ItemStatus  string     `json:"item_status"`
	Parent      *FolderRef `json:"parent"`
	CreatedAt   *time.Time `json:"created_at"`
	CreatedBy   *User      `json:"created_by"`
	FileVersion *struct {
		ID string `json:"id"`
	} `json:"file_version"`
}

// VersionID is the ID of the file's current version, or "".
func (f *File) VersionID() string {
	if f.FileVersion == nil {
		return ""
	}
	return f.FileVersion.ID
}

// TemplateSigner is a signer of a Box Sign template.
type TemplateSigner struct {
	Email                 *string `json:"email"`
	Role                  string  `json:"role"`
	IsInPerson            bool    `json:"is_in_person"`
	Order                 int64   `json:"order"`
	SignerGroupID         *string `json:"signer_group_id"`
	Label                 *string `json:"label"`
	PublicID              string  `json:"public_id"`
	IsPasswordRequired    bool    `json:"is_password_required"`
	IsPhoneNumberRequired bool    `json:"is_phone_number_required"`
	LoginRequired         bool    `json:"login_required"`
	// Inputs are the fields the signer fills in; those with a
	// document_tag_id can be prefilled by a request's prefill_tags.
	Inputs []TemplateInput `json:"inputs"`
}

// TemplateInput is one field of a template signer.
type TemplateInput struct {
	DocumentTagID *string `json:"document_tag_id"`
	Type          string  `json:"type"`
}

// SignTemplate is Box's SignTemplate (read-only).
type SignTemplate struct {
	Type                   string           `json:"type"`
	ID                     string           `json:"id"`
	Name                   *string          `json:"name"`
	EmailSubject           *string          `json:"email_subject"`
	EmailMessage           *string          `json:"email_message"`
	DaysValid              *int64           `json:"days_valid"`
	ParentFolder           *FolderRef       `json:"parent_folder"`
	SourceFiles            []FileRef        `json:"source_files"`
	Signers                []TemplateSigner `json:"signers"`
	AreFieldsLocked        bool             `json:"are_fields_locked"`
	AreOptionsLocked       bool             `json:"are_options_locked"`
	AreRecipientsLocked    bool             `json:"are_recipients_locked"`
	AreEmailSettingsLocked bool             `json:"are_email_settings_locked"`
	AreFilesLocked         bool             `json:"are_files_locked"`
}

// SignTemplatePage is one page of GET /2.0/sign_templates.
type SignTemplatePage struct {
	Limit      int64          `json:"limit"`
	NextMarker *string        `json:"next_marker"`
	PrevMarker *string        `json:"prev_marker"`
	Entries    []SignTemplate `json:"entries"`
}
