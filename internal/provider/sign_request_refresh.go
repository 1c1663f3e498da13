package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/box/terraform-provider-box/internal/box"
)

// notFound handles Box's 404 for a request in the state. Box answers 404
// both for a deleted request and for one the user cannot see, so the
// authenticated user decides: the sender means the request is gone (it
// leaves the state, with a warning that the next apply sends it again);
// anyone else means other credentials, and the refresh fails rather than
// plan to send every request again.
func (r *signRequestResource) notFound(ctx context.Context, state signRequestModel, resp *resource.ReadResponse) {
	id, sender := state.ID.ValueString(), state.SenderEmail.ValueString()
	if r.d == nil {
		resp.Diagnostics.AddError("Provider not configured", "The provider was not configured before reading sign request "+id+". This is a bug in the provider; please report it.")
		return
	}
	if sender == "" {
		// Only an import reads a request before Box has told the state its
		// sender: nothing was sent by this configuration yet, so a missing
		// request leaves the state and Terraform says it cannot import it.
		resp.State.RemoveResource(ctx)
		return
	}
	me, err := r.d.client.AuthenticatedUser(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiFailure{op: opRead, summary: "Sign request " + id + " not found, and the authenticated user is unknown",
			advice: "Box answered 404 for the request, and the provider could not ask Box who it is authenticated as, so it cannot tell a deleted request " +
				"from one these credentials cannot see. The refresh stops so that Terraform does not plan to send the request again."}.diagnostics(err)...)
		return
	}
	if sender != "" && strings.EqualFold(me.Login, sender) {
		resp.Diagnostics.AddWarning("Sign request deleted in Box",
			fmt.Sprintf("Box answers 404 for sign request %s, sent by %s, the authenticated user: it was deleted in Box (or its signed copies or their folder were). "+
				"It was removed from the Terraform state, so Terraform will plan to send it again, emailing its signers. "+
				"If it should not be sent again, remove the resource from the configuration.", id, sender))
		resp.State.RemoveResource(ctx)
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
