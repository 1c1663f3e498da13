package box

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// ItemUpdate is the body of PUT /2.0/folders/{id} and PUT /2.0/files/{id}:
// nil fields are left as they are.
type ItemUpdate struct {
	Name        *string
	ParentID    *string
	Description *string // folders only in this client
}

func (u ItemUpdate) body() map[string]any {
	m := map[string]any{}
	if u.Name != nil {
		m["name"] = *u.Name
	}
	if u.ParentID != nil {
		m["parent"] = map[string]string{"id": *u.ParentID}
	}
	if u.Description != nil {
		m["description"] = *u.Description
	}
	return m
}

// putItem sends an update; a rename or move that takes effect twice is
// the same as once, so it is retried like a read.
func (c *Client) putItem(ctx context.Context, path string, u ItemUpdate, out any) error {
	body, err := jsonBody(u.body())
	if err != nil {
		return err
	}
	r := c.api(http.MethodPut, path)
	r.body, r.contentType = body, "application/json"
	_, err = c.do(ctx, r, http.StatusOK, out)
	return err
}

// UpdateFolder renames, moves or describes a folder in place
// (PUT /2.0/folders/{id}); its ID stays.
func (c *Client) UpdateFolder(ctx context.Context, id string, u ItemUpdate) (*Folder, error) {
	if id == "" {
		return nil, errors.New("box: UpdateFolder: empty ID")
	}
	var f Folder
	if err := c.putItem(ctx, "/folders/"+url.PathEscape(id), u, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// UpdateFile renames or moves a file in place (PUT /2.0/files/{id}).
func (c *Client) UpdateFile(ctx context.Context, id string, u ItemUpdate) (*File, error) {
	if id == "" {
		return nil, errors.New("box: UpdateFile: empty ID")
	}
	var f File
	if err := c.putItem(ctx, "/files/"+url.PathEscape(id), u, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// DeleteFolder moves a folder to the trash (DELETE /2.0/folders/{id}).
// Without recursive, Box refuses a folder that still holds items (400
// folder_not_empty).
func (c *Client) DeleteFolder(ctx context.Context, id string, recursive bool) error {
	if id == "" {
		return errors.New("box: DeleteFolder: empty ID")
	}
	r := c.api(http.MethodDelete, "/folders/"+url.PathEscape(id))
	if recursive {
		r.query = url.Values{"recursive": {"true"}}
	}
	_, err := c.do(ctx, r, http.StatusNoContent, nil)
	return err
}

// DeleteFile moves a file to the trash (DELETE /2.0/files/{id}).
func (c *Client) DeleteFile(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("box: DeleteFile: empty ID")
	}
	_, err := c.do(ctx, c.api(http.MethodDelete, "/files/"+url.PathEscape(id)), http.StatusNoContent, nil)
	return err
}

// UploadFileVersion uploads new content for a file (POST
// {UploadBaseURL}/api/2.0/files/{id}/content), with If-Match on etag so a
// version made by someone else since it was read is not overwritten (412),
// and Content-MD5 (Box wants the SHA-1 there). A retry after an attempt
// that took effect meets a new etag and gets 412; when the file then holds
// exactly this content, that version is returned.
func (c *Client) UploadFileVersion(ctx context.Context, id, etag, name string, content []byte) (*File, error) {
	if id == "" || name == "" {
		return nil, errors.New("box: UploadFileVersion: empty ID or name")
	}
	body, contentType, err := uploadBody(map[string]any{"name": name}, name, content)
	if err != nil {
		return nil, err
	}
	digest := SHA1Hex(content)
	h := http.Header{"Content-Md5": {digest}}
	if etag != "" {
		h.Set("If-Match", etag)
	}
	path := "/api/2.0/files/" + url.PathEscape(id) + "/content"
	r := &apiRequest{method: http.MethodPost, url: c.uploadBase + path, path: path,
		body: body, contentType: contentType, maxRetries: -1, header: h}
	var files struct {
		Entries []File `json:"entries"`
	}
	resp, err := c.do(ctx, r, http.StatusOK, &files)
	if err == nil {
		if len(files.Entries) == 0 {
			return nil, errors.New("box: the version upload response has no file entry")
		}
		return &files.Entries[0], nil
	}
	if resp != nil && resp.attempts > 1 && resp.status == http.StatusPreconditionFailed {
		if f, gerr := c.GetFile(ctx, id); gerr == nil && strings.EqualFold(f.SHA1, digest) {
			c.log(ctx, "version upload met the version an earlier attempt uploaded: using it", map[string]any{"file_id": id})
			return f, nil
		}
	}
	return nil, err
}
