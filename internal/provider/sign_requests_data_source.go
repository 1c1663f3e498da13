package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/provider/validators"
)

var (
	_ datasource.DataSourceWithConfigure      = &signRequestsDataSource{}
	_ datasource.DataSourceWithValidateConfig = &signRequestsDataSource{}
)

// NewSignRequestsDataSource is the box_sign_requests data source.
func NewSignRequestsDataSource() datasource.DataSource { return &signRequestsDataSource{} }

type signRequestsDataSource struct{ d *providerData }

type signRequestsModel struct {
	Status         types.Set              `tfsdk:"status"`
	Senders        types.List             `tfsdk:"senders"`
	SharedRequests types.Bool             `tfsdk:"shared_requests"`
	SignRequests   []signRequestDataModel `tfsdk:"sign_requests"`
}

// statusNames are Box's statuses as the status filter accepts them.
func statusNames() []string {
	var out []string
	for _, s := range box.SignRequestStatuses() {
		out = append(out, string(s))
	}
	return out
}

func (s *signRequestsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sign_requests"
}

func (s *signRequestsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Box Sign requests the user can see, read page by page to the end. " +
			"Box lists the requests the user sent; with `shared_requests`, the requests shared with the user instead. " +
			"Requests whose signed copies or folder were deleted are not listed.",
		Attributes: map[string]schema.Attribute{
			"status": schema.SetAttribute{
				MarkdownDescription: "Keep only requests in these statuses, such as `[\"sent\", \"viewed\"]`. Box has no such filter, so every request is read and the provider filters.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(statusNames()...)),
				},
			},
			"shared_requests": schema.BoolAttribute{
				MarkdownDescription: "List the requests where the user is a collaborator on the signed files and not the sender, instead of the user's own (Box's `shared_requests`). Defaults to `false`.",
				Optional:            true,
			},
			"senders": schema.ListAttribute{
				MarkdownDescription: "With `shared_requests = true`, keep only requests sent by these email addresses (Box's `senders` filter, which needs `shared_requests`).",
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(validators.Email()),
				},
			},
			"sign_requests": schema.ListNestedAttribute{
				MarkdownDescription: "The requests, in the order Box lists them (Box does not document it). Each has the attributes of the `box_sign_request` data source.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: signRequestDataAttributes(
					schema.StringAttribute{MarkdownDescription: "The sign request's ID (a UUID).", Computed: true},
				)},
			},
		},
	}
}

// ValidateConfig: Box refuses senders without shared_requests; say so at
// plan time rather than pass on Box's 400.
func (s *signRequestsDataSource) ValidateConfig(ctx context.Context, req datasource.ValidateConfigRequest, resp *datasource.ValidateConfigResponse) {
	var m signRequestsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(sendersNeedSharedRequests(m.Senders, m.SharedRequests)...)
}

func (s *signRequestsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	s.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (s *signRequestsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m signRequestsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	opts := box.ListSignRequestsOptions{Limit: s.d.limit(), SharedRequests: m.SharedRequests.ValueBool()}
	resp.Diagnostics.Append(m.Senders.ElementsAs(ctx, &opts.Senders, false)...)
	var statuses []string
	resp.Diagnostics.Append(m.Status.ElementsAs(ctx, &statuses, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	keep := map[box.SignRequestStatus]bool{}
	for _, st := range statuses {
		keep[box.SignRequestStatus(st)] = true
	}
	m.SignRequests = []signRequestDataModel{}
	err := eachPage(ctx, "sign requests", func(marker string) (*string, error) {
		opts.Marker = marker
		p, err := s.d.client.ListSignRequests(ctx, opts)
		if err != nil {
			return nil, err
		}
		for i := range p.Entries {
			if len(keep) == 0 || keep[p.Entries[i].Status] {
				m.SignRequests = append(m.SignRequests, signRequestFromBox(&p.Entries[i], &resp.Diagnostics))
			}
		}
		return p.NextMarker, nil
	})
	if err != nil {
		resp.Diagnostics.Append(apiError(opDataSource, "Could not list sign requests", err)...)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
