package provider

import (
	"context"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
	_ resource.ResourceWithConfigure      = &webhookResource{}
	_ resource.ResourceWithImportState    = &webhookResource{}
	_ resource.ResourceWithValidateConfig = &webhookResource{}
	_ resource.ResourceWithIdentity       = &webhookResource{}
)

// NewWebhookResource is the box_webhook resource.
func NewWebhookResource() resource.Resource { return &webhookResource{} }

type webhookResource struct{ d *providerData }

type webhookModel struct {
	ID         types.String `tfsdk:"id"`
	TargetType types.String `tfsdk:"target_type"`
	TargetID   types.String `tfsdk:"target_id"`
	Address    types.String `tfsdk:"address"`
	Triggers   types.Set    `tfsdk:"triggers"`
}

func (r *webhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Box webhook (v2): Box POSTs a signed notification to `address` when one of `triggers` happens to the " +
			"file or folder, or, for a folder, to anything in it. The classic use is a sign webhook on the folder that receives the signed " +
			"copies: `SIGN_REQUEST.COMPLETED` tells your system that a request was signed. Every argument changes in place (Box's " +
			"`PUT /webhooks/{id}`). Box allows one webhook per file or folder per app and user. Box deletes a webhook without notice when " +
			"its deliveries have failed for 30 days or its app has lost all its tokens; a refresh then warns and the next apply makes it again. " +
			"The signature keys that sign each delivery are made in Box's Developer Console, not here.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The webhook's ID.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"target_type": schema.StringAttribute{
				MarkdownDescription: "What the webhook watches: `file` or `folder`. Changes in place.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf("file", "folder")},
			},
			"target_id": schema.StringAttribute{
				MarkdownDescription: "ID of the file or folder to watch. Not the root folder `\"0\"`: Box has no v2 webhooks there. Changes in place.",
				Required:            true,
				Validators:          []validator.String{validators.BoxID()},
			},
			"address": schema.StringAttribute{
				MarkdownDescription: "The URL Box notifies: HTTPS on port 443, with a certificate from a public authority (Box refuses " +
					"self-signed ones). A loopback address (`localhost`, `127.0.0.1`, `[::1]`) on any port passes the plan with a warning: " +
					"only the Box emulator accepts it, for testing a receiver. Changes in place.",
				Required: true,
			},
			"triggers": schema.SetAttribute{
				MarkdownDescription: "The events to notify, such as `SIGN_REQUEST.COMPLETED`, `SIGN_REQUEST.DECLINED`, `SIGN_REQUEST.EXPIRED` " +
					"or `FILE.UPLOADED`; at least one. Box's spec and its Box Sign guide spell three sign triggers differently " +
					"(`SIGN_REQUEST.SIGN_SIGNER_SIGNED` or `SIGN_REQUEST.SIGNER_SIGNED`, `SIGN_REQUEST.SIGN_DOCUMENT_CREATED` or " +
					"`SIGN_REQUEST.SIGNATURE_REQUESTED`, `SIGN_REQUEST.SIGN_ERROR_FINALIZING` or `SIGN_REQUEST.ERROR_FINALIZING`); both " +
					"are accepted. Changes in place.",
				Required:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(box.WebhookTriggers...)),
				},
			},
		},
	}
}

func (r *webhookResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("The webhook's ID, as the resource's `id` attribute holds it.")
}

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.d = fromProviderData(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig holds the plan-time checks the framework's validators
// cannot say; none calls Box.
func (r *webhookResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m webhookModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.TargetType.ValueString() == "folder" && m.TargetID.ValueString() == "0" {
		resp.Diagnostics.AddAttributeError(path.Root("target_id"), "Box has no webhooks on the root folder",
			"Box's v2 webhooks cannot watch the root folder \"0\" (All Files). Set target_id to the folder that holds the items to watch, "+
				"such as the folder that receives the signed copies.")
	}
	if m.Address.IsUnknown() || m.Address.IsNull() {
		return
	}
	addr := m.Address.ValueString()
	loopback := box.IsLoopbackURL(addr)
	problem, portOnly := box.WebhookAddressProblem(addr)
	switch {
	case problem != "" && (!loopback || !portOnly):
		resp.Diagnostics.AddAttributeError(path.Root("address"), "Box would refuse this webhook address",
			"The address "+problem+". Set address to your receiver's HTTPS URL on port 443.")
	case loopback:
		resp.Diagnostics.AddAttributeWarning(path.Root("address"), "Only the Box emulator accepts a loopback webhook address",
			"This address points at this machine. The Box emulator delivers to it (for testing a receiver); Box itself would refuse it, "+
				"since its webhooks go to public HTTPS addresses on port 443 only.")
	}
}

// fromWebhook copies Box's view of the webhook into m.
func (m *webhookModel) fromWebhook(ctx context.Context, w *box.Webhook) {
	m.ID = types.StringValue(w.ID)
	if w.Target != nil {
		m.TargetType = types.StringValue(w.Target.Type)
		m.TargetID = types.StringValue(w.Target.ID)
	}
	m.Address = types.StringValue(w.Address)
	m.Triggers, _ = types.SetValueFrom(ctx, types.StringType, w.Triggers)
}

func (m *webhookModel) triggers(ctx context.Context) ([]string, bool) {
	var ts []string
	diags := m.Triggers.ElementsAs(ctx, &ts, false)
	return ts, !diags.HasError()
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	triggers, ok := m.triggers(ctx)
	if resp.Diagnostics.HasError() || !ok {
		return
	}
	target := box.WebhookTarget{ID: m.TargetID.ValueString(), Type: m.TargetType.ValueString()}
	w, err := r.d.client.CreateWebhook(ctx, target, m.Address.ValueString(), triggers)
	if err != nil {
		resp.Diagnostics.Append(webhookError(path.Root("target_id"), "Could not create the webhook on "+target.Type+" "+target.ID, err)...)
		return
	}
	m.fromWebhook(ctx, w)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, m.ID.ValueString())...)
}

func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, m.ID.ValueString())...)
	w, err := r.d.client.GetWebhook(ctx, m.ID.ValueString())
	if box.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Webhook "+m.ID.ValueString()+" is gone from Box",
			"Box answers 404 for it. Box deletes a webhook without notice when its deliveries have failed for 30 days, or when its app "+
				"has lost all its tokens; someone may also have deleted it. It was removed from the state; the next apply creates it again. "+
				"If deliveries were failing, check that the receiver answers 2xx within 30 seconds.")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiError(opItem, "Could not read webhook "+m.ID.ValueString(), err)...)
		return
	}
	m.fromWebhook(ctx, w)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// Update sends only what changed: Box's PUT changes target, address and
// triggers in place, so nothing here needs a replacement.
func (r *webhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	triggers, ok := plan.triggers(ctx)
	if resp.Diagnostics.HasError() || !ok {
		return
	}
	var change box.WebhookChange
	at := path.Root("triggers")
	if !plan.TargetID.Equal(state.TargetID) || !plan.TargetType.Equal(state.TargetType) {
		change.Target = &box.WebhookTarget{ID: plan.TargetID.ValueString(), Type: plan.TargetType.ValueString()}
		at = path.Root("target_id")
	}
	if !plan.Address.Equal(state.Address) {
		change.Address = plan.Address.ValueStringPointer()
		at = path.Root("address")
	}
	if !plan.Triggers.Equal(state.Triggers) {
		change.Triggers = triggers
	}
	w, err := r.d.client.UpdateWebhook(ctx, state.ID.ValueString(), change)
	if err != nil {
		resp.Diagnostics.Append(webhookError(at, "Could not update webhook "+state.ID.ValueString(), err)...)
		return
	}
	plan.fromWebhook(ctx, w)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIDIdentity(ctx, resp.Identity, plan.ID.ValueString())...)
}

func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.d.client.DeleteWebhook(ctx, m.ID.ValueString()); err != nil && !box.IsNotFound(err) {
		resp.Diagnostics.Append(apiError(opItem, "Could not delete webhook "+m.ID.ValueString(), err)...)
	}
}

func (r *webhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, req, resp, "box_webhook", "12345678")
}

// webhookError renders a failed create or update at the attribute Box
// names in a 400 (Box's body field names are the attribute names, with
// target.id and target.type for target_id and target_type), else at the
// attribute the call changed. Box's 409 (this app and user already have a
// webhook on the target) gets its own hint.
func webhookError(at path.Path, summary string, err error) diag.Diagnostics {
	f := apiFailure{op: opItem, summary: summary, attr: at, fields: webhookField}
	if apiErr, ok := box.AsError(err); ok && apiErr.StatusCode == http.StatusConflict {
		f.attr = path.Root("target_id")
		f.hint = "Box allows one webhook per file or folder for each app and user, and this target already has one. Import it " +
			"(find its ID with `terraform query` and the box_webhook list resource) or add these triggers to it; or set target_id to another item."
	}
	return f.diagnostics(err)
}

func webhookField(boxField string) (path.Path, bool) {
	switch boxField {
	case "address", "triggers":
		return path.Root(boxField), true
	case "target", "target.id":
		return path.Root("target_id"), true
	case "target.type":
		return path.Root("target_type"), true
	}
	return path.Empty(), false
}
