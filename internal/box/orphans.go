package box

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// An orphan is a sign request an earlier, interrupted run sent but never
// recorded: Terraform was killed after Box created it and before the state
// was written. Box has no idempotency key, so the provider looks for one
// when it plans a create, and adopts it instead of mailing the signers
// again, but only a true orphan: one request, verifiable, not known to
// this process in any other role (see FindOrphan).

// CreateOptions tune one CreateOrAdoptSignRequest call.
type CreateOptions struct {
	// AllowIdentical sends the request even when an identical live one
	// exists: no orphan search for this create.
	AllowIdentical bool
}

// Adoption reasons.
const (
	// AdoptedOrphan: a matching live request, sent before this process
	// started and not known to it, was found before sending.
	AdoptedOrphan = "orphan"
	// AdoptedAfterAmbiguousCreate: the create failed ambiguously and the
	// request it had made was found by listing.
	AdoptedAfterAmbiguousCreate = "ambiguous"
)

// Adoption says that a create returned an existing request instead of
// sending a new one, and why.
type Adoption struct {
	Reason    string     // AdoptedOrphan or AdoptedAfterAmbiguousCreate
	CreatedAt *time.Time // as Box lists it; nil when Box's list left it out
	Window    time.Duration
}

// claimKind is what this Client knows of a sign request. A request has
// one role per process: whichever claims it first keeps it.
type claimKind int

const (
	claimNone      claimKind = iota
	claimTracked             // the state holds it: a refresh, plan, import or destroy named it
	claimCreated             // this process sent it
	claimPlanned             // a create of this process plans to adopt it
	claimAdopted             // a create of this process adopted it
	claimCancelled           // a destroy of this process cancels it
)

// Track records that the state holds sign request id (a refresh, a plan
// or an import named it), so that no create of this process adopts it. It
// reports false when a create of this process already chose to adopt it:
// the plan that chose so was wrong, and the caller must fail.
func (c *Client) Track(id string) bool {
	c.claimMu.Lock()
	defer c.claimMu.Unlock()
	switch c.claimed[id] {
	case claimPlanned, claimAdopted:
		return false
	case claimNone:
		c.claimed[id] = claimTracked
	}
	return true
}

// ClaimCancel records that a destroy of this process cancels id. It
// reports false when a create of this process adopted it: the request now
// belongs to that create and must not be cancelled. A create that only
// planned to adopt it loses it (its apply then fails, sending nothing):
// Terraform may have stopped that create before it ran.
func (c *Client) ClaimCancel(id string) bool {
	c.claimMu.Lock()
	defer c.claimMu.Unlock()
	if c.claimed[id] == claimAdopted {
		return false
	}
	c.claimed[id] = claimCancelled
	return true
}

// claimAdoption claims id for a create's adoption: planned, when a plan
// chooses it (nothing in this process may know the request yet), or done,
// when the create takes it over (a plan of this process may have chosen
// it first).
func (c *Client) claimAdoption(id string, done bool) bool {
	c.claimMu.Lock()
	defer c.claimMu.Unlock()
	switch k := c.claimed[id]; {
	case id == "":
		return false
	case k == claimNone && !done:
		c.claimed[id] = claimPlanned
		return true
	case done && (k == claimNone || k == claimPlanned):
		c.claimed[id] = claimAdopted
		return true
	}
	return false
}

// claimCreated records a request this process sent.
func (c *Client) claimCreated(id string) {
	c.claimMu.Lock()
	defer c.claimMu.Unlock()
	c.claimed[id] = claimCreated
}

func (c *Client) isKnown(id string) bool {
	c.claimMu.Lock()
	defer c.claimMu.Unlock()
	return c.claimed[id] != claimNone
}

// adoptRule is what, besides content (matchesCreate), a listed request
// must satisfy to be adopted.
type adoptRule struct {
	since     time.Time // created at or after, on Box's clock
	undatedOK bool      // a request without created_at may be adopted
	liveOnly  bool      // only SignRequestStatus.IsLive
	me        *User     // when known, the request must be sent by me
}

func (r adoptRule) accepts(req *SignRequestCreate, e *SignRequest) bool {
	if e.CreatedAt == nil {
		if !r.undatedOK {
			return false
		}
	} else if e.CreatedAt.Before(r.since) {
		return false
	}
	if r.liveOnly && !e.Status.IsLive() {
		return false
	}
	if r.me != nil && !sentBy(e, r.me) {
		return false
	}
	return matchesCreate(req, e)
}

// sentBy reports whether e was sent by user me, from what Box returns:
// sender_id, else sender_email, else the requester Box lists as a
// final_copy_reader at signers[0]. With none of them it cannot tell, and
// says no.
func sentBy(e *SignRequest, me *User) bool {
	switch {
	case e.SenderID != nil:
		return strconv.FormatInt(*e.SenderID, 10) == me.ID
	case deref(e.SenderEmail) != "":
		return strings.EqualFold(deref(e.SenderEmail), me.Login)
	case len(e.Signers) > 0 && e.Signers[0].Role == "final_copy_reader":
		return strings.EqualFold(e.Signers[0].Email, me.Login)
	}
	return false
}

// candidates returns the entries the rule accepts that this process does
// not know, earliest first (undated last).
func (c *Client) candidates(entries []SignRequest, req *SignRequestCreate, rule adoptRule) []SignRequest {
	var out []SignRequest
	for i := range entries {
		if e := &entries[i]; rule.accepts(req, e) && !c.isKnown(e.ID) {
			out = append(out, *e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return earlier(&out[i], &out[j]) })
	return out
}

func earlier(a, b *SignRequest) bool {
	switch {
	case a.CreatedAt == nil:
		return false
	case b.CreatedAt == nil:
		return true
	}
	return a.CreatedAt.Before(*b.CreatedAt)
}

// recentWalk is the one listing of the user's recent live requests this
// Client makes, shared by every create.
type recentWalk struct {
	done    chan struct{}
	me      *User
	entries []SignRequest
	pages   int
	capped  bool // stopped at its page cap before reaching the window's start
	err     error
}

type orphanIndex struct {
	mu  sync.Mutex
	cur *recentWalk // nil until a walk starts, and again after one fails
}

// recentRequests returns the walk, starting it on first use. Concurrent
// callers wait for the same walk. A failed walk is not kept: its waiters
// get its error and the next create tries again.
func (c *Client) recentRequests(ctx context.Context) (*recentWalk, error) {
	for {
		c.orphans.mu.Lock()
		w := c.orphans.cur
		starter := w == nil
		if starter {
			w = &recentWalk{done: make(chan struct{})}
			c.orphans.cur = w
		}
		c.orphans.mu.Unlock()

		if starter {
			w.me, w.entries, w.pages, w.capped, w.err = c.walkRecent(ctx)
			if w.err != nil {
				c.orphans.mu.Lock()
				c.orphans.cur = nil
				c.orphans.mu.Unlock()
			}
			close(w.done)
		}
		select {
		case <-w.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if w.err == nil {
			return w, nil
		}
		// The walk ran under its starter's context: when that one was
		// cancelled (its resource timed out), a waiter whose own context
		// is alive walks again instead of failing for another resource.
		cancelled := errors.Is(w.err, context.Canceled) || errors.Is(w.err, context.DeadlineExceeded)
		if starter || ctx.Err() != nil || !cancelled {
			return nil, w.err
		}
	}
}

// IsOrphanSearchError reports whether err says that the search for an
// orphan failed, so that nothing was sent.
func IsOrphanSearchError(err error) bool {
	var e *orphanSearchError
	return errors.As(err, &e)
}

// walkRecent reads the authenticated user (AuthenticatedUser: one GET
// /users/me per client, shared with the diagnostics that name the user) and
// lists its sign requests, keeping the live ones created within the window
// by Box's clock. Box does not document the list's order: the walk stops
// early only when the entries so far came newest first and the last one is
// older than the window; otherwise it reads up to orphanPages pages, and
// says when it stopped there with more to read.
func (c *Client) walkRecent(ctx context.Context) (*User, []SignRequest, int, bool, error) {
	me, err := c.AuthenticatedUser(ctx)
	if err != nil {
		return nil, nil, 0, false, err
	}
	// After users/me, boxNow knows Box's clock from its Date header.
	cutoff := c.boxNow().Add(-c.cfg.OrphanWindow)
	var keep []SignRequest
	var last *time.Time
	newestFirst := true
	marker := ""
	pages := 0
	for pages < c.orphanPages {
		p, err := c.ListSignRequests(ctx, ListSignRequestsOptions{Marker: marker, Limit: c.listLimit})
		if err != nil {
			return nil, nil, pages, false, err
		}
		pages++
		for i := range p.Entries {
			e := p.Entries[i]
			if e.CreatedAt == nil || (last != nil && e.CreatedAt.After(*last)) {
				newestFirst = false
			}
			if e.CreatedAt != nil {
				last = e.CreatedAt
			}
			if e.CreatedAt != nil && !e.CreatedAt.Before(cutoff) && e.Status.IsLive() && sentBy(&e, me) {
				keep = append(keep, e)
			}
		}
		if p.NextMarker == nil || *p.NextMarker == "" {
			return me, keep, pages, false, nil
		}
		if newestFirst && last != nil && last.Before(cutoff) {
			return me, keep, pages, false, nil
		}
		marker = *p.NextMarker
	}
	c.log(ctx, "orphan search stopped at its page limit: older requests were not looked at", map[string]any{"pages": pages})
	return me, keep, pages, true, nil
}

// Orphan refusal reasons: the provider cannot tell whether adopting or
// sending would be right, so it does neither.
const (
	RefusedSeveral  = "several"  // more than one live request matches
	RefusedPassword = "password" // a match exists, but the create sets a password Box never returns
	RefusedPageCap  = "page-cap" // the walk stopped at its page cap before the window's start
)

// OrphanRefusal is FindOrphan's error when it cannot tell: nothing may be
// sent or adopted until the user decides.
type OrphanRefusal struct {
	Reason     string        // RefusedSeveral, RefusedPassword or RefusedPageCap
	Candidates []SignRequest // the matching requests, earliest first
	Pages      int           // for RefusedPageCap
	Window     time.Duration
}

func (e *OrphanRefusal) Error() string {
	ids := make([]string, 0, len(e.Candidates))
	for _, c := range e.Candidates {
		ids = append(ids, c.ID)
	}
	switch e.Reason {
	case RefusedSeveral:
		return fmt.Sprintf("box: %d live sign requests match this create (%s): cannot tell which one an interrupted run left", len(ids), strings.Join(ids, ", "))
	case RefusedPassword:
		return fmt.Sprintf("box: live sign request %s matches this create, but the create sets a signer password, which Box never returns: cannot verify the match", strings.Join(ids, ", "))
	}
	return fmt.Sprintf("box: the search for a matching sign request stopped at its limit of %d pages before reaching requests older than %s: cannot tell whether one exists", e.Pages, e.Window)
}

// AsOrphanRefusal returns err's OrphanRefusal, if it is one.
func AsOrphanRefusal(err error) (*OrphanRefusal, bool) {
	return errors.AsType[*OrphanRefusal](err)
}

// Orphan is the request FindOrphan chose to adopt.
type Orphan struct {
	Request SignRequest
	Window  time.Duration
}

// FindOrphan looks for the one orphan a create may adopt: a live request
// sent by this user within the window (Box's clock), with req's content,
// that this process knows in no other role (tracked by the state, created,
// adopted or cancelled here). It claims the one it returns for this
// process, so that no other create adopts it and no destroy of this
// process cancels it. It returns nil when there is none, and an
// OrphanRefusal when it cannot tell: several candidates, a password that
// cannot be compared, or a walk cut short by its page cap. A failed search
// is an orphanSearchError.
func (c *Client) FindOrphan(ctx context.Context, req *SignRequestCreate) (*Orphan, error) {
	if c.cfg.OrphanWindow <= 0 {
		return nil, nil
	}
	w, err := c.recentRequests(ctx)
	if err != nil {
		return nil, &orphanSearchError{err: err}
	}
	window := c.cfg.OrphanWindow
	if w.capped {
		return nil, &OrphanRefusal{Reason: RefusedPageCap, Pages: w.pages, Window: window}
	}
	rule := adoptRule{since: c.boxNow().Add(-window), liveOnly: true, me: w.me}
	found := c.candidates(w.entries, req, rule)
	switch {
	case len(found) == 0:
		return nil, nil
	case len(found) > 1:
		return nil, &OrphanRefusal{Reason: RefusedSeveral, Candidates: found, Window: window}
	case setsPassword(req):
		return nil, &OrphanRefusal{Reason: RefusedPassword, Candidates: found, Window: window}
	}
	if !c.claimAdoption(found[0].ID, false) {
		// Claimed since the walk by a concurrent create or destroy.
		return nil, nil
	}
	return &Orphan{Request: found[0], Window: window}, nil
}

// setsPassword reports whether a signer of req has a password.
func setsPassword(req *SignRequestCreate) bool {
	for _, s := range req.Signers {
		if deref(s.Password) != "" {
			return true
		}
	}
	return false
}

// AdoptSignRequest takes over sign request id for the create req, as a
// plan decided: it must be claimed for adoption by this process (or by
// nobody here yet), still live in Box, and still match req. It never
// sends anything.
func (c *Client) AdoptSignRequest(ctx context.Context, id string, req *SignRequestCreate) (*SignRequest, error) {
	if !c.claimAdoption(id, true) {
		return nil, &adoptionLostError{id: id, why: "a destroy or another create in this run took it"}
	}
	sr, err := c.GetSignRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case !sr.Status.IsLive():
		return nil, &adoptionLostError{id: id, why: fmt.Sprintf("it is now %s", sr.Status)}
	case !matchesCreate(req, sr):
		return nil, &adoptionLostError{id: id, why: "it no longer matches the configuration"}
	}
	c.log(ctx, "adopted an orphaned sign request instead of sending a new one", map[string]any{
		"sign_request_id": sr.ID, "status": sr.Status, "created_at": sr.CreatedAt,
	})
	return sr, nil
}

// adoptionLostError: the request a plan chose to adopt can no longer be.
type adoptionLostError struct{ id, why string }

func (e *adoptionLostError) Error() string {
	return fmt.Sprintf("box: the plan adopts sign request %s, but %s; nothing was sent", e.id, e.why)
}

// IsAdoptionLost reports whether err says that a planned adoption can no
// longer happen, so that nothing was sent.
func IsAdoptionLost(err error) bool {
	var e *adoptionLostError
	return errors.As(err, &e)
}

// orphanSearchError: the search for an orphan failed, so nothing was sent.
type orphanSearchError struct{ err error }

func (e *orphanSearchError) Error() string {
	return fmt.Sprintf("box: looking for a matching sign request left by an interrupted run failed, so nothing was sent: %v", e.err)
}

func (e *orphanSearchError) Unwrap() error { return e.err }

// findCreatedSignRequest lists sign requests afresh (bounded pages) after
// an ambiguous create and claims the request that create may have made:
// one that matches, was created at or after since (Box's clock), and is
// not known to this process. An entry without created_at may be adopted
// here: the attempt that just failed is the likeliest author. Several
// matches are an OrphanRefusal; a list cut short by its page cap without
// a match is one too, since the request may lie beyond it.
func (c *Client) findCreatedSignRequest(ctx context.Context, req *SignRequestCreate, since time.Time) (*SignRequest, error) {
	rule := adoptRule{since: since, undatedOK: true, me: c.knownUser()}
	marker := ""
	var all []SignRequest
	capped := true
	for range c.reconcilePages {
		p, err := c.ListSignRequests(ctx, ListSignRequestsOptions{Marker: marker, Limit: c.listLimit})
		if err != nil {
			return nil, err
		}
		all = append(all, p.Entries...)
		if p.NextMarker == nil || *p.NextMarker == "" {
			capped = false
			break
		}
		marker = *p.NextMarker
	}
	found := c.candidates(all, req, rule)
	switch {
	case len(found) > 1:
		return nil, &OrphanRefusal{Reason: RefusedSeveral, Candidates: found}
	case len(found) == 0 && capped:
		return nil, &OrphanRefusal{Reason: RefusedPageCap, Pages: c.reconcilePages}
	case len(found) == 0 || !c.claimAdoption(found[0].ID, true):
		return nil, nil
	}
	return &found[0], nil
}

// knownUser is the user the orphan walk read, if it ran; nil otherwise
// (the list then holds only the user's own requests anyway: Box lists
// others' only with shared_requests=true).
func (c *Client) knownUser() *User {
	c.orphans.mu.Lock()
	w := c.orphans.cur
	c.orphans.mu.Unlock()
	if w == nil {
		return nil
	}
	select {
	case <-w.done:
		return w.me
	default:
		return nil
	}
}
