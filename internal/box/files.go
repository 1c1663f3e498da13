package box

import (
	"bytes"
	"context"
	"crypto/sha1" //nolint:gosec // G505: Box identifies file content by its SHA-1 (the file's sha1 field); not used for security
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// CurrentUser returns the user the token acts as (GET /2.0/users/me).
func (c *Client) CurrentUser(ctx context.Context) (*User, error) {
	var u User
	if _, err := c.do(ctx, c.api(http.MethodGet, "/users/me"), http.StatusOK, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// AuthenticatedUser is the user the client acts as, asked of Box once per
// Client (GET /2.0/users/me) and remembered: diagnostics that name the user
// on an error path cost one call per provider process, not one each. A
// failed call is not remembered.
func (c *Client) AuthenticatedUser(ctx context.Context) (*User, error) {
	c.meMu.Lock()
	defer c.meMu.Unlock()
	if c.me != nil {
		return c.me, nil
	}
	u, err := c.CurrentUser(ctx)
	if err != nil {
		return nil, err
	}
	c.me = u
	return u, nil
}

// GetFolder returns a folder (GET /2.0/folders/{id}).
func (c *Client) GetFolder(ctx context.Context, id string) (*Folder, error) {
	if id == "" {
		return nil, errors.New("box: GetFolder: empty ID")
	}
	var f Folder
	if _, err := c.do(ctx, c.api(http.MethodGet, "/folders/"+url.PathEscape(id)), http.StatusOK, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// CreateFolder creates a folder (POST /2.0/folders). Box refuses a second
// folder of the same name in a parent (409), so the call is retried like a
// read; when a retry meets a folder of that name, it is returned only if
// an earlier attempt may have made it (see madeByEarlierAttempt);
// otherwise the 409 is the error, naming the folder.
func (c *Client) CreateFolder(ctx context.Context, parentID, name string) (*Folder, error) {
	if parentID == "" || name == "" {
		return nil, errors.New("box: CreateFolder: empty parent ID or name")
	}
	body, err := jsonBody(map[string]any{"name": name, "parent": map[string]string{"id": parentID}})
	if err != nil {
		return nil, err
	}
	r := c.api(http.MethodPost, "/folders")
	r.body, r.contentType = body, "application/json"
	var f Folder
	resp, err := c.do(ctx, r, http.StatusCreated, &f)
	if err == nil {
		return &f, nil
	}
	if resp != nil && resp.status == http.StatusConflict && !resp.mayHaveActedAt.IsZero() {
		for _, cf := range conflicts(resp.body) {
			if cf.Type != "folder" || cf.ID == "" || cf.Name != name {
				continue
			}
			got, gerr := c.GetFolder(ctx, cf.ID)
			if gerr == nil && c.madeByEarlierAttempt(ctx, got.CreatedBy, got.CreatedAt, resp.mayHaveActedAt) {
				c.log(ctx, "folder create conflicted with the folder an earlier attempt created: using it", map[string]any{"folder_id": cf.ID})
				return got, nil
			}
		}
	}
	return nil, err
}

// ListFolderItems returns one page of a folder's items (marker pagination).
func (c *Client) ListFolderItems(ctx context.Context, folderID, marker string, limit int64) (*ItemPage, error) {
	if folderID == "" {
		return nil, errors.New("box: ListFolderItems: empty folder ID")
	}
	r := c.api(http.MethodGet, "/folders/"+url.PathEscape(folderID)+"/items")
	q := url.Values{"usemarker": {"true"}}
	if marker != "" {
		q.Set("marker", marker)
	}
	if limit > 0 {
		q.Set("limit", strconv.FormatInt(min(limit, maxListLimit), 10))
	}
	r.query = q
	var p ItemPage
	if _, err := c.do(ctx, r, http.StatusOK, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// GetFile returns a file's information (GET /2.0/files/{id}).
func (c *Client) GetFile(ctx context.Context, id string) (*File, error) {
	if id == "" {
		return nil, errors.New("box: GetFile: empty ID")
	}
	var f File
	if _, err := c.do(ctx, c.api(http.MethodGet, "/files/"+url.PathEscape(id)), http.StatusOK, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// UploadFile uploads a new file (POST {UploadBaseURL}/api/2.0/files/content,
// multipart attributes + file). Box refuses a second file of the same name
// in a folder (409), so the upload is retried like a read; when a retry
// meets the file an earlier attempt uploaded (same name and SHA-1), that
// file is returned.
func (c *Client) UploadFile(ctx context.Context, parentID, name string, content []byte) (*File, error) {
	if parentID == "" || name == "" {
		return nil, errors.New("box: UploadFile: empty parent ID or name")
	}
	body, contentType, err := uploadBody(map[string]any{"name": name, "parent": map[string]string{"id": parentID}}, name, content)
	if err != nil {
		return nil, err
	}
	digest := SHA1Hex(content)

	r := &apiRequest{
		method:      http.MethodPost,
		url:         c.uploadBase + "/api/2.0/files/content",
		path:        "/api/2.0/files/content",
		body:        body,
		contentType: contentType,
		maxRetries:  -1,
		header:      http.Header{"Content-Md5": {digest}},
	}
	var files struct {
		TotalCount int64  `json:"total_count"`
		Entries    []File `json:"entries"`
	}
	resp, err := c.do(ctx, r, http.StatusCreated, &files)
	if err == nil {
		if len(files.Entries) == 0 {
			return nil, errors.New("box: the upload response has no file entry")
		}
		return &files.Entries[0], nil
	}
	if resp != nil && resp.status == http.StatusConflict && !resp.mayHaveActedAt.IsZero() {
		for _, cf := range conflicts(resp.body) {
			if cf.Type != "file" || cf.ID == "" || cf.Name != name || !strings.EqualFold(cf.SHA1, digest) {
				continue
			}
			got, gerr := c.GetFile(ctx, cf.ID)
			if gerr == nil && c.madeByEarlierAttempt(ctx, got.CreatedBy, got.CreatedAt, resp.mayHaveActedAt) {
				c.log(ctx, "upload conflicted with the file an earlier attempt uploaded: using it", map[string]any{"file_id": cf.ID})
				return got, nil
			}
		}
	}
	return nil, err
}

// createdAtSlack allows for Box's created_at, in whole seconds, and for
// the Date header that sets boxNow, also in whole seconds.
const createdAtSlack = 2 * time.Second

// madeByEarlierAttempt reports whether an item that a retried create met
// in a 409 is the one an earlier attempt made: an attempt that may have
// taken effect began at since (Box's clock; a 429 or a refused dial never
// counts), and the item was created by the authenticated user at or after
// it. Anything else is someone else's item, which a later destroy would
// trash: the caller fails and names it instead.
func (c *Client) madeByEarlierAttempt(ctx context.Context, by *User, at *time.Time, since time.Time) bool {
	if by == nil || at == nil || at.Before(since.Add(-createdAtSlack)) {
		return false
	}
	me, err := c.AuthenticatedUser(ctx)
	return err == nil && me.ID == by.ID
}

// MaxSingleUpload is Box's limit for one upload request (50 MB); larger
// files need Box's chunked upload sessions, which this client does not
// implement.
const MaxSingleUpload = 50 * 1024 * 1024

// SHA1Hex is the hex SHA-1 Box reports as a file's sha1 and expects in
// Content-MD5.
func SHA1Hex(content []byte) string {
	sum := sha1.Sum(content) //nolint:gosec // G401: Box's content checksum, not security
	return hex.EncodeToString(sum[:])
}

// uploadBody is Box's multipart upload body: the attributes JSON part
// first, then the file part (Box reads the stream in order and refuses
// attributes after the file with metadata_after_file_contents).
func uploadBody(attrs map[string]any, name string, content []byte) ([]byte, string, error) {
	a, err := jsonBody(attrs)
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("attributes", string(a)); err != nil {
		return nil, "", err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, escapeQuotes(name)))
	h.Set("Content-Type", "application/octet-stream")
	pw, err := mw.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	if _, err := pw.Write(content); err != nil {
		return nil, "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

type conflictItem struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Name string `json:"name"`
	SHA1 string `json:"sha1"`
}

// conflicts reads context_info.conflicts of a 409: an object (uploads) or
// an array (folders).
func conflicts(body []byte) []conflictItem {
	var env struct {
		ContextInfo struct {
			Conflicts json.RawMessage `json:"conflicts"`
		} `json:"context_info"`
	}
	if json.Unmarshal(body, &env) != nil || len(env.ContextInfo.Conflicts) == 0 {
		return nil
	}
	var list []conflictItem
	if json.Unmarshal(env.ContextInfo.Conflicts, &list) == nil {
		return list
	}
	var one conflictItem
	if json.Unmarshal(env.ContextInfo.Conflicts, &one) == nil {
		return []conflictItem{one}
	}
	return nil
}
