package box

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxListLimit is Box's maximum page size for the list endpoints.
const maxListLimit = 1000

// CreateSignRequest creates a sign request (POST /2.0/sign_requests); see
// CreateOrAdoptSignRequest, with default options.
func (c *Client) CreateSignRequest(ctx context.Context, req *SignRequestCreate) (*SignRequest, error) {
	sr, _, err := c.CreateOrAdoptSignRequest(ctx, req, CreateOptions{})
	return sr, err
}

// CreateOrAdoptSignRequest creates a sign request, or returns the one
// orphan that already exists for it, saying so in the Adoption: the
// library form of what the provider does in two steps (FindOrphan when it
// plans, then AdoptSignRequest or SendSignRequest when it applies).
//
// It never sends two. Unless Config.OrphanWindow is zero or
// opts.AllowIdentical is set, it first looks for an orphan (FindOrphan)
// and fails without sending when it cannot tell (an OrphanRefusal).
func (c *Client) CreateOrAdoptSignRequest(ctx context.Context, req *SignRequestCreate, opts CreateOptions) (*SignRequest, *Adoption, error) {
	if req == nil {
		return nil, nil, errors.New("box: CreateSignRequest: nil request")
	}
	if !opts.AllowIdentical {
		o, err := c.FindOrphan(ctx, req)
		if err != nil {
			return nil, nil, err
		}
		if o != nil {
			sr, err := c.AdoptSignRequest(ctx, o.Request.ID, req)
			if err != nil {
				return nil, nil, err
			}
			if sr.CreatedAt == nil {
				sr.CreatedAt = o.Request.CreatedAt
			}
			return sr, &Adoption{Reason: AdoptedOrphan, CreatedAt: sr.CreatedAt, Window: o.Window}, nil
		}
	}
	return c.SendSignRequest(ctx, req)
}

// SendSignRequest sends a sign request (POST /2.0/sign_requests) without
// looking for an orphan first. The POST is resent only when it certainly
// did not take effect (429, or a connection that could not be opened).
// After an ambiguous failure (timeout, 5xx, dropped connection) it lists
// recent requests and adopts the one this call created, by the same
// content rule; when it finds none, it fails without resending: a list
// that lags, or a request beyond the pages it reads, would otherwise mail
// every signer twice.
func (c *Client) SendSignRequest(ctx context.Context, req *SignRequestCreate) (*SignRequest, *Adoption, error) {
	if req == nil {
		return nil, nil, errors.New("box: CreateSignRequest: nil request")
	}
	body, err := jsonBody(req)
	if err != nil {
		return nil, nil, fmt.Errorf("box: encoding the sign request: %w", err)
	}
	// Creates that could match the same listed request run one at a time,
	// so that each ambiguous create can tell its request from the others.
	unlock, err := c.createLocks.lock(ctx, createKey(req))
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	return c.sendCreate(ctx, req, body)
}

// sendCreate POSTs the body; see SendSignRequest.
func (c *Client) sendCreate(ctx context.Context, req *SignRequestCreate, body []byte) (*SignRequest, *Adoption, error) {
	secrets := createSecrets(req)
	r := c.api(http.MethodPost, "/sign_requests")
	r.body = body
	r.contentType = "application/json"
	r.kind = kindSignWrite
	r.secrets = secrets
	started := c.boxNow() // Box stamps created_at with its own clock
	totalAttempts := 0
	resp, err := c.sendWithin(ctx, r, &totalAttempts)

	var ambiguous error
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, nil, fmt.Errorf("box: creating the sign request was interrupted; it may have been created in Box: %w", err)
	case err != nil && wasNotSent(err):
		return nil, nil, err // never reached Box
	case err != nil:
		ambiguous = err
	case resp.status == http.StatusCreated || resp.status == http.StatusOK:
		var sr SignRequest
		if err := json.Unmarshal(resp.body, &sr); err == nil && sr.ID != "" {
			c.claimCreated(sr.ID)
			return &sr, nil, nil
		}
		// Created, but the response is unreadable: find it by listing.
		ambiguous = fmt.Errorf("box: POST /2.0/sign_requests returned %d with an unreadable body", resp.status)
	case resp.status >= 500:
		ambiguous = c.apiError(r, resp)
	default:
		return nil, nil, c.apiError(r, resp)
	}

	c.log(ctx, "sign request create failed ambiguously: looking for a request it may have created", map[string]any{
		"error": scrubString(ambiguous.Error(), secrets), "attempt": totalAttempts,
	})
	// Twice, a moment apart: Box's list may lag behind a create.
	for look := 0; look < 2; look++ {
		if look > 0 {
			if err := sleep(ctx, c.expBackoff(0)); err != nil {
				return nil, nil, &ambiguousCreateError{cause: ambiguous, lookup: err}
			}
		}
		found, lerr := c.findCreatedSignRequest(ctx, req, started.Add(-c.createSkew))
		if lerr != nil {
			if _, ok := AsOrphanRefusal(lerr); ok {
				return nil, nil, &ambiguousCreateError{cause: ambiguous, refusal: lerr}
			}
			return nil, nil, &ambiguousCreateError{cause: ambiguous, lookup: lerr}
		}
		if found != nil {
			c.log(ctx, "adopted the sign request created by an ambiguous attempt", map[string]any{
				"sign_request_id": found.ID, "status": found.Status, "attempt": totalAttempts,
			})
			return found, &Adoption{Reason: AdoptedAfterAmbiguousCreate, CreatedAt: found.CreatedAt}, nil
		}
	}
	return nil, nil, &ambiguousCreateError{cause: ambiguous}
}

// sendWithin sends r with what is left of the retry budget once *spent
// attempts were made by earlier rounds of the same write, and adds its own
// attempts to *spent.
func (c *Client) sendWithin(ctx context.Context, r *apiRequest, spent *int) (*apiResponse, error) {
	r.maxRetries = c.maxRetries - *spent
	resp, err := c.send(ctx, r)
	attempts := 1
	if resp != nil && resp.attempts > 0 {
		attempts = resp.attempts
	}
	*spent += attempts
	return resp, err
}

// ambiguousCreateError: the create may or may not have taken effect, and
// the client could not find out; nothing was resent.
type ambiguousCreateError struct {
	cause   error
	lookup  error // the listing failed
	refusal error // the listing found several matches, or stopped at its cap
}

func (e *ambiguousCreateError) Error() string {
	switch {
	case e.lookup != nil:
		return fmt.Sprintf("%v; listing sign requests to check whether it was created anyway also failed (%v); not resending, to avoid a duplicate: check Box for the request", e.cause, e.lookup)
	case e.refusal != nil:
		return fmt.Sprintf("%v; not resending, to avoid a duplicate: %v", e.cause, e.refusal)
	}
	return fmt.Sprintf("%v; Box lists no matching sign request created since the attempt began, but a list can lag behind a create: "+
		"not resending, to avoid mailing the signers twice; check Box for the request", e.cause)
}

func (e *ambiguousCreateError) Unwrap() []error {
	out := []error{e.cause}
	if e.refusal != nil {
		out = append(out, e.refusal)
	}
	return out
}

// IsAmbiguousCreate reports whether err says that a create may have taken
// effect without the client finding the request; nothing was resent.
func IsAmbiguousCreate(err error) bool {
	var e *ambiguousCreateError
	return errors.As(err, &e)
}

// GetSignRequest returns a sign request (GET /2.0/sign_requests/{id}).
func (c *Client) GetSignRequest(ctx context.Context, id string) (*SignRequest, error) {
	if id == "" {
		return nil, errors.New("box: GetSignRequest: empty ID")
	}
	var sr SignRequest
	if _, err := c.do(ctx, c.api(http.MethodGet, "/sign_requests/"+url.PathEscape(id)), http.StatusOK, &sr); err != nil {
		return nil, err
	}
	return &sr, nil
}

// ListSignRequests returns one page of GET /2.0/sign_requests.
func (c *Client) ListSignRequests(ctx context.Context, opts ListSignRequestsOptions) (*SignRequestPage, error) {
	r := c.api(http.MethodGet, "/sign_requests")
	q := url.Values{}
	if opts.Marker != "" {
		q.Set("marker", opts.Marker)
	}
	if opts.Limit > 0 {
		q.Set("limit", strconv.FormatInt(min(opts.Limit, maxListLimit), 10))
	}
	if len(opts.Senders) > 0 {
		q.Set("senders", strings.Join(opts.Senders, ","))
	}
	if opts.SharedRequests {
		q.Set("shared_requests", "true")
	}
	r.query = q
	var p SignRequestPage
	if _, err := c.do(ctx, r, http.StatusOK, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// CancelSignRequest cancels a sign request (POST .../cancel) without a
// reason; see CancelSignRequestWithReason.
func (c *Client) CancelSignRequest(ctx context.Context, id string) (*SignRequest, error) {
	return c.CancelSignRequestWithReason(ctx, id, "")
}

// CancelSignRequestWithReason cancels a sign request (POST .../cancel),
// sending reason in Box's SignRequestCancelRequest when it is not "".
// After an ambiguous failure it reads the request: if it is cancelled,
// that is success; otherwise the cancel is resent (within MaxRetries).
func (c *Client) CancelSignRequestWithReason(ctx context.Context, id, reason string) (*SignRequest, error) {
	if id == "" {
		return nil, errors.New("box: CancelSignRequest: empty ID")
	}
	var body []byte
	if reason != "" {
		var err error
		if body, err = jsonBody(map[string]string{"reason": reason}); err != nil {
			return nil, err
		}
	}
	totalAttempts := 0
	for round := 0; ; round++ {
		r := c.api(http.MethodPost, "/sign_requests/"+url.PathEscape(id)+"/cancel")
		r.kind = kindSafeOnly
		if body != nil {
			r.body, r.contentType = body, "application/json"
		}
		resp, err := c.sendWithin(ctx, r, &totalAttempts)

		var ambiguous error
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, err
		case err != nil && wasNotSent(err):
			return nil, err
		case err != nil:
			ambiguous = err
		case resp.status == http.StatusOK:
			var sr SignRequest
			if err := json.Unmarshal(resp.body, &sr); err != nil {
				return nil, fmt.Errorf("box: decoding the cancelled sign request: %w", err)
			}
			return &sr, nil
		case resp.status >= 500:
			ambiguous = c.apiError(r, resp)
		default:
			return nil, c.apiError(r, resp)
		}

		sr, gerr := c.GetSignRequest(ctx, id)
		if gerr == nil && sr.Status == StatusCancelled {
			c.log(ctx, "sign request cancel failed ambiguously but the request is cancelled", map[string]any{"sign_request_id": id})
			return sr, nil
		}
		if gerr != nil {
			// gerr is text only (%v): callers judge the cancel by its own
			// failure, and a 404 from this follow-up read must not make
			// IsNotFound report the request gone when the cancel failed.
			return nil, fmt.Errorf("%w; reading the request afterwards also failed: %v", ambiguous, gerr) //nolint:errorlint // see above: only the cancel's error is wrapped
		}
		if totalAttempts > c.maxRetries {
			return nil, ambiguous
		}
		if err := sleep(ctx, c.expBackoff(round)); err != nil {
			return nil, err
		}
	}
}

// ResendSignRequest re-sends the request's emails to outstanding signers
// (POST .../resend, 202). It is resent only when it certainly did not take
// effect: Box refuses a second resend within 10 minutes.
func (c *Client) ResendSignRequest(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("box: ResendSignRequest: empty ID")
	}
	r := c.api(http.MethodPost, "/sign_requests/"+url.PathEscape(id)+"/resend")
	r.kind = kindSignWrite
	_, err := c.do(ctx, r, http.StatusAccepted, nil)
	return err
}

// GetSignTemplate returns a Box Sign template.
func (c *Client) GetSignTemplate(ctx context.Context, id string) (*SignTemplate, error) {
	if id == "" {
		return nil, errors.New("box: GetSignTemplate: empty ID")
	}
	var t SignTemplate
	if _, err := c.do(ctx, c.api(http.MethodGet, "/sign_templates/"+url.PathEscape(id)), http.StatusOK, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// ListSignTemplates returns one page of GET /2.0/sign_templates.
func (c *Client) ListSignTemplates(ctx context.Context, marker string, limit int64) (*SignTemplatePage, error) {
	var p SignTemplatePage
	if _, err := c.do(ctx, c.markerListRequest("/sign_templates", marker, limit), http.StatusOK, &p); err != nil {
		return nil, err
	}
	return &p, nil
}
