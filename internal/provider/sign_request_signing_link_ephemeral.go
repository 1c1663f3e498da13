package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/provider/validators"
)

var _ ephemeral.EphemeralResourceWithConfigure = &signingLinkEphemeral{}

// NewSignRequestSigningLinkEphemeralResource is the ephemeral
// box_sign_request_signing_link: a signer's embedded signing link, read
// when Terraform needs it and never written to the plan or the state.
func NewSignRequestSigningLinkEphemeralResource() ephemeral.EphemeralResource {
	return &signingLinkEphemeral{}
}

type signingLinkEphemeral struct {
	client *box.Client
}

type signingLinkModel struct {
	ID                 types.String `tfsdk:"id"`
	Email              types.String `tfsdk:"email"`
	EmbedURL           types.String `tfsdk:"embed_url"`
	IframeableEmbedURL types.String `tfsdk:"iframeable_embed_url"`
}

func (r *signingLinkEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sign_request_signing_link"
}

func (r *signingLinkEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The embedded signing link of one signer of a Box Sign request (Terraform 1.11 and later, as for the whole provider; OpenTofu 1.11 and later). " +
			"The link lets whoever holds it sign as that signer, so it is a secret: this ephemeral resource reads it when Terraform needs it " +
			"and never writes it to the plan or the state, so it can be passed to a write-only argument, a provider configuration or a secret store. " +
			"The `box_sign_request` resource's own `signer.embed_url` and `signer.iframeable_embed_url` are sensitive but stored in the state; this is the way to keep them out. " +
			"The signer must have been created with `embed_url_external_user_id`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "ID of the sign request, such as `box_sign_request.example.id`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "Email of the signer whose link to read, compared without regard to case.",
				Required:            true,
				Validators:          []validator.String{validators.Email()},
			},
			"embed_url": schema.StringAttribute{
				MarkdownDescription: "The signer's signing link, to open in a browser or hand to the signer. Sensitive.",
				Computed:            true,
				Sensitive:           true,
			},
			"iframeable_embed_url": schema.StringAttribute{
				MarkdownDescription: "The signer's signing link for an iframe on your own page. Sensitive.",
				Computed:            true,
				Sensitive:           true,
			},
		},
	}
}

func (r *signingLinkEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	if d := fromProviderData(req.ProviderData, &resp.Diagnostics); d != nil {
		r.client = d.client
	}
}

func (r *signingLinkEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m signingLinkModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, email := m.ID.ValueString(), strings.TrimSpace(m.Email.ValueString())
	sr, err := r.client.GetSignRequest(ctx, id)
	if err != nil {
		resp.Diagnostics.Append(attrAPIError(opDataSource, path.Root("id"), "Could not read sign request "+id, err)...)
		return
	}
	found := false
	for _, s := range sr.Signers {
		if !strings.EqualFold(strings.TrimSpace(s.Email), email) {
			continue
		}
		found = true
		if s.EmbedURL == nil || *s.EmbedURL == "" {
			continue // the same address may sign twice; another entry may have a link
		}
		m.EmbedURL = types.StringValue(*s.EmbedURL)
		m.IframeableEmbedURL = types.StringPointerValue(s.IframeableEmbedURL)
		resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
		return
	}
	if !found {
		resp.Diagnostics.AddAttributeError(path.Root("email"), "Signer not found",
			fmt.Sprintf("Sign request %s has no signer with the email %q. Check attribute email against the request's signers.", id, email))
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("email"), "Signer has no signing link",
		fmt.Sprintf("Box returned no embedded signing link for signer %q of sign request %s (status %s). "+
			"Box makes links only for signers created with embed_url_external_user_id: set it on the signer in box_sign_request "+
			"(which replaces the request), or send the signer the emailed link instead.", email, id, sr.Status))
}
