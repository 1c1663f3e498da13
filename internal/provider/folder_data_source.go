package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/provider/validators"
)

var (
	_ datasource.DataSourceWithConfigure        = &folderDataSource{}
	_ datasource.DataSourceWithConfigValidators = &folderDataSource{}
)

// NewFolderDataSource is the box_folder data source.
func NewFolderDataSource() datasource.DataSource { return &folderDataSource{} }

type folderDataSource struct{ d *providerData }

type folderModel struct {
	ID       types.String `tfsdk:"id"`
	Path     types.String `tfsdk:"path"`
	Name     types.String `tfsdk:"name"`
	ParentID types.String `tfsdk:"parent_id"`
}

// folderPath is an absolute path of folder names: "/", "/Legal", "/Legal/NDAs".
// Box folder names cannot contain a slash, so a path is never ambiguous.
var folderPath = regexp.MustCompile(`^/([^/]+(/[^/]+)*/?)?$`)

func (s *folderDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_folder"
}

func (s *folderDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Box folder, found by `id` or by `path` from the root (`\"/Legal/NDAs\"`). " +
			"Use it to give a sign request's `parent_folder_id` by name instead of a numeric ID.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The folder's ID; `\"0\"` is the root (\"All Files\"). Set `id` or `path`.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{validators.BoxID()},
			},
			"path": schema.StringAttribute{
				MarkdownDescription: "The folder's path from the authenticated user's root, such as `\"/Legal/NDAs\"`; `\"/\"` is that root. " +
					"Each user has their own root: a folder shared with a service account sits at the root of the service account's tree (`\"/NDAs\"`), not under the path it has in its owner's. " +
					"Each name is matched exactly, or without regard to case when that finds exactly one folder (Box keeps names unique in a folder without regard to case). " +
					"Set `id` or `path`; with `id`, the path is computed from the folder's ancestors.",
				Optional: true,
				Computed: true,
				Validators: []validator.String{stringvalidator.RegexMatches(folderPath,
					"must be an absolute path of folder names separated by single slashes, such as \"/Legal/NDAs\"")},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The folder's name as Box spells it (`All Files` for the root).",
				Computed:            true,
			},
			"parent_id": schema.StringAttribute{
				MarkdownDescription: "ID of the folder that contains it; null for the root.",
				Computed:            true,
			},
		},
	}
}

func (s *folderDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("path")),
	}
}

func (s *folderDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	s.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (s *folderDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m folderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !m.ID.IsNull() {
		f, err := s.d.client.GetFolder(ctx, m.ID.ValueString())
		if err != nil {
			resp.Diagnostics.Append(attrAPIError(opDataSource, path.Root("id"), "Could not read folder "+m.ID.ValueString(), err)...)
			return
		}
		m.Name = types.StringValue(f.Name)
		m.ParentID = types.StringNull()
		if f.Parent != nil && f.Parent.ID != "" {
			m.ParentID = types.StringValue(f.Parent.ID)
		}
		m.Path = types.StringValue(pathOf(f))
	} else {
		id, name, parent, diags := s.walk(ctx, m.Path.ValueString())
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		m.ID, m.Name, m.ParentID = types.StringValue(id), types.StringValue(name), parent
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// walk follows a path from the root folder "0", one folder listing per
// name, and returns the last folder's ID, name and parent ID, or the
// diagnostics (on attribute path) that say where the path leads nowhere.
func (s *folderDataSource) walk(ctx context.Context, p string) (string, string, types.String, diag.Diagnostics) {
	id, name, parent := "0", "All Files", types.StringNull()
	walked := "/"
	for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		if seg == "" {
			continue // the root itself
		}
		items, err := s.d.folderItems(ctx, id, "folder")
		if err != nil {
			return "", "", parent, attrAPIError(opDataSource, path.Root("path"), fmt.Sprintf("Could not list folder %q (ID %s)", walked, id), err)
		}
		found, candidates := matchName(items, seg)
		var diags diag.Diagnostics
		switch {
		case found == nil && len(candidates) == 0:
			diags.AddAttributeError(path.Root("path"), "Folder not found",
				fmt.Sprintf("Folder %q (ID %s) has no folder named %q that the user can see. Check attribute path for spelling, and that the user has access to the folder.", walked, id, seg))
			return "", "", parent, diags
		case found == nil:
			diags.AddAttributeError(path.Root("path"), "Several folders match",
				fmt.Sprintf("Folder %q (ID %s) has %d folders matching %q (IDs %s), so attribute path is ambiguous. Set id to one of them instead.", walked, id, len(candidates), seg, itemIDs(candidates)))
			return "", "", parent, diags
		}
		parent = types.StringValue(id)
		id, name = found.ID, found.Name
		walked = strings.TrimSuffix(walked, "/") + "/" + found.Name
	}
	return id, name, parent, nil
}

// pathOf builds a folder's path from Box's path_collection, which lists its
// ancestors from the root ("All Files", ID "0") down.
func pathOf(f *box.Folder) string {
	if f.ID == "0" {
		return "/"
	}
	var names []string
	if f.PathCollection != nil {
		for _, a := range f.PathCollection.Entries {
			if a.ID != "0" {
				names = append(names, a.Name)
			}
		}
	}
	return "/" + strings.Join(append(names, f.Name), "/")
}
