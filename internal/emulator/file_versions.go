package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// File versions, downloads and copies: what the evidence of a sign request
// (its signed copies and signing log) needs of Box's files API
// (FIDELITY.md, "File versions, downloads and copies").

// fileVersion is a past version of a file: Box keeps each one when new
// content arrives, whether uploaded or added by a signature.
type fileVersion struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Content    []byte    `json:"content"`
	SHA1       string    `json:"sha1"`
	ModifierID string    `json:"modifier_id"`
	CreatedAt  time.Time `json:"created_at"`
}

// putVersion gives f new content as a new version, keeping the one it
// replaces in its history. by is the user the new version is credited to.
func (e *Emulator) putVersion(f *file, content []byte, by string) {
	f.Versions = append(f.Versions, fileVersion{ID: f.VersionID, Name: f.Name, Content: f.Content,
		SHA1: f.SHA1, ModifierID: by, CreatedAt: f.ModifiedAt})
	f.Content, f.SHA1, f.VersionID = content, sha1Hex(content), e.st.newID()
	f.Seq++
	f.ModifiedAt = e.now()
}

// handleFileVersions is GET /2.0/files/{id}/versions: the file's past
// versions, newest first; the current one is not listed (Box's reference:
// "To fetch the ID of the current version of a file, use GET /file/:id").
func (e *Emulator) handleFileVersions(c *call) *response {
	f, _, resp := e.visibleFile(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	q := c.r.URL.Query()
	limit, resp := pageLimit(q, 1000)
	if resp != nil {
		return resp
	}
	offset, resp := pageOffset(q)
	if resp != nil {
		return resp
	}
	past := make([]any, 0, len(f.Versions))
	for i := len(f.Versions) - 1; i >= 0; i-- {
		v := f.Versions[i]
		past = append(past, map[string]any{
			"type": "file_version", "id": v.ID, "sha1": v.SHA1, "name": v.Name, "size": len(v.Content),
			"created_at": v.CreatedAt, "modified_at": v.CreatedAt, "modified_by": e.ownerMini(v.ModifierID),
			"trashed_at": nil, "restored_at": nil, "purged_at": nil,
			"version_number": strconv.Itoa(i + 1),
		})
	}
	page, _ := pageOf(len(past), int64(offset), limit)
	return jsonResponse(http.StatusOK, map[string]any{
		"total_count": len(past), "entries": past[page[0]:page[1]], "limit": limit, "offset": offset,
		"order": []map[string]string{{"by": "created_at", "direction": "DESC"}},
	})
}

// versionContent is the content of the file's version id ("" for the
// current one), or false when the file has no such version.
func versionContent(f *file, id string) ([]byte, bool) {
	if id == "" || id == f.VersionID {
		return f.Content, true
	}
	for _, v := range f.Versions {
		if v.ID == id {
			return v.Content, true
		}
	}
	return nil, false
}

// handleDownload is GET /2.0/files/{id}/content: Box answers 302 with a
// short-lived link on dl.boxcloud.com (doc "Download file"); here the link
// is /d/1/{token}/download on the emulator itself, served without a token
// like Box's. The version query parameter picks a past version.
func (e *Emulator) handleDownload(c *call) *response {
	f, role, resp := e.visibleFile(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	if !roleAllows(role, permDownload) {
		return forbidden()
	}
	version := c.r.URL.Query().Get("version")
	content, ok := versionContent(f, version)
	if !ok {
		return badParam("version", "The file has no version "+version)
	}
	token := randomString(32, alnum)
	e.downloads[token] = content
	resp = newResponse(http.StatusFound)
	resp.header.Set("Location", downloadLinkPrefix+token+"/download")
	return resp
}

// downloadLinkPrefix starts the links handleDownload makes.
const downloadLinkPrefix = "/d/1/"

// serveDownloadLink serves a link handleDownload made: the bytes, once.
// Like Box's dl.boxcloud.com links it needs no token and is not part of
// the API (not counted, never faulted).
func (e *Emulator) serveDownloadLink(r *http.Request) *response {
	token := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, downloadLinkPrefix), "/download")
	e.mu.Lock()
	defer e.mu.Unlock()
	content, ok := e.downloads[token]
	if r.Method != http.MethodGet || !ok {
		return notFound()
	}
	delete(e.downloads, token)
	resp := newResponse(http.StatusOK)
	resp.header.Set("Content-Type", "application/octet-stream")
	resp.body = content
	return resp
}

// handleCopyFile is POST /2.0/files/{id}/copy (spec `post_files_id_copy`):
// a new file in parent.id with the source's content (or one of its
// versions) and name, or the given name. A name the destination already
// holds is 409 item_name_in_use with the holder in context_info.conflicts,
// as on upload. The copy belongs to the destination's owner and starts
// with one version.
func (e *Emulator) handleCopyFile(c *call) *response {
	var body struct {
		Name    *string `json:"name"`
		Version *string `json:"version"`
		Parent  *struct {
			ID string `json:"id"`
		} `json:"parent"`
	}
	if resp := decodeJSON(c.body, &body); resp != nil {
		return resp
	}
	if body.Parent == nil || body.Parent.ID == "" {
		return badParam("parent", "parent.id is required")
	}
	src, role, resp := e.visibleFile(c.user, c.params["id"])
	if resp != nil {
		return resp
	}
	if !roleAllows(role, permDownload) {
		return forbidden()
	}
	dest, destRole, resp := e.visibleFolder(c.user, body.Parent.ID)
	if resp != nil {
		return resp
	}
	if !roleAllows(destRole, permUpload) {
		return forbidden()
	}
	name := src.Name
	if body.Name != nil {
		// The spec: disallowed characters are removed, not refused.
		name = strings.Map(func(r rune) rune {
			if r == '/' || r == '\\' || r < 0x20 || r == 0x7f {
				return -1
			}
			return r
		}, *body.Name)
		if name == "" || name == "." || name == ".." {
			return badParam("name", "The name is empty once sanitized")
		}
	}
	content := src.Content
	if body.Version != nil {
		var ok bool
		if content, ok = versionContent(src, *body.Version); !ok {
			return badParam("version", "The file has no version "+*body.Version)
		}
	}
	if other := e.nameTaken(dest.ID, c.user.ID, name); other != nil {
		return conflict(other, true)
	}
	cp := e.newFile(dest.ID, name, e.ownerOfNew(dest, c.user), content)
	// The copy is the event's source (FIDELITY.md: a guess), so a webhook
	// on the destination folder hears it.
	e.itemEvent(c.user, "FILE.COPIED", "file", cp.ID)
	return jsonResponse(http.StatusCreated, e.fileStandard(cp, c.user))
}
