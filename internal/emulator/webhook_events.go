package emulator

import (
	"slices"
	"time"

	"github.com/google/uuid"
)

// Events: what happens to files, folders and sign requests, told to the
// webhooks on the item or on a folder above it (FIDELITY.md, "Webhooks").
// Handlers call in with one line each; the rules live here.

// hookTarget is an item a webhook can be set on.
type hookTarget struct{ typ, id string }

// event is one thing that happened, before it is matched to webhooks.
type event struct {
	trigger    string // the spec's spelling
	by         user
	source     map[string]any
	targets    []hookTarget // the item and the folders above it
	additional any
}

// itemChain is the item and every folder above it up to (not including)
// the root: a folder webhook hears what happens anywhere below it (guess:
// Box's guides say "in the folder", without a depth).
func (e *Emulator) itemChain(typ, id string) []hookTarget {
	ts := []hookTarget{{typ, id}}
	parent := ""
	if typ == "file" {
		if f := e.st.Files[id]; f != nil {
			parent = f.ParentID
		}
	} else if f := e.st.Folders[id]; f != nil {
		parent = f.ParentID
	}
	for seen := 0; parent != "" && parent != rootFolderID && seen < 1000; seen++ {
		ts = append(ts, hookTarget{"folder", parent})
		f := e.st.Folders[parent]
		if f == nil {
			break
		}
		parent = f.ParentID
	}
	return ts
}

// itemSource is the item as a webhook payload's source: the full object,
// as its owner sees it.
func (e *Emulator) itemSource(typ, id string) map[string]any {
	if typ == "file" {
		if f := e.st.Files[id]; f != nil {
			owner, _ := e.userByID(f.OwnerID)
			return e.fileStandard(f, owner)
		}
		return nil
	}
	if f := e.st.Folders[id]; f != nil {
		owner, _ := e.userByID(f.OwnerID)
		return e.folderStandard(f, owner)
	}
	return nil
}

// itemEvent tells the webhooks on an item, or above it, that trigger
// happened to it, done by u.
func (e *Emulator) itemEvent(u user, trigger, typ, id string) {
	e.fire(event{trigger: trigger, by: u, source: e.itemSource(typ, id), targets: e.itemChain(typ, id),
		additional: []any{}})
}

// watchItem notes an item's name and folder before an update; the returned
// func, deferred by the handler, announces a rename and a move.
func (e *Emulator) watchItem(u user, typ, id string) func() {
	name, parent := e.itemPlace(typ, id)
	return func() {
		n, p := e.itemPlace(typ, id)
		prefix := "FILE."
		if typ == "folder" {
			prefix = "FOLDER."
		}
		if p != parent {
			e.itemEvent(u, prefix+"MOVED", typ, id)
		}
		if n != name {
			e.itemEvent(u, prefix+"RENAMED", typ, id)
		}
	}
}

func (e *Emulator) itemPlace(typ, id string) (name, parent string) {
	if typ == "file" {
		if f := e.st.Files[id]; f != nil {
			return f.Name, f.ParentID
		}
		return "", ""
	}
	if f := e.st.Folders[id]; f != nil {
		return f.Name, f.ParentID
	}
	return "", ""
}

// signSeen is what a sign request's webhooks were last told.
type signSeen struct {
	Status string   `json:"status"`
	Sent   bool     `json:"sent"`
	Signed []string `json:"signed"` // signer emails
}

func seenNow(sr *signRequest) signSeen {
	s := signSeen{Status: sr.Status, Sent: sr.LastSentAt != nil}
	for _, x := range sr.Signers {
		if x.Decision != nil && x.Decision.Type == "signed" {
			s.Signed = append(s.Signed, x.Email)
		}
	}
	return s
}

// signEvents compares a sign request with what its webhooks were last told
// and announces the difference. The lifecycle code calls it (deferred)
// wherever a request may move on; calls that find nothing new say
// nothing, so nested calls announce each change once.
func (e *Emulator) signEvents(sr *signRequest) {
	hs := e.hookState()
	now := seenNow(sr)
	before, ok := hs.Seen[sr.ID]
	if !ok && sr.CreatedAt.Before(e.hooks.started) {
		// A request from a data file written before webhooks kept track:
		// its past is not news.
		hs.Seen[sr.ID] = now
		return
	}
	if !before.Sent && now.Sent {
		e.signEvent(sr, "SIGN_REQUEST.SIGN_DOCUMENT_CREATED", "")
	}
	for _, m := range now.Signed {
		if !slices.Contains(before.Signed, m) {
			e.signEvent(sr, "SIGN_REQUEST.SIGN_SIGNER_SIGNED", m)
		}
	}
	if now.Status != before.Status {
		switch now.Status {
		case statusSigned:
			e.signEvent(sr, "SIGN_REQUEST.COMPLETED", "")
		case statusDeclined:
			e.signEvent(sr, "SIGN_REQUEST.DECLINED", "")
		case statusExpired:
			e.signEvent(sr, "SIGN_REQUEST.EXPIRED", "")
		}
	}
	hs.Seen[sr.ID] = now
	e.settleLater(sr)
}

// signEvent announces one sign event. The source is the request's signed
// document and additional_info names the request (Box's Sign webhook guide:
// "Sign-specific additional_info ... and the request's source file"); the
// exact fields are a guess.
func (e *Emulator) signEvent(sr *signRequest, trigger, signerEmail string) {
	var targets []hookTarget
	var source map[string]any
	for _, id := range append(slices.Clone(sr.SignFileIDs), sr.SourceFileIDs...) {
		if f := e.st.Files[id]; f != nil {
			if source == nil {
				source = e.fileMini(f)
			}
			targets = append(targets, hookTarget{"file", id})
		}
	}
	targets = append(targets, e.itemChain("folder", sr.ParentFolderID)...)
	info := map[string]any{
		"sign_request_id": sr.ID, "sign_request_short_id": sr.ShortID, "status": sr.Status,
		"sender_email": sr.SenderEmail, "external_id": sr.ExternalID,
	}
	if signerEmail != "" {
		info["signer_email"] = signerEmail
	}
	e.fire(event{trigger: trigger, by: e.senderOf(sr), source: source, targets: targets, additional: info})
}

// settleLater wakes a request in a timed status (converting, finalizing)
// when the time is up, so that its webhooks hear of it without anyone
// asking Box: the emulator otherwise moves requests on only when read.
// One timer per request and status, and only while webhooks exist.
func (e *Emulator) settleLater(sr *signRequest) {
	if sr.Status != statusConverting && sr.Status != statusFinalizing || len(e.hookState().Webhooks) == 0 {
		return
	}
	wait := sr.StatusUntil.Sub(e.now())
	if wait <= 0 {
		return
	}
	id, status := sr.ID, sr.Status
	e.hooks.after(id+" "+status, wait+10*time.Millisecond, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if cur := e.st.SignRequests[id]; cur != nil && cur.Status == status {
			e.settle(cur)
		}
	})
}

// fire matches an event to webhooks and queues one delivery per webhook.
// A webhook hears an event when it is set on one of the event's items, lists
// the trigger (in either spelling), and its creator can still see the item
// (Box's limitations: no notification where permissions prevent it).
func (e *Emulator) fire(ev event) {
	hooks := e.hookState().Webhooks
	if len(hooks) == 0 || ev.source == nil {
		return
	}
	ids := make([]string, 0, len(hooks))
	for id := range hooks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		w := hooks[id]
		if !slices.Contains(ev.targets, hookTarget{w.TargetType, w.TargetID}) || !e.creatorSees(w) {
			continue
		}
		for _, t := range w.Triggers {
			if canonicalTrigger(t) == ev.trigger {
				e.deliver(w, t, ev)
				break
			}
		}
	}
}

func (e *Emulator) creatorSees(w *webhook) bool {
	u, ok := e.userByID(w.CreatedBy)
	if !ok {
		return false
	}
	if w.TargetType == "folder" {
		return e.folderRole(u, e.st.Folders[w.TargetID]) != ""
	}
	return e.fileRole(u, e.st.Files[w.TargetID]) != ""
}

// deliver builds the payload (Box's "V2 Webhooks" guide) and hands it to
// the delivery worker.
func (e *Emulator) deliver(w *webhook, trigger string, ev event) {
	payload := map[string]any{
		"type":            "webhook_event",
		"id":              uuid.NewString(),
		"created_at":      e.now().Format(time.RFC3339),
		"trigger":         trigger,
		"webhook":         map[string]any{"id": w.ID, "type": "webhook"},
		"created_by":      e.userMini(ev.by),
		"source":          ev.source,
		"additional_info": ev.additional,
	}
	e.hooks.enqueue(w, trigger, payload)
}
