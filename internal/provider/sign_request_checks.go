package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// signerPath is signer[i].name, the way Terraform names it to the user.
func signerPath(i int, name string) path.Path {
	return path.Root("signer").AtListIndex(i).AtName(name)
}

// checkSigners holds the plan-time checks of the signer blocks that need
// no call to Box. A value still unknown (from another resource) is given
// the benefit of the doubt: Box judges it at apply.
func checkSigners(signers []signerModel, phoneToView types.Bool) diag.Diagnostics {
	var diags diag.Diagnostics
	seen := map[string]int{}
	anyPhone := false
	for i, s := range signers {
		if !s.VerificationPhoneNumber.IsNull() {
			anyPhone = true
		}
		if !s.VerificationPhoneNumber.IsNull() && s.LoginRequired.ValueBool() {
			diags.AddAttributeError(signerPath(i, "login_required"), "Conflicting signer verification",
				"Attribute "+signerPath(i, "login_required").String()+": Box cannot combine `login_required = true` with `verification_phone_number` for one signer. Choose one of the two.")
		}
		if s.Role.ValueString() == "final_copy_reader" {
			diags.Append(checkFinalCopyReader(i, s)...)
		}
		diags.Append(checkSuppression(i, s)...)
		if s.Email.IsNull() || s.Email.IsUnknown() {
			continue
		}
		key := strings.ToLower(s.Email.ValueString())
		if first, dup := seen[key]; dup {
			diags.AddAttributeError(signerPath(i, "email"), "Duplicate signer email",
				fmt.Sprintf("Attribute %s repeats the email of %s (%s): Box compares emails without case and refuses a request that lists one person twice. "+
					"Remove one of the two signer blocks.", signerPath(i, "email"), signerPath(first, "email"), s.Email.ValueString()))
			continue
		}
		seen[key] = i
	}
	if phoneToView.ValueBool() && !anyPhone {
		diags.AddAttributeError(path.Root("is_phone_verification_required_to_view"), "No signer has a phone to verify",
			"Attribute is_phone_verification_required_to_view is true, but no signer has a verification_phone_number, so nobody could be sent the code. "+
				"Set verification_phone_number on the signers who must verify, or remove is_phone_verification_required_to_view.")
	}
	return diags
}

// checkFinalCopyReader refuses what a final_copy_reader cannot use: they
// only receive the signed copy, so Box never asks them for a password, a
// code or a login, and a password given for them would only sit in state.
func checkFinalCopyReader(i int, s signerModel) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, c := range []struct {
		name string
		set  bool
	}{
		{"password", !s.Password.IsNull()},
		{"password_wo", !s.PasswordWO.IsNull()},
		{"verification_phone_number", !s.VerificationPhoneNumber.IsNull()},
		{"login_required", s.LoginRequired.ValueBool()},
	} {
		if c.set {
			at := signerPath(i, c.name)
			diags.AddAttributeError(at, "Not used by a final copy reader",
				fmt.Sprintf("Attribute %s is set, but signer[%d] has role \"final_copy_reader\": that role only receives the signed copy, and Box asks it for no password, code or login. "+
					"Remove %s, or change the role to \"signer\" or \"approver\".", at, i, c.name))
		}
	}
	return diags
}

// checkSuppression refuses suppress_notifications without
// embed_url_external_user_id. Box stops its emails to a signer only when
// both are set (its "Suppress default Box Sign notifications" guide):
// with the flag alone the signer is emailed, which the configuration says
// will not happen. Refusing, rather than warning, keeps anyone from being
// emailed on a plan that promised silence.
func checkSuppression(i int, s signerModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if !s.SuppressNotifications.ValueBool() || !s.EmbedURLExternalUserID.IsNull() {
		return nil
	}
	flag, id := signerPath(i, "suppress_notifications"), signerPath(i, "embed_url_external_user_id")
	diags.AddAttributeError(flag, "Suppressing Box's emails needs an external user ID",
		fmt.Sprintf("Attribute %s is true, but %s is not set: Box stops its emails to a signer only when both are set, and otherwise emails the signer anyway. "+
			"Set %s to your ID for this signer (and deliver the signing link yourself, from the ephemeral box_sign_request_signing_link), or remove %s to let Box email them.",
			flag, id, id, flag))
	return diags
}
