package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// The emulator's default credentials (emulatorproc, from its -developer-token,
// -client-id, -client-secret and -enterprise-id flags): the developer token
// acts as the seeded admin who owns the folder for signed copies; client
// credentials for the enterprise act as the app's service account.
const (
	devToken     = emulatorproc.DeveloperToken
	clientID     = emulatorproc.ClientID
	clientSecret = emulatorproc.ClientSecret
	enterpriseID = emulatorproc.EnterpriseID
)

// serviceToken is an access token of the service account, which sends the
// demo's request and so sees it in its list; fetched once.
func (d *demo) serviceToken() (string, error) {
	if d.svcToken != "" {
		return d.svcToken, nil
	}
	tok, err := emulatorproc.ServiceAccountToken(d.ctx, d.emu.URL)
	if err != nil {
		return "", err
	}
	d.svcToken = tok
	return tok, nil
}

// checkLeftovers shows what destroy left: the folder Terraform made is in
// the trash, and the signed copy stays in the folder it does not manage.
func (d *demo) checkLeftovers(folderID string) error {
	var gone struct{}
	if err := d.getJSON("/2.0/folders/"+folderID, devToken, &gone); err == nil {
		return fmt.Errorf("folder %s is still in Box after destroy", folderID)
	}
	var items struct {
		Entries []struct {
			Type string `json:"type"`
			Name string `json:"name"`
		} `json:"entries"`
	}
	if err := d.getJSON("/2.0/folders/"+d.emu.Seed.Get("folder_id")+"/items", devToken, &items); err != nil {
		return err
	}
	var kept []string
	for _, it := range items.Entries {
		if it.Type == "file" && strings.HasPrefix(it.Name, "Demo NDA") {
			kept = append(kept, it.Name)
		}
	}
	if slices.Contains(kept, "Demo NDA.pdf") {
		fmt.Printf("    folder %s is in the trash; Box keeps %q\n", folderID, kept)
		return nil
	}
	return fmt.Errorf("no signed copy of the demo NDA in folder %s after destroy", d.emu.Seed.Get("folder_id"))
}

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
		tok, err := d.serviceToken()
		if err == nil {
			err = d.getJSON("/2.0/sign_requests", tok, &page)
		}
		if err == nil && len(page.Entries) > 0 {
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
