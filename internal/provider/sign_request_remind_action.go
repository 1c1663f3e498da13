package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/box/terraform-provider-box/internal/box"
)

// The box_sign_request_remind action (Terraform 1.14 and later): a
// day-two operation that asks Box to remind the outstanding signers of one
// request, once per invocation. It is the action form of resend_version,
// which stays for Terraform versions and OpenTofu without actions.

var _ action.ActionWithConfigure = &signRequestRemindAction{}

// NewSignRequestRemindAction is the box_sign_request_remind action.
func NewSignRequestRemindAction() action.Action { return &signRequestRemindAction{} }

type signRequestRemindAction struct{ client *box.Client }

type signRequestRemindModel struct {
	SignRequestID types.String `tfsdk:"sign_request_id"`
}

func (a *signRequestRemindAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sign_request_remind"
}

func (a *signRequestRemindAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Asks Box to email the signers of a sign request who have not signed yet, once per invocation " +
			"(Box's `POST /sign_requests/{id}/resend`). Box sends a reminder at most once every 10 minutes after the request " +
			"was sent or last reminded, and none for a request that is finished (signed, declined, cancelled, expired or failed).",
		Attributes: map[string]schema.Attribute{
			"sign_request_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the sign request whose signers to remind, such as `box_sign_request.contract.id`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (a *signRequestRemindAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	if d := fromProviderData(req.ProviderData, &resp.Diagnostics); d != nil {
		a.client = d.client
	}
}

func (a *signRequestRemindAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m signRequestRemindModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := m.SignRequestID.ValueString()
	progress(resp, fmt.Sprintf("Asking Box to remind the outstanding signers of sign request %s", id))
	err := a.client.ResendSignRequest(ctx, id)
	if err == nil {
		tflog.Info(ctx, "asked Box to remind the signers", map[string]any{"id": id})
		progress(resp, fmt.Sprintf("Box accepted the reminder for sign request %s; it emails the outstanding signers shortly", id))
		return
	}
	at := path.Root("sign_request_id")
	refused, status := resendRefusal(ctx, a.client, id, err)
	switch {
	case box.IsNotFound(err):
		resp.Diagnostics.Append(attrAPIError(opResend, at, "Sign request "+id+" not found", err)...)
	case !refused:
		resp.Diagnostics.Append(apiError(opResend, "Could not remind the signers of sign request "+id, err)...)
	case status != "":
		resp.Diagnostics.AddAttributeError(at, "Box cannot remind the signers",
			fmt.Sprintf("Sign request %s is %s, and Box sends no reminders for a request in that status. Nothing was sent. (%v)", id, status, err))
	default:
		resp.Diagnostics.AddAttributeError(at, "Too soon to remind the signers",
			fmt.Sprintf("Box refused to resend sign request %s: it sends a reminder at most once every 10 minutes after the request was sent or last reminded. "+
				"Nothing was sent; invoke the action again in a few minutes. (%v)", id, err))
	}
}

// progress shows a message while the action runs, where Terraform listens.
func progress(resp *action.InvokeResponse, msg string) {
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: msg})
	}
}
