package box

// Roles are the template's signers that a request's signers fill, in
// order: Box lists the sender first in every template, as a
// final_copy_reader with an empty email, and a request made from the
// template lists only the other roles (Box's sign-template guide and use
// case). So request signer i takes Roles()[i].
func (t *SignTemplate) Roles() []TemplateSigner {
	if len(t.Signers) > 0 && t.Signers[0].IsSenderPlaceholder() {
		return t.Signers[1:]
	}
	return t.Signers
}

// IsSenderPlaceholder reports whether s is the sender's entry Box puts
// first in a template: a final_copy_reader without an email.
func (s TemplateSigner) IsSenderPlaceholder() bool {
	return s.Role == "final_copy_reader" && deref(s.Email) == ""
}
