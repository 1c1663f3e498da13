// Package planmodifiers holds the plan modifiers that keep Box's own changes
// to a sign request from showing up as diffs, while still replacing the
// request when the user changes what they configured.
package planmodifiers

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// PDFSuffixEquivalent keeps the state's value when the planned name differs
// from it only by the ".pdf" Box appends to every sign request name, so an
// imported request whose config says "Contract" plans no replacement.
func PDFSuffixEquivalent() planmodifier.String { return pdfSuffix{} }

type pdfSuffix struct{}

func (pdfSuffix) Description(context.Context) string {
	return "names that differ only by the .pdf suffix Box appends are equal"
}
func (m pdfSuffix) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (pdfSuffix) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	if SameName(req.PlanValue.ValueString(), req.StateValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}

// SameName reports whether two sign request names are equal once Box's
// ".pdf" suffix is taken into account.
func SameName(a, b string) bool {
	return a == b || a+".pdf" == b || a == b+".pdf"
}

// RequiresReplaceIfAttributesChange replaces the resource when a list of
// nested blocks gains or loses an element, or when any of the named
// (configurable) attributes of an element changes. Computed attributes of
// the elements, such as a signer's progress, are ignored: they change with
// the world and must never force a new sign request.
func RequiresReplaceIfAttributesChange(names ...string) planmodifier.List {
	return replaceOnChange{names: names}
}

type replaceOnChange struct{ names []string }

func (m replaceOnChange) Description(context.Context) string {
	return "changing " + strings.Join(m.names, ", ") + " replaces the resource"
}
func (m replaceOnChange) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (m replaceOnChange) PlanModifyList(_ context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return // creating or destroying
	}
	if req.PlanValue.IsUnknown() {
		resp.RequiresReplace = true
		return
	}
	if m.differ(req.StateValue, req.PlanValue) {
		resp.RequiresReplace = true
	}
}

func (m replaceOnChange) differ(state, plan types.List) bool {
	se, pe := state.Elements(), plan.Elements()
	if state.IsNull() != plan.IsNull() || len(se) != len(pe) {
		return true
	}
	for i := range se {
		so, ok1 := se[i].(basetypes.ObjectValue)
		po, ok2 := pe[i].(basetypes.ObjectValue)
		if !ok1 || !ok2 {
			return !se[i].Equal(pe[i])
		}
		sa, pa := so.Attributes(), po.Attributes()
		for _, n := range m.names {
			if !equalOrUnknown(sa[n], pa[n]) {
				return true
			}
		}
	}
	return false
}

// equalOrUnknown treats an unknown planned value as a change, and compares
// emails and other strings exactly: case folding is left to the Read side.
func equalOrUnknown(state, plan attr.Value) bool {
	if plan == nil || state == nil {
		return plan == nil && state == nil
	}
	if plan.IsUnknown() {
		return false
	}
	return state.Equal(plan)
}
