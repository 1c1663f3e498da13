package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// A scenario at TRACE level, with every kind of secret the provider
// handles, leaves none of them in Terraform's logs, the provider's logs,
// plan output or error messages.
func TestAccSecrets_notInTraceLogs(t *testing.T) {
	const (
		password   = "Pw-Trace-5c1e7a"
		passwordWO = "Wo-Trace-9d04b2"
		phone      = "+15557650199"
		devToken   = "devtoken-trace-83f1c2"
		badPhone   = "+1555765-secret"
	)
	logDir := os.Getenv("BOX_TEST_LOG_DIR")
	if logDir == "" {
		logDir = t.TempDir()
	}
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logDir, "%s.log"))
	t.Setenv("TF_LOG", "TRACE")
	e := newTestEnv(t, func(o *emulator.Options) { o.DeveloperToken = devToken })
	e.requireEmulator(t)
	var embedURL, iframeURL string
	// Secrets reach Terraform the way users are told to pass them: the token
	// through the environment, the signers' secrets as sensitive variables.
	// (A literal in a .tf file is the user's own text: Terraform quotes
	// source lines in its diagnostics, and the test harness logs the file.)
	recordSecrets(t, map[string]string{
		"password": password, "password_wo": passwordWO, "phone number": phone,
		"invalid phone number": badPhone, "access token": devToken,
	})
	t.Setenv("BOX_ACCESS_TOKEN", devToken)
	t.Setenv("TF_VAR_password", password)
	t.Setenv("TF_VAR_password_wo", passwordWO)
	t.Setenv("TF_VAR_phone", phone)
	t.Setenv("TF_VAR_bad_phone", badPhone)
	vars := fmt.Sprintf(`
provider "box" {
  api_base_url = %q
}
variable "password" {
  type      = string
  sensitive = true
}
variable "password_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "phone" {
  type      = string
  sensitive = true
}
variable "bad_phone" {
  type      = string
  sensitive = true
}
`, e.URL)
	cfg := vars + fmt.Sprintf(`
resource "box_sign_request" "test" {
  source_file_ids = [%q]
  is_phone_verification_required_to_view = true
  signer {
    email    = "pw@example.com"
    password = var.password
  }
  signer {
    email               = "wo@example.com"
    password_wo         = var.password_wo
    password_wo_version = 1
  }
  signer {
    email                     = "phone@example.com"
    verification_phone_number = var.phone
  }
  signer {
    email                      = "embed@example.com"
    embed_url_external_user_id = "ext-1"
    suppress_notifications     = true
  }
}
`, e.FileID)
	bad := vars + fmt.Sprintf(`
resource "box_sign_request" "test" {
  source_file_ids = [%q]
  signer {
    email                     = "phone@example.com"
    verification_phone_number = var.bad_phone
  }
}
`, e.FileID)
	var errText string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		ErrorCheck: func(err error) error {
			if err != nil {
				errText += err.Error()
			}
			return err
		},
		Steps: []resource.TestStep{
			{
				Config:      bad,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)verification_phone_number`),
			},
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					a := s.RootModule().Resources[res].Primary.Attributes
					// The state holds no signing link (schema version 1):
					// Box's answer has them.
					embedURL, iframeURL = e.signingLinksAs(t, devToken, a["id"], "embed@example.com")
					recordSecrets(t, map[string]string{"embed_url": embedURL, "iframeable_embed_url": iframeURL})
					return stateHasNo(passwordWO)(s)
				},
			},
			{Config: cfg, ConfigPlanChecks: noChange},
		},
	})
	if strings.Contains(errText, badPhone) {
		t.Errorf("an error message repeats the phone number")
	}
	files, _ := filepath.Glob(filepath.Join(logDir, "*"))
	if len(files) == 0 {
		t.Fatal("no trace logs were written, so nothing was checked")
	}
	total := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		total += len(b)
		for name, secret := range map[string]string{
			"password": password, "password_wo": passwordWO, "phone number": phone, "invalid phone number": badPhone,
			"access token": devToken, "embed_url": embedURL, "iframeable_embed_url": iframeURL,
		} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s: the %s appears in the log", filepath.Base(f), name)
			}
		}
	}
	if total < 10000 {
		t.Errorf("only %d bytes of logs: trace logging did not happen", total)
	}
}
