package box

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// emuBox is a seeded emulator with a movable clock, for the orphan tests.
type emuBox struct {
	srv  *httptest.Server
	seed emulator.SeedInfo

	mu    sync.Mutex
	shift time.Duration // added to the emulator's clock
}

func newEmuBox(t *testing.T) *emuBox {
	t.Helper()
	e := &emuBox{}
	emu, err := emulator.New(emulator.Options{Seed: true, Now: func() time.Time {
		e.mu.Lock()
		defer e.mu.Unlock()
		return time.Now().Add(e.shift)
	}})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(emu)
	t.Cleanup(e.srv.Close)
	e.seed = emu.Seeded()
	return e
}

// at runs f with the emulator's clock moved by d.
func (e *emuBox) at(d time.Duration, f func()) {
	e.mu.Lock()
	e.shift = d
	e.mu.Unlock()
	defer func() { e.mu.Lock(); e.shift = 0; e.mu.Unlock() }()
	f()
}

// client is a Client as one provider process has it.
func (e *emuBox) client(t *testing.T, window time.Duration) *Client {
	t.Helper()
	c, err := New(Config{APIBaseURL: e.srv.URL, AccessToken: "dev-token", MaxRetries: new(2), OrphanWindow: window})
	if err != nil {
		t.Fatal(err)
	}
	c.retryBase, c.retryCap = time.Millisecond, 5*time.Millisecond
	return c
}

// body is a create for the seeded file with signer n.
func (e *emuBox) body(n int) *SignRequestCreate {
	return &SignRequestCreate{
		Signers: []SignRequestCreateSigner{
			{Email: fmt.Sprintf("signer%d@example.com", n), VerificationPhoneNumber: ptr("+15551230000")},
		},
		SourceFiles:  []FileRef{{ID: e.seed.FileIDs[0], Type: "file"}},
		ParentFolder: &FolderRef{ID: e.seed.FolderID, Type: "folder"},
		Name:         ptr(fmt.Sprintf("Contract %d", n)),
	}
}

// calls counts the emulator's answers on a route, all statuses together.
func (e *emuBox) calls(t *testing.T, route string) int {
	t.Helper()
	return emulatorCalls(t, e.srv.URL, route)
}

// emulatorCalls counts the answers of the emulator at base on a route, all
// statuses together.
func emulatorCalls(t *testing.T, base, route string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/_emulator/stats", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Requests map[string]map[string]int `json:"requests"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range out.Requests[route] {
		n += c
	}
	return n
}

func (e *emuBox) control(t *testing.T, path string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.srv.URL+path, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
	}
}

const (
	routeCreate = "POST /2.0/sign_requests"
	routeList   = "GET /2.0/sign_requests"
	routeMe     = "GET /2.0/users/me"
)

func TestOrphanAdoptedInsteadOfSent(t *testing.T) {
	e := newEmuBox(t)
	// The killed run: Box made the request, the state never learnt of it.
	orphan, err := e.client(t, 0).CreateSignRequest(t.Context(), e.body(1))
	if err != nil {
		t.Fatal(err)
	}
	c := e.client(t, 24*time.Hour)
	sr, adopted, err := c.CreateOrAdoptSignRequest(t.Context(), e.body(1), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sr.ID != orphan.ID || adopted == nil || adopted.Reason != AdoptedOrphan || adopted.CreatedAt == nil || adopted.Window != 24*time.Hour {
		t.Fatalf("got %s, adoption %+v; want orphan %s adopted", sr.ID, adopted, orphan.ID)
	}
	if n := e.calls(t, routeCreate); n != 1 {
		t.Errorf("creates = %d, want 1 (the orphan's)", n)
	}
	// The orphan is now known: an identical create in the same process sends.
	sr2, adopted2, err := c.CreateOrAdoptSignRequest(t.Context(), e.body(1), CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sr2.ID == orphan.ID || adopted2 != nil {
		t.Errorf("second identical create returned %s (adoption %+v), want a new request", sr2.ID, adopted2)
	}
	// And a request this process created is never adopted by a sibling.
	sr3, adopted3, err := c.CreateOrAdoptSignRequest(t.Context(), e.body(1), CreateOptions{})
	if err != nil || sr3.ID == sr2.ID || sr3.ID == orphan.ID || adopted3 != nil {
		t.Errorf("third identical create: %v, %+v, %v", sr3, adopted3, err)
	}
	if l, me := e.calls(t, routeList), e.calls(t, routeMe); l != 1 || me != 1 {
		t.Errorf("list calls = %d, users/me = %d; want one walk per process", l, me)
	}
}

func TestOrphanNotAdopted(t *testing.T) {
	cases := []struct {
		name   string
		window time.Duration
		opts   CreateOptions
		age    time.Duration // how long ago the matching request was made
		after  func(t *testing.T, e *emuBox, c *Client, sr *SignRequest)
		body   func(*SignRequestCreate)
		lists  int
	}{
		{name: "allow_identical", window: 24 * time.Hour, opts: CreateOptions{AllowIdentical: true}},
		{name: "window 0 turns the search off", window: 0},
		{name: "older than the window", window: 24 * time.Hour, age: 25 * time.Hour, lists: 1},
		{name: "cancelled", window: 24 * time.Hour, lists: 1, after: func(t *testing.T, _ *emuBox, c *Client, sr *SignRequest) {
			if _, err := c.CancelSignRequest(t.Context(), sr.ID); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "declined", window: 24 * time.Hour, lists: 1, after: func(t *testing.T, e *emuBox, _ *Client, sr *SignRequest) {
			e.control(t, "/_emulator/sign_requests/"+sr.ID+"/signers/signer1@example.com/decline")
		}},
		{name: "other external id", window: 24 * time.Hour, lists: 1, body: func(r *SignRequestCreate) { r.ExternalID = ptr("copy-2") }},
		{name: "other phone", window: 24 * time.Hour, lists: 1, body: func(r *SignRequestCreate) { r.Signers[0].VerificationPhoneNumber = ptr("+15559990000") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEmuBox(t)
			old := e.client(t, 0)
			var earlier *SignRequest
			e.at(-tc.age, func() {
				var err error
				if earlier, err = old.CreateSignRequest(t.Context(), e.body(1)); err != nil {
					t.Fatal(err)
				}
			})
			if tc.after != nil {
				tc.after(t, e, old, earlier)
			}
			req := e.body(1)
			if tc.body != nil {
				tc.body(req)
			}
			sr, adopted, err := e.client(t, tc.window).CreateOrAdoptSignRequest(t.Context(), req, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if sr.ID == earlier.ID || adopted != nil {
				t.Fatalf("adopted %s (%+v), want a new request", sr.ID, adopted)
			}
			if n := e.calls(t, routeCreate); n != 2 {
				t.Errorf("creates = %d, want 2", n)
			}
			if n := e.calls(t, routeList); n != tc.lists {
				t.Errorf("list calls = %d, want %d", n, tc.lists)
			}
		})
	}
}

// Issue 21: two live requests that both match cannot be told apart, so
// none is adopted and nothing is sent (before, the earliest was adopted
// silently and a second create adopted the other). The refusal names both.
// One orphan and three parallel identical creates: one adopts it, the
// other two send.
func TestOrphanAdoptionUnderConcurrency(t *testing.T) {
	e := newEmuBox(t)
	old := e.client(t, 0)
	orphans := map[string]bool{}
	for range 2 {
		sr, err := old.CreateSignRequest(t.Context(), e.body(1))
		if err != nil {
			t.Fatal(err)
		}
		orphans[sr.ID] = true
	}
	c := e.client(t, 24*time.Hour)
	_, _, err := c.CreateOrAdoptSignRequest(t.Context(), e.body(1), CreateOptions{})
	r, ok := AsOrphanRefusal(err)
	if !ok || r.Reason != RefusedSeveral || len(r.Candidates) != 2 {
		t.Fatalf("error = %v, want a refusal naming two candidates", err)
	}
	for id := range orphans {
		if !strings.Contains(err.Error(), id) {
			t.Errorf("the refusal does not name %s: %v", id, err)
		}
	}
	if n := e.calls(t, routeCreate); n != 2 {
		t.Errorf("creates = %d, want 2 (the orphans only)", n)
	}

	e2 := newEmuBox(t)
	orphan, err := e2.client(t, 0).CreateSignRequest(t.Context(), e2.body(1))
	if err != nil {
		t.Fatal(err)
	}
	c2 := e2.client(t, 24*time.Hour)
	var mu sync.Mutex
	var wg sync.WaitGroup
	ids := map[string]bool{}
	adoptions := 0
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sr, adopted, err := c2.CreateOrAdoptSignRequest(t.Context(), e2.body(1), CreateOptions{})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if ids[sr.ID] {
				t.Errorf("%s returned twice", sr.ID)
			}
			ids[sr.ID] = true
			if adopted != nil {
				adoptions++
				if sr.ID != orphan.ID {
					t.Errorf("adopted %s, which is not the orphan", sr.ID)
				}
			}
		}()
	}
	wg.Wait()
	if adoptions != 1 || len(ids) != 3 || e2.calls(t, routeCreate) != 3 {
		t.Errorf("adoptions = %d, distinct = %d, creates = %d; want 1, 3, 3", adoptions, len(ids), e2.calls(t, routeCreate))
	}
}

// The cost: one GET /users/me and one paged walk per process, whatever
// the number of creates. Measured with 1200 earlier requests in Box (two
// pages of 1000) and N = 100 parallel creates.
func TestOrphanWalkCostForManyCreates(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 1300 requests")
	}
	e := newEmuBox(t)
	seedClient := e.client(t, 0)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range 1200 {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, err := seedClient.CreateSignRequest(t.Context(), e.body(10000+i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	before := e.calls(t, routeList)

	const n = 100
	c := e.client(t, 24*time.Hour)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if _, adopted, err := c.CreateOrAdoptSignRequest(t.Context(), e.body(i), CreateOptions{}); err != nil || adopted != nil {
				t.Errorf("create %d: adopted %+v, %v", i, adopted, err)
			}
		}()
	}
	wg.Wait()
	lists, me := e.calls(t, routeList)-before, e.calls(t, routeMe)
	t.Logf("N = %d creates over 1200 earlier requests: %d list calls, %d users/me, %d creates", n, lists, me, e.calls(t, routeCreate)-1200)
	if lists != 2 || me != 1 || e.calls(t, routeCreate) != 1200+n {
		t.Errorf("list calls = %d (want 2 pages), users/me = %d (want 1), creates = %d", lists, me, e.calls(t, routeCreate)-1200)
	}
}

// A list entry without created_at is never adopted as an orphan; after an
// ambiguous failure in this process it may be (issue 11's rule).
func TestUndatedListEntries(t *testing.T) {
	t.Run("never an orphan", func(t *testing.T) {
		f := &fakeSign{}
		undated, _ := f.create(mustJSON(t, sampleCreate()))
		f.items[0].CreatedAt = nil
		f.posts = 0
		srv := undatedServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
			writeJSON(w, 201, created(t, f, w, body))
		})
		c, _ := newTestClient(t, srv, func(cfg *Config) { cfg.OrphanWindow = 24 * time.Hour })
		sr, adopted, err := c.CreateOrAdoptSignRequest(t.Context(), sampleCreate(), CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if sr.ID == undated.ID || adopted != nil {
			t.Errorf("adopted the undated entry %s", sr.ID)
		}
		if posts, lists, _ := f.count(); posts != 1 || lists != 1 {
			t.Errorf("posts = %d, lists = %d; want 1, 1", posts, lists)
		}
	})
	t.Run("adopted after an ambiguous failure", func(t *testing.T) {
		f := &fakeSign{}
		srv := undatedServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
			created(t, f, w, body)
			f.mu.Lock()
			f.items[len(f.items)-1].CreatedAt = nil
			f.mu.Unlock()
			boxError(w, 502, "bad_gateway", "Bad Gateway", "rid-502")
		})
		c, _ := newTestClient(t, srv, func(cfg *Config) { cfg.OrphanWindow = 24 * time.Hour })
		sr, adopted, err := c.CreateOrAdoptSignRequest(t.Context(), sampleCreate(), CreateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if sr.ID != f.items[0].ID || adopted == nil || adopted.Reason != AdoptedAfterAmbiguousCreate {
			t.Errorf("got %s, adoption %+v; want %s adopted after the ambiguous create", sr.ID, adopted, f.items[0].ID)
		}
		if posts, lists, items := f.count(); posts != 1 || lists != 2 || items != 1 {
			t.Errorf("posts = %d, lists = %d, items = %d; want 1, 2 (walk, then check), 1", posts, lists, items)
		}
	})
}

// undatedServer is signServer plus GET /users/me and GET of one request.
func undatedServer(t *testing.T, f *fakeSign, createFn func(n int, w http.ResponseWriter, body []byte)) *httptest.Server {
	inner := signServer(t, f, createFn)
	t.Cleanup(inner.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/2.0/users/me" {
			writeJSON(w, 200, map[string]any{"type": "user", "id": "42", "login": requesterEmail})
			return
		}
		inner.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// When the search cannot run, nothing is sent: sending blind could mail
// the signers a second time.
func TestOrphanSearchFailureSendsNothing(t *testing.T) {
	f := &fakeSign{}
	inner := signServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
		writeJSON(w, 201, created(t, f, w, body))
	})
	t.Cleanup(inner.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/2.0/users/me" {
			boxError(w, 403, "access_denied_insufficient_permissions", "Access denied", "rid-me")
			return
		}
		inner.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv, func(cfg *Config) { cfg.OrphanWindow = time.Hour })
	_, _, err := c.CreateOrAdoptSignRequest(t.Context(), sampleCreate(), CreateOptions{})
	if !IsOrphanSearchError(err) || !strings.Contains(err.Error(), "nothing was sent") || !strings.Contains(err.Error(), "rid-me") {
		t.Fatalf("error = %v", err)
	}
	if posts, lists, _ := f.count(); posts != 0 || lists != 0 {
		t.Errorf("posts = %d, lists = %d; want none", posts, lists)
	}
	// allow_identical skips the search and sends.
	if _, adopted, err := c.CreateOrAdoptSignRequest(t.Context(), sampleCreate(), CreateOptions{AllowIdentical: true}); err != nil || adopted != nil {
		t.Fatalf("AllowIdentical: %+v, %v", adopted, err)
	}
	if posts, _, _ := f.count(); posts != 1 {
		t.Errorf("posts = %d, want 1", posts)
	}
}

// The walk runs under the context of the create that started it. When
// that create is cancelled (its timeout), a create waiting on the same
// walk walks again instead of failing for another resource's reason.
func TestOrphanWalkOutlivesItsStarter(t *testing.T) {
	f := &fakeSign{}
	inner := signServer(t, f, func(n int, w http.ResponseWriter, body []byte) {
		writeJSON(w, 201, created(t, f, w, body))
	})
	t.Cleanup(inner.Close)
	arrived, release := make(chan struct{}), make(chan struct{})
	var mes sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/2.0/users/me" {
			mes.Lock()
			calls++
			first := calls == 1
			mes.Unlock()
			if first {
				close(arrived)
				<-release
			}
			writeJSON(w, 200, map[string]any{"type": "user", "id": "42", "login": requesterEmail})
			return
		}
		inner.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, _ := newTestClient(t, srv, func(cfg *Config) { cfg.OrphanWindow = time.Hour })

	ctx1, cancel1 := context.WithCancel(t.Context())
	errA := make(chan error, 1)
	go func() {
		_, _, err := c.CreateOrAdoptSignRequest(ctx1, sampleCreate(), CreateOptions{})
		errA <- err
	}()
	<-arrived
	errB := make(chan error, 1)
	go func() {
		other := sampleCreate()
		other.ExternalID = ptr("ext-2")
		_, _, err := c.CreateOrAdoptSignRequest(t.Context(), other, CreateOptions{})
		errB <- err
	}()
	time.Sleep(50 * time.Millisecond) // let B wait on A's walk
	cancel1()
	if err := <-errA; err == nil {
		t.Error("the cancelled create succeeded")
	}
	close(release)
	if err := <-errB; err != nil {
		t.Fatalf("the waiting create failed with its sibling's cancellation: %v", err)
	}
	if posts, _, _ := f.count(); posts != 1 {
		t.Errorf("posts = %d, want 1", posts)
	}
}
