package provider

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/provider/validators"
)

// The box_folder and box_file list resources (Terraform 1.14 and later) let
// `terraform query` find the folders or files in one Box folder and write
// the configuration and import blocks that bring them under Terraform. The
// two differ only in the item type they keep and how they read one item in
// full, which is what the resource's own import reads.

var _ list.ListResourceWithConfigure = &itemListResource{}

// NewFolderListResource is the box_folder list resource.
func NewFolderListResource() list.ListResource {
	return &itemListResource{kind: itemKind{
		boxType: "folder",
		intro:   "Finds the folders in one Box folder (not in its subfolders), page by page to the end, for `terraform query`. ",
		read:    readFolderObject,
	}}
}

// NewFileListResource is the box_file list resource.
func NewFileListResource() list.ListResource {
	return &itemListResource{kind: itemKind{
		boxType: "file",
		intro:   "Finds the files in one Box folder (not in its subfolders), page by page to the end, for `terraform query`. ",
		read:    readFileObject,
	}}
}

// itemKind is what sets box_folder's list resource apart from box_file's.
type itemKind struct {
	boxType string // Box's item type, and the resource's name after "box_"
	intro   string // the schema description's first sentence
	// read fills obj with the item as the resource's import reads it;
	// found is false when the item is gone from Box.
	read func(ctx context.Context, d *providerData, id string, obj *tfsdk.Resource) (found bool, diags diag.Diagnostics)
}

type itemListResource struct {
	d    *providerData
	kind itemKind
}

type itemListModel struct {
	FolderID   types.String `tfsdk:"folder_id"`
	NamePrefix types.String `tfsdk:"name_prefix"`
}

func (l *itemListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + l.kind.boxType
}

func (l *itemListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: l.kind.intro +
			"Each result is named by the " + l.kind.boxType + "'s ID (its identity) and shown as its name. " +
			"With `include_resource = true` the provider reads each " + l.kind.boxType + " as an import would (one request per result).",
		Attributes: map[string]schema.Attribute{
			"folder_id": schema.StringAttribute{
				MarkdownDescription: "ID of the folder to look in; `\"0\"` (the default) is the user's root, \"All Files\", which also holds the items shared with the user.",
				Optional:            true,
				Validators:          []validator.String{validators.BoxID()},
			},
			"name_prefix": schema.StringAttribute{
				MarkdownDescription: "Keep only " + l.kind.boxType + "s whose name starts with this text (case-sensitive). Box has no such filter, so the provider filters.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (l *itemListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (l *itemListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m itemListModel
	if diags := req.Config.Get(ctx, &m); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	folderID := m.FolderID.ValueString()
	if folderID == "" {
		folderID = "0"
	}
	prefix := m.NamePrefix.ValueString()
	stream.Results = func(push func(list.ListResult) bool) {
		var pushed int64
		err := l.d.eachFolderItem(ctx, folderID, l.kind.boxType, func(it box.Item) error {
			if !strings.HasPrefix(it.Name, prefix) {
				return nil
			}
			result, found := l.result(ctx, req, it)
			if !found {
				return nil
			}
			if !push(result) {
				return errListDone
			}
			if pushed++; req.Limit > 0 && pushed >= req.Limit {
				return errListDone
			}
			return nil
		})
		if err != nil && !errors.Is(err, errListDone) {
			push(list.ListResult{Diagnostics: apiError(opDataSource, "Could not list the "+l.kind.boxType+"s in folder "+folderID, err)})
		}
	}
}

// result is one found item: its identity, its name, and with
// include_resource the object an import of it would read. found is false
// for an item deleted since the listing.
func (l *itemListResource) result(ctx context.Context, req list.ListRequest, it box.Item) (list.ListResult, bool) {
	result := req.NewListResult(ctx)
	result.DisplayName = it.Name
	result.Diagnostics.Append(setIDIdentity(ctx, result.Identity, it.ID)...)
	if !req.IncludeResource || result.Diagnostics.HasError() {
		return result, true
	}
	found, diags := l.kind.read(ctx, l.d, it.ID, result.Resource)
	result.Diagnostics.Append(diags...)
	return result, found || diags.HasError()
}

// readFolderObject reads a folder as box_folder's Read does after an import.
func readFolderObject(ctx context.Context, d *providerData, id string, obj *tfsdk.Resource) (bool, diag.Diagnostics) {
	f, err := d.client.GetFolder(ctx, id)
	if isGone(err, itemStatusOf(f)) {
		return false, nil
	}
	if err != nil {
		return false, apiError(opItem, "Could not read folder "+id, err)
	}
	var m folderResourceModel
	m.fromFolder(f)
	return true, obj.Set(ctx, &m)
}

// readFileObject reads a file as box_file's Read does after an import.
// source stays null: it names a local file, which Box knows nothing of.
func readFileObject(ctx context.Context, d *providerData, id string, obj *tfsdk.Resource) (bool, diag.Diagnostics) {
	f, err := d.client.GetFile(ctx, id)
	if isGone(err, fileStatusOf(f)) {
		return false, nil
	}
	if err != nil {
		return false, apiError(opItem, "Could not read file "+id, err)
	}
	var m fileResourceModel
	m.fromFile(f)
	return true, obj.Set(ctx, &m)
}
