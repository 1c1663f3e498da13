package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/box/terraform-provider-box/internal/box"
)

// createError explains a refused create: a 400 points at the attribute Box
// names, and a 404 names the file, folder or template the authenticated
// user cannot see, and how to give them access.
func (r *signRequestResource) createError(ctx context.Context, plan *signRequestModel, err error) diag.Diagnostics {
	f := apiFailure{op: opCreate, summary: "Could not create the sign request", fields: createFieldPath}
	if box.IsNotFound(err) {
		if item, ok := r.unseenItem(ctx, plan); ok {
			f.attr = item.at
			f.hint = r.unseenHint(ctx, item)
			f.summary = fmt.Sprintf("Box cannot find %s %s", item.kind, item.id)
		}
	}
	return f.diagnostics(err)
}

// createItem is a file, folder or template a create refers to.
type createItem struct {
	kind, id string
	at       path.Path
	probe    func(context.Context, string) error
}

// createItems are the items plan refers to, in the order they are checked.
func (r *signRequestResource) createItems(ctx context.Context, plan *signRequestModel) []createItem {
	var items []createItem
	getFile := func(ctx context.Context, id string) error { _, err := r.client.GetFile(ctx, id); return err }
	getFolder := func(ctx context.Context, id string) error { _, err := r.client.GetFolder(ctx, id); return err }
	getTemplate := func(ctx context.Context, id string) error { _, err := r.client.GetSignTemplate(ctx, id); return err }
	if !unset(plan.TemplateID) {
		items = append(items, createItem{"template", plan.TemplateID.ValueString(), path.Root("template_id"), getTemplate})
	}
	if !plan.SourceFileIDs.IsNull() && !plan.SourceFileIDs.IsUnknown() {
		var ids []string
		_ = plan.SourceFileIDs.ElementsAs(ctx, &ids, false)
		for i, id := range ids {
			items = append(items, createItem{"file", id, path.Root("source_file_ids").AtListIndex(i), getFile})
		}
	}
	if !unset(plan.ParentFolderID) {
		items = append(items, createItem{"folder", plan.ParentFolderID.ValueString(), path.Root("parent_folder_id"), getFolder})
	}
	return items
}

// unseenItem finds, after a create answered 404, the first item Box also
// answers 404 for on its own. Box's 404 does not say which item it is; the
// calls are made only on this error path.
func (r *signRequestResource) unseenItem(ctx context.Context, plan *signRequestModel) (createItem, bool) {
	for _, it := range r.createItems(ctx, plan) {
		if err := it.probe(ctx, it.id); box.IsNotFound(err) {
			return it, true
		}
	}
	return createItem{}, false
}

// unseenHint says who cannot see the item, why Box says 404, and the two
// ways to give access.
func (r *signRequestResource) unseenHint(ctx context.Context, it createItem) string {
	who, user := "the authenticated user", "the authenticated user"
	if u, err := r.client.AuthenticatedUser(ctx); err == nil && u.Login != "" {
		who, user = fmt.Sprintf("%s (user ID %s)", u.Login, u.ID), u.Login
	}
	where := map[string]string{
		"file":     "the folder that holds file " + it.id + " (role viewer or editor: it must download the file)",
		"folder":   "folder " + it.id + " or a folder above it (role editor or uploader: Box files the signed copies there)",
		"template": "the folder that holds template " + it.id + " (role viewer or editor)",
	}[it.kind]
	return fmt.Sprintf("Box answered 404 Not Found for %s %s (`%s`), requested as %s. "+
		"Box answers 404 both for an item that does not exist and for one the user cannot see. "+
		"With client credentials or JWT, the provider acts as the app's service account, which has its own empty root folder "+
		"and sees no one else's files until they are shared with it.\n\n"+
		"To fix it, either:\n"+
		"  - collaborate %s on %s, in the Box web app (Share, then invite the login) or with the Collaborations API; or\n"+
		"  - set `as_user_id` in the provider block to the ID of a user who can see it (the app needs \"Make API calls using the as-user header\").\n"+
		"If the %s was deleted, correct `%s`.",
		it.kind, it.id, it.at, who, user, where, it.kind, it.at)
}
