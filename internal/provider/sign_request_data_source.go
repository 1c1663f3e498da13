package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
)

var _ datasource.DataSourceWithConfigure = &signRequestDataSource{}

// NewSignRequestDataSource is the box_sign_request data source.
func NewSignRequestDataSource() datasource.DataSource { return &signRequestDataSource{} }

type signRequestDataSource struct{ d *providerData }

// signRequestDataModel is a sign request as the data sources report it:
// the resource's attributes, as Box returns them, without its secrets.
// Passwords are never returned by Box. The phone number and the embed URLs
// are, but a data source exists to be read by other configurations, so it
// would copy them into every state that reads it: the signer shows only
// whether it has a phone number, and the links come from the ephemeral
// box_sign_request_signing_link, which keeps them out of state.
type signRequestDataModel struct {
	signRequestArgs
	signRequestComputed
	SourceFileIDs  types.List                   `tfsdk:"source_file_ids"`
	ParentFolderID types.String                 `tfsdk:"parent_folder_id"`
	Name           types.String                 `tfsdk:"name"`
	Signers        []signRequestSignerDataModel `tfsdk:"signer"`
	PrefillTags    []prefillTagModel            `tfsdk:"prefill_tag"`

	signRequestEvidence // sign_request_evidence_model.go
}

type signRequestSignerDataModel struct {
	signerArgs
	signerProgress
	HasVerificationPhoneNumber types.Bool `tfsdk:"has_verification_phone_number"`

	signerEvidence // sign_request_evidence_model.go
}

// signRequestDataAttributes are a sign request's attributes; id is given
// separately, since box_sign_request takes it as input.
func signRequestDataAttributes(id schema.StringAttribute) map[string]schema.Attribute {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	flag := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{MarkdownDescription: desc, Computed: true}
	}
	ids := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{MarkdownDescription: desc, ElementType: types.StringType, Computed: true}
	}
	return withEvidence(map[string]schema.Attribute{
		"id":                                     id,
		"source_file_ids":                        ids("IDs of the files sent for signature."),
		"template_id":                            str("ID of the Box Sign template the request was made from, if any."),
		"parent_folder_id":                       str("ID of the folder holding the signed copies and the signing log."),
		"name":                                   str("Name of the request as Box reports it, with the `.pdf` Box appends."),
		"email_subject":                          str("Subject of the email sent to signers; null when Box's default was used."),
		"email_message":                          str("Message of the email sent to signers, as Box sanitised it."),
		"external_id":                            str("The request's reference in another system."),
		"external_system_name":                   str("Name of the system that `embed_url_external_user_id` refers to."),
		"redirect_url":                           str("Where signers go after signing."),
		"declined_redirect_url":                  str("Where signers go after declining."),
		"signature_color":                        str("Colour of the signatures: `blue`, `black` or `red`; null when not set."),
		"days_valid":                             schema.Int64Attribute{MarkdownDescription: "Days after which the request expires; null when it does not.", Computed: true},
		"are_reminders_enabled":                  flag("Whether Box reminds outstanding signers on days 3, 8, 13 and 18."),
		"are_text_signatures_enabled":            flag("Whether signers may type their signature."),
		"is_document_preparation_needed":         flag("Whether the request waits for preparation at `prepare_url`."),
		"is_phone_verification_required_to_view": flag("Whether signers with a phone number must enter the SMS code before the document opens; null when Box does not report it."),
		"signer": schema.ListNestedAttribute{
			MarkdownDescription: "The signers, as in the `box_sign_request` resource: the sender entry Box adds as `final_copy_reader` is left out. " +
				"Passwords, phone numbers and embed URLs are not included; see `has_verification_phone_number`, and the ephemeral `box_sign_request_signing_link` for the links.",
			Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: withEvidence(map[string]schema.Attribute{
				"email":                         str("The signer's email address."),
				"role":                          str("`signer`, `approver` or `final_copy_reader`."),
				"order":                         schema.Int64Attribute{MarkdownDescription: "Signing order: lower numbers sign first.", Computed: true},
				"is_in_person":                  flag("Whether the signer signs in person on the sender's device."),
				"login_required":                flag("Whether the signer must log in to a Box account."),
				"suppress_notifications":        flag("Whether Box sends this signer no email."),
				"embed_url_external_user_id":    str("The sender's ID for this signer, for embedded signing; the signer then has a signing link."),
				"redirect_url":                  str("Where this signer goes after signing."),
				"declined_redirect_url":         str("Where this signer goes after declining."),
				"signer_group_id":               str("Box's ID for the group of signers this one belongs to, if any."),
				"language":                      str("Language of the signer's emails and signing page."),
				"has_verification_phone_number": flag("Whether Box verifies the signer with an SMS code. The number itself is left out: it is personal data that the resource marks sensitive."),
				"has_viewed_document":           flag("Whether the signer has opened the document."),
				"decision":                      str("`signed` or `declined` once the signer has decided, otherwise null."),
				"decided_at":                    str("When the signer decided (RFC 3339)."),
			}, signerEvidenceDataAttributes())},
		},
		"prefill_tag": schema.ListNestedAttribute{
			MarkdownDescription: "Values filled into the document's tags before it was sent.",
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"document_tag_id": str("ID of the tag in the document or template."),
				"text_value":      str("Text filled in."),
				"checkbox_value":  flag("Whether the checkbox is ticked."),
				"date_value":      str("A date, as YYYY-MM-DD."),
			}},
		},
		"status":                str("Where the request stands: `converting`, `created`, `sent`, `viewed`, `finalizing`, `signed`, `declined`, `cancelled`, `expired` or an `error_*` status."),
		"short_id":              str("Box's short ID of the request."),
		"prepare_url":           str("Where to prepare the document when `is_document_preparation_needed` is `true`."),
		"signing_log_file_id":   str("ID of the signing log file, once Box has made it."),
		"sender_email":          str("Email of the user who sent the request."),
		"created_at":            str("When the request was created (RFC 3339)."),
		"auto_expire_at":        str("When the request expires (RFC 3339), if `days_valid` is set."),
		"is_ready_for_download": flag("Whether the signed files can be downloaded."),
		"sign_file_ids":         ids("IDs of the copies Box made of the source files in `parent_folder_id`."),
	}, evidenceDataAttributes())
}

// signRequestFromBox reports a sign request as the data sources show it:
// the resource's mapping (sign_request_model.go), with every argument taken
// from Box, and the secrets left out.
func signRequestFromBox(sr *box.SignRequest, diags *diag.Diagnostics) signRequestDataModel {
	m := signRequestDataModel{
		signRequestArgs:     argsFromBox(sr),
		signRequestComputed: computedFromBox(sr, diags),
		SourceFileIDs:       sourceFilesFromBox(sr, diags),
		ParentFolderID:      parentFolderFromBox(sr),
		Name:                types.StringPointerValue(sr.Name),
		Signers:             []signRequestSignerDataModel{},
		PrefillTags:         prefillFromBox(sr.PrefillTags),
		signRequestEvidence: evidenceFromBox(sr, diags),
	}
	// The same rule as the resource after an import: Box's own entry for
	// the sender is not one of the request's signers.
	for _, s := range withoutRequester(sr, 0) {
		m.Signers = append(m.Signers, signRequestSignerDataModel{
			signerArgs:                 signerArgsFromBox(s),
			signerProgress:             progressFromBox(s),
			HasVerificationPhoneNumber: types.BoolValue(strings.TrimSpace(deref(s.VerificationPhoneNumber)) != ""),
			signerEvidence:             signerEvidenceFromBox(s, diags),
		})
	}
	return m
}

func (s *signRequestDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sign_request"
}

func (s *signRequestDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Box Sign request by ID, including requests this configuration did not create: its status, signers' progress and files. " +
			"It has the `box_sign_request` resource's attributes without the secrets: no passwords, phone numbers or embed URLs " +
			"(read signing links with the ephemeral `box_sign_request_signing_link`).",
		Attributes: signRequestDataAttributes(schema.StringAttribute{
			MarkdownDescription: "The sign request's ID (a UUID).",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		}),
	}
}

func (s *signRequestDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	s.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (s *signRequestDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sr, err := s.d.client.GetSignRequest(ctx, id.ValueString())
	if err != nil {
		resp.Diagnostics.Append(attrAPIError(opDataSource, path.Root("id"), "Could not read sign request "+id.ValueString(), err)...)
		return
	}
	m := signRequestFromBox(sr, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
