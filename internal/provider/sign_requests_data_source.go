package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
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
				MarkdownDescription: statusFilterDescription,
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(statusNames()...)),
				},
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
	q, diags := s.d.newSignRequestQuery(ctx, m.Status, m.Senders, m.SharedRequests)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.SignRequests = []signRequestDataModel{}
	err := q.each(ctx, func(sr *box.SignRequest) error {
		m.SignRequests = append(m.SignRequests, signRequestFromBox(sr, &resp.Diagnostics))
		return nil
	})
	if err != nil {
		resp.Diagnostics.Append(apiError(opDataSource, "Could not list sign requests", err)...)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
