package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
)

// Adoption is decided when the create is planned, never when it is
// applied (DESIGN.md, "Sent once"). A create that adopts plans the
// request's ID: Terraform shows it in the plan, and checks that the
// apply's own plan (which runs this again, in the apply's process) comes
// to the same ID, or fails before anything is sent. Create adopts exactly
// the planned ID and otherwise sends without looking.

// adoptKey carries, in the private state of a replacement's first plan
// call, the adoption that call chose, to the second call, which plans the
// new object (Terraform passes the first call's private state to it).
const adoptKey = "adopt"

// handoverKey marks, in the private state a destroy plans, that a create
// of the same plan adopts the request this resource holds: the destroy
// then leaves the request live (Delete), as the plan's warning says.
const handoverKey = "handover"

// trackPrior records the request the prior state holds, so that no create
// of this process adopts it (one a refresh, a plan, a destroy or a
// replacement names). It returns the request's ID and whether a create of
// this plan already chose to adopt it: Terraform refreshes and plans
// resources concurrently, so a create (the shifted instance of a `count`,
// the new address of a rename) can search before the resource holding its
// match is refreshed. What then happens is the plan's to decide
// (planHandover), never the refresh's.
func (r *signRequestResource) trackPrior(ctx context.Context, state tfsdk.State) (id string, adopted bool, diags diag.Diagnostics) {
	var v types.String
	diags = state.GetAttribute(ctx, path.Root("id"), &v)
	if diags.HasError() || v.ValueString() == "" {
		return "", false, diags
	}
	return v.ValueString(), !r.client.Track(v.ValueString()), diags
}

// planHandover decides what becomes of a request this resource holds and
// a create of the same plan chose to adopt. Either order of the search and
// the refresh must end as its plan says. When this resource is destroyed,
// the request passes to the create: the destroy leaves it live instead of
// cancelling it (private state tells Delete so), and the plan says so here.
// Any other plan would leave two resources tracking one request, or cancel
// a request a create adopts: it fails, with nothing sent.
func planHandover(ctx context.Context, id string, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddWarning("Sign request passes to another resource instead of being cancelled",
			fmt.Sprintf("This resource is destroyed, and a `box_sign_request` create of this plan adopts its sign request %s (that create's plan says so): "+
				"the destroy removes the request from this resource's state without cancelling it, and nobody is emailed. "+
				"To cancel it and send a new request instead, destroy this resource in an apply of its own first "+
				"(`terraform apply -target=ADDR` with the resource removed from the configuration, or `terraform destroy -target=ADDR`), then apply.", id))
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, handoverKey, []byte("true"))...)
		return
	}
	resp.Diagnostics.AddError("Sign request claimed twice in one plan",
		fmt.Sprintf("This resource tracks sign request %s, and another `box_sign_request` create of this plan chose to adopt it as an orphan "+
			"before the refresh reached this resource; this plan keeps or replaces the request, so it cannot pass to that create. Nothing was sent. "+
			"Run the plan again: Terraform refreshes and plans resources concurrently, and a plan that refreshes this resource first knows the request is tracked. "+
			"If the two resources describe the same request on purpose, give one a distinct `external_id` or set `allow_identical = true` on it.", id))
}

// planAdoption decides what a create will do, for a plain create or the
// new object of a replacement (prior is the request it replaces, or
// empty). It warns, naming the request, when the create will adopt one,
// and fails when it cannot tell. It returns the ID to adopt, or "".
func (r *signRequestResource) planAdoption(ctx context.Context, config tfsdk.Config, plan signRequestModel) (decided bool, id string, diags diag.Diagnostics) {
	if plan.AllowIdentical.ValueBool() {
		return true, "", diags // always send
	}
	if !config.Raw.IsFullyKnown() {
		// A configuration known only at apply (a file made in the same
		// run) is decided by the apply's own plan, which runs this again
		// with every value known.
		return false, "", diags
	}
	passwords, d := writeOnlyPasswords(ctx, config)
	diags.Append(d...)
	body, d := plan.createRequest(ctx, passwords)
	diags.Append(d...)
	if diags.HasError() {
		return false, "", diags
	}
	o, err := r.client.FindOrphan(ctx, body)
	if refusal, ok := box.AsOrphanRefusal(err); ok {
		diags.AddError("Cannot tell whether this sign request was already sent", refusalDetail(refusal))
		return false, "", diags
	}
	if err != nil {
		diags.Append(apiFailure{op: opOrphanSearch, summary: "Could not look for an orphaned sign request", advice: orphanSearchAdvice}.diagnostics(err)...)
		return false, "", diags
	}
	if o == nil {
		return true, "", diags
	}
	diags.AddWarning("This create adopts an existing sign request instead of sending one", adoptionDetail(&o.Request, o.Window))
	return true, o.Request.ID, diags
}

// setPlannedAdoption writes the create's decision into the planned
// object, where the plan shows it and where Terraform holds the apply to
// it: Terraform plans every create again in the apply's own process (which
// knows nothing of this plan's refreshes or of the request a replacement
// replaces) and fails, before anything is sent, when that plan contradicts
// a value this one made known. Adopting plans the request's ID. Sending
// plans has_viewed_document = false for every signer, as Box answers for a
// new request, while an adoption leaves it unknown: so an apply that would
// adopt where this plan sends, or send where it adopts, stops. Without a
// decision (values known only at apply) nothing is planned here.
func setPlannedAdoption(ctx context.Context, plan *tfsdk.Plan, m signRequestModel, decided bool, id string) diag.Diagnostics {
	switch {
	case !decided:
		return nil
	case id != "":
		return plan.SetAttribute(ctx, path.Root("id"), types.StringValue(id))
	}
	signers, diags := m.signers(ctx)
	if diags.HasError() {
		return diags
	}
	for i := range signers {
		signers[i].HasViewedDocument = types.BoolValue(false)
	}
	list, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: signerAttrTypes}, signers)
	diags.Append(d...)
	if !diags.HasError() {
		diags.Append(plan.SetAttribute(ctx, path.Root("signer"), list)...)
	}
	return diags
}

// adoptionDetail says which request a create adopts, when it was created
// and why, and how to get a new request instead.
func adoptionDetail(sr *box.SignRequest, window time.Duration) string {
	return fmt.Sprintf("Box already holds sign request %s (status %q), created %s, with the same documents, signers, name, folder, external ID and settings as this resource, "+
		"sent by the same user within the provider's orphan_window (%s), and tracked by no resource this plan had refreshed when it looked. "+
		"Should a resource that this plan destroys hold it, the request passes to this resource instead of being cancelled, and that destroy says so. "+
		"It is most likely left by an earlier apply that was interrupted before it could record the request, so the apply records it in the state "+
		"instead of emailing the signers a second time; it sends nothing. "+
		"If you meant to send a second, identical request, give this resource a distinct `external_id` or set `allow_identical = true`. "+
		"Should this show during an apply whose plan said the create sends a new request (the request it replaces is still live, as under `create_before_destroy`, "+
		"or another resource of the state tracks it), Terraform stops the apply with an inconsistent final plan, before anything is sent: "+
		"the provider cannot tell that request from an orphan there. Set `allow_identical = true` to send, or cancel the request in Box, and apply again.",
		sr.ID, sr.Status, createdPhrase(sr.CreatedAt), window)
}

func createdPhrase(t *time.Time) string {
	if t == nil {
		return "at an unknown time"
	}
	return "at " + t.UTC().Format(time.RFC3339)
}

// refusalDetail names the requests an orphan search could not decide
// between, and the ways forward.
func refusalDetail(e *box.OrphanRefusal) string {
	var named []string
	for _, c := range e.Candidates {
		named = append(named, fmt.Sprintf("%s (status %q, created %s)", c.ID, c.Status, createdPhrase(c.CreatedAt)))
	}
	forward := "Nothing was sent. To keep one of them, import it into this resource: `terraform import <this resource's address> ID`. " +
		"To send a new request instead, cancel them in Box and apply again, or set `allow_identical = true` on this resource."
	switch e.Reason {
	case box.RefusedSeveral:
		return fmt.Sprintf("Box holds %d live sign requests that match this resource, sent by the same user within the provider's orphan_window (%s): %s. "+
			"Any of them may be left by an interrupted apply, or sent by hand or by another workspace; the provider cannot tell which, so it neither adopts nor sends.\n\n%s",
			len(named), e.Window, strings.Join(named, ", "), forward)
	case box.RefusedPassword:
		return fmt.Sprintf("Box holds a live sign request that matches this resource, sent by the same user within the provider's orphan_window (%s): %s. "+
			"A signer of this resource has a password, which Box never returns, so the provider cannot verify that the request is this one: it neither adopts nor sends.\n\n%s",
			e.Window, strings.Join(named, ", "), forward)
	}
	return fmt.Sprintf("The search for a sign request left by an interrupted apply read %d pages of the user's sign requests without reaching those older than the provider's orphan_window (%s), "+
		"so it cannot tell whether one exists. Nothing was sent. Set a shorter `orphan_window` on the provider (BOX_ORPHAN_WINDOW), "+
		"or `allow_identical = true` on this resource to send without looking.", e.Pages, e.Window)
}

// createFromPlan sends the request, or adopts the one the plan chose; it
// never looks for an orphan itself.
func (r *signRequestResource) createFromPlan(ctx context.Context, plan signRequestModel, body *box.SignRequestCreate) (*box.SignRequest, *box.Adoption, diag.Diagnostics) {
	var diags diag.Diagnostics
	if id := plan.ID.ValueString(); !plan.ID.IsUnknown() && id != "" {
		sr, err := r.client.AdoptSignRequest(ctx, id, body)
		if err != nil {
			diags.Append(apiFailure{op: opOrphanSearch, summary: "Could not adopt the sign request the plan chose", advice: adoptLostAdvice(id)}.diagnostics(err)...)
			return nil, nil, diags
		}
		return sr, &box.Adoption{Reason: box.AdoptedOrphan, CreatedAt: sr.CreatedAt}, diags
	}
	sr, adopted, err := r.client.SendSignRequest(ctx, body)
	switch {
	case box.IsAmbiguousCreate(err):
		diags.AddError("Box may have created the sign request", err.Error()+"\n\n"+ambiguousAdvice(err))
		return nil, nil, diags
	case err != nil:
		diags.Append(r.createError(ctx, &plan, err)...)
		return nil, nil, diags
	}
	return sr, adopted, diags
}

func adoptLostAdvice(id string) string {
	return fmt.Sprintf("The plan showed that this create adopts sign request %s; the apply does that or nothing. Nothing was sent. "+
		"Run the plan again: it shows what a create would do now.", id)
}

// ambiguousAdvice is the way forward after a create whose outcome the
// provider could not learn.
func ambiguousAdvice(err error) string {
	if refusal, ok := box.AsOrphanRefusal(err); ok && len(refusal.Candidates) > 0 {
		return refusalDetail(refusal)
	}
	return "Nothing was sent again. Look in Box for a sign request to these signers created in the last minutes. If there is one, " +
		"keep it with `terraform import <this resource's address> ID`, or cancel it in Box; then apply again."
}

// writeOnlyPasswords reads each signer's password_wo from the configuration,
// the only place Terraform makes write-only values available.
func writeOnlyPasswords(ctx context.Context, config tfsdk.Config) ([]types.String, diag.Diagnostics) {
	var list types.List
	diags := config.GetAttribute(ctx, path.Root("signer"), &list)
	if diags.HasError() || list.IsNull() || list.IsUnknown() {
		return nil, diags
	}
	out := make([]types.String, 0, len(list.Elements()))
	for i := range list.Elements() {
		var pw types.String
		diags.Append(config.GetAttribute(ctx, path.Root("signer").AtListIndex(i).AtName("password_wo"), &pw)...)
		out = append(out, pw)
	}
	return out, diags
}
