package emulator

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
)

// Webhooks (v2): /2.0/webhooks as Box's spec and guides describe them
// (FIDELITY.md, "Webhooks"). Events and deliveries are in
// webhook_events.go and webhook_delivery.go.

// webhookTriggers is the spec's trigger enum (`post_webhooks`).
var webhookTriggers = []string{
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
}

// signTriggerSpellings maps the Box Sign guide's spelling of a trigger to
// the spec's. Neither is confirmed against live Box, so both are accepted
// and a webhook fires for an event under either (FIDELITY.md, "Webhooks").
var signTriggerSpellings = map[string]string{
	"SIGN_REQUEST.SIGNER_SIGNED":       "SIGN_REQUEST.SIGN_SIGNER_SIGNED",
	"SIGN_REQUEST.SIGNATURE_REQUESTED": "SIGN_REQUEST.SIGN_DOCUMENT_CREATED",
	"SIGN_REQUEST.ERROR_FINALIZING":    "SIGN_REQUEST.SIGN_ERROR_FINALIZING",
}

// canonicalTrigger is the spec's spelling of t, or "" when Box knows no
// such trigger.
func canonicalTrigger(t string) string {
	if c, ok := signTriggerSpellings[t]; ok {
		return c
	}
	if slices.Contains(webhookTriggers, t) {
		return t
	}
	return ""
}

// maxWebhooksPerUser is Box's limit per application per user ("Limitations").
const maxWebhooksPerUser = 1000

type webhook struct {
	ID         string    `json:"id"`
	Seq        int64     `json:"seq"`
	TargetType string    `json:"target_type"`
	TargetID   string    `json:"target_id"`
	Address    string    `json:"address"`
	Triggers   []string  `json:"triggers"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// webhookState is the part of the state webhooks keep: the webhooks, and
// what each sign request's subscribers were last told (webhook_events.go).
type webhookState struct {
	Webhooks map[string]*webhook `json:"webhooks"`
	Seen     map[string]signSeen `json:"seen"`
	// WatchFrom is the first sign request Seq made while webhooks existed
	// in this state: an older request without a Seen entry (from a data
	// file written before) is recorded as it is, never announced late.
	WatchFrom int64 `json:"watch_from"`
}

// hookState returns the state's webhook part, made on first use so that
// data files from before webhooks load unchanged.
func (e *Emulator) hookState() *webhookState {
	if e.st.Hooks == nil {
		e.st.Hooks = &webhookState{WatchFrom: e.st.NextSeq}
	}
	if e.st.Hooks.Webhooks == nil {
		e.st.Hooks.Webhooks = map[string]*webhook{}
	}
	if e.st.Hooks.Seen == nil {
		e.st.Hooks.Seen = map[string]signSeen{}
	}
	return e.st.Hooks
}

func (e *Emulator) webhookRoutes() []route {
	return []route{
		{method: "POST", pattern: "/2.0/webhooks", auth: true, handle: e.handleCreateWebhook},
		{method: "GET", pattern: "/2.0/webhooks", auth: true, handle: e.handleListWebhooks},
		{method: "GET", pattern: "/2.0/webhooks/{id}", auth: true, handle: e.handleGetWebhook},
		{method: "PUT", pattern: "/2.0/webhooks/{id}", auth: true, handle: e.handleUpdateWebhook},
		{method: "DELETE", pattern: "/2.0/webhooks/{id}", auth: true, handle: e.handleDeleteWebhook},
	}
}

// webhookBody is the body of POST and PUT /webhooks: every field optional
// here, required ones checked by the create handler.
type webhookBody struct {
	Target *struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"target"`
	Address  *string   `json:"address"`
	Triggers *[]string `json:"triggers"`
}

// check applies Box's rules to the fields present.
func (e *Emulator) checkWebhookBody(u user, b *webhookBody) *response {
	if b.Target != nil {
		if b.Target.Type != "file" && b.Target.Type != "folder" {
			return badParam("target.type", "target.type must be file or folder")
		}
		if b.Target.ID == "" {
			return badParam("target.id", "target.id is required")
		}
		if b.Target.Type == "folder" && b.Target.ID == rootFolderID {
			return badParam("target.id", "Webhooks cannot be created on the root folder")
		}
		if resp := e.webhookTargetVisible(u, b.Target.Type, b.Target.ID); resp != nil {
			return resp
		}
	}
	if b.Address != nil {
		if resp := checkWebhookAddress(*b.Address); resp != nil {
			return resp
		}
	}
	if b.Triggers != nil {
		if len(*b.Triggers) == 0 {
			return badParam("triggers", "At least one trigger is required")
		}
		for _, t := range *b.Triggers {
			if canonicalTrigger(t) == "" {
				return badParam("triggers", "Unknown trigger")
			}
		}
	}
	return nil
}

// webhookTargetVisible answers Box's 404 for an item the caller cannot see.
func (e *Emulator) webhookTargetVisible(u user, typ, id string) *response {
	var resp *response
	if typ == "folder" {
		_, _, resp = e.visibleFolder(u, id)
	} else {
		_, _, resp = e.visibleFile(u, id)
	}
	return resp
}

// checkWebhookAddress is Box's notification URL rule: HTTPS on port 443.
// The emulator's one deviation: a loopback host may use any port, so a
// test's receiver can listen (FIDELITY.md, "Webhooks").
func checkWebhookAddress(addr string) *response {
	u, err := url.Parse(addr)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" || u.User != nil {
		return badParam("address", "address must be an HTTPS URL")
	}
	if port := u.Port(); port != "" && port != "443" && !loopbackHost(u.Hostname()) {
		return badParam("address", "address must use port 443")
	}
	return nil
}

// loopbackHost reports whether host names this machine: localhost or a
// loopback IP literal.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (e *Emulator) handleCreateWebhook(c *call) *response {
	var b webhookBody
	if resp := decodeJSON(c.body, &b); resp != nil {
		return resp
	}
	switch {
	case b.Target == nil:
		return badParam("target", "target is required")
	case b.Address == nil:
		return badParam("address", "address is required")
	case b.Triggers == nil:
		return badParam("triggers", "triggers is required")
	}
	if resp := e.checkWebhookBody(c.user, &b); resp != nil {
		return resp
	}
	hs := e.hookState()
	mine := 0
	for _, w := range hs.Webhooks {
		if w.CreatedBy != c.user.ID {
			continue
		}
		mine++
		if w.TargetType == b.Target.Type && w.TargetID == b.Target.ID {
			return webhookConflict()
		}
	}
	if mine >= maxWebhooksPerUser {
		return errorResponse(http.StatusBadRequest, "bad_request", "Webhook limit reached for this application and user", nil)
	}
	w := &webhook{ID: e.st.newID(), Seq: e.st.seq(), TargetType: b.Target.Type, TargetID: b.Target.ID,
		Address: *b.Address, Triggers: slices.Clone(*b.Triggers), CreatedBy: c.user.ID, CreatedAt: e.now()}
	hs.Webhooks[w.ID] = w
	return jsonResponse(http.StatusCreated, e.webhookJSON(w))
}

// webhookConflict is the 409 for a second webhook on one target by one user
// of one app (spec `post_webhooks`); the code and message are guesses.
func webhookConflict() *response {
	return errorResponse(http.StatusConflict, "conflict", "Webhook already exists for this target", nil)
}

// ownWebhook is a webhook the caller made; anyone else's answers 404.
func (e *Emulator) ownWebhook(c *call) (*webhook, *response) {
	w := e.hookState().Webhooks[c.params["id"]]
	if w == nil || w.CreatedBy != c.user.ID {
		return nil, notFound()
	}
	return w, nil
}

func (e *Emulator) handleGetWebhook(c *call) *response {
	w, resp := e.ownWebhook(c)
	if resp != nil {
		return resp
	}
	return jsonResponse(http.StatusOK, e.webhookJSON(w))
}

func (e *Emulator) handleUpdateWebhook(c *call) *response {
	w, resp := e.ownWebhook(c)
	if resp != nil {
		return resp
	}
	var b webhookBody
	if resp := decodeJSON(c.body, &b); resp != nil {
		return resp
	}
	if resp := e.checkWebhookBody(c.user, &b); resp != nil {
		return resp
	}
	if b.Target != nil && (b.Target.Type != w.TargetType || b.Target.ID != w.TargetID) {
		for _, o := range e.hookState().Webhooks {
			if o.CreatedBy == c.user.ID && o.TargetType == b.Target.Type && o.TargetID == b.Target.ID {
				return webhookConflict()
			}
		}
		w.TargetType, w.TargetID = b.Target.Type, b.Target.ID
	}
	if b.Address != nil {
		w.Address = *b.Address
	}
	if b.Triggers != nil {
		w.Triggers = slices.Clone(*b.Triggers)
	}
	return jsonResponse(http.StatusOK, e.webhookJSON(w))
}

func (e *Emulator) handleDeleteWebhook(c *call) *response {
	w, resp := e.ownWebhook(c)
	if resp != nil {
		return resp
	}
	delete(e.hookState().Webhooks, w.ID)
	return newResponse(http.StatusNoContent)
}

// handleListWebhooks is GET /2.0/webhooks: the webhooks on items the caller
// owns (spec `get_webhooks`), oldest first, marker-paged. The order and the
// default limit of 100 are guesses.
func (e *Emulator) handleListWebhooks(c *call) *response {
	q := c.r.URL.Query()
	limit, resp := pageLimit(q, 100)
	if resp != nil {
		return resp
	}
	start, resp := markerStart(q.Get("marker"), "wh", 0)
	if resp != nil {
		return resp
	}
	var list []*webhook
	for _, w := range e.hookState().Webhooks {
		if w.Seq >= start && e.webhookTargetOwner(w) == c.user.ID {
			list = append(list, w)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Seq < list[j].Seq })
	var next any
	if len(list) > limit {
		next = encodeMarker("wh", list[limit].Seq)
		list = list[:limit]
	}
	entries := make([]any, 0, len(list))
	for _, w := range list {
		entries = append(entries, webhookMini(w))
	}
	return jsonResponse(http.StatusOK, map[string]any{"limit": limit, "next_marker": next, "prev_marker": nil, "entries": entries})
}

// webhookTargetOwner is the owner of the webhook's target, "" when it is
// gone.
func (e *Emulator) webhookTargetOwner(w *webhook) string {
	if w.TargetType == "folder" {
		if f := e.st.Folders[w.TargetID]; f != nil {
			return f.OwnerID
		}
		return ""
	}
	if f := e.st.Files[w.TargetID]; f != nil {
		return f.OwnerID
	}
	return ""
}

func webhookMini(w *webhook) map[string]any {
	return map[string]any{"id": w.ID, "type": "webhook",
		"target": map[string]any{"id": w.TargetID, "type": w.TargetType}}
}

func (e *Emulator) webhookJSON(w *webhook) map[string]any {
	m := webhookMini(w)
	creator, _ := e.userByID(w.CreatedBy)
	m["created_by"] = e.userMini(creator)
	m["created_at"] = w.CreatedAt.Format(time.RFC3339)
	m["address"] = w.Address
	m["triggers"] = w.Triggers
	return m
}
