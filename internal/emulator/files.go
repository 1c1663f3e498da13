package emulator

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // G505: Box identifies file content by its SHA-1 (the file's sha1 field); not used for security
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const rootFolderID = "0"

// Every user has their own root folder "0" (FIDELITY.md, "Users and
// roots"): one folder object stands for all of them, and an item whose
// parent is "0" lies in its owner's root. Who sees what is in access.go.

type folder struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	ParentID   string     `json:"parent_id"`
	OwnerID    string     `json:"owner_id"`
	Seq        int        `json:"seq"` // Box's sequence_id and etag
	Desc       string     `json:"description,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	ModifiedAt time.Time  `json:"modified_at"`
	TrashedAt  *time.Time `json:"trashed_at,omitempty"`
}

type file struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	ParentID   string     `json:"parent_id"`
	OwnerID    string     `json:"owner_id"`
	Seq        int        `json:"seq"`
	Desc       string     `json:"description,omitempty"`
	Content    []byte     `json:"content"`
	SHA1       string     `json:"sha1"`
	VersionID  string     `json:"version_id"`
	CreatedAt  time.Time  `json:"created_at"`
	ModifiedAt time.Time  `json:"modified_at"`
	TrashedAt  *time.Time `json:"trashed_at,omitempty"`

	// Versions are the past versions, oldest first (file_versions.go).
	Versions []fileVersion `json:"versions,omitempty"`
}

func (f *file) live() bool   { return f != nil && f.TrashedAt == nil }
func (f *folder) live() bool { return f != nil && f.TrashedAt == nil }

// liveFile and liveFolder return an item only when it exists and is not in
// the trash.
func (e *Emulator) liveFile(id string) *file {
	if f := e.st.Files[id]; f.live() {
		return f
	}
	return nil
}

func (e *Emulator) liveFolder(id string) *folder {
	if f := e.st.Folders[id]; f.live() {
		return f
	}
	return nil
}

// itemGone is Box's answer for an item that is missing or trashed. Box
// answers 404 for both; a trashed item gets the code `trashed` (a guess
// from Box's behaviour for items in the trash; clients should key on 404).
func (e *Emulator) itemGone(trashed bool) *response {
	if trashed {
		return errorResponse(http.StatusNotFound, "trashed", "Item is trashed", nil)
	}
	return notFound()
}

// maxNameLength is Box's limit on a file or folder name, in characters.
const maxNameLength = 255

// validName applies Box's item-name rules (FIDELITY.md, "Item updates"):
// a name too long has its own code, item_name_too_long.
func validName(name string) *response {
	switch {
	case name == "":
		return badParam("name", "name is required")
	case utf8.RuneCountInString(name) > maxNameLength:
		return errorResponse(http.StatusBadRequest, "item_name_too_long", "Item name too long", nil)
	case name == ".", name == "..", strings.ContainsAny(name, `/\`), strings.TrimSpace(name) != name:
		return errorResponse(http.StatusBadRequest, "item_name_invalid", "Item name invalid", nil)
	}
	return nil
}

// inFolder reports whether an item with this parent and owner lies in the
// folder parentID as ownerID's tree sees it: a root holds only its own
// user's items.
func inFolder(itemParent, itemOwner, parentID, rootOwner string) bool {
	return itemParent == parentID && (parentID != rootFolderID || itemOwner == rootOwner)
}

// nameTaken finds a live item with the same name (case-insensitive, as Box
// compares names) in a folder; in a root, among the items of the root's
// user.
func (e *Emulator) nameTaken(parentID, rootOwner, name string) map[string]any {
	for _, f := range e.st.Folders {
		if f.live() && f.ID != rootFolderID && inFolder(f.ParentID, f.OwnerID, parentID, rootOwner) && strings.EqualFold(f.Name, name) {
			return e.folderMini(f)
		}
	}
	for _, f := range e.st.Files {
		if f.live() && inFolder(f.ParentID, f.OwnerID, parentID, rootOwner) && strings.EqualFold(f.Name, name) {
			return e.fileMini(f)
		}
	}
	return nil
}

func conflict(item map[string]any, asList bool) *response {
	var conflicts any = item
	if asList {
		conflicts = []any{item}
	}
	return errorResponse(http.StatusConflict, "item_name_in_use", "Item with the same name already exists",
		map[string]any{"conflicts": conflicts})
}

// ----- representations -----

func (e *Emulator) folderMini(f *folder) map[string]any {
	m := map[string]any{"type": "folder", "id": f.ID, "name": f.Name,
		"sequence_id": strconv.Itoa(f.Seq), "etag": strconv.Itoa(f.Seq)}
	if f.ID == rootFolderID {
		// Box's root folder has no etag or sequence_id.
		m["etag"] = nil
		delete(m, "sequence_id")
	}
	return m
}

func (e *Emulator) fileMini(f *file) map[string]any {
	return map[string]any{
		"type": "file", "id": f.ID, "name": f.Name, "sha1": f.SHA1,
		"sequence_id": strconv.Itoa(f.Seq), "etag": strconv.Itoa(f.Seq),
		"file_version": map[string]any{"type": "file_version", "id": f.VersionID, "sha1": f.SHA1},
	}
}

// pathCollection is the path from the viewer's root to parentID, leaving
// out folders the viewer cannot see, as Box does for collaborated items.
func (e *Emulator) pathCollection(parentID string, viewer user) map[string]any {
	var chain []any
	for id := parentID; id != ""; {
		f := e.st.Folders[id]
		if f == nil {
			break
		}
		if e.folderRole(viewer, f) != "" {
			chain = append([]any{e.folderMini(f)}, chain...)
		}
		if id == rootFolderID {
			break
		}
		id = f.ParentID
	}
	if chain == nil {
		chain = []any{}
	}
	return map[string]any{"total_count": len(chain), "entries": chain}
}

func (e *Emulator) ownerMini(id string) map[string]any {
	if u, ok := e.userByID(id); ok {
		return e.userMini(u)
	}
	return e.userMini(e.admin())
}

func itemStatus(trashed *time.Time) string {
	if trashed != nil {
		return "trashed"
	}
	return "active"
}

// fileStandard is a file's standard representation. shared_link is left
// out rather than null: the spec declares it nullable only inside an allOf,
// which strict OpenAPI 3.0 validators read as not nullable.
func (e *Emulator) fileStandard(f *file, viewer user) map[string]any {
	m := e.fileMini(f)
	var parent any
	if p := e.st.Folders[f.ParentID]; p != nil && e.folderRole(viewer, p) != "" {
		parent = e.folderMini(p)
	}
	owner := e.ownerMini(f.OwnerID)
	for k, v := range map[string]any{
		"description":         f.Desc,
		"size":                len(f.Content),
		"path_collection":     e.pathCollection(f.ParentID, viewer),
		"created_at":          f.CreatedAt,
		"modified_at":         f.ModifiedAt,
		"trashed_at":          f.TrashedAt,
		"purged_at":           nil,
		"content_created_at":  f.CreatedAt,
		"content_modified_at": f.ModifiedAt,
		"created_by":          owner,
		"modified_by":         owner,
		"owned_by":            owner,
		"parent":              parent,
		"item_status":         itemStatus(f.TrashedAt),
	} {
		m[k] = v
	}
	return m
}

func (e *Emulator) folderStandard(f *folder, viewer user) map[string]any {
	m := e.folderMini(f)
	var parent any
	created, modified := any(f.CreatedAt), any(f.ModifiedAt)
	path := map[string]any{"total_count": 0, "entries": []any{}}
	if f.ID == rootFolderID {
		// Box reports no dates for the root folder.
		created, modified = nil, nil
	} else {
		if p := e.st.Folders[f.ParentID]; e.folderRole(viewer, p) != "" {
			parent = e.folderMini(p)
		}
		path = e.pathCollection(f.ParentID, viewer)
	}
	owner := e.ownerMini(f.OwnerID)
	if f.ID == rootFolderID {
		owner = e.userMini(viewer)
	}
	entries := e.children(f.ID, viewer, "name", "ASC")
	shown := entries
	if len(shown) > 100 {
		shown = shown[:100]
	}
	for k, v := range map[string]any{
		"description":         f.Desc,
		"size":                e.folderSize(f.ID),
		"path_collection":     path,
		"created_at":          created,
		"modified_at":         modified,
		"trashed_at":          f.TrashedAt,
		"purged_at":           nil,
		"content_created_at":  created,
		"content_modified_at": modified,
		"created_by":          owner,
		"modified_by":         owner,
		"owned_by":            owner,
		"shared_link":         nil,
		"folder_upload_email": nil,
		"parent":              parent,
		"item_status":         itemStatus(f.TrashedAt),
		"item_collection": map[string]any{
			"total_count": len(entries), "entries": e.itemEntries(shown),
			"offset": 0, "limit": 100, "order": defaultOrder("name", "ASC"),
		},
	} {
		m[k] = v
	}
	return m
}

func defaultOrder(by, dir string) []map[string]string {
	return []map[string]string{{"by": "type", "direction": "ASC"}, {"by": by, "direction": dir}}
}

func (e *Emulator) folderSize(id string) int {
	n := 0
	for _, f := range e.st.Files {
		if f.live() && f.ParentID == id {
			n += len(f.Content)
		}
	}
	for _, sub := range e.st.Folders {
		if sub.live() && sub.ID != rootFolderID && sub.ParentID == id {
			n += e.folderSize(sub.ID)
		}
	}
	return n
}

// item is one live child of a folder.
type item struct {
	folder *folder
	file   *file
}

func (it item) name() string {
	if it.folder != nil {
		return it.folder.Name
	}
	return it.file.Name
}

func (it item) id() int64 {
	s := ""
	if it.folder != nil {
		s = it.folder.ID
	} else {
		s = it.file.ID
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// children lists a folder's live items as viewer sees them, the way Box
// orders them: folders before files, then by the requested attribute. A
// root holds the viewer's own items and the items collaborated with them.
func (e *Emulator) children(id string, viewer user, by, dir string) []item {
	var out []item
	for _, f := range e.st.Folders {
		if f.live() && f.ID != rootFolderID && e.listedIn(id, viewer, f.ParentID, f.OwnerID, f.ID) {
			out = append(out, item{folder: f})
		}
	}
	for _, f := range e.st.Files {
		if f.live() && e.listedIn(id, viewer, f.ParentID, f.OwnerID, f.ID) {
			out = append(out, item{file: f})
		}
	}
	less := func(a, b item) bool {
		switch by {
		case "id":
			return a.id() < b.id()
		case "date":
			return itemDate(a).Before(itemDate(b))
		case "size":
			return itemSize(a) < itemSize(b)
		}
		if x, y := strings.ToLower(a.name()), strings.ToLower(b.name()); x != y {
			return x < y
		}
		return a.id() < b.id()
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.folder != nil) != (b.folder != nil) {
			return a.folder != nil
		}
		if dir == "DESC" {
			return less(b, a)
		}
		return less(a, b)
	})
	return out
}

// listedIn reports whether an item shows in folder id for viewer.
func (e *Emulator) listedIn(id string, viewer user, parentID, ownerID, itemID string) bool {
	if id != rootFolderID {
		return parentID == id
	}
	if ownerID == viewer.ID {
		return parentID == rootFolderID
	}
	return e.collabRole(viewer, itemID) != ""
}

func itemDate(it item) time.Time {
	if it.folder != nil {
		return it.folder.ModifiedAt
	}
	return it.file.ModifiedAt
}

func itemSize(it item) int {
	if it.file != nil {
		return len(it.file.Content)
	}
	return 0
}

func (e *Emulator) itemEntries(items []item) []any {
	out := make([]any, 0, len(items))
	for _, it := range items {
		if it.folder != nil {
			out = append(out, e.folderMini(it.folder))
		} else {
			out = append(out, e.fileMini(it.file))
		}
	}
	return out
}

// ----- handlers -----

// handleCreateFolder is POST /2.0/folders.
func (e *Emulator) handleCreateFolder(c *call) *response {
	var body struct {
		Name   *string `json:"name"`
		Parent *struct {
			ID string `json:"id"`
		} `json:"parent"`
	}
	if resp := decodeJSON(c.body, &body); resp != nil {
		return resp
	}
	if body.Name == nil {
		return badParam("name", "name is required")
	}
	if body.Parent == nil || body.Parent.ID == "" {
		return badParam("parent", "parent.id is required")
	}
	if resp := validName(*body.Name); resp != nil {
		return resp
	}
	parent, role, resp := e.visibleFolder(c.user, body.Parent.ID)
	if resp != nil {
		return resp
	}
	if !roleAllows(role, permUpload) {
		return forbidden()
	}
	if other := e.nameTaken(parent.ID, c.user.ID, *body.Name); other != nil {
		return conflict(other, true)
	}
	now := e.now()
	f := &folder{ID: e.st.newID(), Name: *body.Name, ParentID: parent.ID, OwnerID: e.ownerOfNew(parent, c.user),
		CreatedAt: now, ModifiedAt: now}
	e.st.Folders[f.ID] = f
	e.itemEvent(c.user, "FOLDER.CREATED", "folder", f.ID)
	return jsonResponse(http.StatusCreated, e.folderStandard(f, c.user))
}

// handleGetFolder is GET /2.0/folders/{id}.
func (e *Emulator) handleGetFolder(c *call) *response {
	f, _, resp := e.visibleFolder(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, e.folderStandard(f, c.user))
}

// handleFolderItems is GET /2.0/folders/{id}/items with Box's two paging
// styles: offset (default) and marker (usemarker=true or a marker given).
func (e *Emulator) handleFolderItems(c *call) *response {
	f, _, resp := e.visibleFolder(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	q := c.r.URL.Query()
	limit, resp := pageLimit(q, 100)
	if resp != nil {
		return resp
	}
	by := q.Get("sort")
	switch by {
	case "", "name":
		by = "name"
	case "id", "date", "size":
	default:
		return badParam("sort", "sort must be one of id, name, date, size")
	}
	dir := strings.ToUpper(q.Get("direction"))
	switch dir {
	case "":
		dir = "ASC"
	case "ASC", "DESC":
	default:
		return badParam("direction", "direction must be ASC or DESC")
	}
	all := e.children(f.ID, c.user, by, dir)
	marker := q.Get("marker")
	if q.Get("usemarker") == "true" || marker != "" {
		start, resp := markerStart(marker, "items", 0)
		if resp != nil {
			return resp
		}
		page, next := pageOf(len(all), start, limit)
		var nextMarker any
		if next >= 0 {
			nextMarker = encodeMarker("items", next)
		}
		return jsonResponse(http.StatusOK, map[string]any{
			"entries": e.itemEntries(all[page[0]:page[1]]), "limit": limit,
			"next_marker": nextMarker, "prev_marker": nil, "order": defaultOrder(by, dir),
		})
	}
	offset, resp := pageOffset(q)
	if resp != nil {
		return resp
	}
	page, _ := pageOf(len(all), int64(offset), limit)
	return jsonResponse(http.StatusOK, map[string]any{
		"total_count": len(all), "entries": e.itemEntries(all[page[0]:page[1]]),
		"offset": offset, "limit": limit, "order": defaultOrder(by, dir),
	})
}

// pageOf returns the [from, to) bounds of a page and the next start (-1 when
// this is the last page).
func pageOf(total int, start int64, limit int) ([2]int, int64) {
	from := int(start)
	if from > total {
		from = total
	}
	to := from + limit
	if to >= total {
		return [2]int{from, total}, -1
	}
	return [2]int{from, to}, int64(to)
}

// handleDeleteFolder is DELETE /2.0/folders/{id}: the folder and everything
// in it move to the trash.
func (e *Emulator) handleDeleteFolder(c *call) *response {
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
	if c.r.URL.Query().Get("recursive") != "true" && len(e.children(f.ID, c.user, "id", "ASC")) > 0 {
		return errorResponse(http.StatusBadRequest, "folder_not_empty", "Cannot delete – folder not empty", nil)
	}
	e.trashFolder(f, e.now())
	e.itemEvent(c.user, "FOLDER.TRASHED", "folder", f.ID)
	return newResponse(http.StatusNoContent)
}

func (e *Emulator) trashFolder(f *folder, at time.Time) {
	for _, it := range e.children(f.ID, user{}, "id", "ASC") {
		if it.folder != nil {
			e.trashFolder(it.folder, at)
		} else {
			t := at
			it.file.TrashedAt = &t
		}
	}
	t := at
	f.TrashedAt = &t
}

// handleGetFile is GET /2.0/files/{id}.
func (e *Emulator) handleGetFile(c *call) *response {
	f, _, resp := e.visibleFile(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, e.fileStandard(f, c.user))
}

// handleDeleteFile is DELETE /2.0/files/{id}: the file moves to the trash.
func (e *Emulator) handleDeleteFile(c *call) *response {
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
	t := e.now()
	f.TrashedAt = &t
	e.itemEvent(c.user, "FILE.TRASHED", "file", f.ID)
	return newResponse(http.StatusNoContent)
}

// handleUpload is POST /api/2.0/files/content: multipart with an
// `attributes` JSON part followed by the `file` part, as Box requires.
func (e *Emulator) handleUpload(c *call) *response {
	var attrs struct {
		Name   string `json:"name"`
		Parent struct {
			ID string `json:"id"`
		} `json:"parent"`
	}
	content, resp := readUpload(c, &attrs)
	if resp != nil {
		return resp
	}
	if attrs.Parent.ID == "" {
		return badParam("parent", "parent.id is required")
	}
	if resp := validName(attrs.Name); resp != nil {
		return resp
	}
	parent, role, resp := e.visibleFolder(c.user, attrs.Parent.ID)
	if resp != nil {
		return resp
	}
	if !roleAllows(role, permUpload) {
		return forbidden()
	}
	if other := e.nameTaken(parent.ID, c.user.ID, attrs.Name); other != nil {
		return conflict(other, false)
	}
	f := e.newFile(parent.ID, attrs.Name, e.ownerOfNew(parent, c.user), content)
	e.itemEvent(c.user, "FILE.UPLOADED", "file", f.ID)
	return jsonResponse(http.StatusCreated, map[string]any{
		"total_count": 1, "entries": []any{e.fileStandard(f, c.user)},
	})
}

// readUpload reads Box's multipart upload body into attrs (the
// `attributes` JSON part) and returns the `file` part's content. Box reads
// the stream in order, so attributes after the file are refused with the
// spec's `metadata_after_file_contents`; a `Content-MD5` header (Box puts
// the content's SHA-1 there) must match the content, and the content may
// not exceed Box's 50 MB for a direct upload (FIDELITY.md, "Uploads and
// trash").
func readUpload(c *call, attrs any) ([]byte, *response) {
	mt, params, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, badParam("body", "The request must be multipart/form-data")
	}
	mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
	var content []byte
	gotAttrs, gotFile := false, false
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, badParam("body", "Malformed multipart body")
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, badParam("body", "Malformed multipart body")
		}
		switch p.FormName() {
		case "attributes":
			if gotFile {
				return nil, errorResponse(http.StatusBadRequest, "metadata_after_file_contents",
					"The attributes part must come before the file part", nil)
			}
			if err := json.Unmarshal(data, attrs); err != nil {
				return nil, badParam("attributes", "attributes must be a JSON object")
			}
			gotAttrs = true
		case "file":
			content, gotFile = data, true
		}
	}
	if !gotAttrs {
		return nil, badParam("attributes", "attributes is required")
	}
	if !gotFile {
		return nil, badParam("file", "file is required")
	}
	if len(content) > maxUpload {
		return nil, errorResponse(http.StatusRequestEntityTooLarge, "request_entity_too_large",
			"Direct uploads are limited to 50 MB; use an upload session", nil)
	}
	if want := c.r.Header.Get("Content-MD5"); want != "" && !strings.EqualFold(want, sha1Hex(content)) {
		return nil, errorResponse(http.StatusBadRequest, "bad_digest",
			"The specified content-md5 did not match what we received", nil)
	}
	return content, nil
}

func sha1Hex(b []byte) string {
	sum := sha1.Sum(b) //nolint:gosec // G401: the sha1 field Box reports for a file; not security
	return hex.EncodeToString(sum[:])
}

func (e *Emulator) newFile(parentID, name, ownerID string, content []byte) *file {
	now := e.now()
	f := &file{ID: e.st.newID(), Name: name, ParentID: parentID, OwnerID: ownerID,
		Content: content, SHA1: sha1Hex(content), VersionID: e.st.newID(),
		CreatedAt: now, ModifiedAt: now}
	e.st.Files[f.ID] = f
	return f
}

// uniqueName returns name, or name with " (n)" before its extension when a
// live item already uses it, the way Box names copies.
func (e *Emulator) uniqueName(parentID, rootOwner, name string) string {
	if e.nameTaken(parentID, rootOwner, name) == nil {
		return name
	}
	base, ext := name, ""
	if i := strings.LastIndex(name, "."); i > 0 {
		base, ext = name[:i], name[i:]
	}
	for n := 1; ; n++ {
		cand := base + " (" + strconv.Itoa(n) + ")" + ext
		if e.nameTaken(parentID, rootOwner, cand) == nil {
			return cand
		}
	}
}
