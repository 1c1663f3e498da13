package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// emulator is a running bin/box-emulator, started through emulatorproc in
// its own process group, so that stopping it (or a Ctrl-C) takes down
// everything it started.
type emulator struct {
	*emulatorproc.Process
	fileID   string // the first seeded file: every sign request uses it
	folderID string
	userID   string // the seeded admin, the subject of the client-credentials grant
}

// startEmulator runs the emulator on a free port with no conversion delay
// (stated, not left to the emulator's default: the figures must not
// include a wait that Box's real conversion time would make different)
// and the given extra flags.
func startEmulator(ctx context.Context, path string, flags ...string) (*emulator, error) {
	p, err := emulatorproc.Start(ctx, emulatorproc.Options{
		Bin:    path,
		Args:   flags,
		Need:   []string{"file_id", "folder_id", "admin_user_id"},
		Stderr: os.Stderr,
	})
	if err != nil {
		return nil, err
	}
	return &emulator{Process: p, fileID: p.Seed.Get("file_id"), folderID: p.Seed.Get("folder_id"), userID: p.Seed.Get("admin_user_id")}, nil
}

func (e *emulator) stop() { e.Stop() }

// env is what the provider needs to reach this emulator: its address and
// client-credentials for the seeded admin, so that every Terraform command
// fetches a real token and the token requests can be counted.
func (e *emulator) env() []string {
	return []string{
		"BOX_API_BASE_URL=" + e.URL,
		"BOX_CLIENT_ID=" + emulatorproc.ClientID,
		"BOX_CLIENT_SECRET=" + emulatorproc.ClientSecret,
		"BOX_USER_ID=" + e.userID,
	}
}

// stats is the emulator's request count: route ("POST /2.0/sign_requests")
// to response status ("201", "429", "dropped") to count.
type stats map[string]map[string]int

// Routes the figures read.
const (
	routeCreate = "POST /2.0/sign_requests"
	routeGet    = "GET /2.0/sign_requests/{id}"
	routeCancel = "POST /2.0/sign_requests/{id}/cancel"
	routeOAuth  = "POST /oauth2/token"
)

func (e *emulator) stats(ctx context.Context) (stats, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.URL+"/_emulator/stats", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("reading the emulator's stats: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		Requests stats `json:"requests"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("decoding the emulator's stats: %w", err)
	}
	return out.Requests, nil
}

// minus returns the requests counted since the snapshot old. Diffing
// snapshots, rather than POST /_emulator/reset, keeps the sign requests
// that the next command refreshes and destroys.
func (s stats) minus(old stats) stats {
	out := stats{}
	for route, byStatus := range s {
		for status, n := range byStatus {
			if d := n - old[route][status]; d != 0 {
				if out[route] == nil {
					out[route] = map[string]int{}
				}
				out[route][status] = d
			}
		}
	}
	return out
}

// add accumulates other into s (for several rounds).
func (s stats) add(other stats) {
	for route, byStatus := range other {
		if s[route] == nil {
			s[route] = map[string]int{}
		}
		for status, n := range byStatus {
			s[route][status] += n
		}
	}
}

// calls counts the requests to route, whatever their answer.
func (s stats) calls(route string) int {
	n := 0
	for _, c := range s[route] {
		n += c
	}
	return n
}

// answered counts the requests to route that got status.
func (s stats) answered(route, status string) int { return s[route][status] }

// others counts the requests to routes not in known.
func (s stats) others(known ...string) int {
	n := 0
	for route := range s {
		isKnown := false
		for _, k := range known {
			isKnown = isKnown || route == k
		}
		if !isKnown {
			n += s.calls(route)
		}
	}
	return n
}
