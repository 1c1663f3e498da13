package provider

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/box/terraform-provider-box/internal/box"
)

// resendIfRaised asks Box to remind the signers when the plan raises
// resend_version above the state's. The first value (null in the state) is
// only a starting point: after an import, a reminder nobody asked for would
// go out to real people. ok is false when the update must stop (the state
// is then left as it was, so the change stays in the next plan); sent says
// whether Box was asked to remind anyone.
func (r *signRequestResource) resendIfRaised(ctx context.Context, prior, plan types.Int64, id string, diags *diag.Diagnostics) (ok, sent bool) {
	if plan.IsNull() || plan.IsUnknown() {
		return true, false
	}
	if prior.IsNull() || prior.IsUnknown() {
		diags.AddAttributeWarning(path.Root("resend_version"), "No reminder sent",
			fmt.Sprintf("resend_version was not set before, so %d is recorded as the starting point and no reminder was sent. Raise it to have Box remind the signers.", plan.ValueInt64()))
		return true, false
	}
	if plan.ValueInt64() <= prior.ValueInt64() {
		return true, false
	}
	if err := r.client.ResendSignRequest(ctx, id); err != nil {
		diags.Append(r.resendError(ctx, id, prior.ValueInt64(), err)...)
		return false, false
	}
	tflog.Info(ctx, "asked Box to remind the signers", map[string]any{"id": id, "resend_version": plan.ValueInt64()})
	return true, true
}

// resendError explains a refused resend. Box answers 400 both during its
// 10-minute cool-down and for a request in a status it does not resend;
// the request's status tells which.
func (r *signRequestResource) resendError(ctx context.Context, id string, prior int64, err error) diag.Diagnostics {
	var diags diag.Diagnostics
	at := path.Root("resend_version")
	refused, status := resendRefusal(ctx, r.client, id, err)
	if !refused {
		return apiFailure{
			op: opResend, summary: "Could not resend sign request " + id, attr: at,
			advice: fmt.Sprintf("The state keeps resend_version at %d, so the change stays in the plan: apply again to retry.", prior),
		}.diagnostics(err)
	}
	if status != "" {
		diags.AddAttributeError(at, "Box cannot remind the signers",
			fmt.Sprintf("Sign request %s is %s, and Box sends no reminders for a request in that status. "+
				"The state keeps resend_version at %d; set it back to %d to clear the pending change. (%v)", id, status, prior, prior, err))
		return diags
	}
	diags.AddAttributeError(at, "Too soon to remind the signers",
		fmt.Sprintf("Box refused to resend sign request %s: it sends a reminder at most once every 10 minutes after the request was sent or last reminded. "+
			"The state keeps resend_version at %d, so the change stays in the plan: apply again in a few minutes. (%v)", id, prior, err))
	return diags
}

// resendRefusal tells why a resend failed. refused reports Box's 400, which
// Box answers both during its 10-minute cool-down and for a request in a
// status it does not resend; status is that status when the request's
// status explains the refusal, and empty for the cool-down.
func resendRefusal(ctx context.Context, client *box.Client, id string, err error) (refused bool, status box.SignRequestStatus) {
	if !isBoxStatus(err, http.StatusBadRequest) {
		return false, ""
	}
	if sr, gerr := client.GetSignRequest(ctx, id); gerr == nil && !sr.Status.CanResend() {
		return true, sr.Status
	}
	return true, ""
}
