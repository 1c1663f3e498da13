package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
)

// statusNotFound is the status the state records for a request its sender
// no longer sees in Box. It is the provider's word, not one of Box's.
const statusNotFound box.SignRequestStatus = "not_found"

// notFound handles Box's 404 for a request in the state. Box answers 404
// both for a request whose signed copies or folder were deleted or trashed
// and for one the user cannot see, so the authenticated user decides. The
// sender means the request is gone from their view: it stays in the state,
// marked status = "not_found", with a warning that says how to send it
// again on purpose or forget it; nothing is sent by itself, since its
// signers may have signed already. Anyone else means other credentials,
// and the refresh fails rather than plan to send every request again; so
// does a state that records no sender, which cannot tell the two apart.
func (r *signRequestResource) notFound(ctx context.Context, state signRequestModel, resp *resource.ReadResponse) {
	id, sender := state.ID.ValueString(), state.SenderEmail.ValueString()
	if r.d == nil {
		resp.Diagnostics.AddError("Provider not configured", "The provider was not configured before reading sign request "+id+". This is a bug in the provider; please report it.")
		return
	}
	if state.Status.IsNull() {
		// Only an import reads a request before Box has told the state
		// anything: nothing was sent by this configuration, so a missing
		// request leaves the state and Terraform says it cannot import it.
		resp.State.RemoveResource(ctx)
		return
	}
	if sender == "" {
		resp.Diagnostics.AddError("Sign request not found, and the state records no sender",
			fmt.Sprintf("Box answers 404 for sign request %s. Box answers 404 both for a request whose signed copies or their folder were deleted or trashed "+
				"and for one these credentials cannot see, and the state records no sender_email to tell the two apart. "+
				"The refresh stops so that Terraform does not plan to send the request again, emailing its signers.\n\n"+
				"If the provider's credentials changed, use the sender's again (or set `as_user_id`). "+
				"To send the request again on purpose, run `terraform apply -replace=` with this resource's address; "+
				"to forget it, run `terraform state rm` with its address.", id))
		return
	}
	me, err := r.d.client.AuthenticatedUser(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiFailure{op: opRead, summary: "Sign request " + id + " not found, and the authenticated user is unknown",
			advice: "Box answered 404 for the request, and the provider could not ask Box who it is authenticated as, so it cannot tell a deleted request " +
				"from one these credentials cannot see. The refresh stops so that Terraform does not plan to send the request again."}.diagnostics(err)...)
		return
	}
	if strings.EqualFold(me.Login, sender) {
		resp.Diagnostics.AddWarning("Sign request no longer in Box",
			fmt.Sprintf("Box answers 404 for sign request %s (%q), sent by %s, the authenticated user: its signed copies or their folder%s were deleted or trashed, "+
				"or the request was deleted. Restoring them from the trash brings it back. "+
				"The state keeps it with status = \"not_found\" and Terraform sends nothing for it: its signers may already have signed.\n\n"+
				"To send it again on purpose, emailing its signers, run `terraform apply -replace=` with this resource's address. "+
				"To forget it, run `terraform state rm` with its address, and remove it from the configuration.",
				id, state.Name.ValueString(), sender, folderNote(state.ParentFolderID)))
		state.Status = types.StringValue(string(statusNotFound))
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	resp.Diagnostics.AddError("Sign request not visible to these credentials",
		fmt.Sprintf("Box answers 404 for sign request %s. It was sent by %s, but the provider is authenticated as %s (user %s), "+
			"and Box answers 404 for a request the user cannot see: this looks like a change of credentials, not a deleted request. "+
			"The refresh stops so that Terraform does not plan to send the request again.\n\n"+
			"Fix it with one of: set the provider's `as_user_id` to the sender's user ID; authenticate with the sender's credentials "+
			"(the ones that created the request); or, if the request really is gone, run `terraform state rm` on this resource.",
			id, sender, me.Login, me.ID))
}

// statusChange warns when a refresh finds that a request has died outside
// Terraform since the last one: declined, expired, cancelled or failed.
// Terraform would otherwise show it only in an output of its status.
func statusChange(prior signRequestModel, sr *box.SignRequest) diag.Diagnostics {
	var diags diag.Diagnostics
	was := box.SignRequestStatus(prior.Status.ValueString())
	now := sr.Status
	if was == "" || was == now || was.IsFinal() || !now.IsFinal() || now == box.StatusSigned {
		return nil
	}
	detail := fmt.Sprintf("Sign request %s (%q) was %s and is now %s.", sr.ID, deref(sr.Name), was, now)
	switch {
	case now == box.StatusDeclined:
		detail += " " + decliners(sr)
	case now == box.StatusExpired:
		detail += " Nobody can sign it any more. To send it again, run `terraform apply -replace=` with this resource's address."
	case now == box.StatusCancelled:
		detail += " It was cancelled outside Terraform (in the Box web app or through the API)."
	case now.IsError():
		detail += fmt.Sprintf(" Box could not complete it (error code %q) and does not retry.", deref(sr.ErrorCode)) +
			" To send it again, run `terraform apply -replace=` with this resource's address."
	}
	detail += " The state keeps it; the plan shows no change for it."
	diags.AddWarning("Sign request "+string(now), detail)
	return diags
}

// decliners says who declined a request, with their reason when Box gives
// one.
func decliners(sr *box.SignRequest) string {
	var out []string
	for _, s := range sr.Signers {
		d := s.SignerDecision
		if d == nil || d.Type != "declined" {
			continue
		}
		who := s.Email + " declined"
		if d.FinalizedAt != nil {
			who += " on " + timeValue(d.FinalizedAt).ValueString()
		}
		if d.AdditionalInfo != nil && *d.AdditionalInfo != "" {
			who += fmt.Sprintf(" (reason: %q)", *d.AdditionalInfo)
		}
		out = append(out, who)
	}
	if len(out) == 0 {
		return "Box does not say who declined."
	}
	return strings.Join(out, "; ") + "."
}

// notCancelledDetail says why destroy left a request alone, in its
// status's words: only a signed (or finalizing) request has signed files.
func notCancelledDetail(id string, status box.SignRequestStatus) string {
	left := "It was removed from the Terraform state; the request and its signing log stay in Box."
	var why string
	switch {
	case status == box.StatusSigned:
		why = "is signed, so there is nothing to cancel"
		left = "It was removed from the Terraform state; the request, its signed files and its signing log stay in Box."
	case status == box.StatusFinalizing:
		why = "is finalizing (everyone has signed and Box is making the signed copies), so it can no longer be cancelled"
		left = "It was removed from the Terraform state; the request, its signed files and its signing log stay in Box."
	case status == box.StatusCancelled:
		why = "was already cancelled"
	case status == box.StatusDeclined:
		why = "was declined, so there is nothing to cancel"
	case status == box.StatusExpired:
		why = "has expired, so there is nothing to cancel"
	case status.IsError():
		why = fmt.Sprintf("failed (status %s), so there is nothing to cancel", status)
	default:
		why = fmt.Sprintf("is %s, and Box refused to cancel it", status)
	}
	return fmt.Sprintf("Sign request %s %s. %s", id, why, left)
}

// folderNote is " (folder ID)" when the state knows the request's folder.
func folderNote(id types.String) string {
	if id.IsNull() || id.IsUnknown() || id.ValueString() == "" {
		return ""
	}
	return " (folder " + id.ValueString() + ")"
}
