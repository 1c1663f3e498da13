package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/box/terraform-provider-box/internal/box"
	"github.com/box/terraform-provider-box/internal/provider/planmodifiers"
)

// checkTemplate reads the request's template once and checks the
// configuration against it, so that what Box would refuse at apply fails
// the plan instead: each signer role's requirements, the template's locks,
// and prefill tags the template has no field for. Request signer i takes
// the template's role i after the sender's placeholder Box lists first
// (box.SignTemplate.Roles), as Box matches them.
// Without a template_id known at plan time, or before the provider is
// configured, there is nothing to read.
func (r *signRequestResource) checkTemplate(ctx context.Context, cfg signRequestModel) diag.Diagnostics {
	if cfg.TemplateID.IsNull() || cfg.TemplateID.IsUnknown() || r.client == nil {
		return nil
	}
	id := cfg.TemplateID.ValueString()
	tpl, err := r.client.GetSignTemplate(ctx, id)
	if err != nil {
		return attrAPIError(opCreate, path.Root("template_id"), "Could not read sign template "+id, err)
	}
	signers, diags := cfg.signers(ctx)
	tags, d := cfg.prefillTags(ctx)
	diags.Append(d...)
	name := fmt.Sprintf("Template %s (%q)", tpl.ID, deref(tpl.Name))
	diags.Append(templateRequirements(name, tpl, signers)...)
	diags.Append(templateLocks(name, tpl, cfg, signers, tags)...)
	diags.Append(templatePrefill(name, tpl, tags)...)
	return diags
}

// templateRequirements checks what each of the template's roles requires
// of the sender: a password or a phone for the signer in that position.
// Only a role without a stored email obliges the request; a role with one
// uses what the template's creator stored (the spec's TemplateSigner).
func templateRequirements(name string, tpl *box.SignTemplate, signers []signerModel) diag.Diagnostics {
	var diags diag.Diagnostics
	for i, ts := range tpl.Roles() {
		if i >= len(signers) {
			break
		}
		if deref(ts.Email) != "" {
			continue
		}
		s, role := signers[i], templateRole(ts, i)
		if ts.IsPasswordRequired && s.Password.IsNull() && s.PasswordWO.IsNull() {
			diags.AddAttributeError(signerPath(i, "password"), "The template requires a password",
				fmt.Sprintf("%s requires a password for its %s, which is signer[%d] (%s) here. Set %s or password_wo (with password_wo_version).",
					name, role, i, s.Email.ValueString(), signerPath(i, "password")))
		}
		if ts.IsPhoneNumberRequired && s.VerificationPhoneNumber.IsNull() {
			diags.AddAttributeError(signerPath(i, "verification_phone_number"), "The template requires a phone number",
				fmt.Sprintf("%s requires a verification phone number for its %s, which is signer[%d] (%s) here. Set %s in E.164 form, such as +15551232190.",
					name, role, i, s.Email.ValueString(), signerPath(i, "verification_phone_number")))
		}
	}
	return diags
}

// templateRole names a template's role for a message: its label, or its
// position.
func templateRole(ts box.TemplateSigner, i int) string {
	if ts.Label != nil && *ts.Label != "" {
		return fmt.Sprintf("role %q", *ts.Label)
	}
	return fmt.Sprintf("role %d", i+1)
}

// lockedChange is an attribute set against one of the template's locks.
type lockedChange struct {
	at   path.Path
	lock string
}

// templateLocks refuses what a locked template does not let a request
// change: its email settings, its options (the name, and the rest set away
// from their defaults), its recipients, and its fields (no prefill).
func templateLocks(name string, tpl *box.SignTemplate, cfg signRequestModel, signers []signerModel, tags []prefillTagModel) diag.Diagnostics {
	var found []lockedChange
	add := func(lock string, at path.Path, changed bool) {
		if changed {
			found = append(found, lockedChange{at, lock})
		}
	}
	if tpl.AreEmailSettingsLocked {
		add("are_email_settings_locked", path.Root("email_subject"), differsFrom(cfg.EmailSubject, tpl.EmailSubject))
		add("are_email_settings_locked", path.Root("email_message"), differsFrom(cfg.EmailMessage, tpl.EmailMessage))
	}
	if tpl.AreOptionsLocked {
		const lock = "are_options_locked"
		// Box's spec: options locked means "for example renaming the
		// document"; Box appends .pdf, so X and X.pdf are one name.
		add(lock, path.Root("name"), !cfg.Name.IsNull() && !cfg.Name.IsUnknown() && !planmodifiers.SameName(cfg.Name.ValueString(), deref(tpl.Name)))
		add(lock, path.Root("days_valid"), !cfg.DaysValid.IsNull() && (tpl.DaysValid == nil || cfg.DaysValid.ValueInt64() != *tpl.DaysValid))
		add(lock, path.Root("are_reminders_enabled"), cfg.AreRemindersEnabled.ValueBool())
		add(lock, path.Root("are_text_signatures_enabled"), !cfg.AreTextSignaturesEnabled.IsNull() && !cfg.AreTextSignaturesEnabled.ValueBool())
		add(lock, path.Root("is_document_preparation_needed"), cfg.IsDocumentPreparationNeeded.ValueBool())
		for _, a := range []struct {
			name string
			v    types.String
		}{{"signature_color", cfg.SignatureColor}, {"redirect_url", cfg.RedirectURL}, {"declined_redirect_url", cfg.DeclinedRedirectURL}} {
			add(lock, path.Root(a.name), !a.v.IsNull())
		}
	}
	if tpl.AreRecipientsLocked {
		found = append(found, lockedRecipients(tpl, signers)...)
	}
	if tpl.AreFieldsLocked && len(tags) > 0 {
		found = append(found, lockedChange{path.Root("prefill_tag"), "are_fields_locked"})
	}
	var diags diag.Diagnostics
	for _, f := range found {
		diags.AddAttributeError(f.at, "The template locks this setting",
			fmt.Sprintf("%s sets %s, so a request made from it cannot change %s. Remove %s from the configuration, or ask the template's owner to unlock it.",
				name, f.lock, f.at, f.at))
	}
	return diags
}

// lockedRecipients finds departures from a template's locked recipients:
// another number of signers, or another email, role or order in a
// position.
func lockedRecipients(tpl *box.SignTemplate, signers []signerModel) []lockedChange {
	const lock = "are_recipients_locked"
	roles := tpl.Roles()
	if len(signers) != len(roles) {
		return []lockedChange{{path.Root("signer"), lock}}
	}
	var out []lockedChange
	for i, ts := range roles {
		s := signers[i]
		if ts.Email != nil && *ts.Email != "" && !s.Email.IsUnknown() && !strings.EqualFold(s.Email.ValueString(), *ts.Email) {
			out = append(out, lockedChange{signerPath(i, "email"), lock})
		}
		if !s.Role.IsNull() && !s.Role.IsUnknown() && s.Role.ValueString() != ts.Role {
			out = append(out, lockedChange{signerPath(i, "role"), lock})
		}
		if !s.Order.IsNull() && !s.Order.IsUnknown() && s.Order.ValueInt64() != ts.Order {
			out = append(out, lockedChange{signerPath(i, "order"), lock})
		}
	}
	return out
}

// differsFrom reports a configured string that is not the template's.
func differsFrom(v types.String, tpl *string) bool {
	return !v.IsNull() && !v.IsUnknown() && (tpl == nil || v.ValueString() != *tpl)
}

// templatePrefill refuses prefill tags that name no field of the template.
func templatePrefill(name string, tpl *box.SignTemplate, tags []prefillTagModel) diag.Diagnostics {
	var diags diag.Diagnostics
	ids := templateTagIDs(tpl)
	for i, t := range tags {
		id := t.DocumentTagID
		if id.IsNull() || id.IsUnknown() || slices.Contains(ids, id.ValueString()) {
			continue
		}
		at := path.Root("prefill_tag").AtListIndex(i).AtName("document_tag_id")
		known := "it has no fields with a tag ID"
		if len(ids) > 0 {
			known = "its tag IDs are " + strings.Join(ids, ", ")
		}
		diags.AddAttributeError(at, "Unknown prefill tag",
			fmt.Sprintf("Attribute %s is %q, but %s has no field with that tag ID: %s. "+
				"The box_sign_template data source lists them in document_tag_ids.", at, id.ValueString(), name, known))
	}
	return diags
}
