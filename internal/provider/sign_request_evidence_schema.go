package provider

import (
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The evidence a sign request leaves (issue 26): Box's compliance fields,
// what signers typed and uploaded, and the signed copies and signing log
// with their versions and SHA-1. These attributes are additions to
// box_sign_request's schema, with no version change: an older state reads
// them as null and the next refresh fills them in, so nothing is planned.
// The data sources show the same, from the same descriptions.

// evidenceDescriptions is the one home of the computed attributes'
// descriptions, for the resource and the data sources alike.
var evidenceDescriptions = map[string]string{
	"error_code":  "Why Box could not complete the request, when it is in an `error_*` status (for example `cfr11_validation_failed`); null otherwise.",
	"finished_at": "When the request reached a final status: signed, declined, cancelled, expired or failed (RFC 3339).",
	"sign_files": "The signed copies as Box holds them now: each signature adds a version, so `version_id` and `sha1` change as signers sign, " +
		"and are final once `status` is `signed`. The same files as `sign_file_ids`.",
	"signing_log": "The signing log as Box holds it now, once Box has made it; its final version is written when the request is finalized. The same file as `signing_log_file_id`.",
	"file_id":     "The file's ID.",
	"version_id":  "The ID of the file's current version.",
	"sha1":        "The SHA-1 of the current version's content, as Box reports it: compare it with a download to prove what was signed.",

	"decline_reason": "What the signer wrote when declining (Box's `signer_decision.additional_info`); null unless the signer declined with a reason.",
	"inputs": "What the signer typed or ticked in the document's fields, once signed. Sensitive: it is the signer's own data. " +
		"Each has the field's `document_tag_id`, its `type` (`text`, `checkbox`, `date`, `signature`, `radio` or `dropdown`) and the value in `text_value`, `checkbox_value` or `date_value`.",
	"attachments":     "Files the signer uploaded while signing: their `file_id` and `name`.",
	"document_tag_id": "The ID of the field's tag in the document or template; null for a field without one.",
	"type":            "The field's type.",
	"text_value":      "The text entered, if the field holds text.",
	"checkbox_value":  "Whether the box was ticked, if the field is a checkbox.",
	"date_value":      "The date entered (YYYY-MM-DD), if the field holds a date.",
	"name":            "The file's name.",

	"request_flow": "The request's flow: `standard`, or `cfr11` (21 CFR Part 11, for life sciences).",
}

const (
	requestFlowDescription = "The request's flow: `standard`, or `cfr11` (21 CFR Part 11, for life sciences). When omitted, Box chooses by its admin settings, and the state records its choice. " +
		"Box's documentation says CFR Part 11 requests cannot be created through the API; Box then refuses the create. Changing it replaces the request."
	cancelReasonDescription = "The reason sent to Box with the cancel that a destroy or a replacement makes (Box's `SignRequestCancelRequest`). " +
		"Changing it only updates the state: it contacts nobody and replaces nothing. The value in the state when the request is destroyed is the one sent, " +
		"so change it in an apply before the one that replaces or destroys the request."
)

// evidenceResourceAttributes are the evidence attributes of the
// box_sign_request resource.
func evidenceResourceAttributes() map[string]schema.Attribute {
	computed := func(name string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: evidenceDescriptions[name], Computed: true}
	}
	return map[string]schema.Attribute{
		"request_flow": schema.StringAttribute{
			MarkdownDescription: requestFlowDescription,
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{stringvalidator.OneOf("standard", "cfr11")},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
		},
		// Sent only by Delete: changing it is an update of the state alone.
		"cancel_reason": schema.StringAttribute{
			MarkdownDescription: cancelReasonDescription,
			Optional:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"error_code":  computed("error_code"),
		"finished_at": computed("finished_at"),
		"sign_files": schema.ListNestedAttribute{
			MarkdownDescription: evidenceDescriptions["sign_files"],
			Computed:            true,
			NestedObject:        schema.NestedAttributeObject{Attributes: fileEvidenceAttributes()},
		},
		"signing_log": schema.SingleNestedAttribute{
			MarkdownDescription: evidenceDescriptions["signing_log"],
			Computed:            true,
			Attributes:          fileEvidenceAttributes(),
		},
	}
}

// fileEvidenceAttributes describe one file of the evidence.
func fileEvidenceAttributes() map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for _, name := range []string{"file_id", "version_id", "sha1"} {
		out[name] = schema.StringAttribute{MarkdownDescription: evidenceDescriptions[name], Computed: true}
	}
	return out
}

// signerEvidenceAttributes are the evidence attributes of a signer block.
func signerEvidenceAttributes() map[string]schema.Attribute {
	str := func(name string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: evidenceDescriptions[name], Computed: true}
	}
	return map[string]schema.Attribute{
		"decline_reason": str("decline_reason"),
		"inputs": schema.ListNestedAttribute{
			MarkdownDescription: evidenceDescriptions["inputs"],
			Computed:            true,
			Sensitive:           true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"document_tag_id": str("document_tag_id"),
				"type":            str("type"),
				"text_value":      str("text_value"),
				"checkbox_value":  schema.BoolAttribute{MarkdownDescription: evidenceDescriptions["checkbox_value"], Computed: true},
				"date_value":      str("date_value"),
			}},
		},
		"attachments": schema.ListNestedAttribute{
			MarkdownDescription: evidenceDescriptions["attachments"],
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"file_id": str("file_id"),
				"name":    str("name"),
			}},
		},
	}
}

// withEvidence adds the evidence attributes to a schema's attributes (a
// resource's or a data source's).
func withEvidence[A any](attrs, evidence map[string]A) map[string]A {
	maps.Copy(attrs, evidence)
	return attrs
}

// The data sources' attributes are the resource's, computed: converted from
// the resource's definitions so that the two never disagree.

// evidenceDataAttributes are the evidence attributes of a request in the
// data sources (request_flow is computed there).
func evidenceDataAttributes() map[string]dschema.Attribute {
	out := map[string]dschema.Attribute{}
	for name, a := range evidenceResourceAttributes() {
		if name == "cancel_reason" {
			continue // an instruction for a destroy: the data sources destroy nothing
		}
		out[name] = dataAttribute(a)
	}
	out["request_flow"] = dschema.StringAttribute{MarkdownDescription: evidenceDescriptions["request_flow"], Computed: true}
	return out
}

// signerEvidenceDataAttributes are the evidence attributes of a signer in
// the data sources.
func signerEvidenceDataAttributes() map[string]dschema.Attribute {
	out := map[string]dschema.Attribute{}
	for name, a := range signerEvidenceAttributes() {
		out[name] = dataAttribute(a)
	}
	return out
}

// dataAttribute is a computed resource attribute as a data source's.
func dataAttribute(a schema.Attribute) dschema.Attribute {
	switch a := a.(type) {
	case schema.StringAttribute:
		return dschema.StringAttribute{MarkdownDescription: a.MarkdownDescription, Computed: true, Sensitive: a.Sensitive}
	case schema.BoolAttribute:
		return dschema.BoolAttribute{MarkdownDescription: a.MarkdownDescription, Computed: true, Sensitive: a.Sensitive}
	case schema.ListNestedAttribute:
		return dschema.ListNestedAttribute{MarkdownDescription: a.MarkdownDescription, Computed: true, Sensitive: a.Sensitive,
			NestedObject: dschema.NestedAttributeObject{Attributes: dataAttributes(a.NestedObject.Attributes)}}
	case schema.SingleNestedAttribute:
		return dschema.SingleNestedAttribute{MarkdownDescription: a.MarkdownDescription, Computed: true, Sensitive: a.Sensitive,
			Attributes: dataAttributes(a.Attributes)}
	}
	panic("dataAttribute: no data source form for an attribute of type " + a.GetType().String())
}

func dataAttributes(attrs map[string]schema.Attribute) map[string]dschema.Attribute {
	out := make(map[string]dschema.Attribute, len(attrs))
	for name, a := range attrs {
		out[name] = dataAttribute(a)
	}
	return out
}
