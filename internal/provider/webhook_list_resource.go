package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
)

// The box_webhook list resource (Terraform 1.14 and later) lets `terraform
// query` find the webhooks Box lists for the user, to import them.

var _ list.ListResourceWithConfigure = &webhookListResource{}

// NewWebhookListResource is the box_webhook list resource.
func NewWebhookListResource() list.ListResource { return &webhookListResource{} }

type webhookListResource struct{ d *providerData }

type webhookListModel struct {
	TargetType types.String `tfsdk:"target_type"`
}

func (l *webhookListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (l *webhookListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the webhooks of this app on files and folders the user owns (what Box's `GET /webhooks` lists), " +
			"page by page to the end, for `terraform query`. Each result is named by the webhook's ID (its identity) and shown as its " +
			"target. With `include_resource = true` the provider reads each webhook as an import would (one request per result).",
		Attributes: map[string]schema.Attribute{
			"target_type": schema.StringAttribute{
				MarkdownDescription: "Keep only webhooks on a `file` or on a `folder`. Box has no such filter, so the provider filters.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf("file", "folder")},
			},
		},
	}
}

func (l *webhookListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (l *webhookListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m webhookListModel
	if diags := req.Config.Get(ctx, &m); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var pushed int64
		marker := ""
		for {
			page, err := l.d.client.ListWebhooks(ctx, marker, l.d.limit())
			if err != nil {
				push(list.ListResult{Diagnostics: apiError(opDataSource, "Could not list webhooks", err)})
				return
			}
			for _, w := range page.Entries {
				if w.Target == nil || (m.TargetType.ValueString() != "" && w.Target.Type != m.TargetType.ValueString()) {
					continue
				}
				result, found := l.result(ctx, req, w)
				if !found {
					continue
				}
				if !push(result) {
					return
				}
				if pushed++; req.Limit > 0 && pushed >= req.Limit {
					return
				}
			}
			if page.NextMarker == nil || *page.NextMarker == "" {
				return
			}
			marker = *page.NextMarker
		}
	}
}

// result is one found webhook: its identity, its target as the name, and
// with include_resource the object an import reads. found is false for a
// webhook deleted since the listing.
func (l *webhookListResource) result(ctx context.Context, req list.ListRequest, w box.Webhook) (list.ListResult, bool) {
	result := req.NewListResult(ctx)
	result.DisplayName = "webhook on " + w.Target.Type + " " + w.Target.ID
	result.Diagnostics.Append(setIDIdentity(ctx, result.Identity, w.ID)...)
	if !req.IncludeResource || result.Diagnostics.HasError() {
		return result, true
	}
	full, err := l.d.client.GetWebhook(ctx, w.ID)
	if box.IsNotFound(err) {
		return result, false
	}
	if err != nil {
		result.Diagnostics.Append(apiError(opItem, "Could not read webhook "+w.ID, err)...)
		return result, true
	}
	var wm webhookModel
	wm.fromWebhook(ctx, full)
	result.Diagnostics.Append(result.Resource.Set(ctx, &wm)...)
	return result, true
}
