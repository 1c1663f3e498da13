package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
)

// signRequestModel is the box_sign_request resource as Terraform sees it.
// This file is the one place where it meets Box's JSON; the
// box_sign_request and box_sign_requests data sources share its parts
// (signRequestArgs, signRequestComputed, signerArgs, signerProgress) and
// their mapping from Box.
type signRequestModel struct {
	signRequestArgs
	signRequestComputed
	SourceFileIDs  types.List     `tfsdk:"source_file_ids"`
	ParentFolderID types.String   `tfsdk:"parent_folder_id"`
	Name           types.String   `tfsdk:"name"`
	ResendVersion  types.Int64    `tfsdk:"resend_version"`
	AllowIdentical types.Bool     `tfsdk:"allow_identical"`
	Signers        types.List     `tfsdk:"signer"`
	PrefillTags    types.List     `tfsdk:"prefill_tag"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`

	// Evidence (sign_request_evidence_model.go).
	signRequestEvidence
	CancelReason types.String `tfsdk:"cancel_reason"`
}

// signRequestArgs are the arguments that Box reports back as they were
// sent: the data sources show them, the resource takes them after an import.
type signRequestArgs struct {
	TemplateID                        types.String `tfsdk:"template_id"`
	EmailSubject                      types.String `tfsdk:"email_subject"`
	EmailMessage                      types.String `tfsdk:"email_message"`
	ExternalID                        types.String `tfsdk:"external_id"`
	ExternalSystemName                types.String `tfsdk:"external_system_name"`
	RedirectURL                       types.String `tfsdk:"redirect_url"`
	DeclinedRedirectURL               types.String `tfsdk:"declined_redirect_url"`
	SignatureColor                    types.String `tfsdk:"signature_color"`
	DaysValid                         types.Int64  `tfsdk:"days_valid"`
	AreRemindersEnabled               types.Bool   `tfsdk:"are_reminders_enabled"`
	AreTextSignaturesEnabled          types.Bool   `tfsdk:"are_text_signatures_enabled"`
	IsDocumentPreparationNeeded       types.Bool   `tfsdk:"is_document_preparation_needed"`
	IsPhoneVerificationRequiredToView types.Bool   `tfsdk:"is_phone_verification_required_to_view"`
}

// signRequestComputed is what Box computes, followed on every refresh.
type signRequestComputed struct {
	ID                 types.String `tfsdk:"id"`
	Status             types.String `tfsdk:"status"`
	ShortID            types.String `tfsdk:"short_id"`
	PrepareURL         types.String `tfsdk:"prepare_url"`
	SigningLogFileID   types.String `tfsdk:"signing_log_file_id"`
	SenderEmail        types.String `tfsdk:"sender_email"`
	CreatedAt          types.String `tfsdk:"created_at"`
	AutoExpireAt       types.String `tfsdk:"auto_expire_at"`
	IsReadyForDownload types.Bool   `tfsdk:"is_ready_for_download"`
	SignFileIDs        types.List   `tfsdk:"sign_file_ids"`
}

type signerModel struct {
	signerArgs
	signerProgress
	Password                types.String `tfsdk:"password"`
	PasswordWO              types.String `tfsdk:"password_wo"`
	PasswordWOVersion       types.Int64  `tfsdk:"password_wo_version"`
	VerificationPhoneNumber types.String `tfsdk:"verification_phone_number"`

	signerEvidence // sign_request_evidence_model.go
}

// signerArgs are the signer's arguments that Box reports back.
type signerArgs struct {
	Email                  types.String `tfsdk:"email"`
	Role                   types.String `tfsdk:"role"`
	Order                  types.Int64  `tfsdk:"order"`
	IsInPerson             types.Bool   `tfsdk:"is_in_person"`
	LoginRequired          types.Bool   `tfsdk:"login_required"`
	SuppressNotifications  types.Bool   `tfsdk:"suppress_notifications"`
	EmbedURLExternalUserID types.String `tfsdk:"embed_url_external_user_id"`
	RedirectURL            types.String `tfsdk:"redirect_url"`
	DeclinedRedirectURL    types.String `tfsdk:"declined_redirect_url"`
	SignerGroupID          types.String `tfsdk:"signer_group_id"`
	Language               types.String `tfsdk:"language"`
}

// signerProgress is how far the signer has got, as Box reports it.
type signerProgress struct {
	HasViewedDocument types.Bool   `tfsdk:"has_viewed_document"`
	Decision          types.String `tfsdk:"decision"`
	DecidedAt         types.String `tfsdk:"decided_at"`
}

type prefillTagModel struct {
	DocumentTagID types.String `tfsdk:"document_tag_id"`
	TextValue     types.String `tfsdk:"text_value"`
	CheckboxValue types.Bool   `tfsdk:"checkbox_value"`
	DateValue     types.String `tfsdk:"date_value"`
}

func (m *signRequestModel) signers(ctx context.Context) ([]signerModel, diag.Diagnostics) {
	var out []signerModel
	if m.Signers.IsNull() || m.Signers.IsUnknown() {
		return nil, nil
	}
	diags := m.Signers.ElementsAs(ctx, &out, false)
	return out, diags
}

func (m *signRequestModel) prefillTags(ctx context.Context) ([]prefillTagModel, diag.Diagnostics) {
	var out []prefillTagModel
	if m.PrefillTags.IsNull() || m.PrefillTags.IsUnknown() {
		return nil, nil
	}
	diags := m.PrefillTags.ElementsAs(ctx, &out, false)
	return out, diags
}

// createRequest builds the POST body from the plan. passwords holds the
// write-only passwords, read from the configuration because write-only
// values never reach the plan.
func (m *signRequestModel) createRequest(ctx context.Context, passwords []types.String) (*box.SignRequestCreate, diag.Diagnostics) {
	var diags diag.Diagnostics
	req := &box.SignRequestCreate{
		TemplateID:                        stringPtr(m.TemplateID),
		Name:                              stringPtr(m.Name),
		EmailSubject:                      stringPtr(m.EmailSubject),
		EmailMessage:                      stringPtr(m.EmailMessage),
		ExternalID:                        stringPtr(m.ExternalID),
		ExternalSystemName:                stringPtr(m.ExternalSystemName),
		RedirectURL:                       stringPtr(m.RedirectURL),
		DeclinedRedirectURL:               stringPtr(m.DeclinedRedirectURL),
		SignatureColor:                    stringPtr(m.SignatureColor),
		DaysValid:                         int64Ptr(m.DaysValid),
		AreRemindersEnabled:               boolPtr(m.AreRemindersEnabled),
		AreTextSignaturesEnabled:          boolPtr(m.AreTextSignaturesEnabled),
		IsDocumentPreparationNeeded:       boolPtr(m.IsDocumentPreparationNeeded),
		IsPhoneVerificationRequiredToView: boolPtr(m.IsPhoneVerificationRequiredToView),
		RequestFlow:                       stringPtr(m.RequestFlow),
	}
	if id := stringPtr(m.ParentFolderID); id != nil {
		req.ParentFolder = &box.FolderRef{ID: *id, Type: "folder"}
	}
	if !m.SourceFileIDs.IsNull() && !m.SourceFileIDs.IsUnknown() {
		var ids []string
		diags.Append(m.SourceFileIDs.ElementsAs(ctx, &ids, false)...)
		for _, id := range ids {
			req.SourceFiles = append(req.SourceFiles, box.FileRef{ID: id, Type: "file"})
		}
	}
	signers, d := m.signers(ctx)
	diags.Append(d...)
	for i, s := range signers {
		bs := box.SignRequestCreateSigner{
			Email:                   s.Email.ValueString(),
			Role:                    s.Role.ValueString(),
			Order:                   int64Ptr(s.Order),
			IsInPerson:              boolPtr(s.IsInPerson),
			LoginRequired:           boolPtr(s.LoginRequired),
			SuppressNotifications:   boolPtr(s.SuppressNotifications),
			EmbedURLExternalUserID:  stringPtr(s.EmbedURLExternalUserID),
			RedirectURL:             stringPtr(s.RedirectURL),
			DeclinedRedirectURL:     stringPtr(s.DeclinedRedirectURL),
			SignerGroupID:           stringPtr(s.SignerGroupID),
			Language:                stringPtr(s.Language),
			Password:                stringPtr(s.Password),
			VerificationPhoneNumber: stringPtr(s.VerificationPhoneNumber),
		}
		if i < len(passwords) && bs.Password == nil {
			bs.Password = stringPtr(passwords[i])
		}
		req.Signers = append(req.Signers, bs)
	}
	tags, d := m.prefillTags(ctx)
	diags.Append(d...)
	for _, t := range tags {
		req.PrefillTags = append(req.PrefillTags, box.PrefillTag{
			DocumentTagID: t.DocumentTagID.ValueString(),
			TextValue:     stringPtr(t.TextValue),
			CheckboxValue: boolPtr(t.CheckboxValue),
			DateValue:     stringPtr(t.DateValue),
		})
	}
	return req, diags
}

// applyResponse copies Box's view of the request into the model.
//
// Box cannot change a sign request's arguments after creation, so the
// arguments the user configured are kept as they are: this is what keeps
// Box's own rewrites (the ".pdf" on the name, a generated signer_group_id,
// sanitised email HTML, an unechoed password) from ever showing as a diff.
// Only when there is nothing configured to keep (after an import, or an
// Optional+Computed argument the user left out) are arguments taken from Box.
func (m *signRequestModel) applyResponse(ctx context.Context, sr *box.SignRequest) diag.Diagnostics {
	var diags diag.Diagnostics
	importing := m.Signers.IsNull() || m.Signers.IsUnknown()

	m.signRequestComputed = computedFromBox(sr, &diags)
	m.applyEvidence(sr, importing, &diags)

	// Optional+Computed: Box fills them in when the user did not.
	if unset(m.ParentFolderID) || importing {
		m.ParentFolderID = parentFolderFromBox(sr)
	}
	switch {
	case importing && sr.Name != nil:
		// Configs rarely spell out the ".pdf" Box appends; the name plan
		// modifier treats both spellings as one, so either config matches.
		m.Name = types.StringValue(strings.TrimSuffix(*sr.Name, ".pdf"))
	case unset(m.Name):
		m.Name = types.StringPointerValue(sr.Name)
	}
	if importing {
		m.signRequestArgs = argsFromBox(sr)
		m.PrefillTags = prefillListFromBox(ctx, sr.PrefillTags, &diags)
	}
	switch {
	case !m.TemplateID.IsNull():
		// The template carries the files: a request made from it has no
		// source_file_ids of its own, so that the configuration Terraform
		// generates at import sets template_id alone, as the plan-time
		// check requires. sign_file_ids lists the copies.
		m.SourceFileIDs = types.ListNull(types.StringType)
	case m.SourceFileIDs.IsUnknown() || m.SourceFileIDs.IsNull() || importing:
		m.SourceFileIDs = sourceFilesFromBox(sr, &diags)
	}
	diags.Append(m.applySigners(ctx, sr)...)
	return diags
}

// applySigners refreshes each signer's progress, keeping its configured
// arguments; after an import, the signers come from Box.
func (m *signRequestModel) applySigners(ctx context.Context, sr *box.SignRequest) diag.Diagnostics {
	prior, diags := m.signers(ctx)
	apiSigners := withoutRequester(sr, len(prior))
	if len(prior) != len(apiSigners) {
		// Box's list no longer lines up with the configuration (only
		// possible after an import): take Box's list as the truth.
		prior = nil
	}
	signers := make([]signerModel, len(apiSigners))
	for i, as := range apiSigners {
		var s signerModel
		if prior != nil {
			s = prior[i]
			s.fillSettingsFromBox(as)
		} else {
			s = signerFromBox(as)
		}
		s.PasswordWO = types.StringNull() // write-only: never in state
		s.signerProgress = progressFromBox(as)
		s.signerEvidence = signerEvidenceFromBox(as, &diags)
		signers[i] = s
	}
	list, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: signerAttrTypes}, signers)
	diags.Append(d...)
	m.Signers = list
	return diags
}

// computedFromBox is what Box computes about a request.
func computedFromBox(sr *box.SignRequest, diags *diag.Diagnostics) signRequestComputed {
	c := signRequestComputed{
		ID:                 types.StringValue(sr.ID),
		Status:             types.StringValue(string(sr.Status)),
		ShortID:            types.StringValue(sr.ShortID),
		PrepareURL:         types.StringPointerValue(sr.PrepareURL),
		SenderEmail:        types.StringPointerValue(sr.SenderEmail),
		CreatedAt:          timeValue(sr.CreatedAt),
		AutoExpireAt:       timeValue(sr.AutoExpireAt),
		SigningLogFileID:   types.StringNull(),
		IsReadyForDownload: types.BoolValue(false),
	}
	if sr.SigningLog != nil && sr.SigningLog.ID != "" {
		c.SigningLogFileID = types.StringValue(sr.SigningLog.ID)
	}
	var signFileIDs []string
	if sr.SignFiles != nil {
		c.IsReadyForDownload = types.BoolValue(sr.SignFiles.IsReadyForDownload)
		for _, f := range sr.SignFiles.Files {
			signFileIDs = append(signFileIDs, f.ID)
		}
	}
	c.SignFileIDs = stringList(signFileIDs, diags)
	return c
}

// argsFromBox is the request's arguments as Box reports them.
func argsFromBox(sr *box.SignRequest) signRequestArgs {
	return signRequestArgs{
		TemplateID:                        types.StringPointerValue(sr.TemplateID),
		EmailSubject:                      types.StringPointerValue(sr.EmailSubject),
		EmailMessage:                      types.StringPointerValue(sr.EmailMessage),
		ExternalID:                        types.StringPointerValue(sr.ExternalID),
		ExternalSystemName:                types.StringPointerValue(sr.ExternalSystemName),
		RedirectURL:                       types.StringPointerValue(sr.RedirectURL),
		DeclinedRedirectURL:               types.StringPointerValue(sr.DeclinedRedirectURL),
		SignatureColor:                    types.StringPointerValue(sr.SignatureColor),
		DaysValid:                         types.Int64PointerValue(sr.DaysValid),
		AreRemindersEnabled:               types.BoolValue(sr.AreRemindersEnabled),
		AreTextSignaturesEnabled:          types.BoolValue(sr.AreTextSignaturesEnabled),
		IsDocumentPreparationNeeded:       types.BoolValue(sr.IsDocumentPreparationNeeded),
		IsPhoneVerificationRequiredToView: types.BoolPointerValue(sr.IsPhoneVerificationRequiredToView),
	}
}

func parentFolderFromBox(sr *box.SignRequest) types.String {
	if sr.ParentFolder == nil || sr.ParentFolder.ID == "" {
		return types.StringNull()
	}
	return types.StringValue(sr.ParentFolder.ID)
}

func sourceFilesFromBox(sr *box.SignRequest, diags *diag.Diagnostics) types.List {
	var ids []string
	for _, f := range sr.SourceFiles {
		ids = append(ids, f.ID)
	}
	return stringList(ids, diags)
}

// withoutRequester drops the final_copy_reader entry Box adds for the sender
// at signers[0]. configured is how many signers the state holds (0 after an
// import), which tells an added entry from one the user listed themselves.
func withoutRequester(sr *box.SignRequest, configured int) []box.SignRequestSigner {
	s := sr.Signers
	if len(s) == 0 || sr.SenderEmail == nil {
		return s
	}
	first := s[0]
	if first.Role != "final_copy_reader" || !strings.EqualFold(first.Email, *sr.SenderEmail) {
		return s
	}
	if configured > 0 {
		if len(s) == configured+1 {
			return s[1:]
		}
		return s
	}
	// Import: Box adds the sender only when the sender was not listed, so an
	// entry for the sender that appears nowhere else is Box's addition.
	for _, other := range s[1:] {
		if strings.EqualFold(other.Email, first.Email) {
			return s
		}
	}
	return s[1:]
}

func signerFromBox(as box.SignRequestSigner) signerModel {
	return signerModel{
		signerArgs:              signerArgsFromBox(as),
		Password:                types.StringNull(), // Box never returns it
		PasswordWO:              types.StringNull(),
		PasswordWOVersion:       types.Int64Null(),
		VerificationPhoneNumber: types.StringPointerValue(as.VerificationPhoneNumber),
	}
}

// signerArgsFromBox is a signer's arguments as Box reports them.
func signerArgsFromBox(as box.SignRequestSigner) signerArgs {
	return signerArgs{
		Email:                  types.StringValue(as.Email),
		Role:                   types.StringValue(as.Role),
		Order:                  types.Int64Value(as.Order),
		IsInPerson:             types.BoolValue(as.IsInPerson),
		LoginRequired:          types.BoolValue(as.LoginRequired),
		SuppressNotifications:  types.BoolValue(as.SuppressNotifications),
		EmbedURLExternalUserID: types.StringPointerValue(as.EmbedURLExternalUserID),
		RedirectURL:            types.StringPointerValue(as.RedirectURL),
		DeclinedRedirectURL:    types.StringPointerValue(as.DeclinedRedirectURL),
		SignerGroupID:          types.StringPointerValue(as.SignerGroupID),
		Language:               types.StringPointerValue(as.Language),
	}
}

// fillSettingsFromBox takes Box's value for each signer setting the
// configuration left unset (unknown in the plan): Box's default, or the
// template role's. The configured ones are kept, as sent.
func (s *signerModel) fillSettingsFromBox(as box.SignRequestSigner) {
	fromBox := signerArgsFromBox(as)
	if s.Role.IsUnknown() || s.Role.IsNull() {
		s.Role = fromBox.Role
	}
	if s.Order.IsUnknown() || s.Order.IsNull() {
		s.Order = fromBox.Order
	}
	for _, b := range []struct{ mine, box *types.Bool }{
		{&s.IsInPerson, &fromBox.IsInPerson},
		{&s.LoginRequired, &fromBox.LoginRequired},
		{&s.SuppressNotifications, &fromBox.SuppressNotifications},
	} {
		if b.mine.IsUnknown() || b.mine.IsNull() {
			*b.mine = *b.box
		}
	}
}

func progressFromBox(as box.SignRequestSigner) signerProgress {
	p := signerProgress{
		HasViewedDocument: types.BoolValue(as.HasViewedDocument),
		Decision:          types.StringNull(),
		DecidedAt:         types.StringNull(),
	}
	if as.SignerDecision != nil {
		p.Decision = types.StringValue(as.SignerDecision.Type)
		p.DecidedAt = timeValue(as.SignerDecision.FinalizedAt)
	}
	return p
}

func prefillFromBox(tags []box.PrefillTag) []prefillTagModel {
	out := []prefillTagModel{}
	for _, t := range tags {
		out = append(out, prefillTagModel{
			DocumentTagID: types.StringValue(t.DocumentTagID),
			TextValue:     types.StringPointerValue(t.TextValue),
			CheckboxValue: types.BoolPointerValue(t.CheckboxValue),
			DateValue:     types.StringPointerValue(t.DateValue),
		})
	}
	return out
}

// prefillListFromBox is the resource's prefill_tag list: null when Box
// reports no tags, as a configuration without the block has it.
func prefillListFromBox(ctx context.Context, tags []box.PrefillTag, diags *diag.Diagnostics) types.List {
	objType := types.ObjectType{AttrTypes: prefillAttrTypes}
	if len(tags) == 0 {
		return types.ListNull(objType)
	}
	l, d := types.ListValueFrom(ctx, objType, prefillFromBox(tags))
	diags.Append(d...)
	return l
}

func unset(v types.String) bool { return v.IsNull() || v.IsUnknown() }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func stringPtr(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

func boolPtr(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

func int64Ptr(v types.Int64) *int64 {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	n := v.ValueInt64()
	return &n
}

func timeValue(t *time.Time) types.String {
	if t == nil || t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

func stringList(ss []string, diags *diag.Diagnostics) types.List {
	elems := make([]attr.Value, len(ss))
	for i, s := range ss {
		elems[i] = types.StringValue(s)
	}
	l, d := types.ListValue(types.StringType, elems)
	diags.Append(d...)
	return l
}
