package emulator

// Access follows Box's collaborator permission levels (FIDELITY.md,
// "Access"): an item is visible to its owner and to users collaborated on
// it or on a folder above it; everyone else gets the same 404 as for a
// missing item. What a visible item allows depends on the role.

// Roles a collaboration can grant, plus the owner's.
const (
	roleOwner             = "owner"
	roleCoOwner           = "co-owner"
	roleEditor            = "editor"
	roleViewerUploader    = "viewer uploader"
	rolePreviewerUploader = "previewer uploader"
	roleViewer            = "viewer"
	rolePreviewer         = "previewer"
	roleUploader          = "uploader"
)

// permission is one thing a role may do to an item.
type permission int

const (
	permSee      permission = iota // get it and list it
	permDownload                   // read content: a sign request's source file
	permUpload                     // add items: upload, folder create, a sign request's parent_folder
	permEdit                       // change a file's content: a new version ("Edit File")
	permDelete                     // trash it
	permInvite                     // manage its collaborations
)

// roleTable is Box's collaborator permission table ("Understanding
// Collaborator Permission Levels"). Rank orders roles for inherited
// access: the strongest collaboration on the item or above it wins.
var roleTable = map[string]struct {
	rank  int
	perms []permission
}{
	roleOwner:             {8, []permission{permSee, permDownload, permUpload, permEdit, permDelete, permInvite}},
	roleCoOwner:           {7, []permission{permSee, permDownload, permUpload, permEdit, permDelete, permInvite}},
	roleEditor:            {6, []permission{permSee, permDownload, permUpload, permEdit, permDelete, permInvite}},
	roleViewerUploader:    {5, []permission{permSee, permDownload, permUpload, permEdit}},
	rolePreviewerUploader: {4, []permission{permSee, permUpload}},
	roleViewer:            {3, []permission{permSee, permDownload}},
	rolePreviewer:         {2, []permission{permSee}},
	roleUploader:          {1, []permission{permSee, permUpload}},
}

// collaborationRoles are the roles POST /collaborations accepts (the
// spec's enum; owner is reached only by PUT).
var collaborationRoles = []string{roleEditor, roleViewer, rolePreviewer, roleUploader,
	rolePreviewerUploader, roleViewerUploader, roleCoOwner}

func roleAllows(role string, p permission) bool {
	for _, x := range roleTable[role].perms {
		if x == p {
			return true
		}
	}
	return false
}

// folderRole is the user's role on a folder: owner of their own root and of
// what they own, else the strongest accepted collaboration on the folder
// or one above it; "" when the folder is invisible to them.
func (e *Emulator) folderRole(u user, f *folder) string {
	if f == nil {
		return ""
	}
	if f.ID == rootFolderID || f.OwnerID == u.ID {
		return roleOwner
	}
	best := ""
	for id := f.ID; id != "" && id != rootFolderID; {
		if r := e.collabRole(u, id); roleTable[r].rank > roleTable[best].rank {
			best = r
		}
		p := e.st.Folders[id]
		if p == nil {
			break
		}
		id = p.ParentID
	}
	return best
}

// fileRole is the user's role on a file: a file collaboration, or the role
// on its folder.
func (e *Emulator) fileRole(u user, f *file) string {
	if f == nil {
		return ""
	}
	if f.OwnerID == u.ID {
		return roleOwner
	}
	best := e.collabRole(u, f.ID)
	if f.ParentID != rootFolderID {
		if r := e.folderRole(u, e.st.Folders[f.ParentID]); roleTable[r].rank > roleTable[best].rank {
			best = r
		}
	}
	return best
}

// collabRole is the role of an accepted collaboration of u directly on the
// item, or "".
func (e *Emulator) collabRole(u user, itemID string) string {
	for _, c := range e.st.Collaborations {
		if c.ItemID == itemID && c.UserID == u.ID && c.Status == collabAccepted {
			return c.Role
		}
	}
	return ""
}

// ownerOfNew is who owns an item created in parent: content in a folder
// belongs to the folder's owner on Box, whoever uploads it; in a root it
// belongs to the uploader.
func (e *Emulator) ownerOfNew(parent *folder, u user) string {
	if parent == nil || parent.ID == rootFolderID {
		return u.ID
	}
	return parent.OwnerID
}

// visibleFolder returns a live folder the user can see, or the response
// Box gives: 404 for missing and invisible alike, the trashed 404 only to
// those who could see it.
func (e *Emulator) visibleFolder(u user, id string) (*folder, string, *response) {
	f := e.st.Folders[id]
	role := e.folderRole(u, f)
	if role == "" {
		return nil, "", notFound()
	}
	if !f.live() {
		return nil, "", e.itemGone(true)
	}
	return f, role, nil
}

// visibleFile is visibleFolder for files.
func (e *Emulator) visibleFile(u user, id string) (*file, string, *response) {
	f := e.st.Files[id]
	role := e.fileRole(u, f)
	if role == "" {
		return nil, "", notFound()
	}
	if !f.live() {
		return nil, "", e.itemGone(true)
	}
	return f, role, nil
}
