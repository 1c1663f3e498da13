package box

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// slowCreate answers every create 201 after delay, as Box does while it
// works; the request exists in Box whatever the client does meanwhile.
func slowCreate(t *testing.T, delay time.Duration) (*httptest.Server, *fakeSign) {
	f := &fakeSign{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sr, err := f.create(body)
		if err != nil {
			t.Errorf("create body: %v", err)
		}
		time.Sleep(delay)
		writeJSON(w, http.StatusCreated, sr)
	}))
	t.Cleanup(srv.Close)
	return srv, f
}

// Ctrl-C while a create is on the wire: the client waits for Box's answer
// (within the grace) and returns the request, so the caller can record it.
// Abandoning it would leave a request in Box that the next apply sends
// again.
func TestCreateInFlightSurvivesCancellation(t *testing.T) {
	srv, f := slowCreate(t, 300*time.Millisecond)
	c, _ := newTestClient(t, srv, nil)
	c.writeGrace = 5 * time.Second
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	sr, err := c.CreateSignRequest(ctx, sampleCreate())
	if err != nil {
		t.Fatalf("the create in flight was abandoned: %v", err)
	}
	if _, _, items := f.count(); items != 1 || sr.ID != f.items[0].ID {
		t.Errorf("got %+v, Box holds %d requests", sr, items)
	}
}

// The grace is bounded: a server that never answers does not hold the
// interrupted apply for longer than it.
func TestCreateInFlightGraceIsBounded(t *testing.T) {
	srv, _ := slowCreate(t, 3*time.Second)
	c, _ := newTestClient(t, srv, nil)
	c.writeGrace = 200 * time.Millisecond
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.CreateSignRequest(ctx, sampleCreate())
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s with a grace of 200ms", d)
	}
}

// A cancelled caller sends nothing new: after a 429 the client does not
// retry once the context is done.
func TestNoNewAttemptAfterCancellation(t *testing.T) {
	posts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts++
		w.Header().Set("Retry-After", "1")
		boxError(w, http.StatusTooManyRequests, "rate_limit_exceeded", "slow down", "r1")
	}))
	defer srv.Close()
	c, _ := newTestClient(t, srv, nil)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(200*time.Millisecond, cancel)
	if _, err := c.CreateSignRequest(ctx, sampleCreate()); err == nil {
		t.Fatal("no error")
	}
	if posts != 1 {
		t.Errorf("%d POSTs, want 1: an attempt was sent after the cancellation", posts)
	}
}
