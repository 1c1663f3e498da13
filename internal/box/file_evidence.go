package box

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Copies, versions and downloads: what archiving a sign request's signed
// copies and signing log needs of Box's files API.

// CopyFile copies a file into a folder (POST /2.0/files/{id}/copy), under
// its own name. A copy is a new file each time, so it is retried only when
// it certainly did not take effect; a name the folder already holds is
// Box's 409 item_name_in_use, whose item Error.ConflictingItem names.
func (c *Client) CopyFile(ctx context.Context, id, folderID string) (*File, error) {
	if id == "" || folderID == "" {
		return nil, errors.New("box: CopyFile: empty file or folder ID")
	}
	body, err := jsonBody(map[string]any{"parent": map[string]string{"id": folderID}})
	if err != nil {
		return nil, err
	}
	r := c.api(http.MethodPost, "/files/"+url.PathEscape(id)+"/copy")
	r.body, r.contentType, r.kind = body, "application/json", kindSafeOnly
	var f File
	if _, err := c.do(ctx, r, http.StatusCreated, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// FileVersionPage is one page of GET /2.0/files/{id}/versions.
type FileVersionPage struct {
	TotalCount int64         `json:"total_count"`
	Entries    []FileVersion `json:"entries"`
}

// ListFileVersions returns the first page (up to 1000) of a file's past
// versions; Box leaves the current one out.
func (c *Client) ListFileVersions(ctx context.Context, id string) (*FileVersionPage, error) {
	if id == "" {
		return nil, errors.New("box: ListFileVersions: empty ID")
	}
	r := c.api(http.MethodGet, "/files/"+url.PathEscape(id)+"/versions")
	r.query = url.Values{"limit": {strconv.Itoa(maxListLimit)}}
	var p FileVersionPage
	if _, err := c.do(ctx, r, http.StatusOK, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// DownloadFile returns a file's content (GET /2.0/files/{id}/content), of
// version versionID when it is not "". Box answers with a redirect to a
// short-lived link on another host; the link is fetched without the access
// token (the client never follows a redirect with it), and kept out of the
// logs, since it grants the download by itself.
func (c *Client) DownloadFile(ctx context.Context, id, versionID string) ([]byte, error) {
	if id == "" {
		return nil, errors.New("box: DownloadFile: empty ID")
	}
	r := c.api(http.MethodGet, "/files/"+url.PathEscape(id)+"/content")
	if versionID != "" {
		r.query = url.Values{"version": {versionID}}
	}
	resp, err := c.send(ctx, r)
	if err != nil {
		return nil, err
	}
	switch resp.status {
	case http.StatusOK:
		return resp.body, nil
	case http.StatusFound:
	default:
		return nil, c.apiError(r, resp)
	}
	base, err := url.Parse(r.url)
	if err != nil {
		return nil, err
	}
	loc, err := base.Parse(resp.header.Get("Location"))
	if err != nil || loc.Host == "" {
		return nil, fmt.Errorf("box: the download of file %s redirected to an unusable location", id)
	}
	link := &apiRequest{method: http.MethodGet, url: loc.String(), path: "(download link of file " + id + ")",
		noAuth: true, maxRetries: -1, secrets: []string{loc.String(), loc.RawQuery}}
	got, err := c.send(ctx, link)
	if err != nil {
		return nil, err
	}
	if got.status != http.StatusOK {
		return nil, fmt.Errorf("box: the download link of file %s answered %d", id, got.status)
	}
	return got.body, nil
}
