package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/box/terraform-provider-box/internal/box"
)

var (
	_ resource.Resource                   = &signRequestResource{}
	_ resource.ResourceWithConfigure      = &signRequestResource{}
	_ resource.ResourceWithImportState    = &signRequestResource{}
	_ resource.ResourceWithValidateConfig = &signRequestResource{}
)

const (
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 2 * time.Minute
	defaultDeleteTimeout = 5 * time.Minute
)

// NewSignRequestResource is the box_sign_request resource.
func NewSignRequestResource() resource.Resource {
	return &signRequestResource{pollInterval: time.Second, maxPollInterval: 15 * time.Second}
}

type signRequestResource struct {
	client *box.Client
	// pollInterval is the first wait while Box converts the files; it
	// doubles up to maxPollInterval.
	pollInterval, maxPollInterval time.Duration
}

func (r *signRequestResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sign_request"
}

func (r *signRequestResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if client, ok := fromProviderData[*box.Client](req.ProviderData, &resp.Diagnostics); ok {
		r.client = client
	}
}

// ValidateConfig holds the checks that span attributes; single-attribute
// checks live on the schema. None of them calls Box.
func (r *signRequestResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m signRequestModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.SourceFileIDs.IsNull() && m.TemplateID.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("source_file_ids"), "Missing documents",
			"Attribute source_file_ids or template_id is required. A sign request needs documents: set `source_file_ids` to the IDs of the files to sign, or `template_id` to a Box Sign template.")
	}
	tags, d := m.prefillTags(ctx)
	resp.Diagnostics.Append(d...)
	for i, t := range tags {
		set := 0
		for _, v := range []attr.Value{t.TextValue, t.CheckboxValue, t.DateValue} {
			if !v.IsNull() {
				set++
			}
		}
		if set != 1 {
			at := path.Root("prefill_tag").AtListIndex(i)
			resp.Diagnostics.AddAttributeError(at, "Prefill tag needs exactly one value",
				fmt.Sprintf("Attribute %s has %d values: set exactly one of text_value, checkbox_value and date_value (Box fills one tag with one value).", at, set))
		}
	}
	signers, d := m.signers(ctx)
	resp.Diagnostics.Append(d...)
	for i, s := range signers {
		if !s.VerificationPhoneNumber.IsNull() && s.LoginRequired.ValueBool() {
			resp.Diagnostics.AddAttributeError(path.Root("signer").AtListIndex(i).AtName("login_required"),
				"Conflicting signer verification",
				"Attribute "+path.Root("signer").AtListIndex(i).AtName("login_required").String()+": Box cannot combine `login_required = true` with `verification_phone_number` for one signer. Choose one of the two.")
		}
	}
}

func (r *signRequestResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, d := importedID(ctx, req)
	resp.Diagnostics.Append(d...)
	if id == "" {
		resp.Diagnostics.AddError("Invalid import ID", "Import a sign request by its ID, for example: terraform import box_sign_request.example 348decab-48a8-4f2c-9436-8967afebf7bb "+
			"(or, from Terraform 1.12, an import block with identity = { id = \"348decab-48a8-4f2c-9436-8967afebf7bb\" }).")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setSignRequestIdentity(ctx, resp.Identity, id)...)
}

func (r *signRequestResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan signRequestModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	passwords, d := writeOnlyPasswords(ctx, req)
	resp.Diagnostics.Append(d...)
	body, d := plan.createRequest(ctx, passwords)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}

	sr, err := r.client.CreateSignRequest(ctx, body)
	if err != nil {
		resp.Diagnostics.Append(apiError("Could not create the sign request", err)...)
		return
	}
	tflog.Info(ctx, "created sign request", map[string]any{"id": sr.ID, "status": sr.Status})

	// Record the request before waiting on it: whatever happens while Box
	// converts the files, the state must know the request exists, or the
	// next apply would send it again.
	resp.Diagnostics.Append(plan.applyResponse(ctx, sr)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setSignRequestIdentity(ctx, resp.Identity, sr.ID)...)
	if resp.Diagnostics.HasError() {
		return
	}

	sr, err = r.waitWhileConverting(ctx, sr)
	if err != nil {
		resp.Diagnostics.AddWarning("Sign request still converting",
			fmt.Sprintf("Box accepted sign request %s, but it was still converting when the provider stopped waiting (%s). "+
				"It is saved in the state; the next refresh shows its status. Raise timeouts.create to wait longer.", sr.ID, err))
		return
	}
	resp.Diagnostics.Append(plan.applyResponse(ctx, sr)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if strings.HasPrefix(sr.Status, "error") {
		// Box does not retry failed requests: the user must replace it, and
		// an error here taints the resource so the next apply does.
		resp.Diagnostics.AddError("Box could not send the sign request",
			fmt.Sprintf("Sign request %s ended in status %q (error code %q). Box does not retry failed requests; "+
				"check the source files and signers, then apply again to replace it.", sr.ID, sr.Status, deref(sr.ErrorCode)))
	}
}

// writeOnlyPasswords reads each signer's password_wo from the configuration,
// the only place Terraform makes write-only values available.
func writeOnlyPasswords(ctx context.Context, req resource.CreateRequest) ([]types.String, diag.Diagnostics) {
	var list types.List
	diags := req.Config.GetAttribute(ctx, path.Root("signer"), &list)
	if diags.HasError() || list.IsNull() || list.IsUnknown() {
		return nil, diags
	}
	out := make([]types.String, 0, len(list.Elements()))
	for i := range list.Elements() {
		var pw types.String
		diags.Append(req.Config.GetAttribute(ctx, path.Root("signer").AtListIndex(i).AtName("password_wo"), &pw)...)
		out = append(out, pw)
	}
	return out, diags
}

// waitWhileConverting polls with doubling intervals until Box has converted
// the files. It returns the last response it saw, even with an error.
func (r *signRequestResource) waitWhileConverting(ctx context.Context, sr *box.SignRequest) (*box.SignRequest, error) {
	wait := r.pollInterval
	for sr.Status == "converting" {
		select {
		case <-ctx.Done():
			return sr, ctx.Err()
		case <-time.After(wait):
		}
		next, err := r.client.GetSignRequest(ctx, sr.ID)
		if err != nil {
			return sr, err
		}
		sr = next
		wait = min(wait*2, r.maxPollInterval)
	}
	return sr, nil
}

func (r *signRequestResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state signRequestModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is set first: the framework wants one even when the
	// request turns out to be gone and leaves the state.
	resp.Diagnostics.Append(setSignRequestIdentity(ctx, resp.Identity, state.ID.ValueString())...)
	timeout, d := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	sr, err := r.client.GetSignRequest(ctx, state.ID.ValueString())
	if box.IsNotFound(err) {
		// Box answers 404 once the signed copies or their folder are
		// deleted: the request is gone for good, so plan a new one.
		tflog.Warn(ctx, "sign request not found; removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiError("Could not read sign request "+state.ID.ValueString(), err)...)
		return
	}
	resp.Diagnostics.Append(state.applyResponse(ctx, sr)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only runs for changes that need no new request: timeouts, and
// resend_version, whose raise asks Box to remind the signers.
func (r *signRequestResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, prior signRequestModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setSignRequestIdentity(ctx, resp.Identity, prior.ID.ValueString())...)
	// On failure the response still holds the prior state, which keeps the
	// old resend_version: the change stays pending for the next apply.
	if !r.resendIfRaised(ctx, prior.ResendVersion, plan.ResendVersion, plan.ID.ValueString(), &resp.Diagnostics) {
		return
	}
	// Record the reminder before reading: should the read fail, the next
	// apply must not remind the signers a second time.
	prior.ResendVersion = plan.ResendVersion
	resp.Diagnostics.Append(resp.State.Set(ctx, &prior)...)
	sr, err := r.client.GetSignRequest(ctx, plan.ID.ValueString())
	if err != nil {
		resp.Diagnostics.Append(apiError("Could not read sign request "+plan.ID.ValueString(), err)...)
		return
	}
	resp.Diagnostics.Append(plan.applyResponse(ctx, sr)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// finalStatuses are the statuses in which Box refuses to cancel.
var finalStatuses = map[string]bool{
	"signed": true, "declined": true, "expired": true, "cancelled": true,
	"finalizing": true, "error": true, "error_converting": true, "error_sending": true, "error_finalizing": true,
}

func (r *signRequestResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state signRequestModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, d := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id := state.ID.ValueString()

	_, err := r.client.CancelSignRequest(ctx, id)
	if err == nil || box.IsNotFound(err) {
		return
	}
	var apiErr *box.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == 400 {
		// Box refuses to cancel a finished request. Look at it to say why;
		// there is nothing to undo, so it simply leaves the state.
		sr, getErr := r.client.GetSignRequest(ctx, id)
		if box.IsNotFound(getErr) {
			return
		}
		if getErr == nil && finalStatuses[sr.Status] {
			resp.Diagnostics.AddWarning("Sign request not cancelled",
				fmt.Sprintf("Sign request %s is %s, and Box cannot cancel a request in that status. "+
					"It was removed from the Terraform state; the request, its signed files and its signing log stay in Box.", id, sr.Status))
			return
		}
	}
	resp.Diagnostics.Append(apiError("Could not cancel sign request "+id, err)...)
}

// apiError turns a client error into a diagnostic that carries Box's
// request_id, which Box support asks for.
func apiError(summary string, err error) diag.Diagnostics {
	var diags diag.Diagnostics
	detail := err.Error()
	var apiErr *box.Error
	if errors.As(err, &apiErr) {
		switch apiErr.StatusCode {
		case 401:
			detail += "\n\nThe credentials were refused: check the provider's authentication settings."
		case 403:
			detail += "\n\nThe user lacks permission: the app needs the sign_requests.readwrite scope and access to the files and folder."
		case 404:
			detail += "\n\nCheck that the files, folder or template exist and that the user can see them."
		}
	}
	if box.IsCertificateError(err) {
		detail += "\n\nThe server's TLS certificate is not trusted, so nothing was sent. If Box is reached through a TLS-inspecting proxy " +
			"or a private endpoint, set `ca_cert_file` (or BOX_CA_CERT_FILE) to its CA certificate in PEM."
	}
	diags.AddError(summary, detail)
	return diags
}
