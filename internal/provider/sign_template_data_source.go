package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
)

var (
	_ datasource.DataSourceWithConfigure        = &signTemplateDataSource{}
	_ datasource.DataSourceWithConfigValidators = &signTemplateDataSource{}
)

// NewSignTemplateDataSource is the box_sign_template data source.
func NewSignTemplateDataSource() datasource.DataSource { return &signTemplateDataSource{} }

type signTemplateDataSource struct{ d *providerData }

// signTemplateModel is one Box Sign template; box_sign_templates lists them.
type signTemplateModel struct {
	ID                     types.String          `tfsdk:"id"`
	Name                   types.String          `tfsdk:"name"`
	EmailSubject           types.String          `tfsdk:"email_subject"`
	EmailMessage           types.String          `tfsdk:"email_message"`
	DaysValid              types.Int64           `tfsdk:"days_valid"`
	ParentFolderID         types.String          `tfsdk:"parent_folder_id"`
	SourceFileIDs          []types.String        `tfsdk:"source_file_ids"`
	AreFieldsLocked        types.Bool            `tfsdk:"are_fields_locked"`
	AreOptionsLocked       types.Bool            `tfsdk:"are_options_locked"`
	AreRecipientsLocked    types.Bool            `tfsdk:"are_recipients_locked"`
	AreEmailSettingsLocked types.Bool            `tfsdk:"are_email_settings_locked"`
	AreFilesLocked         types.Bool            `tfsdk:"are_files_locked"`
	Signers                []templateSignerModel `tfsdk:"signers"`
	DocumentTagIDs         []types.String        `tfsdk:"document_tag_ids"`
}

type templateSignerModel struct {
	Role                  types.String `tfsdk:"role"`
	Order                 types.Int64  `tfsdk:"order"`
	Email                 types.String `tfsdk:"email"`
	Label                 types.String `tfsdk:"label"`
	IsInPerson            types.Bool   `tfsdk:"is_in_person"`
	IsPasswordRequired    types.Bool   `tfsdk:"is_password_required"`
	IsPhoneNumberRequired types.Bool   `tfsdk:"is_phone_number_required"`
	LoginRequired         types.Bool   `tfsdk:"login_required"`
	SignerGroupID         types.String `tfsdk:"signer_group_id"`
}

// signTemplateAttributes are a template's attributes; id and name are given
// separately, since box_sign_template takes them as input.
func signTemplateAttributes(id, name schema.StringAttribute) map[string]schema.Attribute {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	flag := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":               id,
		"name":             name,
		"email_subject":    computed("Subject of the email Box sends to signers; null when the template uses Box's default."),
		"email_message":    computed("Message of the email Box sends to signers."),
		"days_valid":       schema.Int64Attribute{MarkdownDescription: "Days after which requests made from the template expire; null when they do not.", Computed: true},
		"parent_folder_id": computed("ID of the folder where requests made from the template put their signed copies, unless the request sets its own."),
		"source_file_ids": schema.ListAttribute{
			MarkdownDescription: "IDs of the template's documents. A `box_sign_request` with `template_id` gets them from the template.",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"are_fields_locked":         flag("Whether the template's fields cannot be changed when sending."),
		"are_options_locked":        flag("Whether the template's options cannot be changed when sending."),
		"are_recipients_locked":     flag("Whether the template's signers cannot be changed when sending."),
		"are_email_settings_locked": flag("Whether the email subject and message cannot be changed when sending."),
		"are_files_locked":          flag("Whether the template's documents cannot be changed when sending."),
		"document_tag_ids": schema.ListAttribute{
			MarkdownDescription: "IDs of the template's fields that a `box_sign_request` can fill with `prefill_tag` blocks (`document_tag_id`), sorted. A prefill tag with any other ID fails at plan time.",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"signers": schema.ListNestedAttribute{
			MarkdownDescription: "The template's roles that a request fills, in the template's order: a `box_sign_request` made from the template lists its signers in this order, and its `signer[i]` takes `signers[i]`'s role, order and settings unless it sets them. " +
				"Box also lists the sender first in every template (a `final_copy_reader` with no email, whom Box adds to every request); that entry is left out here.",
			Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"role":                     computed("`signer`, `approver` or `final_copy_reader`."),
				"order":                    schema.Int64Attribute{MarkdownDescription: "Signing order: lower numbers sign first.", Computed: true},
				"email":                    computed("The signer's email when the template sets one; null when the sender supplies it."),
				"label":                    computed("The role's label in the template, such as `Signer` or `Client`."),
				"is_in_person":             flag("Whether the signer signs in person on the sender's device."),
				"is_password_required":     flag("Whether the signer must enter a password. When the role has no `email`, the request must give one (`password` or `password_wo`); a role with an `email` uses the password stored in the template."),
				"is_phone_number_required": flag("Whether the signer must verify a phone. When the role has no `email`, the request must give a `verification_phone_number`; a role with an `email` uses the number stored in the template."),
				"login_required":           flag("Whether the signer must log in to a Box account."),
				"signer_group_id":          computed("Box's ID for a group of signers of whom any one may sign; null for a single signer."),
			}},
		},
	}
}

func templateFromBox(t *box.SignTemplate) signTemplateModel {
	m := signTemplateModel{
		ID:                     types.StringValue(t.ID),
		Name:                   types.StringPointerValue(t.Name),
		EmailSubject:           types.StringPointerValue(t.EmailSubject),
		EmailMessage:           types.StringPointerValue(t.EmailMessage),
		DaysValid:              types.Int64PointerValue(t.DaysValid),
		ParentFolderID:         types.StringNull(),
		SourceFileIDs:          []types.String{},
		AreFieldsLocked:        types.BoolValue(t.AreFieldsLocked),
		AreOptionsLocked:       types.BoolValue(t.AreOptionsLocked),
		AreRecipientsLocked:    types.BoolValue(t.AreRecipientsLocked),
		AreEmailSettingsLocked: types.BoolValue(t.AreEmailSettingsLocked),
		AreFilesLocked:         types.BoolValue(t.AreFilesLocked),
		Signers:                []templateSignerModel{},
		DocumentTagIDs:         []types.String{},
	}
	for _, id := range templateTagIDs(t) {
		m.DocumentTagIDs = append(m.DocumentTagIDs, types.StringValue(id))
	}
	if t.ParentFolder != nil && t.ParentFolder.ID != "" {
		m.ParentFolderID = types.StringValue(t.ParentFolder.ID)
	}
	for _, f := range t.SourceFiles {
		m.SourceFileIDs = append(m.SourceFileIDs, types.StringValue(f.ID))
	}
	// The sender's placeholder Box lists first is left out: signers[i] is
	// the role a box_sign_request's signer[i] takes.
	for _, s := range t.Roles() {
		email := types.StringPointerValue(s.Email)
		if s.Email != nil && *s.Email == "" {
			email = types.StringNull() // Box sends "" when the sender supplies the email
		}
		m.Signers = append(m.Signers, templateSignerModel{
			Role:                  types.StringValue(s.Role),
			Order:                 types.Int64Value(s.Order),
			Email:                 email,
			Label:                 types.StringPointerValue(s.Label),
			IsInPerson:            types.BoolValue(s.IsInPerson),
			IsPasswordRequired:    types.BoolValue(s.IsPasswordRequired),
			IsPhoneNumberRequired: types.BoolValue(s.IsPhoneNumberRequired),
			LoginRequired:         types.BoolValue(s.LoginRequired),
			SignerGroupID:         types.StringPointerValue(s.SignerGroupID),
		})
	}
	return m
}

// templateTagIDs are the document_tag_ids of the template's fields, the
// ones a request's prefill tags may name, sorted and without repeats.
func templateTagIDs(t *box.SignTemplate) []string {
	var ids []string
	for _, s := range t.Signers {
		for _, in := range s.Inputs {
			if in.DocumentTagID != nil && *in.DocumentTagID != "" && !slices.Contains(ids, *in.DocumentTagID) {
				ids = append(ids, *in.DocumentTagID)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// allTemplates lists every template the user can see.
func (d *providerData) allTemplates(ctx context.Context) ([]box.SignTemplate, error) {
	var out []box.SignTemplate
	err := eachPage(ctx, "sign templates", func(marker string) (*string, error) {
		p, err := d.client.ListSignTemplates(ctx, marker, d.limit())
		if err != nil {
			return nil, err
		}
		out = append(out, p.Entries...)
		return p.NextMarker, nil
	})
	return out, err
}

func (s *signTemplateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sign_template"
}

func (s *signTemplateDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Box Sign template, found by `id` or by `name`. Templates are made in the Box web app; " +
			"pass the ID to a `box_sign_request`'s `template_id`, and use `signers` to see which signers need a password or phone number.",
		Attributes: signTemplateAttributes(
			schema.StringAttribute{
				MarkdownDescription: "The template's ID. Set `id` or `name`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			schema.StringAttribute{
				MarkdownDescription: "The template's name, matched exactly. Box does not keep template names unique: when no template or several have the name, reading fails and the error lists the matching IDs; set `id` then. Set `id` or `name`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		),
	}
}

func (s *signTemplateDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (s *signTemplateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	s.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (s *signTemplateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg signTemplateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var tpl *box.SignTemplate
	if !cfg.ID.IsNull() {
		t, err := s.d.client.GetSignTemplate(ctx, cfg.ID.ValueString())
		if err != nil {
			resp.Diagnostics.Append(attrAPIError(opDataSource, path.Root("id"), "Could not read sign template "+cfg.ID.ValueString(), err)...)
			return
		}
		tpl = t
	} else {
		name := cfg.Name.ValueString()
		all, err := s.d.allTemplates(ctx)
		if err != nil {
			resp.Diagnostics.Append(attrAPIError(opDataSource, path.Root("name"), "Could not list sign templates", err)...)
			return
		}
		var matches []box.SignTemplate
		for _, t := range all {
			if t.Name != nil && *t.Name == name {
				matches = append(matches, t)
			}
		}
		switch len(matches) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Sign template not found",
				fmt.Sprintf("None of the %d sign templates the user can see is named %q. Check attribute name (it is matched exactly, case included), or set id.", len(all), name))
			return
		case 1:
			tpl = &matches[0]
		default:
			ids := make([]string, len(matches))
			for i, t := range matches {
				ids[i] = t.ID
			}
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Several sign templates match",
				fmt.Sprintf("%d sign templates are named %q (IDs %s), so attribute name is ambiguous. Set id to one of them instead.", len(matches), name, strings.Join(ids, ", ")))
			return
		}
	}
	m := templateFromBox(tpl)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
