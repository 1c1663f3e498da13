package box

import (
	"regexp"
	"sort"
	"strings"
)

// matchesCreate reports whether the listed request e has the content of
// the create body req, comparing what Box returns: documents or template,
// signers in order (email, role, phone and the other settings sent),
// name, folder, external ID and the request-level settings. It is the one
// content rule of both adoption paths (orphans and ambiguous creates).
//
// A field req leaves unset is not compared when Box fills in a default
// for it (the name, the folder, a template's settings): an unset field
// cannot tell Box's default from a value someone chose. Passwords cannot
// be compared: Box never returns them.
func matchesCreate(req *SignRequestCreate, e *SignRequest) bool {
	template := deref(req.TemplateID) != ""
	if template {
		if deref(e.TemplateID) != deref(req.TemplateID) {
			return false
		}
	} else if deref(e.TemplateID) != "" || !sameIDs(fileIDs(req.SourceFiles), fileIDs(e.SourceFiles)) {
		return false
	}
	if deref(req.ExternalID) != deref(e.ExternalID) {
		return false
	}
	if n := deref(req.Name); n != "" && !sameName(n, deref(e.Name)) {
		return false
	}
	if req.ParentFolder != nil && (e.ParentFolder == nil || e.ParentFolder.ID != req.ParentFolder.ID) {
		return false
	}
	return settingsMatch(req, e, template) && signersMatch(req.Signers, e.Signers, deref(e.SenderEmail), template)
}

// sameName treats X, X.pdf and X (n).pdf as one name: Box appends .pdf,
// and names a request after its copy in the parent folder, which it
// de-duplicates as "X (1).pdf" when the folder already holds "X.pdf".
func sameName(want, got string) bool {
	return strings.EqualFold(nameStem(want), nameStem(got))
}

var copySuffix = regexp.MustCompile(` \(\d+\)$`)

// nameStem is a request name without the ".pdf" and the " (n)" Box adds.
func nameStem(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 4 && strings.EqualFold(s[len(s)-4:], ".pdf") {
		s = s[:len(s)-4]
	}
	return copySuffix.ReplaceAllString(s, "")
}

// settingsMatch compares the request-level settings req sets. Unset ones
// take Box's defaults, which are false or null except where a template
// supplies them.
func settingsMatch(req *SignRequestCreate, e *SignRequest, template bool) bool {
	ok := sameOptional(req.RedirectURL, e.RedirectURL) &&
		sameOptional(req.DeclinedRedirectURL, e.DeclinedRedirectURL) &&
		sameOptional(req.ExternalSystemName, e.ExternalSystemName) &&
		sameOptional(req.SignatureColor, e.SignatureColor) &&
		sameBool(req.IsDocumentPreparationNeeded, e.IsDocumentPreparationNeeded) &&
		sameBool(req.AreRemindersEnabled, e.AreRemindersEnabled) &&
		sameText(req.EmailMessage, e.EmailMessage)
	if !ok {
		return false
	}
	// Box answers are_text_signatures_enabled true when it is not sent.
	if req.AreTextSignaturesEnabled != nil && *req.AreTextSignaturesEnabled != e.AreTextSignaturesEnabled {
		return false
	}
	if req.IsPhoneVerificationRequiredToView != nil && e.IsPhoneVerificationRequiredToView != nil &&
		*req.IsPhoneVerificationRequiredToView != *e.IsPhoneVerificationRequiredToView {
		return false
	}
	if template {
		// The template supplies subject and validity when they are unset.
		return (req.EmailSubject == nil || deref(req.EmailSubject) == deref(e.EmailSubject)) &&
			(req.DaysValid == nil || deref(req.DaysValid) == deref(e.DaysValid)) && prefillMatch(req.PrefillTags, e.PrefillTags)
	}
	return deref(req.EmailSubject) == deref(e.EmailSubject) && deref(req.DaysValid) == deref(e.DaysValid) &&
		prefillMatch(req.PrefillTags, e.PrefillTags)
}

// sameOptional: an unset string must come back null or empty; a set one
// must come back equal.
func sameOptional(want, got *string) bool { return deref(want) == deref(got) }

// sameBool: an unset boolean is Box's default, false.
func sameBool(want *bool, got bool) bool { return deref(want) == got }

var tagRE = regexp.MustCompile(`<[^>]*>`)

// sameText compares email messages as text: Box sanitises the HTML of
// email_message, so tags and white space are ignored on both sides.
func sameText(want, got *string) bool {
	norm := func(p *string) string {
		return strings.Join(strings.Fields(tagRE.ReplaceAllString(deref(p), " ")), "")
	}
	return norm(want) == norm(got)
}

// prefillMatch compares prefill tags as a set of tag IDs with values, when
// Box returns them; an empty list back says nothing.
func prefillMatch(want, got []PrefillTag) bool {
	if len(got) == 0 {
		return true
	}
	key := func(ts []PrefillTag) []string {
		out := make([]string, 0, len(ts))
		for _, t := range ts {
			out = append(out, t.DocumentTagID+"\x00"+deref(t.TextValue)+"\x00"+boolText(t.CheckboxValue)+"\x00"+deref(t.DateValue))
		}
		sort.Strings(out)
		return out
	}
	return sameIDs(key(want), key(got))
}

func boolText(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "true"
	default:
		return "false"
	}
}

// signersMatch compares signers in order, ignoring the requester Box adds
// as a final_copy_reader (at signers[0] in Box's answers).
func signersMatch(want []SignRequestCreateSigner, got []SignRequestSigner, sender string, template bool) bool {
	eq := func(got []SignRequestSigner) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range want {
			if !signerMatches(&want[i], &got[i], template) {
				return false
			}
		}
		return true
	}
	if eq(got) {
		return true
	}
	if len(got) != len(want)+1 {
		return false
	}
	for i := range got {
		if got[i].Role != "final_copy_reader" {
			continue
		}
		if sender != "" && !strings.EqualFold(got[i].Email, sender) && i != 0 {
			continue
		}
		rest := append(append([]SignRequestSigner{}, got[:i]...), got[i+1:]...)
		if eq(rest) {
			return true
		}
	}
	return false
}

// signerMatches compares one signer. Emails compare case-insensitively;
// an empty wanted email (a template that carries the emails) matches any.
// Phone numbers compare by their digits. A role or phone left unset in a
// template request is the template's, so it is not compared.
func signerMatches(w *SignRequestCreateSigner, g *SignRequestSigner, template bool) bool {
	if e := strings.TrimSpace(w.Email); e != "" && !strings.EqualFold(e, strings.TrimSpace(g.Email)) {
		return false
	}
	role := w.Role
	if role == "" && !template {
		role = "signer"
	}
	if role != "" && role != g.Role {
		return false
	}
	if w.VerificationPhoneNumber != nil || !template {
		if phoneDigits(deref(w.VerificationPhoneNumber)) != phoneDigits(deref(g.VerificationPhoneNumber)) {
			return false
		}
	}
	set := func(p *string, got *string) bool { return p == nil || *p == deref(got) }
	flag := func(p *bool, got bool) bool { return p == nil || *p == got }
	return set(w.EmbedURLExternalUserID, g.EmbedURLExternalUserID) &&
		set(w.RedirectURL, g.RedirectURL) && set(w.DeclinedRedirectURL, g.DeclinedRedirectURL) &&
		set(w.Language, g.Language) &&
		flag(w.IsInPerson, g.IsInPerson) && flag(w.LoginRequired, g.LoginRequired) &&
		flag(w.SuppressNotifications, g.SuppressNotifications) &&
		(w.Order == nil || *w.Order == g.Order)
}

// phoneDigits keeps a leading + and the digits, so that formatting Box
// may apply does not hide a match.
func phoneDigits(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// createKey groups creates that could match the same listed request.
func createKey(req *SignRequestCreate) string {
	var b strings.Builder
	if tid := deref(req.TemplateID); tid != "" {
		b.WriteString("t:" + tid)
	} else {
		ids := fileIDs(req.SourceFiles)
		sort.Strings(ids)
		b.WriteString("f:" + strings.Join(ids, ","))
	}
	b.WriteString("|x:" + deref(req.ExternalID) + "|s:")
	for _, s := range req.Signers {
		b.WriteString(strings.ToLower(strings.TrimSpace(s.Email)) + ",")
	}
	return b.String()
}

func fileIDs(fs []FileRef) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.ID)
	}
	return out
}

func sameIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a = append([]string(nil), a...)
	b = append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
