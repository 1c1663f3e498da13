package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/box/terraform-provider-box/internal/emulator"
)

const resendRoute = "POST /2.0/sign_requests/{id}/resend"

// resendConfig is a one-signer request with the given resend_version.
func (e *testEnv) resendConfig(version string) string {
	return e.signRequestConfig(`
  resend_version = ` + version + `
  signer {
    email = "rita@example.com"
  }
`)
}

// resendCalls checks how many resends Box accepted and refused so far.
func (e *testEnv) resendCalls(t *testing.T, accepted, refused int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		a, r := e.callsWithStatus(t, resendRoute, 202), e.callsWithStatus(t, resendRoute, 400)
		if a != accepted || r != refused {
			return fmt.Errorf("resend calls: %d accepted and %d refused, want %d and %d", a, r, accepted, refused)
		}
		return nil
	}
}

// reminders counts the reminder emails the emulator sent to the signer.
func (e *testEnv) reminders(t *testing.T, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		_, out := e.call(t, "GET", "/_emulator/emails", "", nil)
		n := 0
		for _, en := range out["entries"].([]any) {
			if m := en.(map[string]any); m["kind"] == "resend" && m["to"] == "rita@example.com" {
				n++
			}
		}
		if n != want {
			return fmt.Errorf("%d reminder emails, want %d", n, want)
		}
		return nil
	}
}

func sameID(id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if got := s.RootModule().Resources[res].Primary.ID; got != *id {
			return fmt.Errorf("the request was replaced: %s, was %s", got, *id)
		}
		return nil
	}
}

// priorResendVersion checks resend_version in the state a plan starts from
// (plan-only steps run no state checks).
func priorResendVersion(want int) plancheck.PlanCheck { return priorResend{fmt.Sprint(want)} }

type priorResend struct{ want string }

func (c priorResend) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != res {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		if got := fmt.Sprint(before["resend_version"]); got != c.want {
			resp.Error = fmt.Errorf("the state holds resend_version %s, want %s", got, c.want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", res)
}

var planUpdate = resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
	plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
}}

// Raising resend_version reminds the signers once per raise, in place. A
// raise within Box's 10-minute cool-down fails, keeps the old number in the
// state and so stays in the plan until an apply after the cool-down.
func TestAccSignRequest_resendVersion(t *testing.T) {
	clock := &offsetClock{}
	e := newTestEnv(t, func(o *emulator.Options) { o.Now = clock.Now })
	e.requireEmulator(t)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// The first value is a starting point: creating emails the signer anyway.
				Config: e.resendConfig("1"),
				Check: resource.ComposeAggregateTestCheckFunc(
					captureID(&id),
					resource.TestCheckResourceAttr(res, "resend_version", "1"),
					e.resendCalls(t, 0, 0),
				),
			},
			{
				PreConfig:        func() { clock.Advance(11 * time.Minute) },
				Config:           e.resendConfig("2"),
				ConfigPlanChecks: planUpdate,
				Check: resource.ComposeAggregateTestCheckFunc(
					sameID(&id),
					resource.TestCheckResourceAttr(res, "resend_version", "2"),
					resource.TestCheckResourceAttr(res, "status", "sent"),
					e.resendCalls(t, 1, 0),
					e.reminders(t, 1),
				),
			},
			{
				// A second raise within 10 minutes of the first.
				Config:           e.resendConfig("3"),
				ConfigPlanChecks: planUpdate,
				ExpectError:      wrapped(`Too soon to remind the signers .* it sends a reminder at most once every 10 minutes .* The state keeps resend_version at 2, so the change stays in the plan`),
			},
			{
				// The state kept 2, so the raise is still pending.
				Config:             e.resendConfig("3"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPreRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(res, tfjsonpath.New("resend_version"), knownvalue.Int64Exact(3)),
					priorResendVersion(2),
				}},
			},
			{
				PreConfig:        func() { clock.Advance(11 * time.Minute) },
				Config:           e.resendConfig("3"),
				ConfigPlanChecks: planUpdate,
				Check: resource.ComposeAggregateTestCheckFunc(
					sameID(&id),
					resource.TestCheckResourceAttr(res, "resend_version", "3"),
					e.resendCalls(t, 2, 1),
					e.reminders(t, 2),
				),
			},
			{
				// Lowering it sends nothing.
				PreConfig:        func() { clock.Advance(11 * time.Minute) },
				Config:           e.resendConfig("1"),
				ConfigPlanChecks: planUpdate,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "resend_version", "1"),
					e.resendCalls(t, 2, 1),
				),
			},
			{
				// Box does not remind the signers of an expired request.
				PreConfig: func() {
					e.expire(t, id)
				},
				Config:      e.resendConfig("2"),
				ExpectError: wrapped(`Box cannot remind the signers .* is expired, and Box sends no reminders for a request in that status. The state keeps resend_version at 1`),
			},
			{
				Config: e.resendConfig("1"),
				Check:  resource.TestCheckResourceAttr(res, "status", "expired"),
			},
		},
	})
}

// Setting resend_version where it was not set (after an import, or on a
// request created without it) records a starting point and sends nothing;
// an import leaves it null.
func TestAccSignRequest_resendVersionFirstValue(t *testing.T) {
	clock := &offsetClock{}
	e := newTestEnv(t, func(o *emulator.Options) { o.Now = clock.Now })
	e.requireEmulator(t)
	without := e.signRequestConfig(`
  signer {
    email = "rita@example.com"
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: without},
			{
				Config:       without,
				ResourceName: res,
				ImportState:  true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if v, ok := states[0].Attributes["resend_version"]; ok && v != "" {
						return fmt.Errorf("imported resend_version = %q, want null", v)
					}
					return nil
				},
			},
			{
				PreConfig:        func() { clock.Advance(11 * time.Minute) },
				Config:           e.resendConfig("4"),
				ConfigPlanChecks: planUpdate,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "resend_version", "4"),
					e.resendCalls(t, 0, 0),
				),
			},
			{
				Config:           e.resendConfig("5"),
				ConfigPlanChecks: planUpdate,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "resend_version", "5"),
					e.resendCalls(t, 1, 0),
					e.reminders(t, 1),
				),
			},
		},
	})
}
