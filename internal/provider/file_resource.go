package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/provider/validators"
)

var (
	_ resource.ResourceWithConfigure   = &fileResource{}
	_ resource.ResourceWithImportState = &fileResource{}
	_ resource.ResourceWithModifyPlan  = &fileResource{}
)

// NewFileResource is the box_file resource.
func NewFileResource() resource.Resource { return &fileResource{} }

type fileResource struct{ d *providerData }

type fileResourceModel struct {
	ID          types.String `tfsdk:"id"`
	Source      types.String `tfsdk:"source"`
	Name        types.String `tfsdk:"name"`
	FolderID    types.String `tfsdk:"folder_id"`
	ContentSHA1 types.String `tfsdk:"content_sha1"`
	SHA1        types.String `tfsdk:"sha1"`
	Size        types.Int64  `tfsdk:"size"`
	VersionID   types.String `tfsdk:"version_id"`
}

func (r *fileResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_file"
}

func (r *fileResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A file uploaded to Box from a local path, such as a contract kept next to the configuration. " +
			"The plan reads the local file: when its content changes, the plan uploads a **new version in place** (the file keeps its ID, " +
			"so sign requests that name it are not replaced); renaming and moving also happen in place. Destroying it moves it to Box's trash. " +
			"A file of the same name already in the folder is never overwritten: the create fails and names it, for `terraform import`. " +
			"Files over 50 MB (Box's limit for a single upload) fail at plan time: chunked upload sessions are not supported yet. " +
			"**Sign requests:** Box puts a request's signed copies in its `parent_folder_id`, by default this file's folder, so a folder managed by Terraform then holds files it does not manage and can no longer be destroyed empty (`delete_contents = true` trashes the signed copies). Give `box_sign_request` a `parent_folder_id` that Terraform does not manage.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The file's ID. It stays the same across new versions, renames and moves.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"source": schema.StringAttribute{
				MarkdownDescription: "Path of the local file to upload, such as `\"${path.module}/nda.pdf\"`. It is read at plan time. " +
					"After an import it is unknown to the state, so the first apply records it (an update that sends nothing when the content matches).",
				Required: true,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The file's name in Box; by default the base name of `source`. Box's rules are checked at plan time: " +
					"1 to 255 characters, no `/` or `\\`, no trailing spaces, not `.` or `..`. A change renames the file in place.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{validators.ItemName()},
			},
			"folder_id": schema.StringAttribute{
				MarkdownDescription: "ID of the folder that holds the file, such as `box_folder.contracts.id`; `\"0\"` is the root. A change moves the file in place.",
				Required:            true,
				Validators:          []validator.String{validators.BoxID()},
			},
			"content_sha1": schema.StringAttribute{
				MarkdownDescription: "SHA-1 of `source`'s content, computed at plan time. A change means a new version is uploaded, " +
					"sent with `If-Match` so a version someone else uploaded since the last refresh is never overwritten.",
				Computed: true,
			},
			"sha1": schema.StringAttribute{
				MarkdownDescription: "SHA-1 of the file's current version as Box reports it.",
				Computed:            true,
			},
			"size": schema.Int64Attribute{
				MarkdownDescription: "Size of the file's current version in bytes.",
				Computed:            true,
			},
			"version_id": schema.StringAttribute{
				MarkdownDescription: "ID of the file's current version; it changes with each new version. Use it in " +
					"`lifecycle { replace_triggered_by = [box_file.x.version_id] }` on a sign request that must be sent again when the document changes.",
				Computed: true,
			},
		},
	}
}

func (r *fileResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

// localContent reads source, refusing what one upload cannot carry.
func localContent(source string) ([]byte, diag.Diagnostics) {
	var diags diag.Diagnostics
	st, err := os.Stat(source)
	if err == nil && st.IsDir() {
		err = fmt.Errorf("%s is a directory", source)
	}
	if err == nil && st.Size() > box.MaxSingleUpload {
		diags.AddAttributeError(path.Root("source"), "File too large for one upload",
			fmt.Sprintf("%s is %d bytes; Box takes at most %d bytes (50 MB) in one upload, and this provider does not support Box's chunked upload sessions yet. "+
				"Upload the file another way and give its ID to the resources that need it (the box_file data source finds it by name).",
				source, st.Size(), box.MaxSingleUpload))
		return nil, diags
	}
	var b []byte
	if err == nil {
		b, err = os.ReadFile(source) //nolint:gosec // G304: the path the configuration names for upload
	}
	if err != nil {
		diags.AddAttributeError(path.Root("source"), "Cannot read the file to upload", err.Error()+". Check the path; `${path.module}/` makes it relative to the configuration.")
	}
	return b, diags
}

// ModifyPlan puts the local file's hash and size in the plan, so a changed
// file plans a new version, and defaults name to the source's base name.
// What Box computes keeps its state value unless the content changes.
func (r *fileResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan fileResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var state *fileResourceModel
	if !req.State.Raw.IsNull() {
		state = &fileResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() || plan.Source.IsUnknown() {
		return
	}
	// Without a configured name, the name follows the source's base name,
	// also when a name set before is removed from the configuration.
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &configured)...)
	if configured.IsNull() {
		plan.Name = types.StringValue(filepath.Base(plan.Source.ValueString()))
		if problem := validators.ItemNameProblem(plan.Name.ValueString()); problem != "" {
			resp.Diagnostics.AddAttributeError(path.Root("source"), "Invalid Box item name",
				"The base name of `source`, used as the file's name, "+problem+": set `name`.")
			return
		}
	}
	content, diags := localContent(plan.Source.ValueString())
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	sum := box.SHA1Hex(content)
	plan.ContentSHA1, plan.SHA1 = types.StringValue(sum), types.StringValue(sum)
	plan.Size = types.Int64Value(int64(len(content)))
	plan.VersionID = types.StringUnknown()
	if state != nil && state.ContentSHA1.ValueString() == sum {
		plan.VersionID = state.VersionID
		plan.SHA1, plan.Size = state.SHA1, state.Size
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (m *fileResourceModel) fromFile(f *box.File) {
	m.ID = types.StringValue(f.ID)
	m.Name = types.StringValue(f.Name)
	if f.Parent != nil && f.Parent.ID != "" {
		m.FolderID = types.StringValue(f.Parent.ID)
	}
	m.SHA1 = types.StringValue(f.SHA1)
	m.ContentSHA1 = types.StringValue(f.SHA1)
	m.Size = types.Int64Value(f.Size)
	m.VersionID = types.StringValue(f.VersionID())
}

// planned reads source for an apply and checks it still is what the plan
// showed: a file edited between plan and apply is not uploaded unseen.
func planned(m *fileResourceModel) ([]byte, diag.Diagnostics) {
	content, diags := localContent(m.Source.ValueString())
	if !diags.HasError() && box.SHA1Hex(content) != m.ContentSHA1.ValueString() {
		diags.AddAttributeError(path.Root("source"), "The file changed after the plan",
			"The content of `source` is not what the plan showed (content_sha1). Plan again to review the new content.")
	}
	return content, diags
}

func (r *fileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m fileResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	content, diags := planned(&m)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	f, err := r.d.client.UploadFile(ctx, m.FolderID.ValueString(), m.Name.ValueString(), content)
	if err != nil {
		resp.Diagnostics.Append(conflictError(path.Root("name"), "Could not upload "+m.Name.ValueString(), err)...)
		return
	}
	m.fromFile(f)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, m.ID.ValueString())...)
}

func (r *fileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m fileResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is set first: the framework wants one even when the
	// item turns out to be gone and leaves the state.
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, m.ID.ValueString())...)
	f, err := r.d.client.GetFile(ctx, m.ID.ValueString())
	if isGone(err, fileStatusOf(f)) {
		leaveState(ctx, resp, "File", m.ID.ValueString(), "")
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiError(opItem, "Could not read file "+m.ID.ValueString(), err)...)
		return
	}
	// content_sha1 follows Box: a version uploaded outside Terraform makes
	// the next plan upload the local content again.
	m.fromFile(f)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func fileStatusOf(f *box.File) string {
	if f == nil {
		return ""
	}
	return f.ItemStatus
}

func (r *fileResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state fileResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()
	var f *box.File
	if !plan.FolderID.Equal(state.FolderID) || !plan.Name.Equal(state.Name) {
		name, folder := plan.Name.ValueString(), plan.FolderID.ValueString()
		var err error
		if f, err = r.d.client.UpdateFile(ctx, id, box.ItemUpdate{Name: &name, ParentID: &folder}); err != nil {
			resp.Diagnostics.Append(conflictError(path.Root("name"), "Could not rename or move file "+id, err)...)
			return
		}
	}
	if !plan.ContentSHA1.Equal(state.ContentSHA1) {
		var diags diag.Diagnostics
		if f, diags = r.newVersion(ctx, &plan, &state); diags.HasError() {
			resp.Diagnostics.Append(diags...)
			return
		}
	}
	if f != nil {
		plan.fromFile(f)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, plan.ID.ValueString())...)
}

// newVersion uploads source as a new version, with If-Match on the etag
// of the version the state knows: one uploaded by someone else since the
// refresh is never overwritten.
func (r *fileResource) newVersion(ctx context.Context, plan, state *fileResourceModel) (*box.File, diag.Diagnostics) {
	content, diags := planned(plan)
	if diags.HasError() {
		return nil, diags
	}
	id := state.ID.ValueString()
	cur, err := r.d.client.GetFile(ctx, id)
	if err != nil {
		return nil, apiError(opItem, "Could not read file "+id+" before uploading a new version", err)
	}
	if cur.VersionID() != state.VersionID.ValueString() {
		diags.AddAttributeError(path.Root("source"), "File "+id+" changed in Box since the plan",
			"Someone uploaded another version after Terraform last read the file; it was not overwritten. Run `terraform apply -refresh-only` to see it, then plan again.")
		return nil, diags
	}
	f, err := r.d.client.UploadFileVersion(ctx, id, cur.ETag, plan.Name.ValueString(), content)
	if err != nil {
		return nil, attrAPIError(opItem, path.Root("source"), "Could not upload a new version of file "+id, err)
	}
	return f, nil
}

func (r *fileResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m fileResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.d.client.DeleteFile(ctx, m.ID.ValueString()); err != nil && !box.IsNotFound(err) {
		resp.Diagnostics.Append(apiError(opItem, "Could not delete file "+m.ID.ValueString(), err)...)
	}
}

func (r *fileResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, req, resp, "box_file", "123456789")
}
