package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/provider/validators"
)

// The box_sign_request_archive action (Terraform 1.14 and later) keeps a
// finished request's evidence, its signed copies and signing log, in a
// folder of the user's choosing, and optionally on disk, checked against
// Box's SHA-1. Triggered on before_destroy, it runs before a destroy or a
// replacement cancels the request, so the evidence outlives it.

var _ action.ActionWithConfigure = &signRequestArchiveAction{}

// NewSignRequestArchiveAction is the box_sign_request_archive action.
func NewSignRequestArchiveAction() action.Action { return &signRequestArchiveAction{} }

type signRequestArchiveAction struct{ client *box.Client }

type signRequestArchiveModel struct {
	SignRequestID       types.String `tfsdk:"sign_request_id"`
	DestinationFolderID types.String `tfsdk:"destination_folder_id"`
	LocalDirectory      types.String `tfsdk:"local_directory"`
}

func (a *signRequestArchiveAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sign_request_archive"
}

func (a *signRequestArchiveAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Copies the signed documents and the signing log of a finished sign request (signed, declined, cancelled, expired or failed) into a Box folder " +
			"(Box's `POST /files/{id}/copy`), and optionally downloads them into a local directory, checking each download's SHA-1 against the one Box reports. " +
			"It refuses a request that is not finished, naming its status: its documents are not final yet. " +
			"Running it again copies nothing twice: a file already in the folder under its name with the same SHA-1 counts as archived, and the action says so; " +
			"a different file of that name is never overwritten. " +
			"Triggered with `action_trigger { events = [before_destroy] }` on the `box_sign_request`, it runs before a destroy or a replacement cancels the request " +
			"(Terraform 1.16 and later); `on_failure` decides whether a failure stops the destroy.",
		Attributes: map[string]schema.Attribute{
			"sign_request_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the sign request to archive: `box_sign_request.contract.id`, or `caller.id` in an action triggered by that resource (on `before_destroy`, the request being destroyed).",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"destination_folder_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the Box folder that receives the copies. Keep it outside the request's own folder if that folder may be emptied, and give it a retention policy if the evidence must be kept.",
				Required:            true,
				Validators:          []validator.String{validators.BoxID()},
			},
			"local_directory": schema.StringAttribute{
				MarkdownDescription: "A local directory to download the archived files into as well (created if missing; files are written readable by their owner only). " +
					"Each download's SHA-1 must equal Box's, or the action fails and writes nothing for that file. A file already there with the same SHA-1 is left as it is; a different one is never overwritten.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (a *signRequestArchiveAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	if d := fromProviderData(req.ProviderData, &resp.Diagnostics); d != nil {
		a.client = d.client
	}
}

func (a *signRequestArchiveAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m signRequestArchiveModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, folder := m.SignRequestID.ValueString(), m.DestinationFolderID.ValueString()
	sr, err := a.client.GetSignRequest(ctx, id)
	if err != nil {
		resp.Diagnostics.Append(attrAPIError(opDataSource, path.Root("sign_request_id"), "Could not read sign request "+id, err)...)
		return
	}
	if !sr.Status.IsFinal() {
		resp.Diagnostics.AddAttributeError(path.Root("sign_request_id"), "Sign request not finished",
			fmt.Sprintf("Sign request %s is %s: its documents and signing log are final only once it is signed, declined, cancelled, expired or failed. "+
				"Nothing was copied. Archive it once it is finished; to destroy it unarchived from a before_destroy trigger, set `on_failure = continue`.", id, sr.Status))
		return
	}
	files := evidenceFiles(sr)
	if len(files) == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("sign_request_id"), "Nothing to archive",
			fmt.Sprintf("Sign request %s (%s) has no signed copies and no signing log in Box. Nothing was copied.", id, sr.Status))
		return
	}
	progress(resp, fmt.Sprintf("Archiving %d files of sign request %s (%s) into folder %s", len(files), id, sr.Status, folder))
	var copied, kept []string
	for _, f := range files {
		archived, isNew, diags := a.archiveFile(ctx, f, folder)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		if isNew {
			copied = append(copied, f.Name)
			progress(resp, fmt.Sprintf("Copied %s (SHA-1 %s) to file %s", f.Name, f.SHA1, archived.ID))
		} else {
			kept = append(kept, f.Name)
			progress(resp, fmt.Sprintf("%s is already archived as file %s with the same SHA-1 %s: not copied again", f.Name, archived.ID, f.SHA1))
		}
		if dir := m.LocalDirectory.ValueString(); dir != "" {
			resp.Diagnostics.Append(a.download(ctx, resp, archived, f, dir)...)
			if resp.Diagnostics.HasError() {
				return
			}
		}
	}
	tflog.Info(ctx, "archived sign request evidence", map[string]any{"id": id, "folder": folder, "copied": len(copied), "already_archived": len(kept)})
	if len(copied) == 0 {
		progress(resp, fmt.Sprintf("Copied nothing: all %d files of sign request %s were already archived in folder %s", len(files), id, folder))
		return
	}
	progress(resp, fmt.Sprintf("Archived sign request %s in folder %s: copied %d, already there %d", id, folder, len(copied), len(kept)))
}

// archiveFile copies one evidence file into the folder, or finds the copy
// an earlier run made: a file of the same name and SHA-1. It reports the
// archived file and whether it was copied now.
func (a *signRequestArchiveAction) archiveFile(ctx context.Context, f box.FileRef, folder string) (*box.File, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	at := path.Root("destination_folder_id")
	cp, err := a.client.CopyFile(ctx, f.ID, folder)
	if err == nil {
		if !strings.EqualFold(cp.SHA1, f.SHA1) {
			diags.AddAttributeError(at, "Archived copy differs from the signed file",
				fmt.Sprintf("Box copied %s (file %s, SHA-1 %s) to file %s, which reports SHA-1 %s. The copy is left in folder %s for you to examine.", f.Name, f.ID, f.SHA1, cp.ID, cp.SHA1, folder))
		}
		return cp, true, diags
	}
	apiErr, ok := box.AsError(err)
	if !ok || apiErr.Code != "item_name_in_use" {
		diags.Append(attrAPIError(opDataSource, at, "Could not copy "+f.Name+" (file "+f.ID+") into folder "+folder, err)...)
		return nil, false, diags
	}
	typ, otherID, ok := apiErr.ConflictingItem()
	if !ok {
		// Box's spec does not promise context_info.conflicts on a copy:
		// look for the name in the folder.
		typ, otherID, ok = a.findByName(ctx, folder, f.Name)
	}
	var other *box.File
	if ok && typ == "file" {
		other, err = a.client.GetFile(ctx, otherID)
		if err != nil {
			diags.Append(attrAPIError(opDataSource, at, "Could not read file "+otherID+", which holds the name "+f.Name+" in folder "+folder, err)...)
			return nil, false, diags
		}
	}
	if other == nil || !strings.EqualFold(other.SHA1, f.SHA1) {
		diags.AddAttributeError(at, "A different item holds the name in the destination",
			fmt.Sprintf("Folder %s already holds an item named %s that is not this request's file (SHA-1 %s). Nothing was overwritten. "+
				"Move or rename that item, or archive into another folder. (%v)", folder, f.Name, f.SHA1, err))
		return nil, false, diags
	}
	return other, false, diags
}

// findByName finds the item named name in a folder (Box compares names
// without case), walking its pages.
func (a *signRequestArchiveAction) findByName(ctx context.Context, folder, name string) (typ, id string, ok bool) {
	marker := ""
	for {
		page, err := a.client.ListFolderItems(ctx, folder, marker, 1000)
		if err != nil {
			return "", "", false
		}
		for _, it := range page.Entries {
			if strings.EqualFold(it.Name, name) {
				return it.Type, it.ID, true
			}
		}
		if page.NextMarker == nil || *page.NextMarker == "" {
			return "", "", false
		}
		marker = *page.NextMarker
	}
}

// download writes the archived file into dir, checking its SHA-1 against
// Box's. A file already there with that content is left as it is.
func (a *signRequestArchiveAction) download(ctx context.Context, resp *action.InvokeResponse, archived *box.File, f box.FileRef, dir string) diag.Diagnostics {
	var diags diag.Diagnostics
	at := path.Root("local_directory")
	target := filepath.Join(dir, filepath.Base(f.Name))
	if prev, err := os.ReadFile(target); err == nil { //nolint:gosec // G304: the directory the configuration names
		if strings.EqualFold(box.SHA1Hex(prev), f.SHA1) {
			progress(resp, fmt.Sprintf("%s is already downloaded with the same SHA-1: left as it is", target))
			return diags
		}
		diags.AddAttributeError(at, "A different file holds the name locally",
			fmt.Sprintf("%s exists and its SHA-1 is not Box's %s. Nothing was overwritten: move it away or choose another local_directory.", target, f.SHA1))
		return diags
	} else if !errors.Is(err, os.ErrNotExist) {
		diags.AddAttributeError(at, "Could not read the local directory", fmt.Sprintf("Reading %s: %v.", target, err))
		return diags
	}
	content, err := a.client.DownloadFile(ctx, archived.ID, "")
	if err != nil {
		diags.Append(attrAPIError(opDataSource, at, "Could not download file "+archived.ID+" ("+f.Name+")", err)...)
		return diags
	}
	if got := box.SHA1Hex(content); !strings.EqualFold(got, f.SHA1) {
		diags.AddAttributeError(at, "Downloaded content does not match Box's SHA-1",
			fmt.Sprintf("File %s (%s) downloaded with SHA-1 %s, but Box reports %s for the signed file. Nothing was written; invoke the action again to retry.", archived.ID, f.Name, got, f.SHA1))
		return diags
	}
	if err := writeFileAtomically(dir, target, content); err != nil {
		diags.AddAttributeError(at, "Could not write the download", fmt.Sprintf("Writing %s: %v.", target, err))
		return diags
	}
	progress(resp, fmt.Sprintf("Downloaded %s to %s; its SHA-1 %s matches Box's", f.Name, target, f.SHA1))
	return diags
}

// writeFileAtomically writes content to target through a temporary file in
// dir, so that an interrupted write never leaves a partial file that a
// later run would take for the evidence.
func writeFileAtomically(dir, target string, content []byte) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".box-archive-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}
