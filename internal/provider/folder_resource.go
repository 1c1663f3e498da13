package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/provider/validators"
)

var (
	_ resource.ResourceWithConfigure   = &folderResource{}
	_ resource.ResourceWithImportState = &folderResource{}
)

// NewFolderResource is the box_folder resource.
func NewFolderResource() resource.Resource { return &folderResource{} }

type folderResource struct{ d *providerData }

type folderResourceModel struct {
	ID             types.String `tfsdk:"id"`
	Name           types.String `tfsdk:"name"`
	ParentID       types.String `tfsdk:"parent_id"`
	Description    types.String `tfsdk:"description"`
	DeleteContents types.Bool   `tfsdk:"delete_contents"`
}

func (r *folderResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_folder"
}

func (r *folderResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Box folder. Renaming, moving (`parent_id`) and changing the description happen in place: the folder keeps its ID, " +
			"so sign requests and collaborations that point at it are untouched. Destroying it moves it to Box's trash, and Box refuses " +
			"a folder that still holds items unless `delete_contents = true`. A folder deleted outside Terraform leaves the state with a warning " +
			"and is created again by the next apply. " +
			"**Sign requests:** Box puts a request's signed copies and signing log in the request's `parent_folder_id` (by default the first file's folder) at creation, " +
			"so a managed folder that holds them is never empty, and `delete_contents = true` trashes the signed copies (Box then answers 404 for the request). " +
			"Give `box_sign_request` a `parent_folder_id` that Terraform does not manage.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The folder's ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The folder's name, unique in its parent without regard to case. Box's rules are checked at plan time: " +
					"1 to 255 characters, no `/` or `\\`, no trailing spaces, not `.` or `..`. A change renames the folder in place.",
				Required:   true,
				Validators: []validator.String{validators.ItemName()},
			},
			"parent_id": schema.StringAttribute{
				MarkdownDescription: "ID of the folder that holds it; `\"0\"` (the default) is the user's root, \"All Files\". A change moves the folder in place.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("0"),
				Validators:          []validator.String{validators.BoxID()},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "The folder's description, at most 256 characters; empty by default.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(256)},
			},
			"delete_contents": schema.BoolAttribute{
				MarkdownDescription: "Whether destroying the folder also moves everything in it to the trash. With `false` (the default), " +
					"destroying a folder that still holds items fails and leaves it as it is. Changing it sends nothing to Box.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
		},
	}
}

func (r *folderResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

// fromFolder copies what Box says of the folder into m. A parent the user
// cannot see (Box reports none) keeps the known value.
func (m *folderResourceModel) fromFolder(f *box.Folder) {
	m.ID = types.StringValue(f.ID)
	m.Name = types.StringValue(f.Name)
	m.Description = types.StringValue(f.Description)
	if f.Parent != nil && f.Parent.ID != "" {
		m.ParentID = types.StringValue(f.Parent.ID)
	}
	if m.DeleteContents.IsNull() {
		m.DeleteContents = types.BoolValue(false)
	}
}

func (r *folderResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m folderResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	f, err := r.d.client.CreateFolder(ctx, m.ParentID.ValueString(), m.Name.ValueString())
	if err != nil {
		resp.Diagnostics.Append(conflictError(path.Root("name"), "Could not create folder", err)...)
		return
	}
	if desc := m.Description.ValueString(); desc != "" {
		described, err := r.d.client.UpdateFolder(ctx, f.ID, box.ItemUpdate{Description: &desc})
		if err != nil {
			// The folder exists: keep it in the state so the next apply
			// only sets the description.
			m.ID = types.StringValue(f.ID)
			m.Description = types.StringValue("")
			resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
			resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, m.ID.ValueString())...)
			resp.Diagnostics.Append(attrAPIError(opItem, path.Root("description"), "Could not set the folder's description", err)...)
			return
		}
		f = described
	}
	m.fromFolder(f)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, m.ID.ValueString())...)
}

func (r *folderResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m folderResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is set first: the framework wants one even when the
	// item turns out to be gone and leaves the state.
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, m.ID.ValueString())...)
	f, err := r.d.client.GetFolder(ctx, m.ID.ValueString())
	if isGone(err, itemStatusOf(f)) {
		leaveState(ctx, resp, "Folder", m.ID.ValueString(), "")
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiError(opItem, "Could not read folder "+m.ID.ValueString(), err)...)
		return
	}
	m.fromFolder(f)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func itemStatusOf(f *box.Folder) string {
	if f == nil {
		return ""
	}
	return f.ItemStatus
}

func (r *folderResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state folderResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var u box.ItemUpdate
	changed := false
	for _, c := range []struct {
		plan, state types.String
		set         **string
	}{
		{plan.Name, state.Name, &u.Name},
		{plan.ParentID, state.ParentID, &u.ParentID},
		{plan.Description, state.Description, &u.Description},
	} {
		if !c.plan.Equal(c.state) {
			v := c.plan.ValueString()
			*c.set, changed = &v, true
		}
	}
	if changed {
		f, err := r.d.client.UpdateFolder(ctx, state.ID.ValueString(), u)
		if err != nil {
			resp.Diagnostics.Append(conflictError(path.Root("name"), "Could not update folder "+state.ID.ValueString(), err)...)
			return
		}
		plan.fromFolder(f)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, plan.ID.ValueString())...)
}

func (r *folderResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m folderResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.d.client.DeleteFolder(ctx, m.ID.ValueString(), m.DeleteContents.ValueBool())
	if err == nil || box.IsNotFound(err) {
		return
	}
	if apiErr, ok := box.AsError(err); ok && apiErr.Code == "folder_not_empty" {
		resp.Diagnostics.Append(apiFailure{op: opItem, summary: "Folder " + m.ID.ValueString() + " is not empty", attr: path.Root("delete_contents"),
			hint: "Box refuses to delete a folder that still holds items, and the folder was left as it is. Move or delete its items, " +
				"or set `delete_contents = true` (and apply it) to move the folder and everything in it to the trash."}.diagnostics(err)...)
		return
	}
	resp.Diagnostics.Append(apiError(opItem, "Could not delete folder "+m.ID.ValueString(), err)...)
}

func (r *folderResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, req, resp, "box_folder", "123456789")
}
