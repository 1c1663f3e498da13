package box

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// WebhookTriggers are the trigger names Box accepts for a v2 webhook: the
// spec's enum (`post_webhooks`) and, for three sign triggers, the spelling
// of Box's Sign webhook guide, which differs from the spec's and is not
// confirmed either way (SIGN_REQUEST.SIGNER_SIGNED for
// SIGN_REQUEST.SIGN_SIGNER_SIGNED, SIGNATURE_REQUESTED for
// SIGN_DOCUMENT_CREATED, ERROR_FINALIZING for SIGN_ERROR_FINALIZING).
var WebhookTriggers = []string{
	"FILE.UPLOADED", "FILE.PREVIEWED", "FILE.DOWNLOADED", "FILE.TRASHED", "FILE.DELETED", "FILE.RESTORED",
	"FILE.COPIED", "FILE.MOVED", "FILE.LOCKED", "FILE.UNLOCKED", "FILE.RENAMED",
	"COMMENT.CREATED", "COMMENT.UPDATED", "COMMENT.DELETED",
	"TASK_ASSIGNMENT.CREATED", "TASK_ASSIGNMENT.UPDATED",
	"METADATA_INSTANCE.CREATED", "METADATA_INSTANCE.UPDATED", "METADATA_INSTANCE.DELETED",
	"FOLDER.CREATED", "FOLDER.RENAMED", "FOLDER.DOWNLOADED", "FOLDER.RESTORED", "FOLDER.DELETED",
	"FOLDER.COPIED", "FOLDER.MOVED", "FOLDER.TRASHED",
	"WEBHOOK.DELETED",
	"COLLABORATION.CREATED", "COLLABORATION.ACCEPTED", "COLLABORATION.REJECTED", "COLLABORATION.REMOVED",
	"COLLABORATION.UPDATED",
	"SHARED_LINK.DELETED", "SHARED_LINK.CREATED", "SHARED_LINK.UPDATED",
	"SIGN_REQUEST.COMPLETED", "SIGN_REQUEST.DECLINED", "SIGN_REQUEST.EXPIRED",
	"SIGN_REQUEST.SIGNER_EMAIL_BOUNCED", "SIGN_REQUEST.SIGN_SIGNER_SIGNED",
	"SIGN_REQUEST.SIGN_DOCUMENT_CREATED", "SIGN_REQUEST.SIGN_ERROR_FINALIZING",
	"SIGN_REQUEST.SIGNER_SIGNED", "SIGN_REQUEST.SIGNATURE_REQUESTED", "SIGN_REQUEST.ERROR_FINALIZING",
}

// WebhookTarget is the file or folder a webhook watches.
type WebhookTarget struct {
	ID   string `json:"id"`
	Type string `json:"type"` // "file" or "folder"
}

// Webhook is Box's Webhook (standard variant); a list entry (mini) has
// only ID and Target.
type Webhook struct {
	ID        string         `json:"id"`
	Target    *WebhookTarget `json:"target"`
	Address   string         `json:"address"`
	Triggers  []string       `json:"triggers"`
	CreatedAt string         `json:"created_at"`
	CreatedBy *User          `json:"created_by"`
}

// WebhookPage is one page of GET /2.0/webhooks.
type WebhookPage struct {
	Limit      int64     `json:"limit"`
	NextMarker *string   `json:"next_marker"`
	Entries    []Webhook `json:"entries"`
}

// WebhookChange is a PUT /2.0/webhooks/{id}: nil fields stay as they are.
type WebhookChange struct {
	Target   *WebhookTarget `json:"target,omitempty"`
	Address  *string        `json:"address,omitempty"`
	Triggers []string       `json:"triggers,omitempty"`
}

// CreateWebhook makes a webhook (POST /2.0/webhooks). It is retried only
// when it certainly did not take effect: Box allows one webhook per target,
// so a repeat of one that did would be refused with 409.
func (c *Client) CreateWebhook(ctx context.Context, target WebhookTarget, address string, triggers []string) (*Webhook, error) {
	if target.ID == "" || target.Type == "" || address == "" || len(triggers) == 0 {
		return nil, errors.New("box: CreateWebhook: need a target, an address and triggers")
	}
	body, err := jsonBody(map[string]any{"target": target, "address": address, "triggers": triggers})
	if err != nil {
		return nil, err
	}
	r := c.api(http.MethodPost, "/webhooks")
	r.body, r.contentType, r.kind = body, "application/json", kindSafeOnly
	var w Webhook
	if _, err := c.do(ctx, r, http.StatusCreated, &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// GetWebhook returns a webhook (GET /2.0/webhooks/{id}).
func (c *Client) GetWebhook(ctx context.Context, id string) (*Webhook, error) {
	if id == "" {
		return nil, errors.New("box: GetWebhook: empty ID")
	}
	var w Webhook
	if _, err := c.do(ctx, c.api(http.MethodGet, "/webhooks/"+url.PathEscape(id)), http.StatusOK, &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// UpdateWebhook changes a webhook in place (PUT /2.0/webhooks/{id}).
func (c *Client) UpdateWebhook(ctx context.Context, id string, change WebhookChange) (*Webhook, error) {
	if id == "" {
		return nil, errors.New("box: UpdateWebhook: empty ID")
	}
	body, err := jsonBody(change)
	if err != nil {
		return nil, err
	}
	r := c.api(http.MethodPut, "/webhooks/"+url.PathEscape(id))
	r.body, r.contentType = body, "application/json"
	var w Webhook
	if _, err := c.do(ctx, r, http.StatusOK, &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// DeleteWebhook removes a webhook (DELETE /2.0/webhooks/{id}).
func (c *Client) DeleteWebhook(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("box: DeleteWebhook: empty ID")
	}
	_, err := c.do(ctx, c.api(http.MethodDelete, "/webhooks/"+url.PathEscape(id)), http.StatusNoContent, nil)
	return err
}

// ListWebhooks returns one page of GET /2.0/webhooks: the webhooks on
// items the user owns.
func (c *Client) ListWebhooks(ctx context.Context, marker string, limit int64) (*WebhookPage, error) {
	var p WebhookPage
	if _, err := c.do(ctx, c.markerListRequest("/webhooks", marker, limit), http.StatusOK, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// WebhookAddressProblem says what Box's rule for a notification URL
// ("Limitations": HTTPS, port 443) finds wrong with raw, or "" when it
// passes; portOnly is true when the port is all that is wrong, which the
// Box emulator tolerates on loopback. The message never repeats the address.
func WebhookAddressProblem(raw string) (problem string, portOnly bool) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || !u.IsAbs():
		return "must be an absolute URL, such as https://receiver.example/box", false
	case u.Scheme != "https":
		return "must use https: Box delivers webhooks over HTTPS only", false
	case u.User != nil:
		return "must not carry a user name or password", false
	case u.Port() != "" && u.Port() != "443":
		return "must use port 443: Box delivers webhooks to the standard HTTPS port only", true
	}
	return "", false
}
