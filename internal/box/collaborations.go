package box

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// CollaborationRoles are the roles POST /2.0/collaborations accepts
// (spec `post_collaborations`); "owner" is only reachable by an update
// that transfers ownership, which this client does not offer.
var CollaborationRoles = []string{"editor", "viewer", "previewer", "uploader", "previewer uploader", "viewer uploader", "co-owner"}

// Collaboration is the subset of Box's Collaboration the provider uses.
// A pending one (an invitation to a login without a Box account) has no
// user: Box leaves accessible_by's ID empty (or accessible_by null) and
// may leave item null, and says whom it invited in invite_email.
type Collaboration struct {
	ID           string     `json:"id"`
	Role         string     `json:"role"`
	Status       string     `json:"status"`
	Item         *FolderRef `json:"item"`
	AccessibleBy *User      `json:"accessible_by"`
	InviteEmail  string     `json:"invite_email"`
}

// Pending reports an invitation not yet accepted.
func (c *Collaboration) Pending() bool { return c.Status == "pending" }

// CollaborationTarget is who a new collaboration is for: a user by ID, or
// by login (an email address).
type CollaborationTarget struct {
	UserID string
	Login  string
}

// CreateCollaboration gives a user a role on a folder
// (POST /2.0/collaborations); a login without a Box account gets a pending
// invitation. notify is always sent, as Box's `notify` query parameter:
// whether Box emails the collaborator. It is retried only when it
// certainly did not take effect: a second one would be refused as
// user_already_collaborator.
func (c *Client) CreateCollaboration(ctx context.Context, folderID string, who CollaborationTarget, role string, notify bool) (*Collaboration, error) {
	if folderID == "" || (who.UserID == "") == (who.Login == "") {
		return nil, errors.New("box: CreateCollaboration: need a folder ID and exactly one of user ID or login")
	}
	acc := map[string]string{"type": "user"}
	if who.UserID != "" {
		acc["id"] = who.UserID
	} else {
		acc["login"] = who.Login
	}
	body, err := jsonBody(map[string]any{"item": map[string]string{"type": "folder", "id": folderID},
		"accessible_by": acc, "role": role})
	if err != nil {
		return nil, err
	}
	r := c.api(http.MethodPost, "/collaborations")
	r.query = url.Values{"notify": {strconv.FormatBool(notify)}}
	r.body, r.contentType, r.kind = body, "application/json", kindSafeOnly
	var col Collaboration
	if _, err := c.do(ctx, r, http.StatusCreated, &col); err != nil {
		return nil, err
	}
	return &col, nil
}

// HasFolderCollaboration reports whether collaboration id is one of the
// folder's own collaborations, pending invitations included
// (GET /2.0/folders/{id}/collaborations, every page). It is how a pending
// invitation, for which Box names no item, is tied to its folder.
func (c *Client) HasFolderCollaboration(ctx context.Context, folderID, id string) (bool, error) {
	if folderID == "" || id == "" {
		return false, errors.New("box: HasFolderCollaboration: empty folder or collaboration ID")
	}
	marker := ""
	for {
		r := c.api(http.MethodGet, "/folders/"+url.PathEscape(folderID)+"/collaborations")
		r.query = url.Values{"limit": {strconv.FormatInt(maxListLimit, 10)}}
		if marker != "" {
			r.query.Set("marker", marker)
		}
		var p struct {
			NextMarker *string `json:"next_marker"`
			Entries    []struct {
				ID string `json:"id"`
			} `json:"entries"`
		}
		if _, err := c.do(ctx, r, http.StatusOK, &p); err != nil {
			return false, err
		}
		for _, e := range p.Entries {
			if e.ID == id {
				return true, nil
			}
		}
		if p.NextMarker == nil || *p.NextMarker == "" {
			return false, nil
		}
		marker = *p.NextMarker
	}
}

// GetCollaboration returns a collaboration (GET /2.0/collaborations/{id}).
func (c *Client) GetCollaboration(ctx context.Context, id string) (*Collaboration, error) {
	if id == "" {
		return nil, errors.New("box: GetCollaboration: empty ID")
	}
	var col Collaboration
	if _, err := c.do(ctx, c.api(http.MethodGet, "/collaborations/"+url.PathEscape(id)), http.StatusOK, &col); err != nil {
		return nil, err
	}
	return &col, nil
}

// UpdateCollaborationRole changes a collaboration's role in place
// (PUT /2.0/collaborations/{id}).
func (c *Client) UpdateCollaborationRole(ctx context.Context, id, role string) (*Collaboration, error) {
	if id == "" || role == "" {
		return nil, errors.New("box: UpdateCollaborationRole: empty ID or role")
	}
	body, err := jsonBody(map[string]string{"role": role})
	if err != nil {
		return nil, err
	}
	r := c.api(http.MethodPut, "/collaborations/"+url.PathEscape(id))
	r.body, r.contentType = body, "application/json"
	var col Collaboration
	if _, err := c.do(ctx, r, http.StatusOK, &col); err != nil {
		return nil, err
	}
	return &col, nil
}

// DeleteCollaboration removes a collaboration (DELETE /2.0/collaborations/{id}).
func (c *Client) DeleteCollaboration(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("box: DeleteCollaboration: empty ID")
	}
	_, err := c.do(ctx, c.api(http.MethodDelete, "/collaborations/"+url.PathEscape(id)), http.StatusNoContent, nil)
	return err
}
