package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later): a sign request is named by
// its ID alone, the same ID `terraform import` takes. Older Terraform and
// OpenTofu do not ask for an identity; the framework then hands the
// resource none and these helpers do nothing.

var _ resource.ResourceWithIdentity = &signRequestResource{}

// signRequestIdentityModel is the identity object.
type signRequestIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

func (r *signRequestResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = signRequestIdentitySchema()
}

func signRequestIdentitySchema() identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "The sign request's ID (a UUID), as Box shows it and as the resource's `id` attribute holds it.",
				RequiredForImport: true,
			},
		},
	}
}

// setSignRequestIdentity records the request's ID as its identity. The
// identity is nil when Terraform does not support identities.
func setSignRequestIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, signRequestIdentityModel{ID: types.StringValue(id)})
}

// importedID is the sign request ID an import names: the ID string of
// `terraform import` or an import block's `id`, or else the `id` of an
// import block's `identity`.
func importedID(ctx context.Context, req resource.ImportStateRequest) (string, diag.Diagnostics) {
	if id := strings.TrimSpace(req.ID); id != "" || req.Identity == nil {
		return id, nil
	}
	var ident signRequestIdentityModel
	diags := req.Identity.Get(ctx, &ident)
	return strings.TrimSpace(ident.ID.ValueString()), diags
}
