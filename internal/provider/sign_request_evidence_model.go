package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
)

// The evidence attributes' model and their mapping from Box's JSON
// (sign_request_evidence_schema.go): the resource, the data sources and the
// list resource embed these parts and share this mapping.

// The attribute types are read from the schema.
var (
	fileEvidenceType = types.ObjectType{AttrTypes: attrTypes(fileEvidenceAttributes())}
	inputType        = nestedType(signerEvidenceAttributes(), "inputs")
	attachmentType   = nestedType(signerEvidenceAttributes(), "attachments")
)

// nestedType is the object type of a list of nested attributes. It runs
// when the package loads, so a schema that is not a list of objects stops
// every test at once.
func nestedType(attrs map[string]schema.Attribute, name string) types.ObjectType {
	list, ok := attrs[name].GetType().(types.ListType)
	if !ok {
		panic("evidence attribute " + name + " is not a list")
	}
	obj, ok := list.ElemType.(types.ObjectType)
	if !ok {
		panic("evidence attribute " + name + " does not list objects")
	}
	return obj
}

// signRequestEvidence is what the resource and the data sources show of a
// request's evidence.
type signRequestEvidence struct {
	RequestFlow types.String `tfsdk:"request_flow"`
	ErrorCode   types.String `tfsdk:"error_code"`
	FinishedAt  types.String `tfsdk:"finished_at"`
	SignFiles   types.List   `tfsdk:"sign_files"`
	SigningLog  types.Object `tfsdk:"signing_log"`
}

// signerEvidence is what a signer left: a decline's reason, the fields
// they filled in and the files they uploaded.
type signerEvidence struct {
	DeclineReason types.String `tfsdk:"decline_reason"`
	Inputs        types.List   `tfsdk:"inputs"`
	Attachments   types.List   `tfsdk:"attachments"`
}

// evidenceFromBox is the request's evidence as Box reports it.
func evidenceFromBox(sr *box.SignRequest, diags *diag.Diagnostics) signRequestEvidence {
	ev := signRequestEvidence{
		RequestFlow: types.StringPointerValue(sr.RequestFlow),
		ErrorCode:   types.StringPointerValue(sr.ErrorCode),
		FinishedAt:  timeValue(sr.FinishedAt),
		SigningLog:  types.ObjectNull(fileEvidenceType.AttrTypes),
	}
	var files []attr.Value
	if sr.SignFiles != nil {
		for _, f := range sr.SignFiles.Files {
			files = append(files, fileEvidence(f, diags))
		}
	}
	ev.SignFiles = listOf(fileEvidenceType, files, diags)
	if sr.SigningLog != nil && sr.SigningLog.ID != "" {
		ev.SigningLog = fileEvidence(*sr.SigningLog, diags)
	}
	return ev
}

// applyEvidence refreshes the resource's evidence. request_flow is an
// argument: it is taken from Box only where the configuration has nothing
// to keep (omitted, or after an import), like parent_folder_id.
func (m *signRequestModel) applyEvidence(sr *box.SignRequest, importing bool, diags *diag.Diagnostics) {
	configured := m.RequestFlow
	m.signRequestEvidence = evidenceFromBox(sr, diags)
	if !unset(configured) && !importing {
		m.RequestFlow = configured
	}
}

func fileEvidence(f box.FileRef, diags *diag.Diagnostics) types.Object {
	sha1 := f.SHA1
	if sha1 == "" && f.FileVersion != nil {
		sha1 = f.FileVersion.SHA1
	}
	obj, d := types.ObjectValue(fileEvidenceType.AttrTypes, map[string]attr.Value{
		"file_id":    types.StringValue(f.ID),
		"version_id": nullIfEmpty(f.VersionID()),
		"sha1":       nullIfEmpty(sha1),
	})
	diags.Append(d...)
	return obj
}

// noSignerEvidence is a signer's evidence before Box reports any: typed
// nulls, which a zero signerEvidence is not.
func noSignerEvidence() signerEvidence {
	return signerEvidence{DeclineReason: types.StringNull(), Inputs: types.ListNull(inputType), Attachments: types.ListNull(attachmentType)}
}

// signerEvidenceFromBox is what a signer left, as Box reports it.
func signerEvidenceFromBox(as box.SignRequestSigner, diags *diag.Diagnostics) signerEvidence {
	ev := signerEvidence{DeclineReason: types.StringNull()}
	if d := as.SignerDecision; d != nil && d.Type == "declined" && d.AdditionalInfo != nil && *d.AdditionalInfo != "" {
		ev.DeclineReason = types.StringValue(*d.AdditionalInfo)
	}
	inputs := []attr.Value{}
	for _, in := range as.Inputs {
		obj, d := types.ObjectValue(inputType.AttrTypes, map[string]attr.Value{
			"document_tag_id": types.StringPointerValue(in.DocumentTagID),
			"type":            nullIfEmpty(in.Type),
			"text_value":      types.StringPointerValue(in.TextValue),
			"checkbox_value":  types.BoolPointerValue(in.CheckboxValue),
			"date_value":      types.StringPointerValue(in.DateValue),
		})
		diags.Append(d...)
		inputs = append(inputs, obj)
	}
	ev.Inputs = listOf(inputType, inputs, diags)
	atts := []attr.Value{}
	for _, a := range as.Attachments {
		obj, d := types.ObjectValue(attachmentType.AttrTypes, map[string]attr.Value{
			"file_id": types.StringPointerValue(a.ID),
			"name":    types.StringPointerValue(a.Name),
		})
		diags.Append(d...)
		atts = append(atts, obj)
	}
	ev.Attachments = listOf(attachmentType, atts, diags)
	return ev
}

// listOf is a known list, empty rather than null when there is nothing:
// Box answers with an empty list, and a refresh that finds nothing new
// plans nothing.
func listOf(elem attr.Type, elems []attr.Value, diags *diag.Diagnostics) types.List {
	if elems == nil {
		elems = []attr.Value{}
	}
	l, d := types.ListValue(elem, elems)
	diags.Append(d...)
	return l
}

// nullIfEmpty is null for "", which Box leaves out.
func nullIfEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// evidenceFiles lists the signed copies and then the log of a request,
// for the archive action.
func evidenceFiles(sr *box.SignRequest) []box.FileRef {
	var out []box.FileRef
	if sr.SignFiles != nil {
		out = append(out, sr.SignFiles.Files...)
	}
	if sr.SigningLog != nil && sr.SigningLog.ID != "" {
		out = append(out, *sr.SigningLog)
	}
	return out
}
