// Package planmodifiers holds the plan modifiers that keep Box's own changes
// to a sign request from showing up as diffs, while still replacing the
// request when the user changes what they configured.
package planmodifiers

import (
	"context"
	"slices"
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
func RequiresReplaceIfAttributesChange(names ...string) ReplaceOnChange {
	return ReplaceOnChange{names: names}
}

// ReplaceOnChange is the list plan modifier RequiresReplaceIfAttributesChange
// makes.
type ReplaceOnChange struct{ names, folded []string }

// IgnoringCase compares the named string attributes without case, as Box
// compares emails: a change of case alone replaces nothing. The attribute
// itself needs CaseInsensitive too, so that its plan shows no diff.
func (m ReplaceOnChange) IgnoringCase(names ...string) ReplaceOnChange {
	m.folded = append(append([]string(nil), m.folded...), names...)
	return m
}

func (m ReplaceOnChange) Description(context.Context) string {
	return "changing " + strings.Join(m.names, ", ") + " replaces the resource"
}
func (m ReplaceOnChange) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (m ReplaceOnChange) PlanModifyList(_ context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return // creating or destroying
	}
	if req.PlanValue.IsUnknown() {
		resp.RequiresReplace = true
		return
	}
	if m.Differ(req.StateValue, req.PlanValue, req.ConfigValue) {
		resp.RequiresReplace = true
	}
}

// Differ reports whether plan changes the list in a way that replaces the
// resource: the resource's ModifyPlan asks the same question to warn. An
// Optional+Computed attribute the configuration leaves null is planned
// unknown before its own plan modifier keeps the state's value: that is
// no change, so config tells it from a configured value not yet known.
func (m ReplaceOnChange) Differ(state, plan, config types.List) bool {
	if plan.IsUnknown() {
		return true
	}
	se, pe, ce := state.Elements(), plan.Elements(), config.Elements()
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
		var ca map[string]attr.Value
		if i < len(ce) {
			if co, ok := ce[i].(basetypes.ObjectValue); ok {
				ca = co.Attributes()
			}
		}
		for _, n := range m.names {
			if pa[n] != nil && pa[n].IsUnknown() && ca != nil && ca[n] != nil && ca[n].IsNull() {
				continue // unset: the attribute keeps the state's value
			}
			if !equalOrUnknown(sa[n], pa[n], slices.Contains(m.folded, n)) {
				return true
			}
		}
	}
	return false
}

// equalOrUnknown treats an unknown planned value as a change; fold
// compares strings without case.
func equalOrUnknown(state, plan attr.Value, fold bool) bool {
	if plan == nil || state == nil {
		return plan == nil && state == nil
	}
	if plan.IsUnknown() {
		return false
	}
	if fold {
		ss, ok1 := state.(basetypes.StringValue)
		ps, ok2 := plan.(basetypes.StringValue)
		if ok1 && ok2 && !ss.IsNull() && !ps.IsNull() {
			return strings.EqualFold(ss.ValueString(), ps.ValueString())
		}
	}
	return state.Equal(plan)
}

// CaseInsensitive keeps the state's value when the planned one differs
// from it only in case, as Box compares emails: the plan shows no diff.
// Terraform accepts the prior value in place of a configured one.
func CaseInsensitive() planmodifier.String { return caseInsensitive{} }

type caseInsensitive struct{}

func (caseInsensitive) Description(context.Context) string {
	return "values that differ only in case are equal"
}
func (m caseInsensitive) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (caseInsensitive) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	if strings.EqualFold(req.PlanValue.ValueString(), req.StateValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}
