package emulator

import (
	"net/http"
	"strconv"
	"unicode/utf8"
)

// Updates of folders and files: rename, move, description (PUT) and new
// file versions (POST /api/2.0/files/{id}/content). FIDELITY.md, "Item
// updates".

// ifMatch is Box's If-Match check: a given etag that is not the item's
// current one fails with 412.
func ifMatch(c *call, seq int) *response {
	if m := c.r.Header.Get("If-Match"); m != "" && m != strconv.Itoa(seq) {
		return errorResponse(http.StatusPreconditionFailed, "precondition_failed",
			"The resource has been modified. Please retrieve the resource again and retry", nil)
	}
	return nil
}

// itemUpdate is the part of a PUT body on a folder or file the emulator
// acts on; shared links, locks and the rest are ignored.
type itemUpdate struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Parent      *struct {
		ID string `json:"id"`
	} `json:"parent"`
}

// check applies the body's own limits: Box's name rules and the
// description's 256 characters (spec `put_folders_id`, `put_files_id`).
func (u *itemUpdate) check() *response {
	if u.Name != nil {
		if resp := validName(*u.Name); resp != nil {
			return resp
		}
	}
	if u.Description != nil && utf8.RuneCountInString(*u.Description) > 256 {
		return badParam("description", "description must be at most 256 characters")
	}
	if u.Parent != nil && u.Parent.ID == "" {
		return badParam("parent", "parent.id is required")
	}
	return nil
}

// destination resolves where an updated item would live and under what
// name, checking the caller may add to the destination and that no other
// live item there has the name. self is the item's own ID, which never
// conflicts with itself.
func (e *Emulator) destination(c *call, u *itemUpdate, parentID, ownerID, name, self string) (string, string, *response) {
	if u.Name != nil {
		name = *u.Name
	}
	if u.Parent != nil && u.Parent.ID != parentID {
		dest, role, resp := e.visibleFolder(c.user, u.Parent.ID)
		if resp != nil {
			return "", "", resp
		}
		// A move into a root lands in the caller's own root: only an
		// owner can take their item there (guess).
		if !roleAllows(role, permUpload) || (dest.ID == rootFolderID && ownerID != c.user.ID) {
			return "", "", forbidden()
		}
		parentID = dest.ID
	}
	if other := e.nameTaken(parentID, ownerID, name); other != nil && other["id"] != self {
		return "", "", conflict(other, false)
	}
	return parentID, name, nil
}

// handleUpdateFolder is PUT /2.0/folders/{id}.
func (e *Emulator) handleUpdateFolder(c *call) *response {
	var body itemUpdate
	if resp := decodeJSON(c.body, &body); resp != nil {
		return resp
	}
	f, role, resp := e.visibleFolder(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	if f.ID == rootFolderID || !roleAllows(role, permDelete) {
		return forbidden()
	}
	if resp := ifMatch(c, f.Seq); resp != nil {
		return resp
	}
	if resp := body.check(); resp != nil {
		return resp
	}
	defer e.watchItem(c.user, "folder", f.ID)()
	if body.Parent != nil && e.isWithin(body.Parent.ID, f.ID) {
		return errorResponse(http.StatusBadRequest, "cyclical_folder_structure", "Folder move creates cyclical folder structure", nil)
	}
	parentID, name, resp := e.destination(c, &body, f.ParentID, f.OwnerID, f.Name, f.ID)
	if resp != nil {
		return resp
	}
	f.ParentID, f.Name = parentID, name
	if body.Description != nil {
		f.Desc = *body.Description
	}
	f.Seq++
	f.ModifiedAt = e.now()
	return jsonResponse(http.StatusOK, e.folderStandard(f, c.user))
}

// isWithin reports whether folder id is folder ancestor or lies below it.
func (e *Emulator) isWithin(id, ancestor string) bool {
	for id != "" && id != rootFolderID {
		if id == ancestor {
			return true
		}
		f := e.st.Folders[id]
		if f == nil {
			return false
		}
		id = f.ParentID
	}
	return false
}

// handleUpdateFile is PUT /2.0/files/{id}.
func (e *Emulator) handleUpdateFile(c *call) *response {
	var body itemUpdate
	if resp := decodeJSON(c.body, &body); resp != nil {
		return resp
	}
	f, role, resp := e.visibleFile(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	if !roleAllows(role, permDelete) {
		return forbidden()
	}
	if resp := ifMatch(c, f.Seq); resp != nil {
		return resp
	}
	if resp := body.check(); resp != nil {
		return resp
	}
	defer e.watchItem(c.user, "file", f.ID)()
	parentID, name, resp := e.destination(c, &body, f.ParentID, f.OwnerID, f.Name, f.ID)
	if resp != nil {
		return resp
	}
	f.ParentID, f.Name = parentID, name
	if body.Description != nil {
		f.Desc = *body.Description
	}
	f.Seq++
	f.ModifiedAt = e.now()
	return jsonResponse(http.StatusOK, e.fileStandard(f, c.user))
}

// handleUploadVersion is POST /api/2.0/files/{id}/content: a new version
// of the file's content, optionally renaming it, answered with the file in
// a list like an upload (spec `post_files_id_content`). It edits the file,
// which uploaders and previewer uploaders may not do.
func (e *Emulator) handleUploadVersion(c *call) *response {
	f, role, resp := e.visibleFile(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	if !roleAllows(role, permEdit) {
		return forbidden()
	}
	if resp := ifMatch(c, f.Seq); resp != nil {
		return resp
	}
	var attrs struct {
		Name *string `json:"name"`
	}
	content, resp := readUpload(c, &attrs)
	if resp != nil {
		return resp
	}
	if attrs.Name != nil && *attrs.Name != f.Name {
		if resp := validName(*attrs.Name); resp != nil {
			return resp
		}
		if other := e.nameTaken(f.ParentID, f.OwnerID, *attrs.Name); other != nil && other["id"] != f.ID {
			return conflict(other, false)
		}
		f.Name = *attrs.Name
	}
	e.putVersion(f, content, c.user.ID)
	return jsonResponse(http.StatusOK, map[string]any{
		"total_count": 1, "entries": []any{e.fileStandard(f, c.user)},
	})
}
