package provider

import (
	"encoding/json"
	"os"
	"sync"
	"testing"
)

var recordMu sync.Mutex

// recordSecrets notes the secret values a test passes the way users are
// told to (the environment, sensitive or ephemeral variables) in the file
// named by BOX_TEST_SECRETS_FILE, if set. The reliability run (`make
// reliability`, scenario 8) runs the whole suite with TRACE logging and
// then looks for every recorded value in every log, error and state file.
// Values written as literals in a test's configuration are not recorded:
// Terraform quotes configuration lines in its diagnostics and the test
// harness logs the configuration, as they would for a user's own .tf file.
func recordSecrets(t *testing.T, byName map[string]string) {
	t.Helper()
	path := os.Getenv("BOX_TEST_SECRETS_FILE")
	if path == "" {
		return
	}
	recordMu.Lock()
	defer recordMu.Unlock()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatalf("recording secrets: %v", err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for name, v := range byName {
		if v == "" {
			continue
		}
		if err := enc.Encode(map[string]string{"test": t.Name(), "name": name, "value": v}); err != nil {
			t.Fatalf("recording secrets: %v", err)
		}
	}
}
