package provider

import (
	"context"
	"reflect"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/provider/planmodifiers"
	"github.com/box/terraform-provider-box/internal/provider/validators"
)

// The schema is the one list of a block's attributes: the attribute types
// of the models' lists and the arguments whose change replaces the request
// are read from it.
var (
	signerAttrTypes  = attrTypes(withEvidence(signerAttributes(), signerEvidenceAttributes()))
	prefillAttrTypes = attrTypes(prefillAttributes())

	// signerReplace and prefillReplace decide when a change of a block
	// replaces the request; ModifyPlan asks them too, to warn.
	signerReplace  = planmodifiers.RequiresReplaceIfAttributesChange(configurableAttributes(signerAttributes())...).IgnoringCase("email")
	prefillReplace = planmodifiers.RequiresReplaceIfAttributesChange(configurableAttributes(prefillAttributes())...)
)

// configurableAttributes names the attributes a user sets (Optional or
// Required): changing any of them replaces the sign request; the others are
// Box's progress report. Write-only attributes are left out, since they
// never reach the plan; each has a _version attribute that stands for it.
func configurableAttributes(attrs map[string]schema.Attribute) []string {
	var out []string
	for name, a := range attrs {
		if (a.IsOptional() || a.IsRequired()) && !a.IsWriteOnly() {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// replacingAttributes names the top-level attributes whose plan modifiers
// include RequiresReplace (or RequiresReplaceIf): a change of one of them
// replaces the request. The others (allow_identical, resend_version,
// timeouts and what Box computes) change in place.
func replacingAttributes(attrs map[string]schema.Attribute) []string {
	var out []string
	for name, a := range attrs {
		if slices.ContainsFunc(planModifiersOf(a), func(m any) bool { return requiresReplaceTypes[reflect.TypeOf(m)] }) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// requiresReplaceTypes are the framework's RequiresReplace modifier types
// for the attribute kinds the resource uses.
var requiresReplaceTypes = map[reflect.Type]bool{
	reflect.TypeOf(stringplanmodifier.RequiresReplace()): true,
	reflect.TypeOf(boolplanmodifier.RequiresReplace()):   true,
	reflect.TypeOf(int64planmodifier.RequiresReplace()):  true,
	reflect.TypeOf(listplanmodifier.RequiresReplace()):   true,
}

// planModifiersOf lists an attribute's plan modifiers, whatever its kind.
func planModifiersOf(a schema.Attribute) []any {
	var out []any
	add := func(n int, at func(int) any) {
		for i := range n {
			out = append(out, at(i))
		}
	}
	switch a := a.(type) {
	case schema.StringAttribute:
		add(len(a.PlanModifiers), func(i int) any { return a.PlanModifiers[i] })
	case schema.BoolAttribute:
		add(len(a.PlanModifiers), func(i int) any { return a.PlanModifiers[i] })
	case schema.Int64Attribute:
		add(len(a.PlanModifiers), func(i int) any { return a.PlanModifiers[i] })
	case schema.ListAttribute:
		add(len(a.PlanModifiers), func(i int) any { return a.PlanModifiers[i] })
	}
	return out
}

// attrTypes is the object type of a nested block's attributes.
func attrTypes(attrs map[string]schema.Attribute) map[string]attr.Type {
	out := make(map[string]attr.Type, len(attrs))
	for name, a := range attrs {
		out[name] = a.GetType()
	}
	return out
}

// Box has no update for a sign request, so every argument carries one of
// these: a change means a new request.
var (
	replaceString = []planmodifier.String{stringplanmodifier.RequiresReplace()}
	replaceBool   = []planmodifier.Bool{boolplanmodifier.RequiresReplace()}
	replaceInt64  = []planmodifier.Int64{int64planmodifier.RequiresReplace()}
	keepString    = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
)

func optionalString(desc string, v ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: desc,
		Optional:            true,
		Validators:          append([]validator.String{stringvalidator.LengthAtLeast(1)}, v...),
		PlanModifiers:       replaceString,
	}
}

func defaultedBool(desc string, def bool) schema.BoolAttribute {
	return schema.BoolAttribute{
		MarkdownDescription: desc,
		Optional:            true,
		Computed:            true,
		Default:             booldefault.StaticBool(def),
		PlanModifiers:       replaceBool,
	}
}

// signerSettingNote says how the signer settings that Box defaults (or
// takes from a template) behave: sent only when set, read back from Box.
const signerSettingNote = "Sent to Box only when set; otherwise Box's value (from the template's role, for a request made from a template) is shown after apply."

// signerSetting is a signer's boolean setting: Optional+Computed with no
// default, so that a template's role keeps its own unless the
// configuration sets it, and an unset one is filled from Box's answer.
func signerSetting(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{
		MarkdownDescription: desc + " " + signerSettingNote + " Box's default is `false`.",
		Optional:            true,
		Computed:            true,
		PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
	}
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Computed: true, PlanModifiers: keepString}
}

func (r *signRequestResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		// Version 1 dropped the signers' signing links from the state and
		// made the signer settings Box defaults Optional+Computed
		// (sign_request_upgrade.go).
		Version: 1,
		MarkdownDescription: "A [Box Sign](https://developer.box.com/guides/box-sign/) request: documents sent to signers by email. " +
			"Box cannot edit a sign request once sent, so changing any argument other than `resend_version`, `allow_identical`, `cancel_reason` and `timeouts` **replaces** it: " +
			"Terraform cancels the old request and creates a new one, which emails the signers again. The plan shows this as a replacement, with a warning naming every signer the new request goes to " +
			"and whether the old one was already signed, declined or expired. The provider cannot see `-replace=` or `replace_triggered_by`. " +
			"Guard finished requests with `lifecycle { prevent_destroy = true }` and `ignore_changes`.",
		Attributes: withEvidence(map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The sign request's ID (a UUID).",
				Computed:            true,
				PlanModifiers:       keepString,
			},
			"source_file_ids": schema.ListAttribute{
				MarkdownDescription: "IDs of the files to sign (1 to 10). Box converts them to PDF. Set exactly one of `source_file_ids` and `template_id`; with a template this stays null, and `sign_file_ids` lists the copies.",
				ElementType:         types.StringType,
				Optional:            true,
				Computed:            true,
				Validators: []validator.List{
					listvalidator.SizeBetween(1, 10),
					listvalidator.ValueStringsAre(validators.BoxID()),
				},
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown(), listplanmodifier.RequiresReplace()},
			},
			"template_id": optionalString("ID of a Box Sign template to create the request from; the template carries the files and signer roles. When known at plan time, the plan reads the template and checks the signers' required passwords and phones, its locked settings and the `prefill_tag` IDs against it."),
			"parent_folder_id": schema.StringAttribute{
				MarkdownDescription: "ID of the folder where Box puts the signed copies and the signing log. Cannot be `\"0\"` (the root folder). When omitted, Box uses the first file's folder or \"My Sign Requests\".",
				Optional:            true,
				Computed:            true,
				Validators: []validator.String{
					validators.BoxID(),
					stringvalidator.NoneOf("0"),
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the sign request and its signed files. Box appends `.pdf`; the provider treats `Contract` and `Contract.pdf` as the same name. Defaults to the first file's name.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 255)},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					planmodifiers.PDFSuffixEquivalent(),
					stringplanmodifier.RequiresReplace(),
				},
			},
			"email_subject":         optionalString("Subject of the email Box sends to signers. Box uses its own subject when omitted."),
			"email_message":         optionalString("Message in the email Box sends to signers. Box allows a few HTML tags (`a`, `b`, `em`, `i`, `strong`, `ul`, `ol`, `li`, ...)."),
			"external_id":           optionalString("A reference to this request in another system."),
			"external_system_name":  optionalString("Name of the system that `embed_url_external_user_id` refers to, shown in the signing log."),
			"redirect_url":          optionalString("Where signers go after signing (and after declining, unless `declined_redirect_url` is set).", validators.HTTPURL()),
			"declined_redirect_url": optionalString("Where signers go after declining.", validators.HTTPURL()),
			"signature_color": schema.StringAttribute{
				MarkdownDescription: "Colour of the signatures: `blue`, `black` or `red`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf("blue", "black", "red")},
				PlanModifiers:       replaceString,
			},
			"days_valid": schema.Int64Attribute{
				MarkdownDescription: "Days after which the request expires, 0 to 730. When omitted the request does not expire.",
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 730)},
				PlanModifiers:       replaceInt64,
			},
			"are_reminders_enabled":          defaultedBool("Remind outstanding signers on days 3, 8, 13 and 18. Defaults to `false`.", false),
			"are_text_signatures_enabled":    defaultedBool("Let signers type their signature instead of drawing it. Defaults to `true`.", true),
			"is_document_preparation_needed": defaultedBool("Hold the request in status `created` until someone prepares it at `prepare_url` in the Box web app. Defaults to `false`.", false),
			"is_phone_verification_required_to_view": schema.BoolAttribute{
				MarkdownDescription: "When `true`, a signer with a `verification_phone_number` must enter the SMS code before the document opens, not only at the signing step. Sent to Box only when set.",
				Optional:            true,
				PlanModifiers:       replaceBool,
			},
			// The one argument that changes in place: it asks Box to remind
			// signers, which needs no new request.
			"resend_version": schema.Int64Attribute{
				MarkdownDescription: "Raise this number to have Box email the outstanding signers a reminder (`POST /sign_requests/{id}/resend`); the plan shows an in-place update, not a replacement. " +
					"The first value (at creation, after an import, or when first added) only records a starting point: a new request is emailed anyway. " +
					"Box allows one reminder every 10 minutes after the request was sent or last reminded, and none for a request that is signed, declined, cancelled, expired or failed; " +
					"then the apply fails, the state keeps the old number, and the change stays in the plan until a later apply succeeds. Lowering the number sends nothing.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
			// Create-time behaviour only: changing it updates the state in
			// place and contacts nobody (see allowIdenticalDescription).
			"allow_identical": schema.BoolAttribute{
				MarkdownDescription: allowIdenticalDescription,
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(false),
			},

			"status": computedStatus("Where the request stands: `converting`, `created`, `sent`, `viewed`, `finalizing`, `signed`, `declined`, `cancelled`, `expired` or an `error_*` status. Changes as signers act; never forces replacement. " +
				"`not_found` (the provider's, not Box's) means Box answers 404 to its sender: its signed copies or their folder were deleted or trashed. Nothing is sent again by itself; `terraform apply -replace=` sends it again, `terraform state rm` forgets it."),
			"short_id":            computedString("Box's short ID of the request."),
			"prepare_url":         computedString("Where to prepare the document when `is_document_preparation_needed` is `true`."),
			"signing_log_file_id": computedStatus("ID of the signing log file, once Box has made it."),
			"sender_email":        computedString("Email of the user who sent the request."),
			"created_at":          computedString("When the request was created (RFC 3339)."),
			"auto_expire_at":      computedString("When the request expires (RFC 3339), if `days_valid` is set."),
			"is_ready_for_download": schema.BoolAttribute{
				MarkdownDescription: "Whether the signed files can be downloaded.",
				Computed:            true,
			},
			"sign_file_ids": schema.ListAttribute{
				MarkdownDescription: "IDs of the copies Box made of the source files in `parent_folder_id`; signatures are added to them as new versions.",
				ElementType:         types.StringType,
				Computed:            true,
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
		}, evidenceResourceAttributes()),
		Blocks: map[string]schema.Block{
			"signer":      signerBlock(),
			"prefill_tag": prefillBlock(),
			"timeouts":    timeoutsBlock(ctx),
		},
	}
}

// allowIdenticalDescription documents the opt-out from orphan adoption.
const allowIdenticalDescription = "Always send a new request, even when Box already holds an identical live one. " +
	"By default (`false`), before sending, the provider looks for an *orphan*: a request in status `converting`, `created`, `sent` or `viewed`, " +
	"sent by the same user within the provider's `orphan_window`, with the same documents or template, signers (emails in order, roles, phone numbers and other settings), " +
	"name, folder, external ID and other settings, and not created or adopted earlier in the same run. It adopts that request instead of emailing the signers again, with a warning. " +
	"This is what makes a re-run after a killed `terraform apply` send nothing twice. " +
	"The provider cannot see other resources' state, so two resources with identical arguments must differ in `external_id`, or set `allow_identical = true`: " +
	"otherwise raising `count` from 2 to 3 over identical bodies would adopt an existing request instead of sending a third. " +
	"Passwords cannot be compared (Box never returns them). Changing this argument only updates the state: it never replaces the request or emails anyone."

// computedStatus is a computed string that follows Box on every refresh.
func computedStatus(desc string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
}

func signerBlock() schema.ListNestedBlock {
	attrs := withEvidence(signerAttributes(), signerEvidenceAttributes())
	return schema.ListNestedBlock{
		MarkdownDescription: "A person who signs, approves or receives the document (1 to 35). Box adds the sender as a `final_copy_reader`; the provider hides that entry. " +
			"With `template_id`, `signer[i]` takes the template's role i (after the sender, whom Box lists first in every template): its email, role, order and settings stand unless the block sets them.",
		Validators: []validator.List{
			listvalidator.IsRequired(),
			listvalidator.SizeBetween(1, 35),
		},
		PlanModifiers: []planmodifier.List{signerReplace},
		NestedObject:  schema.NestedBlockObject{Attributes: attrs},
	}
}

func signerAttributes() map[string]schema.Attribute {
	progress := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"email": schema.StringAttribute{
			MarkdownDescription: "The signer's email address. Box compares it without regard to case, and so does the provider: a change of case alone shows no diff and sends nothing. Each signer needs a different email.",
			Required:            true,
			Validators:          []validator.String{validators.Email()},
			PlanModifiers:       []planmodifier.String{planmodifiers.CaseInsensitive()},
		},
		"role": schema.StringAttribute{
			MarkdownDescription: "`signer`, `approver` or `final_copy_reader`. " + signerSettingNote + " Box's default is `signer`.",
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{stringvalidator.OneOf("signer", "approver", "final_copy_reader")},
			PlanModifiers:       keepString,
		},
		"order": schema.Int64Attribute{
			MarkdownDescription: "Signing order: lower numbers sign first, equal numbers at the same time; approvers act before any signer. " + signerSettingNote + " Box's default is `0`.",
			Optional:            true,
			Computed:            true,
			Validators:          []validator.Int64{int64validator.AtLeast(0)},
			PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
		},
		"is_in_person":   signerSetting("The signer signs in person on the sender's device."),
		"login_required": signerSetting("The signer must log in to a Box account to sign. Cannot be `true` together with `verification_phone_number`."),
		"suppress_notifications": signerSetting("Box sends this signer no email. Box honours it only together with `embed_url_external_user_id` " +
			"(without it Box emails the signer anyway), so the plan refuses it alone; deliver the signing link yourself, from the ephemeral `box_sign_request_signing_link`."),
		"embed_url_external_user_id": schema.StringAttribute{
			MarkdownDescription: "Your ID for this signer, for embedded signing: Box then returns `embed_url` and `iframeable_embed_url`.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"redirect_url": schema.StringAttribute{
			MarkdownDescription: "Where this signer goes after signing; overrides the request's `redirect_url`.",
			Optional:            true,
			Validators:          []validator.String{validators.HTTPURL()},
		},
		"declined_redirect_url": schema.StringAttribute{
			MarkdownDescription: "Where this signer goes after declining; overrides the request's `declined_redirect_url`.",
			Optional:            true,
			Validators:          []validator.String{validators.HTTPURL()},
		},
		"signer_group_id": schema.StringAttribute{
			MarkdownDescription: "Signers sharing a value form a group in which any one member may sign. Box replaces the value with its own ID; the provider keeps yours.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"language": schema.StringAttribute{
			MarkdownDescription: "Language of the emails and signing page for this signer, such as `en` or `de`.",
			Optional:            true,
			Validators:          []validator.String{validators.Language()},
		},
		"password": schema.StringAttribute{
			MarkdownDescription: "A password the signer must type before the document opens. Sensitive; Box never returns it, so it is kept from the configuration and cannot be imported. Prefer `password_wo` to keep it out of the state.",
			Optional:            true,
			Sensitive:           true,
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("password_wo")),
			},
		},
		"password_wo": schema.StringAttribute{
			MarkdownDescription: "Write-only form of `password` (Terraform 1.11 and later): sent to Box at creation and never stored in the plan or state. Set `password_wo_version` with it, and change that number to send a new password (which replaces the request).",
			Optional:            true,
			Sensitive:           true,
			WriteOnly:           true,
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				stringvalidator.AlsoRequires(path.MatchRelative().AtParent().AtName("password_wo_version")),
			},
		},
		"password_wo_version": schema.Int64Attribute{
			MarkdownDescription: "A number that stands for the current `password_wo`. Terraform cannot see a write-only value change, so change this to replace the request with a new password.",
			Optional:            true,
			Validators: []validator.Int64{
				int64validator.AlsoRequires(path.MatchRelative().AtParent().AtName("password_wo")),
			},
		},
		"verification_phone_number": schema.StringAttribute{
			MarkdownDescription: "A phone number in E.164 form (`+15551232190`) to which Box sends an SMS code the signer must enter: at the signing step, or before the document opens when `is_phone_verification_required_to_view` is `true`. Sensitive. Cannot be used with `login_required`.",
			Optional:            true,
			Sensitive:           true,
			Validators:          []validator.String{validators.PhoneE164()},
		},
		"has_viewed_document": schema.BoolAttribute{
			MarkdownDescription: "Whether the signer has opened the document.",
			Computed:            true,
		},
		"decision":   progress("`signed` or `declined` once the signer has decided, otherwise null."),
		"decided_at": progress("When the signer decided (RFC 3339)."),
	}
}

func prefillBlock() schema.ListNestedBlock {
	attrs := prefillAttributes()
	return schema.ListNestedBlock{
		MarkdownDescription: "A value filled into a tag of the document or template before it is sent. Set exactly one of `text_value`, `checkbox_value` and `date_value`.",
		PlanModifiers:       []planmodifier.List{prefillReplace},
		NestedObject:        schema.NestedBlockObject{Attributes: attrs},
	}
}

func prefillAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"document_tag_id": schema.StringAttribute{
			MarkdownDescription: "ID of the tag in the document or template.",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"text_value": schema.StringAttribute{
			MarkdownDescription: "Text to fill in.",
			Optional:            true,
		},
		"checkbox_value": schema.BoolAttribute{
			MarkdownDescription: "Whether the checkbox is ticked.",
			Optional:            true,
		},
		"date_value": schema.StringAttribute{
			MarkdownDescription: "A date, as YYYY-MM-DD.",
			Optional:            true,
			Validators:          []validator.String{validators.Date()},
		},
	}
}

// timeoutsBlock is the timeouts library's block with Markdown descriptions,
// which the library leaves out and the registry page needs.
func timeoutsBlock(ctx context.Context) schema.Block {
	b, ok := timeouts.Block(ctx, timeouts.Opts{
		Create:            true,
		Read:              true,
		Delete:            true,
		CreateDescription: "How long to wait for Box to accept the request and convert its files, as a duration such as `30s` or `15m`. Defaults to `10m`.",
		ReadDescription:   "How long a refresh may take, such as `2m`. Defaults to `2m`.",
		DeleteDescription: "How long cancelling may take, such as `5m`. Defaults to `5m`.",
	}).(schema.SingleNestedBlock)
	if !ok {
		return timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Delete: true})
	}
	b.MarkdownDescription = "How long operations may take. Changing these updates the resource in place."
	for name, a := range b.Attributes {
		if sa, ok := a.(schema.StringAttribute); ok {
			sa.MarkdownDescription = sa.Description
			b.Attributes[name] = sa
		}
	}
	return b
}
