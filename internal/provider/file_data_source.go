package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/provider/validators"
)

var (
	_ datasource.DataSourceWithConfigure        = &fileDataSource{}
	_ datasource.DataSourceWithConfigValidators = &fileDataSource{}
)

// NewFileDataSource is the box_file data source.
func NewFileDataSource() datasource.DataSource { return &fileDataSource{} }

type fileDataSource struct{ d *providerData }

type fileModel struct {
	ID       types.String `tfsdk:"id"`
	FolderID types.String `tfsdk:"folder_id"`
	Name     types.String `tfsdk:"name"`
	Size     types.Int64  `tfsdk:"size"`
	SHA1     types.String `tfsdk:"sha1"`
	ParentID types.String `tfsdk:"parent_id"`
}

func (s *fileDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_file"
}

func (s *fileDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Box file, found by `id` or by `name` in the folder `folder_id`. " +
			"Use it to give a sign request's `source_file_ids` by name instead of a numeric ID.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The file's ID. Set `id`, or `folder_id` and `name`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.BoxID()},
			},
			"folder_id": schema.StringAttribute{
				MarkdownDescription: "ID of the folder to look in for `name`, such as `data.box_folder.x.id`. Only the folder itself is searched, not its subfolders.",
				Optional:            true,
				Validators:          []validator.String{validators.BoxID()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The file's name, with its extension (`NDA.pdf`). It is matched exactly, or without regard to case when that finds exactly one file; no match, or several, is an error that names the folder. With `id`, this is the name Box reports.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 255)},
			},
			"size": schema.Int64Attribute{
				MarkdownDescription: "Size in bytes.",
				Computed:            true,
			},
			"sha1": schema.StringAttribute{
				MarkdownDescription: "SHA-1 of the current version's content, in hex.",
				Computed:            true,
			},
			"parent_id": schema.StringAttribute{
				MarkdownDescription: "ID of the folder that contains the file.",
				Computed:            true,
			},
		},
	}
}

func (s *fileDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
		datasourcevalidator.RequiredTogether(path.MatchRoot("folder_id"), path.MatchRoot("name")),
	}
}

func (s *fileDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	s.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (s *fileDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m fileModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, idAttr := m.ID.ValueString(), path.Root("id")
	if m.ID.IsNull() {
		folderID, name := m.FolderID.ValueString(), m.Name.ValueString()
		items, err := s.d.folderItems(ctx, folderID, "file")
		if err != nil {
			resp.Diagnostics.Append(attrAPIError(opDataSource, path.Root("folder_id"), "Could not list folder "+folderID, err)...)
			return
		}
		found, candidates := matchName(items, name)
		switch {
		case found == nil && len(candidates) == 0:
			resp.Diagnostics.AddAttributeError(path.Root("name"), "File not found",
				fmt.Sprintf("Folder %s has no file named %q that the user can see (%d files checked). Check attribute name, with its extension, and attribute folder_id.", folderID, name, len(items)))
			return
		case found == nil:
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Several files match",
				fmt.Sprintf("Folder %s has %d files matching %q (IDs %s), so attribute name is ambiguous. Set id to one of them instead.", folderID, len(candidates), name, itemIDs(candidates)))
			return
		}
		id, idAttr = found.ID, path.Root("name")
	}
	f, err := s.d.client.GetFile(ctx, id)
	if err != nil {
		resp.Diagnostics.Append(attrAPIError(opDataSource, idAttr, "Could not read file "+id, err)...)
		return
	}
	m.fill(f)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// fill copies Box's file into the model, keeping a configured name as it is
// written (it may differ from Box's only in case).
func (m *fileModel) fill(f *box.File) {
	m.ID = types.StringValue(f.ID)
	if m.Name.IsNull() || m.Name.IsUnknown() {
		m.Name = types.StringValue(f.Name)
	}
	m.Size = types.Int64Value(f.Size)
	m.SHA1 = types.StringValue(f.SHA1)
	m.ParentID = types.StringNull()
	if f.Parent != nil && f.Parent.ID != "" {
		m.ParentID = types.StringValue(f.Parent.ID)
	}
}
