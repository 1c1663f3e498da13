package emulatorproc

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// The credentials a launched emulator accepts: Start never overrides the
// command's defaults, so they are the emulator's own.
const (
	DeveloperToken = emulator.DefaultDeveloperToken
	ClientID       = emulator.DefaultClientID
	ClientSecret   = emulator.DefaultClientSecret
	EnterpriseID   = emulator.DefaultEnterpriseID
)

// tokenClient bounds the token request like every other call the
// launchers make to the emulator.
var tokenClient = &http.Client{Timeout: 30 * time.Second}

// ServiceAccountToken is a client-credentials token of the enterprise's
// service account from the emulator at baseURL: what a provider configured
// with client credentials acts as, so the requests it sent are listed.
func ServiceAccountToken(ctx context.Context, baseURL string) (string, error) {
	form := url.Values{
		"grant_type": {"client_credentials"}, "client_id": {ClientID}, "client_secret": {ClientSecret},
		"box_subject_type": {"enterprise"}, "box_subject_id": {EnterpriseID},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := tokenClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" {
		return "", fmt.Errorf("the emulator issued no service account token (HTTP %d)", resp.StatusCode)
	}
	return out.AccessToken, nil
}
