package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var _ resource.ResourceWithUpgradeState = &signRequestResource{}

// UpgradeState brings a version 0 state to version 1. Version 1 dropped
// the signers' embed_url and iframeable_embed_url (whoever holds a signing
// link can sign as the signer, and a state backend is no place for it; the
// ephemeral box_sign_request_signing_link hands them out unstored), and
// made the signer settings Box defaults (role, order, is_in_person,
// login_required, suppress_notifications) Optional+Computed. Those keep
// their stored values, which are what Box has, so an upgrade plans no
// change. Version 1 also added the evidence (request_flow, cancel_reason,
// finished_at, error_code, sign_files, signing_log, and each signer's
// decline_reason, inputs and attachments): they read as null, and the
// next refresh fills what Box computes.
func (r *signRequestResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	return map[int64]resource.StateUpgrader{0: {StateUpgrader: r.upgradeFromV0}}
}

// upgradeFromV0 reads the stored JSON with the current schema: the
// attributes version 1 no longer has (the signing links) are left out,
// and attributes added since read as null, as Terraform reads them.
func (r *signRequestResource) upgradeFromV0(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	const summary = "Cannot upgrade the sign request's state"
	const fix = " To go on, run `terraform state rm` on the resource and `terraform import` it by its ID; importing sends nothing."
	if req.RawState == nil || req.RawState.JSON == nil {
		resp.Diagnostics.AddError(summary, "The stored state of this box_sign_request is not JSON, which every Terraform version the provider supports writes."+fix)
		return
	}
	var sch resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sch)
	typ := sch.Schema.Type().TerraformType(ctx)
	val, err := tftypes.ValueFromJSONWithOpts(req.RawState.JSON, typ, tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true})
	if err != nil {
		// The error's text can quote a stored value (a password): name
		// only where it is.
		where := ""
		var pe tftypes.AttributePathError
		if errors.As(err, &pe) {
			where = " at " + pe.Path.String()
		}
		resp.Diagnostics.AddError(summary, "The stored state does not fit the resource's schema"+where+"."+fix)
		return
	}
	dv, err := tfprotov6.NewDynamicValue(typ, val)
	if err != nil {
		resp.Diagnostics.AddError(summary, "The upgraded state could not be encoded. This is a bug in the provider; please report it."+fix)
		return
	}
	resp.DynamicValue = &dv
}
