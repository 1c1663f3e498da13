package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = &currentUserDataSource{}

// NewCurrentUserDataSource is the box_current_user data source.
func NewCurrentUserDataSource() datasource.DataSource { return &currentUserDataSource{} }

type currentUserDataSource struct{ d *providerData }

type currentUserModel struct {
	ID           types.String `tfsdk:"id"`
	Login        types.String `tfsdk:"login"`
	Name         types.String `tfsdk:"name"`
	EnterpriseID types.String `tfsdk:"enterprise_id"`
}

func (s *currentUserDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_current_user"
}

func (s *currentUserDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The user the provider authenticates as (`GET /users/me`). With client-credentials or JWT authentication and " +
			"no `as_user_id`, that is the app's service account: give its `id` to a `box_collaboration` so it can see the folder of contracts.",
		Attributes: map[string]schema.Attribute{
			"id":    schema.StringAttribute{MarkdownDescription: "The user's ID.", Computed: true},
			"login": schema.StringAttribute{MarkdownDescription: "The user's login (email address); a service account's is `AutomationUser_…@boxdevedition.com`.", Computed: true},
			"name":  schema.StringAttribute{MarkdownDescription: "The user's display name.", Computed: true},
			"enterprise_id": schema.StringAttribute{
				MarkdownDescription: "ID of the user's enterprise; null for a user outside any enterprise.",
				Computed:            true,
			},
		},
	}
}

func (s *currentUserDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	s.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (s *currentUserDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	u, err := s.d.client.AuthenticatedUser(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiError(opDataSource, "Could not read the authenticated user", err)...)
		return
	}
	m := currentUserModel{ID: types.StringValue(u.ID), Login: types.StringValue(u.Login), Name: types.StringValue(u.Name), EnterpriseID: types.StringNull()}
	if u.Enterprise != nil && u.Enterprise.ID != "" {
		m.EnterpriseID = types.StringValue(u.Enterprise.ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
