package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

var _ datasource.DataSourceWithConfigure = &signTemplatesDataSource{}

// NewSignTemplatesDataSource is the box_sign_templates data source.
func NewSignTemplatesDataSource() datasource.DataSource { return &signTemplatesDataSource{} }

type signTemplatesDataSource struct{ d *providerData }

type signTemplatesModel struct {
	Templates []signTemplateModel `tfsdk:"templates"`
}

func (s *signTemplatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sign_templates"
}

func (s *signTemplatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Every Box Sign template the user can see, read page by page to the end.",
		Attributes: map[string]schema.Attribute{
			"templates": schema.ListNestedAttribute{
				MarkdownDescription: "The templates, in the order Box lists them. Each has the attributes of the `box_sign_template` data source.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: signTemplateAttributes(
					schema.StringAttribute{MarkdownDescription: "The template's ID.", Computed: true},
					schema.StringAttribute{MarkdownDescription: "The template's name.", Computed: true},
				)},
			},
		},
	}
}

func (s *signTemplatesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	s.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (s *signTemplatesDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	all, err := s.d.allTemplates(ctx)
	if err != nil {
		resp.Diagnostics.Append(apiError(opDataSource, "Could not list sign templates", err)...)
		return
	}
	m := signTemplatesModel{Templates: make([]signTemplateModel, 0, len(all))}
	for i := range all {
		m.Templates = append(m.Templates, templateFromBox(&all[i]))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
