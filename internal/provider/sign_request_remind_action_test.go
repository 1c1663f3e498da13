package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/box/terraform-provider-box/internal/emulator"
)

// Actions need Terraform 1.14.
const actionsTerraform = "1.14.0"

// remindAction is an action block for the request with the given ID
// expression.
func remindAction(idExpr string) string {
	return fmt.Sprintf(`
action "box_sign_request_remind" "nudge" {
  config {
    sign_request_id = %s
  }
}
`, idExpr)
}

// checkResends fails the test unless Box accepted and refused as many
// resends as given so far.
func (e *testEnv) checkResends(t *testing.T, accepted, refused int) {
	t.Helper()
	if err := e.resendCalls(t, accepted, refused)(nil); err != nil {
		t.Fatal(err)
	}
}

// `terraform apply -invoke` sends exactly one reminder per invocation, shows
// progress, and explains Box's 10-minute cool-down and a finished request.
func TestAccSignRequestRemind_invoke(t *testing.T) {
	clock := &offsetClock{}
	e := newTestEnv(t, func(o *emulator.Options) { o.Now = clock.Now })
	e.requireEmulator(t)
	tf := newTFCLI(t, minTerraform(actionsTerraform))
	id := e.sendRequest(t, "Remind me", "rita@example.com")
	tf.write("main.tf", e.provider()+remindAction(fmt.Sprintf("%q", id)))
	tf.mustRun("init", "-input=false")
	invoke := []string{"apply", "-input=false", "-auto-approve", "-invoke=action.box_sign_request_remind.nudge"}

	clock.Advance(11 * time.Minute)
	out := tf.mustRun(invoke...)
	e.checkResends(t, 1, 0)
	if err := e.reminders(t, 1)(nil); err != nil {
		t.Error(err)
	}
	mustContain(t, out, "Asking Box to remind the outstanding signers of sign request "+id,
		"Box accepted the reminder for sign request "+id)

	// Again within 10 minutes: Box refuses, nothing is sent.
	out, err := tf.run(invoke...)
	if err == nil {
		t.Fatal("a second reminder within 10 minutes succeeded")
	}
	mustContain(t, out, "Too soon to remind the signers", "at most once every 10 minutes", "Nothing was sent")
	e.checkResends(t, 1, 1)

	// A finished request gets no reminder, whatever the time.
	e.expire(t, id)
	clock.Advance(11 * time.Minute)
	out, err = tf.run(invoke...)
	if err == nil {
		t.Fatal("reminding an expired request succeeded")
	}
	mustContain(t, out, "Box cannot remind the signers", "is expired, and Box sends no reminders")
	e.checkResends(t, 1, 2)
}

// An unknown request: Box's 404, on the action's sign_request_id.
func TestAccSignRequestRemind_notFound(t *testing.T) {
	e := newTestEnv(t)
	e.requireEmulator(t)
	tf := newTFCLI(t, minTerraform(actionsTerraform))
	tf.write("main.tf", e.provider()+remindAction(`"00000000-0000-4000-8000-000000000000"`))
	tf.mustRun("init", "-input=false")
	out, err := tf.run("apply", "-input=false", "-auto-approve", "-invoke=action.box_sign_request_remind.nudge")
	if err == nil {
		t.Fatal("reminding an unknown request succeeded")
	}
	mustContain(t, out, "Sign request 00000000-0000-4000-8000-000000000000 not found", "sign_request_id")
	e.checkResends(t, 0, 0)
}

// A lifecycle trigger reminds the signers when a terraform_data's input
// changes, once per change. Creating it triggers nothing: a reminder
// right after the request is sent always meets Box's cool-down.
func TestAccSignRequestRemind_trigger(t *testing.T) {
	clock := &offsetClock{}
	e := newTestEnv(t, func(o *emulator.Options) { o.Now = clock.Now })
	e.requireEmulator(t)
	tf := newTFCLI(t, minTerraform(actionsTerraform))
	config := func(round int) string {
		return e.provider() + fmt.Sprintf(`
resource "box_sign_request" "contract" {
  source_file_ids  = [%q]
  parent_folder_id = %q
  signer {
    email = "rita@example.com"
  }
}

resource "terraform_data" "reminder" {
  input = %d
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.box_sign_request_remind.nudge]
    }
  }
}
`, e.FileID, e.FolderID, round) + remindAction("box_sign_request.contract.id")
	}
	apply := []string{"apply", "-input=false", "-auto-approve"}
	tf.write("main.tf", config(1))
	tf.mustRun("init", "-input=false")
	tf.mustRun(apply...)
	e.checkResends(t, 0, 0)

	clock.Advance(11 * time.Minute)
	tf.write("main.tf", config(2))
	tf.mustRun(apply...)
	e.checkResends(t, 1, 0)

	// Nothing changed: no trigger, no reminder.
	tf.mustRun(apply...)
	e.checkResends(t, 1, 0)

	// A change within the cool-down: the action fails the apply.
	tf.write("main.tf", config(3))
	out, err := tf.run(apply...)
	if err == nil {
		t.Fatal("a triggered reminder within 10 minutes succeeded")
	}
	mustContain(t, out, "Too soon to remind the signers")
	e.checkResends(t, 1, 1)
	if n := len(e.signRequests(t)); n != 1 {
		t.Errorf("%d sign requests in Box, want 1: the trigger must not replace the request", n)
	}
}
