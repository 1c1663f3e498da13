package emulator

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// Collaboration statuses the emulator produces (spec `Collaboration`).
const (
	collabAccepted = "accepted"
	collabPending  = "pending"
)

// collaboration grants a user a role on a folder or file (FIDELITY.md,
// "Collaborations"): accepted for a user of the emulator, pending for a
// login that is nobody's yet (an invitation by email, with no user and no
// access until accepted). The emulator has no groups.
type collaboration struct {
	ID          string    `json:"id"`
	Seq         int64     `json:"seq"`
	ItemType    string    `json:"item_type"` // "folder" or "file"
	ItemID      string    `json:"item_id"`
	UserID      string    `json:"user_id"`                // "" for a pending invitation
	InviteEmail string    `json:"invite_email,omitempty"` // the login a pending invitation went to
	Role        string    `json:"role"`
	Status      string    `json:"status"`
	CreatedByID string    `json:"created_by_id"`
	CreatedAt   time.Time `json:"created_at"`
	ModifiedAt  time.Time `json:"modified_at"`
}

type collabBody struct {
	Item *struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"item"`
	AccessibleBy *struct {
		Type  string `json:"type"`
		ID    string `json:"id"`
		Login string `json:"login"`
	} `json:"accessible_by"`
	Role *string `json:"role"`
}

// handleCreateCollaboration is POST /2.0/collaborations. The `notify`
// query parameter decides whether the collaborator is emailed; left out,
// they are (FIDELITY.md, "Collaborations").
func (e *Emulator) handleCreateCollaboration(c *call) *response {
	var b collabBody
	if resp := decodeJSON(c.body, &b); resp != nil {
		return resp
	}
	switch {
	case b.Item == nil || b.Item.ID == "":
		return badParam("item", "item.id and item.type are required")
	case b.Item.Type != "folder" && b.Item.Type != "file":
		return badParam("item.type", "item.type must be file or folder")
	case b.AccessibleBy == nil || b.AccessibleBy.Type == "":
		return badParam("accessible_by", "accessible_by.type is required")
	case b.Role == nil || !slices.Contains(collaborationRoles, *b.Role):
		return badParam("role", "role must be one of editor, viewer, previewer, uploader, previewer uploader, viewer uploader, co-owner")
	}
	if b.Item.Type == "folder" && b.Item.ID == rootFolderID {
		return errorResponse(http.StatusBadRequest, "collaborations_not_available_on_root_folder", "Root folder cannot be collaborated", nil)
	}
	role, resp := e.itemRole(c.user, b.Item.Type, b.Item.ID)
	if resp != nil {
		return resp
	}
	if !roleAllows(role, permInvite) {
		return forbidden()
	}
	target, invite, resp := e.collaborator(b.AccessibleBy.Type, b.AccessibleBy.ID, b.AccessibleBy.Login)
	if resp != nil {
		return resp
	}
	if (target.ID != "" && target.ID == e.itemOwnerID(b.Item.Type, b.Item.ID)) || e.collaboratesAtOrAbove(target.ID, invite, b.Item.Type, b.Item.ID) {
		return errorResponse(http.StatusBadRequest, "user_already_collaborator", "User is already a collaborator", nil)
	}
	now := e.now()
	col := &collaboration{ID: e.st.newID(), Seq: e.st.seq(), ItemType: b.Item.Type, ItemID: b.Item.ID,
		UserID: target.ID, InviteEmail: invite, Role: *b.Role, Status: collabAccepted,
		CreatedByID: c.user.ID, CreatedAt: now, ModifiedAt: now}
	to, kind := target.Login, "collaboration_added"
	if invite != "" {
		col.Status, to, kind = collabPending, invite, "collaboration_invite"
	}
	e.st.Collaborations[col.ID] = col
	if c.r.URL.Query().Get("notify") != "false" {
		e.st.Emails = append(e.st.Emails, email{To: to, Kind: kind, CollaborationID: col.ID, SentAt: now})
	}
	return jsonResponse(http.StatusCreated, e.collaborationJSON(col, c.user))
}

// collaborator resolves accessible_by to a user, or to the login of a
// pending invitation when no user has it: Box invites that address by
// email. Groups do not exist here, so a group ID is missing like any
// unknown ID (404).
func (e *Emulator) collaborator(kind, id, login string) (user, string, *response) {
	if kind != "user" {
		if kind == "group" {
			return user{}, "", notFound()
		}
		return user{}, "", badParam("accessible_by.type", "accessible_by.type must be user or group")
	}
	switch {
	case id != "":
		if u, ok := e.userByID(id); ok {
			return u, "", nil
		}
		return user{}, "", notFound()
	case login != "":
		if u, ok := e.userByLogin(login); ok {
			return u, "", nil
		}
		return user{}, login, nil
	}
	return user{}, "", badParam("accessible_by", "accessible_by.id or accessible_by.login is required")
}

// collaboratesAtOrAbove reports whether the user (by ID) or the invited
// login already has a collaboration, in any status, on the item or on a
// folder above it: Box does not add a collaborator beneath an item they
// already collaborate on (FIDELITY.md, "Collaborations").
func (e *Emulator) collaboratesAtOrAbove(userID, invite, kind, itemID string) bool {
	ids := []string{itemID}
	parent := ""
	if kind == "file" {
		if f := e.st.Files[itemID]; f != nil {
			parent = f.ParentID
		}
	} else if f := e.st.Folders[itemID]; f != nil {
		parent = f.ParentID
	}
	for id := parent; id != "" && id != rootFolderID; {
		ids = append(ids, id)
		f := e.st.Folders[id]
		if f == nil {
			break
		}
		id = f.ParentID
	}
	for _, col := range e.st.Collaborations {
		if !slices.Contains(ids, col.ItemID) {
			continue
		}
		if (userID != "" && col.UserID == userID) || (invite != "" && strings.EqualFold(col.InviteEmail, invite)) {
			return true
		}
	}
	return false
}

// itemRole is the caller's role on a live folder or file, or Box's 404.
func (e *Emulator) itemRole(u user, kind, id string) (string, *response) {
	if kind == "file" {
		_, role, resp := e.visibleFile(u, id)
		return role, resp
	}
	_, role, resp := e.visibleFolder(u, id)
	return role, resp
}

func (e *Emulator) itemOwnerID(kind, id string) string {
	if kind == "file" {
		if f := e.st.Files[id]; f != nil {
			return f.OwnerID
		}
		return ""
	}
	if f := e.st.Folders[id]; f != nil {
		return f.OwnerID
	}
	return ""
}

// visibleCollaboration returns a collaboration the caller may read: its
// collaborator, and whoever may manage collaborations on its item.
func (e *Emulator) visibleCollaboration(u user, id string) (*collaboration, bool, *response) {
	col := e.st.Collaborations[id]
	if col == nil {
		return nil, false, notFound()
	}
	role, _ := e.itemRole(u, col.ItemType, col.ItemID)
	manage := roleAllows(role, permInvite)
	if !manage && col.UserID != u.ID {
		return nil, false, notFound()
	}
	return col, manage, nil
}

// handleGetCollaboration is GET /2.0/collaborations/{id}.
func (e *Emulator) handleGetCollaboration(c *call) *response {
	col, _, resp := e.visibleCollaboration(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, e.collaborationJSON(col, c.user))
}

// handleUpdateCollaboration is PUT /2.0/collaborations/{id}: a new role.
// Making the collaborator the owner transfers the item and answers 204,
// with the previous owner kept as co-owner, as the spec says.
func (e *Emulator) handleUpdateCollaboration(c *call) *response {
	col, manage, resp := e.visibleCollaboration(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	var b struct {
		Role *string `json:"role"`
	}
	if resp := decodeJSON(c.body, &b); resp != nil {
		return resp
	}
	if b.Role == nil || (*b.Role != roleOwner && !slices.Contains(collaborationRoles, *b.Role)) {
		return badParam("role", "role must be one of editor, viewer, previewer, uploader, previewer uploader, viewer uploader, co-owner, owner")
	}
	if !manage {
		return forbidden()
	}
	if *b.Role == roleOwner {
		if col.Status != collabAccepted {
			// Nobody to hand the item to until the invitation is accepted (guess).
			return badParam("role", "Ownership can only pass to an accepted collaborator")
		}
		if e.itemOwnerID(col.ItemType, col.ItemID) != c.user.ID {
			return forbidden() // only the owner hands ownership on
		}
		e.transferOwnership(col, c.user)
		return newResponse(http.StatusNoContent)
	}
	col.Role = *b.Role
	col.ModifiedAt = e.now()
	return jsonResponse(http.StatusOK, e.collaborationJSON(col, c.user))
}

// transferOwnership makes col's user the owner of its item (and of what
// the old owner owned inside it) and the old owner a co-owner.
func (e *Emulator) transferOwnership(col *collaboration, old user) {
	newOwner := col.UserID
	delete(e.st.Collaborations, col.ID)
	if col.ItemType == "file" {
		e.st.Files[col.ItemID].OwnerID = newOwner
	} else {
		e.chown(col.ItemID, old.ID, newOwner)
	}
	now := e.now()
	nc := &collaboration{ID: e.st.newID(), Seq: e.st.seq(), ItemType: col.ItemType, ItemID: col.ItemID,
		UserID: old.ID, Role: roleCoOwner, Status: collabAccepted, CreatedByID: old.ID, CreatedAt: now, ModifiedAt: now}
	e.st.Collaborations[nc.ID] = nc
}

func (e *Emulator) chown(folderID, from, to string) {
	if f := e.st.Folders[folderID]; f != nil && f.OwnerID == from {
		f.OwnerID = to
	}
	for _, f := range e.st.Files {
		if f.ParentID == folderID && f.OwnerID == from {
			f.OwnerID = to
		}
	}
	for _, f := range e.st.Folders {
		if f.ParentID == folderID && f.ID != rootFolderID {
			e.chown(f.ID, from, to)
		}
	}
}

// handleDeleteCollaboration is DELETE /2.0/collaborations/{id}: by whoever
// manages the item's collaborations, or by the collaborator leaving.
func (e *Emulator) handleDeleteCollaboration(c *call) *response {
	col, manage, resp := e.visibleCollaboration(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	if !manage && col.UserID != c.user.ID {
		return forbidden()
	}
	delete(e.st.Collaborations, col.ID)
	return newResponse(http.StatusNoContent)
}

// handleFolderCollaborations is GET /2.0/folders/{id}/collaborations: the
// folder's own collaborations (not inherited ones, not the owner), for
// anyone who can see the folder.
func (e *Emulator) handleFolderCollaborations(c *call) *response {
	f, _, resp := e.visibleFolder(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	q := c.r.URL.Query()
	limit, resp := pageLimit(q, 100)
	if resp != nil {
		return resp
	}
	start, resp := markerStart(q.Get("marker"), "col", 0)
	if resp != nil {
		return resp
	}
	var list []*collaboration
	for _, col := range e.st.Collaborations {
		if col.ItemType == "folder" && col.ItemID == f.ID && col.Seq >= start {
			list = append(list, col)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Seq < list[j].Seq })
	var next any
	if len(list) > limit {
		next = encodeMarker("col", list[limit].Seq)
		list = list[:limit]
	}
	entries := make([]any, 0, len(list))
	for _, col := range list {
		entries = append(entries, e.collaborationJSON(col, c.user))
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"limit": limit, "next_marker": next, "prev_marker": nil, "entries": entries,
	})
}

func (e *Emulator) collaborationJSON(col *collaboration, viewer user) map[string]any {
	by, _ := e.userByID(col.CreatedByID)
	m := map[string]any{
		"type": "collaboration", "id": col.ID, "app_item": nil,
		"role": col.Role, "expires_at": nil, "is_access_only": false, "status": col.Status,
		"created_by": e.userMini(by), "created_at": col.CreatedAt, "modified_at": col.ModifiedAt,
	}
	if col.Status == collabPending {
		// The spec's pending collaboration: no item yet, an empty name
		// and the invited login, no acknowledgement. There is no user,
		// so no user ID (the spec requires the key; it stays empty).
		m["item"], m["invite_email"] = nil, col.InviteEmail
		m["accessible_by"] = map[string]any{"type": "user", "id": "", "name": "", "login": col.InviteEmail}
		return m
	}
	var item any
	if col.ItemType == "file" {
		if f := e.st.Files[col.ItemID]; f != nil {
			item = e.fileStandard(f, viewer)
		}
	} else if f := e.st.Folders[col.ItemID]; f != nil {
		item = e.folderStandard(f, viewer)
	}
	grantee, _ := e.userByID(col.UserID)
	acc := e.userMini(grantee)
	acc["is_active"] = true
	m["item"], m["invite_email"], m["accessible_by"], m["acknowledged_at"] = item, nil, acc, col.CreatedAt
	return m
}
