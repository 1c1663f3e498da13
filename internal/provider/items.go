package provider

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/box/terraform-provider-box/internal/box"
)

// What box_folder, box_file and box_collaboration share: how a vanished
// item leaves the state, and how a name conflict becomes advice.

// isGone reports whether a read found the item deleted: a 404 (Box's
// answer for a missing and a trashed item alike) or an item Box reports
// in the trash.
func isGone(err error, itemStatus string) bool {
	if err != nil {
		return box.IsNotFound(err)
	}
	return itemStatus == "trashed" || itemStatus == "deleted"
}

// leaveState removes a resource whose item was deleted outside Terraform,
// with a warning, so the next apply makes it again: re-creating a folder or
// file mails no one, and a collaboration mails the collaborator only with
// notify = true, which then says so in extra.
func leaveState(ctx context.Context, resp *resource.ReadResponse, what, id, extra string) {
	resp.Diagnostics.AddWarning(what+" "+id+" is gone from Box",
		"Box answers 404 for it, or reports it in the trash: it was deleted outside Terraform, or the authenticated user can no longer see it. "+
			"It was removed from the state; the next apply creates it again."+extra)
	resp.State.RemoveResource(ctx)
}

// conflictError is the diagnostic of a 409 item_name_in_use on create: it
// names the item that holds the name and how to manage it instead of
// overwriting it. Other errors get the usual rendering.
func conflictError(at path.Path, summary string, err error) diag.Diagnostics {
	apiErr, ok := box.AsError(err)
	if !ok || apiErr.StatusCode != http.StatusConflict {
		return attrAPIError(opItem, at, summary, err)
	}
	typ, id, found := apiErr.ConflictingItem()
	if !found {
		return apiFailure{op: opItem, summary: summary, attr: at,
			hint: "An item with this name already exists in the folder: rename one of them, or import the existing item."}.diagnostics(err)
	}
	return apiFailure{op: opItem, summary: summary, attr: at, hint: fmt.Sprintf(
		"The %s %s already has this name in the folder; Terraform does not overwrite it. To manage it with this resource, import it "+
			"(`terraform import <address> %s`, or an `import` block with `id = %q`); or choose another name.", typ, id, id, id)}.diagnostics(err)
}
