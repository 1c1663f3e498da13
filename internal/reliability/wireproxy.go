package reliability

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"syscall"
	"time"
)

// wireProxy sits between the provider and the emulator and counts the
// creates on the wire and those Box answered 201, so that a scenario can
// stop terraform while creates are in flight, however busy the machine.
type wireProxy struct {
	*httptest.Server
	onWire  atomic.Int32
	created atomic.Int32
}

func newWireProxy(emuURL string) *wireProxy {
	wp := &wireProxy{}
	target, _ := url.Parse(emuURL)
	rp := httputil.NewSingleHostReverseProxy(target)
	// A stopped terraform cancels its creates mid-flight: expected here.
	rp.ErrorLog = log.New(io.Discard, "", 0)
	rp.ModifyResponse = func(resp *http.Response) error {
		if isCreate(resp.Request) && resp.StatusCode == http.StatusCreated {
			// Counted before the body is relayed: Box has the request
			// whether or not terraform lives to read the answer.
			wp.created.Add(1)
		}
		return nil
	}
	wp.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if isCreate(req) {
			wp.onWire.Add(1)
			defer wp.onWire.Add(-1)
		}
		rp.ServeHTTP(w, req)
	}))
	return wp
}

func isCreate(req *http.Request) bool {
	return req.Method == http.MethodPost && req.URL.Path == "/2.0/sign_requests"
}

// waitExit waits up to limit for p to exit, killing its process group
// after that (and failing res), and returns its result.
func waitExit(p *tfProcess, limit time.Duration, res *Result, after string) tfResult {
	exited := make(chan tfResult, 1)
	go func() { exited <- p.wait() }()
	select {
	case out := <-exited:
		return out
	case <-time.After(limit):
		res.failf("terraform did not exit within %s of %s", limit, after)
		_ = p.signalGroup(syscall.SIGKILL)
		return <-exited
	}
}
