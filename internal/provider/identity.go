package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later). Every managed resource of
// this provider is named by its Box ID alone, the same ID `terraform
// import` takes, and the ID never changes, so no identity is mutable. This
// file is the one home of that rule for all of them. Older Terraform and
// OpenTofu do not ask for an identity; the framework then hands the
// resource none and these helpers do nothing.

var (
	_ resource.ResourceWithIdentity = &signRequestResource{}
	_ resource.ResourceWithIdentity = &folderResource{}
	_ resource.ResourceWithIdentity = &fileResource{}
	_ resource.ResourceWithIdentity = &collaborationResource{}
)

// idIdentityModel is the identity object of every resource.
type idIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

// idIdentitySchema is the identity schema: one attribute, id, described
// for the kind of object it names.
func idIdentitySchema(description string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       description,
				RequiredForImport: true,
			},
		},
	}
}

func (r *signRequestResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("The sign request's ID (a UUID), as Box shows it and as the resource's `id` attribute holds it.")
}

func (r *folderResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("The folder's ID, as in its Box web app address (`/folder/ID`) and the resource's `id` attribute.")
}

func (r *fileResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("The file's ID, as in its Box web app address (`/file/ID`) and the resource's `id` attribute.")
}

func (r *collaborationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("The collaboration's ID, as the resource's `id` attribute holds it.")
}

// setIDIdentity records an object's ID as its identity. The identity is
// nil when Terraform does not support identities.
func setIDIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, idIdentityModel{ID: types.StringValue(id)})
}

// importedID is the ID an import names: the ID string of `terraform
// import` or an import block's `id`, or else the `id` of an import block's
// `identity`.
func importedID(ctx context.Context, req resource.ImportStateRequest) (string, diag.Diagnostics) {
	if id := strings.TrimSpace(req.ID); id != "" || req.Identity == nil {
		return id, nil
	}
	var ident idIdentityModel
	diags := req.Identity.Get(ctx, &ident)
	return strings.TrimSpace(ident.ID.ValueString()), diags
}

// importByID is the whole import of a folder, file or collaboration: the
// state starts from the ID and its identity; Read fills in the rest. what
// and example name the kind of object in the error for an empty ID, such
// as "box_folder" and "12345".
func importByID(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse, what, example string) string {
	id, diags := importedID(ctx, req)
	resp.Diagnostics.Append(diags...)
	if id == "" {
		resp.Diagnostics.AddError("Invalid import ID", "Import a "+what+" by its Box ID, for example: terraform import "+what+".example "+example+
			" (or, from Terraform 1.12, an import block with identity = { id = \""+example+"\" }).")
		return ""
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, id)...)
	return id
}
