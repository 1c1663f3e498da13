package provider

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/box/terraform-provider-box/internal/box"
)

var (
	_ resource.Resource                   = &signRequestResource{}
	_ resource.ResourceWithConfigure      = &signRequestResource{}
	_ resource.ResourceWithImportState    = &signRequestResource{}
	_ resource.ResourceWithValidateConfig = &signRequestResource{}

	_ resource.ResourceWithConfigValidators = &signRequestResource{}
)

const (
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 2 * time.Minute
	defaultDeleteTimeout = 5 * time.Minute
)

// NewSignRequestResource is the box_sign_request resource.
func NewSignRequestResource() resource.Resource {
	return &signRequestResource{pollInterval: time.Second, maxPollInterval: 15 * time.Second}
}

type signRequestResource struct {
	client *box.Client
	d      *providerData
	// pollInterval is the first wait while Box converts the files; it
	// doubles up to maxPollInterval.
	pollInterval, maxPollInterval time.Duration
}

func (r *signRequestResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sign_request"
}

func (r *signRequestResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d := fromProviderData(req.ProviderData, &resp.Diagnostics); d != nil {
		r.client, r.d = d.client, d
	}
}

// ConfigValidators are the checks across attributes that the framework
// declares: a sign request needs documents, from files or from a template,
// not both (the template carries its own files).
func (r *signRequestResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("source_file_ids"), path.MatchRoot("template_id")),
	}
}

// ValidateConfig holds the checks across attributes that the framework has
// no validator for; single-attribute checks live on the schema. None of
// them calls Box. Each prefill tag needs exactly one value: the framework's
// ExactlyOneOf on nested attributes reports its path expressions garbled,
// one error per attribute, so the check is written out to give one clear
// error per tag. A configured login_required = false would count as set
// for ConflictsWith, so its conflict with the phone is checked on its value.
func (r *signRequestResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m signRequestModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	tags, d := m.prefillTags(ctx)
	resp.Diagnostics.Append(d...)
	for i, t := range tags {
		set := 0
		for _, v := range []attr.Value{t.TextValue, t.CheckboxValue, t.DateValue} {
			if !v.IsNull() {
				set++
			}
		}
		if set != 1 {
			at := path.Root("prefill_tag").AtListIndex(i)
			resp.Diagnostics.AddAttributeError(at, "Prefill tag needs exactly one value",
				fmt.Sprintf("Attribute %s has %d values: set exactly one of text_value, checkbox_value and date_value (Box fills one tag with one value).", at, set))
		}
	}
	signers, d := m.signers(ctx)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(checkSigners(signers, m.IsPhoneVerificationRequiredToView)...)
}

func (r *signRequestResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if importByID(ctx, req, resp, "box_sign_request", "348decab-48a8-4f2c-9436-8967afebf7bb") == "" {
		return
	}
	// ModifyPlan checks what the configuration Terraform generates for an
	// import leaves out; the mark lasts until the request is replaced.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedKey, []byte("true"))...)
}

func (r *signRequestResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan signRequestModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	passwords, d := writeOnlyPasswords(ctx, req.Config)
	resp.Diagnostics.Append(d...)
	body, d := plan.createRequest(ctx, passwords)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}

	sr, adopted, d := r.createFromPlan(ctx, plan, body)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Info(ctx, "created sign request", map[string]any{"id": sr.ID, "status": sr.Status, "adopted": adopted != nil})

	// Record the request before waiting on it: whatever happens while Box
	// converts the files, the state must know the request exists, or the
	// next apply would send it again.
	resp.Diagnostics.Append(plan.applyResponse(ctx, sr)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, sr.ID)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// The state already holds this answer unless Box is still converting:
	// only a newer answer is worth writing again.
	if sr.Status == box.StatusConverting {
		var err error
		sr, err = r.waitWhileConverting(ctx, sr)
		if err != nil {
			resp.Diagnostics.AddWarning("Sign request still converting",
				fmt.Sprintf("Box accepted sign request %s, but it was still converting when the provider stopped waiting (%s). "+
					"It is saved in the state; the next refresh shows its status. Raise timeouts.create to wait longer.", sr.ID, err))
			return
		}
		resp.Diagnostics.Append(plan.applyResponse(ctx, sr)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	}
	if sr.Status.IsError() {
		// Box does not retry failed requests: the user must replace it, and
		// an error here taints the resource so the next apply does.
		resp.Diagnostics.AddError("Box could not send the sign request",
			fmt.Sprintf("Sign request %s ended in status %q (error code %q). Box does not retry failed requests; "+
				"check the source files and signers, then apply again to replace it.", sr.ID, sr.Status, deref(sr.ErrorCode)))
	}
}

// waitWhileConverting polls with doubling intervals until Box has converted
// the files. It returns the last response it saw, even with an error.
func (r *signRequestResource) waitWhileConverting(ctx context.Context, sr *box.SignRequest) (*box.SignRequest, error) {
	wait := r.pollInterval
	for sr.Status == box.StatusConverting {
		select {
		case <-ctx.Done():
			return sr, ctx.Err()
		case <-time.After(wait):
		}
		next, err := r.client.GetSignRequest(ctx, sr.ID)
		if err != nil {
			return sr, err
		}
		sr = next
		wait = min(wait*2, r.maxPollInterval)
	}
	return sr, nil
}

func (r *signRequestResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state signRequestModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is set first: the framework wants one even when the
	// request turns out to be gone and leaves the state.
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, state.ID.ValueString())...)
	// A refresh only records the request: when a create of this plan chose
	// to adopt it, this resource's plan decides (planHandover).
	_, _, d := r.trackPrior(ctx, req.State)
	resp.Diagnostics.Append(d...)
	timeout, d := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	sr, err := r.client.GetSignRequest(ctx, state.ID.ValueString())
	if box.IsNotFound(err) {
		r.notFound(ctx, state, resp)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiError(opRead, "Could not read sign request "+state.ID.ValueString(), err)...)
		return
	}
	prior := state
	resp.Diagnostics.Append(state.applyResponse(ctx, sr)...)
	if state.AllowIdentical.IsNull() {
		// After an import: the default, so that a matching config plans nothing.
		state.AllowIdentical = types.BoolValue(false)
	}
	resp.Diagnostics.Append(statusChange(prior, sr)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// orphanSearchAdvice says what to do when the search for an orphan fails:
// nothing was sent, and the user may opt out of the search.
const orphanSearchAdvice = "Before sending, the provider lists the user's recent sign requests to adopt one an interrupted run left behind. " +
	"Nothing was sent. Apply again; or, to send without looking, set `allow_identical = true` on this resource or `orphan_window = \"0\"` (BOX_ORPHAN_WINDOW) on the provider."

// Update only runs for changes that need no new request: resend_version,
// whose raise asks Box to remind the signers, and the arguments that only
// live in the state (cancel_reason, allow_identical, timeouts), whose
// change calls nothing: ModifyPlan planned Box's values as they were.
func (r *signRequestResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior signRequestModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, prior.ID.ValueString())...)
	// On failure the response still holds the prior state, which keeps the
	// old resend_version: the change stays pending for the next apply.
	ok, sent := r.resendIfRaised(ctx, prior.ResendVersion, plan.ResendVersion, plan.ID.ValueString(), &resp.Diagnostics)
	if !ok {
		return
	}
	// Record the in-place arguments (the reminder among them) before
	// reading: should the read fail, the next apply must not remind the
	// signers a second time.
	recorded, err := r.withInPlaceArguments(ctx, req.State.Raw, req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Could not read the plan and the state", err.Error())
		return
	}
	resp.State.Raw = recorded
	if !sent {
		return
	}
	resp.Diagnostics.Append(resp.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sr, err := r.client.GetSignRequest(ctx, plan.ID.ValueString())
	if err != nil {
		resp.Diagnostics.Append(apiError(opRead, "Could not read sign request "+plan.ID.ValueString(), err)...)
		return
	}
	resp.Diagnostics.Append(prior.applyResponse(ctx, sr)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
}

func (r *signRequestResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state signRequestModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id := state.ID.ValueString()

	if handover, _ := req.Private.GetKey(ctx, handoverKey); handover != nil {
		// The plan passed the request to a create that adopts it, and said
		// so: it is neither cancelled nor claimed here, so that the create
		// (planned again in this process) still finds it.
		resp.Diagnostics.AddWarning("Sign request not cancelled: it passes to another resource",
			fmt.Sprintf("Sign request %s leaves this resource's state without being cancelled: as the plan said, a `box_sign_request` create of this apply adopts it. Nobody was emailed.", id))
		return
	}
	if !r.client.ClaimCancel(id) {
		// A create of this apply adopted the request: it now belongs to
		// that resource, and cancelling it would leave the state tracking
		// a cancelled request. Adoption and cancellation are exclusive.
		resp.Diagnostics.AddWarning("Sign request not cancelled: another resource adopted it",
			fmt.Sprintf("Sign request %s leaves this resource's state without being cancelled: a `box_sign_request` create of this apply adopted it, "+
				"as its plan said, and tracks it now. Nobody was emailed.", id))
		return
	}
	_, err := r.client.CancelSignRequestWithReason(ctx, id, state.CancelReason.ValueString())
	if err == nil || box.IsNotFound(err) {
		return
	}
	if isBoxStatus(err, http.StatusBadRequest) {
		// Box refuses to cancel a finished request. Look at it to say why;
		// there is nothing to undo, so it simply leaves the state.
		sr, getErr := r.client.GetSignRequest(ctx, id)
		if box.IsNotFound(getErr) {
			return
		}
		if getErr == nil && !sr.Status.CanCancel() {
			resp.Diagnostics.AddWarning("Sign request not cancelled", notCancelledDetail(id, sr.Status))
			return
		}
	}
	resp.Diagnostics.Append(apiError(opCancel, "Could not cancel sign request "+id, err)...)
}
