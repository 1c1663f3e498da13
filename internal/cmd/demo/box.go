package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// devToken is the emulator's default developer token (its
// -developer-token flag), which acts as the seeded admin who owns the demo
// folder.
const devToken = "dev-token"

// signerAction is one thing a signer does on the emulator's signing page,
// and the HTTP status the emulator must answer.
type signerAction struct {
	email  string
	action string // open or sign
	body   map[string]any
	want   int
}

// act plays a signer and checks the emulator's answer.
func (d *demo) act(id string, a signerAction) error {
	body := a.body
	if body == nil {
		body = map[string]any{}
	}
	b, _ := json.Marshal(body)
	url := fmt.Sprintf("%s/_emulator/sign_requests/%s/signers/%s/%s", d.emu.URL, id, a.email, a.action)
	req, err := http.NewRequestWithContext(d.ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Code string `json:"code"`
	}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	verdict := "accepted"
	if resp.StatusCode >= 300 {
		verdict = fmt.Sprintf("refused (%d %s)", resp.StatusCode, out.Code)
	}
	fmt.Printf("    %s %s: %s\n", a.email, a.action, verdict)
	if resp.StatusCode != a.want {
		return fmt.Errorf("%s %s: got HTTP %d, want %d: %s", a.email, a.action, resp.StatusCode, a.want, raw)
	}
	return nil
}

// lastSMS is the last code the emulator "texted" for the request.
func (d *demo) lastSMS(id string) (string, error) {
	var out struct {
		Entries []struct {
			Code          string `json:"code"`
			SignRequestID string `json:"sign_request_id"`
		} `json:"entries"`
	}
	if err := d.getJSON("/_emulator/sms", "", &out); err != nil {
		return "", err
	}
	code := ""
	for _, en := range out.Entries {
		if en.SignRequestID == id {
			code = en.Code
		}
	}
	if code == "" {
		return "", errNoSMS
	}
	return code, nil
}

// watchStatus lists the sign requests through the Box API every interval
// until the demo's request reaches status until or ctx ends (then it looks
// once more), prints each status change as Box reports it, and returns the
// statuses the request went through. The demo has one request.
func (d *demo) watchStatus(ctx context.Context, until string, every time.Duration) []string {
	var seen []string
	for stopping := false; ; {
		var page struct {
			Entries []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"entries"`
		}
		if err := d.getJSON("/2.0/sign_requests", devToken, &page); err == nil && len(page.Entries) > 0 {
			sr := page.Entries[0]
			if len(seen) == 0 || seen[len(seen)-1] != sr.Status {
				seen = append(seen, sr.Status)
				fmt.Printf("    (Box reports sign request %s: %s)\n", sr.ID, sr.Status)
			}
		}
		if stopping || (len(seen) > 0 && seen[len(seen)-1] == until) {
			return seen
		}
		select {
		case <-ctx.Done():
			stopping = true // one last look: the apply may have ended between two
		case <-time.After(every):
		}
	}
}

// getJSON GETs path from the emulator, with a bearer token unless token is
// "", and decodes the answer into out.
func (d *demo) getJSON(path, token string, out any) error {
	ctx, cancel := context.WithTimeout(d.ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.emu.URL+path, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d", path, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
