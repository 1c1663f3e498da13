package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
)

// The box_sign_request list resource (Terraform 1.14 and later) lets
// `terraform query` find sign requests that already exist in Box, such as
// those sent from the web app, and write the configuration and import
// blocks that bring them under Terraform.

var (
	_ list.ListResourceWithConfigure      = &signRequestListResource{}
	_ list.ListResourceWithValidateConfig = &signRequestListResource{}
)

// NewSignRequestListResource is the box_sign_request list resource.
func NewSignRequestListResource() list.ListResource { return &signRequestListResource{} }

type signRequestListResource struct{ d *providerData }

type signRequestListModel struct {
	Status         types.List   `tfsdk:"status"`
	NamePrefix     types.String `tfsdk:"name_prefix"`
	SharedRequests types.Bool   `tfsdk:"shared_requests"`
	Senders        types.List   `tfsdk:"senders"`
}

// errListDone stops the page walk once Terraform has what it asked for.
var errListDone = errors.New("list done")

func (l *signRequestListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sign_request"
}

func (l *signRequestListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the Box Sign requests the user can see, page by page to the end, for `terraform query`. " +
			"Each result is named by the request's ID (its identity) and shown as its name, status and signers. " +
			"Box lists the requests the user sent; with `shared_requests`, the requests shared with the user instead. " +
			"Requests whose signed copies or folder were deleted are not listed.",
		Attributes: map[string]schema.Attribute{
			"status": schema.ListAttribute{
				MarkdownDescription: statusFilterDescription,
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(stringvalidator.OneOf(statusNames()...)),
				},
			},
			"name_prefix": schema.StringAttribute{
				MarkdownDescription: "Keep only requests whose name starts with this text (case-sensitive). Box has no such filter, so the provider filters.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"shared_requests": schema.BoolAttribute{
				MarkdownDescription: sharedRequestsDescription,
				Optional:            true,
			},
			"senders": schema.ListAttribute{
				MarkdownDescription: sendersDescription,
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          sendersValidators(),
			},
		},
	}
}

func (l *signRequestListResource) ValidateListResourceConfig(ctx context.Context, req list.ValidateConfigRequest, resp *list.ValidateConfigResponse) {
	var m signRequestListModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(sendersNeedSharedRequests(m.Senders, m.SharedRequests)...)
}

func (l *signRequestListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (l *signRequestListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m signRequestListModel
	diags := req.Config.Get(ctx, &m)
	q, qd := l.d.newSignRequestQuery(ctx, m.Status, m.Senders, m.SharedRequests)
	diags.Append(qd...)
	q.prefix = m.NamePrefix.ValueString()
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var pushed int64
		err := q.each(ctx, func(sr *box.SignRequest) error {
			if !push(signRequestListResult(ctx, req, sr)) {
				return errListDone
			}
			if pushed++; req.Limit > 0 && pushed >= req.Limit {
				return errListDone
			}
			return nil
		})
		if err != nil && !errors.Is(err, errListDone) {
			push(list.ListResult{Diagnostics: apiError(opDataSource, "Could not list sign requests", err)})
		}
	}
}

// signRequestListResult is one found request: its identity, the name
// `terraform query` shows, and with include_resource the object an import
// of it would read.
func signRequestListResult(ctx context.Context, req list.ListRequest, sr *box.SignRequest) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = signRequestDisplayName(sr)
	result.Diagnostics.Append(setIDIdentity(ctx, result.Identity, sr.ID)...)
	if !req.IncludeResource {
		return result
	}
	// Start from what an import starts from, an object holding only the
	// ID, so that the mapping from Box's JSON is the resource's own.
	result.Diagnostics.Append(result.Resource.SetAttribute(ctx, path.Root("id"), sr.ID)...)
	var m signRequestModel
	result.Diagnostics.Append(result.Resource.Get(ctx, &m)...)
	if result.Diagnostics.HasError() {
		return result
	}
	result.Diagnostics.Append(m.applyResponse(ctx, sr)...)
	result.Diagnostics.Append(result.Resource.Set(ctx, &m)...)
	return result
}

// signRequestDisplayName reads like "Contract.pdf (sent) to
// alice@example.com, bob@example.com": the name as Box and its web app show
// it (with the ".pdf" Box appends); a request without a name shows its ID.
func signRequestDisplayName(sr *box.SignRequest) string {
	name := deref(sr.Name)
	if name == "" {
		name = sr.ID
	}
	emails := []string{}
	for _, s := range withoutRequester(sr, 0) {
		emails = append(emails, s.Email)
	}
	if len(emails) == 0 {
		return fmt.Sprintf("%s (%s)", name, sr.Status)
	}
	return fmt.Sprintf("%s (%s) to %s", name, sr.Status, strings.Join(emails, ", "))
}
