package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/provider/planmodifiers"
	"github.com/box/terraform-provider-box/internal/provider/validators"
)

var (
	_ resource.ResourceWithConfigure        = &collaborationResource{}
	_ resource.ResourceWithImportState      = &collaborationResource{}
	_ resource.ResourceWithConfigValidators = &collaborationResource{}
	_ resource.ResourceWithModifyPlan       = &collaborationResource{}
)

// NewCollaborationResource is the box_collaboration resource.
func NewCollaborationResource() resource.Resource { return &collaborationResource{} }

type collaborationResource struct{ d *providerData }

type collaborationModel struct {
	ID       types.String `tfsdk:"id"`
	FolderID types.String `tfsdk:"folder_id"`
	UserID   types.String `tfsdk:"user_id"`
	Login    types.String `tfsdk:"login"`
	Role     types.String `tfsdk:"role"`
	Notify   types.Bool   `tfsdk:"notify"`
}

func (r *collaborationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_collaboration"
}

func (r *collaborationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplaceIfConfigured(), stringplanmodifier.UseStateForUnknown()}
	// Box compares logins without regard to case.
	loginModifiers := append([]planmodifier.String{planmodifiers.CaseInsensitive()}, replace...)
	resp.Schema = schema.Schema{
		MarkdownDescription: "Gives a Box user a role on a folder, and on everything in it. The classic use: collaborate a client-credentials " +
			"service account (its ID from the `box_current_user` data source of a provider that authenticates as it) on the folder of contracts, " +
			"so it can send sign requests for them. A role change happens in place; destroying it removes the collaboration.\n\n" +
			"Box emails the collaborator when the collaboration is created only with `notify = true`; with it, a replacement (or re-creating " +
			"a collaboration deleted outside Terraform) emails again. A `login` without a Box account becomes a pending invitation: with " +
			"`notify = true` Box emails the invitation, `user_id` stays empty until the person accepts, and the collaboration grants nothing " +
			"until then. Box names no folder for a pending invitation: after an import, the plan records the configured `folder_id` in place " +
			"once Box lists the invitation on that folder, and fails otherwise.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The collaboration's ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"folder_id": schema.StringAttribute{
				MarkdownDescription: "ID of the folder to share. A change replaces the collaboration.",
				Required:            true,
				Validators:          []validator.String{validators.BoxID()},
				PlanModifiers:       []planmodifier.String{folderReplaces},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "ID of the user to collaborate, such as `data.box_current_user.service_account.id`. Set `user_id` or `login`; " +
					"with `login`, Box's user ID is computed, and empty while the invitation of a login without a Box account is pending. " +
					"A change replaces the collaboration.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{validators.BoxID()},
				PlanModifiers: replace,
			},
			"login": schema.StringAttribute{
				MarkdownDescription: "Login (email address) of the user to collaborate. Set `user_id` or `login`; with `user_id`, Box's login is computed. " +
					"A change other than of letter case replaces the collaboration.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{validators.Email()},
				PlanModifiers: loginModifiers,
			},
			"role": schema.StringAttribute{
				MarkdownDescription: "The user's role: one of `" + strings.Join(box.CollaborationRoles, "`, `") + "`. A change happens in place.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf(box.CollaborationRoles...)},
			},
			"notify": schema.BoolAttribute{
				MarkdownDescription: "Whether Box emails the collaborator (or, for a login without a Box account, the invitation) when the " +
					"collaboration is created, sent as Box's `notify`. Defaults to `false`: Terraform does not mail anyone unless told to. " +
					"It only decides what a create does: changing it sends nothing to Box and mails no one.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
		},
	}
}

// folderReplaces is folder_id's RequiresReplace, except from a null folder:
// only the import of a pending invitation leaves it null (Box names no
// item for one), and ModifyPlan checks the configured folder holds it
// before it is recorded in place.
var folderReplaces = stringplanmodifier.RequiresReplaceIf(
	func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !req.StateValue.IsNull()
	}, folderReplacesDoc, folderReplacesDoc)

const folderReplacesDoc = "A change replaces the collaboration, except recording the folder of an imported pending invitation."

func (r *collaborationResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{resourcevalidator.ExactlyOneOf(path.MatchRoot("user_id"), path.MatchRoot("login"))}
}

func (r *collaborationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

// fromCollaboration copies Box's view into m; a login that differs only in
// case keeps the configured spelling. A pending invitation has no user
// yet: user_id is known and empty (so a plan never shows it as unknown),
// the login is the one invited, and the folder, which Box may leave out,
// stays as known.
func (m *collaborationModel) fromCollaboration(c *box.Collaboration) {
	m.ID = types.StringValue(c.ID)
	m.Role = types.StringValue(c.Role)
	if c.Item != nil && c.Item.ID != "" {
		m.FolderID = types.StringValue(c.Item.ID)
	}
	userID, login := "", c.InviteEmail
	if c.AccessibleBy != nil {
		userID = c.AccessibleBy.ID
		if c.AccessibleBy.Login != "" {
			login = c.AccessibleBy.Login
		}
	}
	m.UserID = types.StringValue(userID)
	if login != "" && !strings.EqualFold(m.Login.ValueString(), login) {
		m.Login = types.StringValue(login)
	}
	if m.Notify.IsNull() || m.Notify.IsUnknown() {
		// After an import: Box does not say whether it emailed anyone,
		// and the attribute's default is what a configuration leaving it
		// out plans.
		m.Notify = types.BoolValue(false)
	}
}

func (r *collaborationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m collaborationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	who := box.CollaborationTarget{UserID: m.UserID.ValueString(), Login: m.Login.ValueString()}
	c, err := r.d.client.CreateCollaboration(ctx, m.FolderID.ValueString(), who, m.Role.ValueString(), m.Notify.ValueBool())
	if err != nil {
		resp.Diagnostics.Append(apiError(opItem, "Could not collaborate the user on folder "+m.FolderID.ValueString(), err)...)
		return
	}
	m.fromCollaboration(c)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, m.ID.ValueString())...)
}

func (r *collaborationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m collaborationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is set first: the framework wants one even when the
	// item turns out to be gone and leaves the state.
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, m.ID.ValueString())...)
	c, err := r.d.client.GetCollaboration(ctx, m.ID.ValueString())
	if isGone(err, "") {
		extra := ""
		if m.Notify.ValueBool() {
			extra = " With notify = true, that emails the collaborator again: set notify = false first to avoid it."
		}
		leaveState(ctx, resp, "Collaboration", m.ID.ValueString(), extra)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiError(opItem, "Could not read collaboration "+m.ID.ValueString(), err)...)
		return
	}
	// An imported pending invitation keeps a null folder_id: Box names no
	// item for it, and the plan checks the configured folder (ModifyPlan).
	m.fromCollaboration(c)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// ModifyPlan ties an imported pending invitation (a state without a
// folder) to the configured folder, once Box lists it among that folder's
// collaborations; any other folder fails the plan, since replacing the
// collaboration would invite the person again.
func (r *collaborationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var id, stateFolder, planFolder types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("folder_id"), &stateFolder)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("folder_id"), &planFolder)...)
	if resp.Diagnostics.HasError() || !stateFolder.IsNull() || planFolder.IsUnknown() {
		return
	}
	resp.Diagnostics.Append(r.checkInvitationFolder(ctx, planFolder.ValueString(), id.ValueString())...)
}

// checkInvitationFolder fails unless Box lists collaboration id on folder.
func (r *collaborationResource) checkInvitationFolder(ctx context.Context, folder, id string) diag.Diagnostics {
	found, err := r.d.client.HasFolderCollaboration(ctx, folder, id)
	if err != nil {
		return attrAPIError(opItem, path.Root("folder_id"), "Could not list the collaborations of folder "+folder, err)
	}
	var diags diag.Diagnostics
	if !found {
		diags.AddAttributeError(path.Root("folder_id"), "Pending invitation is not on this folder",
			"Collaboration "+id+" was imported as a pending invitation, for which Box names no folder, and Box does not list it among the "+
				"collaborations of folder "+folder+". Set folder_id to the folder it was made on, or `terraform state rm` it and let "+
				"Terraform create a new one (that emails the invitee only with notify = true).")
	}
	return diags
}

func (r *collaborationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state collaborationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.FolderID.IsNull() {
		// An imported pending invitation whose folder was unknown at plan
		// time: check it now, before recording it.
		if resp.Diagnostics.Append(r.checkInvitationFolder(ctx, plan.FolderID.ValueString(), state.ID.ValueString())...); resp.Diagnostics.HasError() {
			return
		}
	}
	if !plan.Role.Equal(state.Role) {
		c, err := r.d.client.UpdateCollaborationRole(ctx, state.ID.ValueString(), plan.Role.ValueString())
		if err != nil {
			resp.Diagnostics.Append(attrAPIError(opItem, path.Root("role"), "Could not change the role of collaboration "+state.ID.ValueString(), err)...)
			return
		}
		plan.fromCollaboration(c)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, plan.ID.ValueString())...)
}

func (r *collaborationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m collaborationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.d.client.DeleteCollaboration(ctx, m.ID.ValueString()); err != nil && !box.IsNotFound(err) {
		resp.Diagnostics.Append(apiError(opItem, "Could not remove collaboration "+m.ID.ValueString(), err)...)
	}
}

func (r *collaborationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, req, resp, "box_collaboration", "987654321")
}
