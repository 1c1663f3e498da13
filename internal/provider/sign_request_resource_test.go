package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/box/terraform-provider-box/internal/emulator"
)

const res = "box_sign_request.test"

// signRequestConfig is a box_sign_request named "test" over the first seeded
// file, with the given body (signer blocks and arguments).
func (e *testEnv) signRequestConfig(body string) string {
	return e.provider() + fmt.Sprintf(`
resource "box_sign_request" "test" {
  source_file_ids  = [%q]
  parent_folder_id = %q
%s
}
`, e.FileID, e.FolderID, body)
}

// captureID stores the resource's ID for the steps and checks that follow.
func captureID(id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[res]
		if !ok {
			return fmt.Errorf("%s not in state", res)
		}
		*id = rs.Primary.ID
		return nil
	}
}

// statusInBox checks the request's status as Box reports it, for
// CheckDestroy, when the state no longer has it.
func (e *testEnv) statusInBox(t *testing.T, id *string, want string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.emu == nil {
			return nil
		}
		code, out := e.call(t, "GET", "/2.0/sign_requests/"+*id, "dev-token", nil)
		if code != 200 || out["status"] != want {
			return fmt.Errorf("sign request %s in Box: HTTP %d, status %v, want %s", *id, code, out["status"], want)
		}
		return nil
	}
}

// expectAPI fails the step unless fn returns the wanted status and code.
func expect(t *testing.T, what string, status int, code string, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus || code != wantCode {
		t.Fatalf("%s: got HTTP %d %q, want %d %q", what, status, code, wantStatus, wantCode)
	}
}

var noChange = resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

// The seed's first case: a signer with a password must give it before the
// document opens. Signing changes only computed attributes, so the plan
// stays empty; destroying the signed request warns and leaves it in Box.
func TestAccSignRequest_passwordSigner(t *testing.T) {
	e := newTestEnv(t)
	var id string
	cfg := e.signRequestConfig(`
  name = "Contract"
  signer {
    email    = "alice@example.com"
    password = "Tr0ub4dor&3"
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             e.statusInBox(t, &id, "signed"),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(&id),
					resource.TestCheckResourceAttr(res, "status", "sent"),
					resource.TestCheckResourceAttr(res, "name", "Contract"),
					resource.TestCheckResourceAttr(res, "signer.#", "1"),
					resource.TestCheckResourceAttr(res, "signer.0.email", "alice@example.com"),
					resource.TestCheckResourceAttr(res, "signer.0.role", "signer"),
					resource.TestCheckResourceAttr(res, "signer.0.password", "Tr0ub4dor&3"),
					resource.TestCheckResourceAttr(res, "signer.0.has_viewed_document", "false"),
					resource.TestCheckResourceAttr(res, "sign_file_ids.#", "1"),
					resource.TestCheckResourceAttr(res, "parent_folder_id", e.FolderID),
					resource.TestCheckResourceAttrSet(res, "short_id"),
					resource.TestCheckResourceAttrSet(res, "created_at"),
					resource.TestCheckResourceAttrSet(res, "sender_email"),
				),
			},
			{
				PreConfig: func() {
					e.requireEmulator(t)
					s, c := e.signer(t, id, "alice@example.com", "open", nil)
					expect(t, "open without password", s, c, 403, "password_required")
					s, c = e.signer(t, id, "alice@example.com", "open", map[string]any{"password": "wrong"})
					expect(t, "open with a wrong password", s, c, 403, "password_incorrect")
					s, c = e.signer(t, id, "alice@example.com", "open", map[string]any{"password": "Tr0ub4dor&3"})
					expect(t, "open with the password", s, c, 200, "")
				},
				Config:           cfg,
				ConfigPlanChecks: noChange,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "status", "viewed"),
					resource.TestCheckResourceAttr(res, "signer.0.has_viewed_document", "true"),
				),
			},
			{
				PreConfig: func() {
					s, c := e.signer(t, id, "alice@example.com", "sign", nil)
					expect(t, "sign", s, c, 200, "")
				},
				Config:           cfg,
				ConfigPlanChecks: noChange,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "status", "signed"),
					resource.TestCheckResourceAttr(res, "signer.0.decision", "signed"),
					resource.TestCheckResourceAttrSet(res, "signer.0.decided_at"),
					resource.TestCheckResourceAttr(res, "is_ready_for_download", "true"),
				),
			},
		},
	})
}

// The seed's second case: with is_phone_verification_required_to_view the
// SMS code is needed before the document opens.
func TestAccSignRequest_phoneSignerVerifiedToView(t *testing.T) {
	e := newTestEnv(t)
	var id string
	cfg := e.signRequestConfig(`
  is_phone_verification_required_to_view = true
  signer {
    email                     = "bob@example.com"
    verification_phone_number = "+15551232190"
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(&id),
					resource.TestCheckResourceAttr(res, "status", "sent"),
					resource.TestCheckResourceAttr(res, "is_phone_verification_required_to_view", "true"),
					resource.TestCheckResourceAttr(res, "signer.0.verification_phone_number", "+15551232190"),
				),
			},
			{
				PreConfig: func() {
					e.requireEmulator(t)
					s, c := e.signer(t, id, "bob@example.com", "open", nil)
					expect(t, "open without a code", s, c, 403, "sms_code_required")
					s, c = e.signer(t, id, "bob@example.com", "open", map[string]any{"sms_code": "000000x"})
					expect(t, "open with a wrong code", s, c, 403, "sms_code_incorrect")
					code := e.lastSMSCode(t, id)
					s, c = e.signer(t, id, "bob@example.com", "open", map[string]any{"sms_code": code})
					expect(t, "open with the code", s, c, 200, "")
					s, c = e.signer(t, id, "bob@example.com", "sign", nil)
					expect(t, "sign", s, c, 200, "")
				},
				Config:           cfg,
				ConfigPlanChecks: noChange,
				Check:            resource.TestCheckResourceAttr(res, "status", "signed"),
			},
		},
	})
}

// Several signers in order, the two 2FA kinds together: the second signer
// cannot open before the first has signed.
func TestAccSignRequest_signersInOrder(t *testing.T) {
	e := newTestEnv(t)
	var id string
	cfg := e.signRequestConfig(`
  name          = "Two signers"
  email_subject = "Please sign"
  days_valid    = 30
  signer {
    email    = "first@example.com"
    order    = 1
    password = "first-pass"
  }
  signer {
    email                     = "Second@Example.com"
    order                     = 2
    verification_phone_number = "+447911123456"
  }
  signer {
    email = "reader@example.com"
    role  = "final_copy_reader"
    order = 3
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             e.statusInBox(t, &id, "cancelled"),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(&id),
					resource.TestCheckResourceAttr(res, "signer.#", "3"),
					resource.TestCheckResourceAttr(res, "signer.1.email", "Second@Example.com"),
					resource.TestCheckResourceAttr(res, "signer.1.order", "2"),
					resource.TestCheckResourceAttr(res, "signer.2.role", "final_copy_reader"),
					resource.TestCheckResourceAttr(res, "days_valid", "30"),
					resource.TestCheckResourceAttrSet(res, "auto_expire_at"),
				),
			},
			{
				PreConfig: func() {
					e.requireEmulator(t)
					s, c := e.signer(t, id, "Second@Example.com", "open", nil)
					expect(t, "second signer before the first", s, c, 409, "not_your_turn")
					s, c = e.signer(t, id, "first@example.com", "open", map[string]any{"password": "first-pass"})
					expect(t, "first signer opens", s, c, 200, "")
				},
				Config:           cfg,
				ConfigPlanChecks: noChange,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "status", "viewed"),
					resource.TestCheckResourceAttr(res, "signer.0.has_viewed_document", "true"),
					resource.TestCheckResourceAttr(res, "signer.1.has_viewed_document", "false"),
				),
			},
		},
	})
}

// Destroy cancels a request that is still out for signature.
func TestAccSignRequest_destroyCancels(t *testing.T) {
	e := newTestEnv(t)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             e.statusInBox(t, &id, "cancelled"),
		Steps: []resource.TestStep{{
			Config: e.signRequestConfig(`
  signer {
    email = "carol@example.com"
  }
`),
			Check: captureID(&id),
		}},
	})
}

// A changed argument replaces the request: the plan says so.
func TestAccSignRequest_changeReplaces(t *testing.T) {
	e := newTestEnv(t)
	var first string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: e.signRequestConfig(`
  signer {
    email = "dave@example.com"
  }
`),
				Check: captureID(&first),
			},
			{
				Config: e.signRequestConfig(`
  signer {
    email = "dave@example.com"
  }
  signer {
    email = "erin@example.com"
  }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "signer.#", "2"),
					e.statusInBox(t, &first, "cancelled"),
				),
			},
			{
				// timeouts is the one argument that changes in place.
				Config: e.signRequestConfig(`
  signer {
    email = "dave@example.com"
  }
  signer {
    email = "erin@example.com"
  }
  timeouts {
    create = "20m"
  }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}

// Import by ID gives an empty plan with the matching configuration.
func TestAccSignRequest_import(t *testing.T) {
	e := newTestEnv(t)
	cfg := e.signRequestConfig(`
  name                 = "Imported"
  external_id          = "crm-42"
  external_system_name = "CRM"
  redirect_url         = "https://example.com/done"
  signer {
    email = "frank@example.com"
    order = 1
  }
  signer {
    email                     = "grace@example.com"
    order                     = 2
    verification_phone_number = "+15551230000"
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				Config:                  cfg,
				ResourceName:            res,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				Config:          cfg,
				ResourceName:    res,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

// A request whose signed copies were deleted in Box answers 404; it stays
// in the state, marked not_found, and the next plan sends nothing (issue
// 23: it used to leave the state and plan to create it again).
func TestAccSignRequest_deletedOutOfBand(t *testing.T) {
	e := newTestEnv(t)
	var signFile string
	cfg := e.signRequestConfig(`
  signer {
    email = "heidi@example.com"
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: func(s *terraform.State) error {
					signFile = s.RootModule().Resources[res].Primary.Attributes["sign_file_ids.0"]
					return nil
				},
			},
			{
				PreConfig: func() {
					e.requireEmulator(t)
					if s, _ := e.call(t, "DELETE", "/2.0/files/"+signFile, "dev-token", nil); s != 204 {
						t.Fatalf("deleting the sign file: HTTP %d", s)
					}
				},
				Config:           cfg,
				ConfigPlanChecks: noChange,
				Check:            resource.TestCheckResourceAttr(res, "status", "not_found"),
			},
		},
	})
}

// password_wo reaches Box but never the state.
func TestAccSignRequest_writeOnlyPassword(t *testing.T) {
	e := newTestEnv(t)
	var id string
	const secret = "wo-Secret-7731"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: e.signRequestConfig(`
  signer {
    email               = "ivan@example.com"
    password_wo         = "` + secret + `"
    password_wo_version = 1
  }
`),
			Check: resource.ComposeAggregateTestCheckFunc(
				captureID(&id),
				resource.TestCheckNoResourceAttr(res, "signer.0.password_wo"),
				resource.TestCheckNoResourceAttr(res, "signer.0.password"),
				resource.TestCheckResourceAttr(res, "signer.0.password_wo_version", "1"),
				stateHasNo(secret),
				func(*terraform.State) error {
					if e.emu == nil {
						return nil
					}
					if s, c := e.signer(t, id, "ivan@example.com", "open", nil); s != 403 || c != "password_required" {
						return fmt.Errorf("Box did not get the write-only password: open gave %d %s", s, c)
					}
					if s, c := e.signer(t, id, "ivan@example.com", "open", map[string]any{"password": secret}); s != 200 {
						return fmt.Errorf("open with the write-only password: %d %s", s, c)
					}
					return nil
				},
			),
		}},
	})
}

// stateHasNo fails when any attribute of any resource holds the value.
func stateHasNo(secret string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for name, rs := range s.RootModule().Resources {
			for k, v := range rs.Primary.Attributes {
				if strings.Contains(v, secret) {
					return fmt.Errorf("%s.%s holds the secret", name, k)
				}
			}
		}
		return nil
	}
}

// A template carries the files; prefill tags fill its fields.
func TestAccSignRequest_templateWithPrefill(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: e.provider() + fmt.Sprintf(`
resource "box_sign_request" "test" {
  template_id      = %q
  parent_folder_id = %q
  signer {
    email    = "judy@example.com"
    password = "judy-pass"
  }
  prefill_tag {
    document_tag_id = "full_name"
    text_value      = "Judy Example"
  }
  prefill_tag {
    document_tag_id = "agree"
    checkbox_value  = true
  }
  prefill_tag {
    document_tag_id = "start_date"
    date_value      = "2035-01-31"
  }
}
`, e.Template[0], e.FolderID),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(res, "template_id", e.Template[0]),
				// The template carries the files: source_file_ids stays null,
				// so that a generated configuration sets template_id alone.
				resource.TestCheckNoResourceAttr(res, "source_file_ids.#"),
				resource.TestCheckResourceAttr(res, "sign_file_ids.#", "1"),
				resource.TestCheckResourceAttr(res, "prefill_tag.#", "3"),
				resource.TestCheckResourceAttr(res, "prefill_tag.1.checkbox_value", "true"),
				resource.TestCheckResourceAttr(res, "prefill_tag.2.date_value", "2035-01-31"),
				resource.TestCheckResourceAttr(res, "status", "sent"),
			),
		}},
	})
}

// Create waits while Box converts the files, then records the request as
// sent; with preparation needed it stops at "created" with a prepare_url.
func TestAccSignRequest_waitsWhileConverting(t *testing.T) {
	e := newTestEnv(t, func(o *emulator.Options) { o.ConversionDelay = 1500 * time.Millisecond })
	e.requireEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: e.signRequestConfig(`
  signer {
    email = "slow@example.com"
  }
`),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(res, "status", "sent"),
				func(*terraform.State) error {
					if n := e.apiCalls(t, "GET /2.0/sign_requests/{id}"); n < 2 {
						return fmt.Errorf("only %d GETs: the provider did not poll while converting", n)
					}
					return nil
				},
			),
		}},
	})
}

func TestAccSignRequest_preparationNeeded(t *testing.T) {
	e := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: e.signRequestConfig(`
  is_document_preparation_needed = true
  signer {
    email = "prep@example.com"
  }
`),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(res, "status", "created"),
				resource.TestMatchResourceAttr(res, "prepare_url", regexp.MustCompile(`^https://`)),
			),
		}},
	})
}
