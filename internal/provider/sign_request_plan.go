package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/box/terraform-provider-box/internal/box"
)

var _ resource.ResourceWithModifyPlan = &signRequestResource{}

// importedKey marks, in the resource's private state, a request that came
// in by import and has not been replaced since.
const importedKey = "imported"

// sendsReminder reports whether applying plan after prior asks Box to
// remind the signers: only a raise from a recorded number does (see
// resendIfRaised).
func sendsReminder(prior, plan types.Int64) bool {
	known := func(v types.Int64) bool { return !v.IsNull() && !v.IsUnknown() }
	return known(prior) && known(plan) && plan.ValueInt64() > prior.ValueInt64()
}

// ModifyPlan tells the truth about what an apply will send, before anyone
// is emailed: it reads the template of a request about to be sent and
// checks the configuration against it, and it warns when a replacement
// will email the signers again. A plan that sends nothing calls no API.
func (r *signRequestResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.State.Raw.IsNull() {
		// The state holds this request: no create of this process adopts it.
		id, adopted, d := r.trackPrior(ctx, req.State)
		resp.Diagnostics.Append(d...)
		if adopted {
			planHandover(ctx, id, req, resp)
			return
		}
	}
	if req.Plan.Raw.IsNull() {
		return // destroy: Delete says what becomes of the request
	}
	if !req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw) {
		// Nothing changes, as in every plan of a request applied as
		// configured: nothing is sent, so there is nothing to warn about or
		// check. Returning before decoding the plan, the configuration and
		// the state spares the costliest part of a no-op plan (DESIGN.md,
		// "Provider CPU"). An imported request whose configuration leaves
		// out a phone Box has plans a change, so it still reaches the check.
		return
	}
	var plan, cfg signRequestModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() {
		// A plain create, or the new object of a replacement, which
		// Terraform plans in a second call that gets the first call's
		// private state: that call already decided.
		resp.Diagnostics.Append(r.checkTemplate(ctx, cfg)...)
		if resp.Diagnostics.HasError() {
			return // a plan that fails sends nothing: no need to look
		}
		decided, id, d := r.adoptionOf(ctx, req, resp, plan)
		resp.Diagnostics.Append(d...)
		resp.Diagnostics.Append(setPlannedAdoption(ctx, &resp.Plan, plan, decided, id)...)
		return
	}
	var state signRequestModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if imported, _ := req.Private.GetKey(ctx, importedKey); imported != nil {
		resp.Diagnostics.Append(checkImportedPhones(ctx, state, cfg)...)
	}
	switch replacing, changing := r.changes(ctx, req, state, plan, cfg); {
	case !changing:
		// Nothing configured changes once emails are compared without
		// case: keep the prior state whole, or the computed attributes the
		// framework marked unknown for a change of case would show an
		// update that does nothing.
		resp.Plan.Raw = req.State.Raw
	case replacing:
		resp.Diagnostics.Append(r.checkTemplate(ctx, cfg)...)
		resp.Diagnostics.Append(replacementWarning(ctx, state, plan)...)
		// Decide the new object's adoption here, where Terraform shows the
		// warning (it drops the second call's), and hand it on.
		if resp.Diagnostics.HasError() {
			return
		}
		decided, id, d := r.planAdoption(ctx, req.Config, plan)
		resp.Diagnostics.Append(d...)
		if decided {
			b, _ := json.Marshal(id)
			resp.Diagnostics.Append(resp.Private.SetKey(ctx, adoptKey, b)...)
		}
	case !sendsReminder(state.ResendVersion, plan.ResendVersion):
		// Only the state changes (cancel_reason, timeouts, a resend_version
		// that reminds nobody): plan what Box computed as it is, so the plan
		// shows just those arguments and the apply calls nothing.
		resp.Diagnostics.Append(r.planStateOnly(ctx, req, resp)...)
	}
}

// planStateOnly plans the prior state with the arguments that change
// without replacing the request taken from the plan.
func (r *signRequestResource) planStateOnly(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) diag.Diagnostics {
	planned, err := r.withInPlaceArguments(ctx, req.State.Raw, req.Plan.Raw)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Could not read the plan and the state", err.Error())
		return diags
	}
	resp.Plan.Raw = planned
	return nil
}

// withInPlaceArguments is prior with the arguments that change without
// replacing the request (argumentSets) taken from planned: the plan of a
// change that calls nothing, and the state Update records first.
func (r *signRequestResource) withInPlaceArguments(ctx context.Context, prior, planned tftypes.Value) (tftypes.Value, error) {
	var p, out map[string]tftypes.Value
	if err := planned.As(&p); err != nil {
		return tftypes.Value{}, err
	}
	if err := prior.As(&out); err != nil {
		return tftypes.Value{}, err
	}
	_, inPlace := r.argumentSets(ctx)
	for _, name := range inPlace {
		out[name] = p[name]
	}
	return tftypes.NewValue(prior.Type(), out), nil
}

// argumentSets splits the arguments by what their change does, as the
// schema's plan modifiers say: replacing are the configurable top-level
// attributes with RequiresReplace; inPlace are the others (resend_version,
// whose raise asks Box for a reminder, and those that change only the
// state: cancel_reason, allow_identical) and timeouts.
func (r *signRequestResource) argumentSets(ctx context.Context) (replacing, inPlace []string) {
	var sch resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sch)
	replacing = replacingAttributes(sch.Schema.Attributes)
	inPlace = []string{"timeouts"}
	for _, name := range configurableAttributes(sch.Schema.Attributes) {
		if !slices.Contains(replacing, name) {
			inPlace = append(inPlace, name)
		}
	}
	return replacing, inPlace
}

// adoptionOf is the adoption a create plans: the one its replacement's
// first call chose, else a search of its own.
func (r *signRequestResource) adoptionOf(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, plan signRequestModel) (decided bool, id string, diags diag.Diagnostics) {
	b, diags := req.Private.GetKey(ctx, adoptKey)
	if diags.HasError() {
		return false, "", diags
	}
	if b != nil {
		// Read once: the new object's private state must not carry it on.
		diags.Append(resp.Private.SetKey(ctx, adoptKey, nil)...)
		return json.Unmarshal(b, &id) == nil, id, diags
	}
	return r.planAdoption(ctx, req.Config, plan)
}

// changes reports whether the plan replaces the request (an attribute
// carrying RequiresReplace differs from the state, or a signer or prefill
// block changes, by the same rules the schema's plan modifiers applied
// before this), and whether it changes anything configured at all
// (allow_identical, resend_version and timeouts included).
func (r *signRequestResource) changes(ctx context.Context, req resource.ModifyPlanRequest, state, plan, cfg signRequestModel) (replaces, changes bool) {
	var planned, prior map[string]tftypes.Value
	if req.Plan.Raw.As(&planned) != nil || req.State.Raw.As(&prior) != nil {
		return true, true
	}
	replacing, inPlace := r.argumentSets(ctx)
	for _, name := range replacing {
		if !planned[name].Equal(prior[name]) {
			return true, true
		}
	}
	if signerReplace.Differ(state.Signers, plan.Signers, cfg.Signers) || prefillReplace.Differ(state.PrefillTags, plan.PrefillTags, cfg.PrefillTags) {
		return true, true
	}
	for _, name := range inPlace {
		if !planned[name].Equal(prior[name]) {
			return false, true
		}
	}
	return false, false
}

// checkImportedPhones fails the plan of an imported request whose
// configuration leaves a verification phone null that Box has: Terraform
// writes `null # sensitive` into the configuration it generates, and a
// null would replace the request and email every signer again.
func checkImportedPhones(ctx context.Context, state, cfg signRequestModel) diag.Diagnostics {
	prior, diags := state.signers(ctx)
	configured, d := cfg.signers(ctx)
	diags.Append(d...)
	for i, s := range prior {
		if i >= len(configured) || s.VerificationPhoneNumber.IsNull() || !configured[i].VerificationPhoneNumber.IsNull() {
			continue
		}
		at := signerPath(i, "verification_phone_number")
		diags.AddAttributeError(at, "Fill in the imported verification phone number",
			fmt.Sprintf("Sign request %s was imported, and Box has a verification phone number for %s (%s). "+
				"Attribute %s is null in the configuration (Terraform leaves sensitive values out of the configuration it generates), "+
				"and a null would replace the request and email every signer again. "+
				"Set %s to the signer's number in E.164 form. To send a new request without it instead, run `terraform state rm` on this resource and apply.",
				state.ID.ValueString(), signerPath(i, "email"), s.Email.ValueString(), at, at))
	}
	return diags
}

// replacementWarning names who a replacement emails and what becomes of
// the request it replaces, in its status's words.
func replacementWarning(ctx context.Context, state, plan signRequestModel) diag.Diagnostics {
	prior, diags := state.signers(ctx)
	next, d := plan.signers(ctx)
	diags.Append(d...)
	status := box.SignRequestStatus(state.Status.ValueString())
	var parts []string
	if done := decisions(prior); done != "" {
		parts = append(parts, done)
	}
	if status == box.StatusExpired {
		parts = append(parts, "the request expired on "+orUnknown(state.AutoExpireAt.ValueString()))
	}
	action := "replacing it sends a new request to "
	if status.CanCancel() {
		action = "replacing it cancels it and sends a new request to "
	}
	parts = append(parts, action+recipients(next))
	if decisions(prior) == "" {
		// The sentence starts with the provider's words, not an email.
		parts[0] = strings.ToUpper(parts[0][:1]) + parts[0][1:]
	}
	tail := "."
	switch status {
	case box.StatusSigned, box.StatusFinalizing:
		tail = "; the signed copy stays in Box."
	case box.StatusDeclined, box.StatusExpired, box.StatusCancelled:
		tail = "; the old request and its signing log stay in Box."
	}
	detail := fmt.Sprintf("Sign request %s (%q, status %s) will be replaced because an argument changed. %s%s\n\n",
		state.ID.ValueString(), state.Name.ValueString(), status, strings.Join(parts, "; "), tail) +
		"To keep the request, undo the change. To guard finished requests, add `lifecycle { prevent_destroy = true }` " +
		"or list the changed arguments in `lifecycle { ignore_changes = [...] }`."
	diags.AddWarning("Replacing this sign request emails the signers again", detail)
	return diags
}

// decisions is "alice@… signed on …, bob@… declined on … (reason: …)" for
// the signers who have decided, or "".
func decisions(signers []signerModel) string {
	var out []string
	for _, s := range signers {
		if s.Decision.IsNull() || s.Decision.IsUnknown() {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s on %s", s.Email.ValueString(), s.Decision.ValueString(), orUnknown(s.DecidedAt.ValueString())))
	}
	return strings.Join(out, ", ")
}

// recipients lists the emails of the planned signers Box will email.
func recipients(signers []signerModel) string {
	var out []string
	for _, s := range signers {
		switch {
		case s.Email.IsUnknown():
			out = append(out, "a signer whose email is known only at apply")
		case silenced(s):
			out = append(out, s.Email.ValueString()+" (no email: suppress_notifications with embed_url_external_user_id)")
		default:
			out = append(out, s.Email.ValueString())
		}
	}
	switch len(out) {
	case 0:
		return "its signers"
	case 1:
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}

// silenced reports whether Box will send a signer no email: only with
// both suppress_notifications and embed_url_external_user_id (the flag
// alone is refused at plan time, see checkSuppression).
func silenced(s signerModel) bool {
	return s.SuppressNotifications.ValueBool() && !s.EmbedURLExternalUserID.IsNull() && !s.EmbedURLExternalUserID.IsUnknown()
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown date"
	}
	return s
}
