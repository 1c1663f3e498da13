package box

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// An orphan is a sign request an earlier, interrupted run sent but never
// recorded: Terraform was killed after Box created it and before the state
// was written. Box has no idempotency key, so the client looks for one
// before it sends, and adopts it instead of mailing the signers again.

// CreateOptions tune one CreateSignRequest call.
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

// Adoption says that CreateSignRequest returned an existing request
// instead of sending a new one, and why.
type Adoption struct {
	Reason    string     // AdoptedOrphan or AdoptedAfterAmbiguousCreate
	CreatedAt *time.Time // as Box lists it; nil when Box's list left it out
	Window    time.Duration
}

// adoptRule is what, besides content (matchesCreate), a listed request
// must satisfy to be adopted.
type adoptRule struct {
	since     time.Time // created at or after
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

// pick claims and returns the earliest entry the rule accepts that this
// process has not created or adopted; undated entries come last.
func (c *Client) pick(entries []SignRequest, req *SignRequestCreate, rule adoptRule) *SignRequest {
	for {
		var best *SignRequest
		for i := range entries {
			e := &entries[i]
			if !rule.accepts(req, e) || c.isClaimed(e.ID) {
				continue
			}
			if best == nil || earlier(e, best) {
				best = e
			}
		}
		if best == nil {
			return nil
		}
		if c.claim(best.ID) {
			found := *best
			return &found
		}
		// A concurrent create claimed it between the check and the claim.
	}
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
			w.me, w.entries, w.pages, w.err = c.walkRecent(ctx)
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
// lists its sign requests, keeping the live ones created within the window. Box
// does not document the list's order: the walk stops early only when the
// entries so far came newest first and the last one is older than the
// window; otherwise it reads up to orphanPages pages.
func (c *Client) walkRecent(ctx context.Context) (*User, []SignRequest, int, error) {
	me, err := c.AuthenticatedUser(ctx)
	if err != nil {
		return nil, nil, 0, err
	}
	cutoff := c.now().Add(-c.cfg.OrphanWindow)
	var keep []SignRequest
	var last *time.Time
	newestFirst := true
	marker := ""
	pages := 0
	for pages < c.orphanPages {
		p, err := c.ListSignRequests(ctx, ListSignRequestsOptions{Marker: marker, Limit: maxListLimit})
		if err != nil {
			return nil, nil, pages, err
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
			return me, keep, pages, nil
		}
		if newestFirst && last != nil && last.Before(cutoff) {
			return me, keep, pages, nil
		}
		marker = *p.NextMarker
	}
	c.log(ctx, "orphan search stopped at its page limit: older requests were not looked at", map[string]any{"pages": pages})
	return me, keep, pages, nil
}

// adoptOrphan looks for an orphan matching req and claims it. It confirms
// the candidate with a GET, so that a request cancelled since the walk is
// never adopted, and returns the fresh copy.
func (c *Client) adoptOrphan(ctx context.Context, req *SignRequestCreate) (*SignRequest, *Adoption, error) {
	w, err := c.recentRequests(ctx)
	if err != nil {
		return nil, nil, &orphanSearchError{err: err}
	}
	rule := adoptRule{since: c.now().Add(-c.cfg.OrphanWindow), liveOnly: true, me: w.me}
	for {
		e := c.pick(w.entries, req, rule)
		if e == nil {
			return nil, nil, nil
		}
		fresh, err := c.GetSignRequest(ctx, e.ID)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, nil, &orphanSearchError{err: err}
		}
		if !fresh.Status.IsLive() {
			continue // claimed, so never looked at again
		}
		if fresh.CreatedAt == nil {
			fresh.CreatedAt = e.CreatedAt
		}
		c.log(ctx, "adopted an orphaned sign request instead of sending a new one", map[string]any{
			"sign_request_id": fresh.ID, "status": fresh.Status, "created_at": fresh.CreatedAt,
		})
		return fresh, &Adoption{Reason: AdoptedOrphan, CreatedAt: fresh.CreatedAt, Window: c.cfg.OrphanWindow}, nil
	}
}

// orphanSearchError: the search for an orphan failed, so nothing was sent.
type orphanSearchError struct{ err error }

func (e *orphanSearchError) Error() string {
	return fmt.Sprintf("box: looking for a matching sign request left by an interrupted run failed, so nothing was sent: %v", e.err)
}

func (e *orphanSearchError) Unwrap() error { return e.err }

// findCreatedSignRequest lists sign requests afresh (bounded pages) after
// an ambiguous create and claims the request that create may have made:
// one that matches, was created at or after since, and is not known to
// this process. An entry without created_at may be adopted here: the
// attempt that just failed is the likeliest author.
func (c *Client) findCreatedSignRequest(ctx context.Context, req *SignRequestCreate, since time.Time) (*SignRequest, error) {
	rule := adoptRule{since: since, undatedOK: true, me: c.knownUser()}
	marker := ""
	var all []SignRequest
	for range c.reconcilePages {
		p, err := c.ListSignRequests(ctx, ListSignRequestsOptions{Marker: marker, Limit: maxListLimit})
		if err != nil {
			return nil, err
		}
		all = append(all, p.Entries...)
		if p.NextMarker == nil || *p.NextMarker == "" {
			break
		}
		marker = *p.NextMarker
	}
	return c.pick(all, req, rule), nil
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

func (c *Client) claim(id string) bool {
	c.claimMu.Lock()
	defer c.claimMu.Unlock()
	if id == "" || c.claimed[id] {
		return false
	}
	c.claimed[id] = true
	return true
}

func (c *Client) isClaimed(id string) bool {
	c.claimMu.Lock()
	defer c.claimMu.Unlock()
	return c.claimed[id]
}
