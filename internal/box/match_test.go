package box

import (
	"testing"
	"time"
)

// listedFor is what Box lists for sampleCreate: the requester first as a
// final_copy_reader, the name with .pdf, the folder, the signers' phones.
func listedFor() *SignRequest {
	now := time.Now()
	return &SignRequest{
		ID: "x", Status: "sent", CreatedAt: &now, Name: ptr("Contract.pdf"), ExternalID: ptr("ext-1"),
		SourceFiles:              []FileRef{{ID: "12345", Type: "file"}},
		ParentFolder:             &FolderRef{ID: "678", Type: "folder"},
		SenderEmail:              ptr(requesterEmail),
		SenderID:                 ptr(int64(42)),
		AreTextSignaturesEnabled: true,
		PrefillTags:              []PrefillTag{},
		Signers: []SignRequestSigner{
			{Email: requesterEmail, Role: "final_copy_reader"},
			{Email: "alice@example.com", Role: "signer"},
			{Email: "bob@example.com", Role: "signer", VerificationPhoneNumber: ptr("+15551234567")},
		},
	}
}

func TestMatchesCreateRules(t *testing.T) {
	cases := []struct {
		name  string
		req   func(*SignRequestCreate)
		got   func(*SignRequest)
		match bool
	}{
		{"identical", nil, nil, true},
		{"name without .pdf", nil, func(s *SignRequest) { s.Name = ptr("Contract") }, true},
		{"name case", nil, func(s *SignRequest) { s.Name = ptr("CONTRACT.PDF") }, true},
		{"other name", nil, func(s *SignRequest) { s.Name = ptr("Other.pdf") }, false},
		{"name unset takes Box's", func(r *SignRequestCreate) { r.Name = nil }, func(s *SignRequest) { s.Name = ptr("doc.pdf") }, true},
		{"other folder", nil, func(s *SignRequest) { s.ParentFolder.ID = "999" }, false},
		{"folder unset takes Box's", func(r *SignRequestCreate) { r.ParentFolder = nil }, func(s *SignRequest) { s.ParentFolder.ID = "999" }, true},
		{"external id missing", nil, func(s *SignRequest) { s.ExternalID = nil }, false},
		{"external id other", nil, func(s *SignRequest) { s.ExternalID = ptr("ext-2") }, false},
		{"other file", nil, func(s *SignRequest) { s.SourceFiles[0].ID = "999" }, false},
		{"extra file", nil, func(s *SignRequest) { s.SourceFiles = append(s.SourceFiles, FileRef{ID: "7"}) }, false},
		{"made from a template", nil, func(s *SignRequest) { s.TemplateID = ptr("t") }, false},
		{"signer order swapped", nil, func(s *SignRequest) { s.Signers[1], s.Signers[2] = s.Signers[2], s.Signers[1] }, false},
		{"extra signer", nil, func(s *SignRequest) {
			s.Signers = append(s.Signers, SignRequestSigner{Email: "c@x.com", Role: "signer"})
		}, false},
		{"email case", nil, func(s *SignRequest) { s.Signers[1].Email = "ALICE@example.com" }, true},
		{"requester not listed", nil, func(s *SignRequest) { s.Signers = s.Signers[1:] }, true},
		{"other role", nil, func(s *SignRequest) { s.Signers[1].Role = "approver" }, false},
		{"unset role is signer", func(r *SignRequestCreate) { r.Signers[0].Role = "" }, nil, true},
		{"set role", func(r *SignRequestCreate) { r.Signers[0].Role = "approver" }, func(s *SignRequest) { s.Signers[1].Role = "approver" }, true},
		{"phone formatted", nil, func(s *SignRequest) { s.Signers[2].VerificationPhoneNumber = ptr("+1 555-123-4567") }, true},
		{"phone other", nil, func(s *SignRequest) { s.Signers[2].VerificationPhoneNumber = ptr("+15550000000") }, false},
		{"phone missing", nil, func(s *SignRequest) { s.Signers[2].VerificationPhoneNumber = nil }, false},
		{"phone not asked for", nil, func(s *SignRequest) { s.Signers[1].VerificationPhoneNumber = ptr("+15551234567") }, false},
		{"password not compared", func(r *SignRequestCreate) { r.Signers[0].Password = ptr("another-password") }, nil, true},
		{"signer order set", func(r *SignRequestCreate) { r.Signers[0].Order = ptr(int64(2)) }, nil, false},
		{"signer in person", func(r *SignRequestCreate) { r.Signers[0].IsInPerson = ptr(true) }, func(s *SignRequest) { s.Signers[1].IsInPerson = true }, true},
		{"signer embed id", func(r *SignRequestCreate) { r.Signers[0].EmbedURLExternalUserID = ptr("u1") }, nil, false},
		{"signer language", func(r *SignRequestCreate) { r.Signers[0].Language = ptr("fr") }, func(s *SignRequest) { s.Signers[1].Language = ptr("fr") }, true},
		{"subject", func(r *SignRequestCreate) { r.EmailSubject = ptr("Please sign") }, nil, false},
		{"subject Box did not get", nil, func(s *SignRequest) { s.EmailSubject = ptr("Please sign") }, false},
		{"message sanitised by Box", func(r *SignRequestCreate) { r.EmailMessage = ptr("Hi <b>Bob</b>,  <script>x</script>") },
			func(s *SignRequest) { s.EmailMessage = ptr("Hi Bob, x") }, true},
		{"message other", func(r *SignRequestCreate) { r.EmailMessage = ptr("Hi Bob") }, func(s *SignRequest) { s.EmailMessage = ptr("Hi Carol") }, false},
		{"days valid", func(r *SignRequestCreate) { r.DaysValid = ptr(int64(5)) }, nil, false},
		{"days valid Box did not get", nil, func(s *SignRequest) { s.DaysValid = ptr(int64(5)) }, false},
		{"reminders", nil, func(s *SignRequest) { s.AreRemindersEnabled = true }, false},
		{"document preparation", func(r *SignRequestCreate) { r.IsDocumentPreparationNeeded = ptr(true) }, func(s *SignRequest) { s.IsDocumentPreparationNeeded = true }, true},
		{"text signatures default true", func(r *SignRequestCreate) { r.AreTextSignaturesEnabled = ptr(false) }, nil, false},
		{"redirect url", func(r *SignRequestCreate) { r.RedirectURL = ptr("https://example.com/done") }, nil, false},
		{"signature color", func(r *SignRequestCreate) { r.SignatureColor = ptr("red") }, func(s *SignRequest) { s.SignatureColor = ptr("red") }, true},
		{"prefill value differs", func(r *SignRequestCreate) { r.PrefillTags = []PrefillTag{{DocumentTagID: "t1", TextValue: ptr("a")}} },
			func(s *SignRequest) { s.PrefillTags = []PrefillTag{{DocumentTagID: "t1", TextValue: ptr("b")}} }, false},
		{"prefill same", func(r *SignRequestCreate) {
			r.PrefillTags = []PrefillTag{{DocumentTagID: "t1", CheckboxValue: ptr(true)}}
		},
			func(s *SignRequest) { s.PrefillTags = []PrefillTag{{DocumentTagID: "t1", CheckboxValue: ptr(true)}} }, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, got := sampleCreate(), listedFor()
			if c.req != nil {
				c.req(req)
			}
			if c.got != nil {
				c.got(got)
			}
			if m := matchesCreate(req, got); m != c.match {
				t.Errorf("matchesCreate = %v, want %v", m, c.match)
			}
		})
	}
}

func TestMatchesCreateTemplate(t *testing.T) {
	req := func() *SignRequestCreate {
		return &SignRequestCreate{TemplateID: ptr("tpl"), Signers: []SignRequestCreateSigner{{Email: "alice@example.com"}}}
	}
	got := func() *SignRequest {
		return &SignRequest{
			TemplateID: ptr("tpl"), SourceFiles: []FileRef{{ID: "7"}}, Name: ptr("NDA.pdf"), ParentFolder: &FolderRef{ID: "5"},
			EmailSubject: ptr("From the template"), DaysValid: ptr(int64(30)), AreTextSignaturesEnabled: true,
			Signers: []SignRequestSigner{{Email: requesterEmail, Role: "final_copy_reader"}, {Email: "Alice@example.com", Role: "approver", VerificationPhoneNumber: ptr("+15550001111")}},
		}
	}
	cases := []struct {
		name  string
		req   func(*SignRequestCreate)
		got   func(*SignRequest)
		match bool
	}{
		{"template settings fill what is unset", nil, nil, true},
		{"other template", nil, func(s *SignRequest) { s.TemplateID = ptr("tpl2") }, false},
		{"subject set differs", func(r *SignRequestCreate) { r.EmailSubject = ptr("Mine") }, nil, false},
		{"days valid set equal", func(r *SignRequestCreate) { r.DaysValid = ptr(int64(30)) }, nil, true},
		{"role set differs", func(r *SignRequestCreate) { r.Signers[0].Role = "signer" }, nil, false},
		{"phone set differs", func(r *SignRequestCreate) { r.Signers[0].VerificationPhoneNumber = ptr("+15559999999") }, nil, false},
		{"email from the template", func(r *SignRequestCreate) { r.Signers[0].Email = "" }, nil, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, g := req(), got()
			if c.req != nil {
				c.req(r)
			}
			if c.got != nil {
				c.got(g)
			}
			if m := matchesCreate(r, g); m != c.match {
				t.Errorf("matchesCreate = %v, want %v", m, c.match)
			}
		})
	}
}

func TestAdoptRule(t *testing.T) {
	now := time.Now()
	me := &User{ID: "42", Login: requesterEmail}
	orphan := adoptRule{since: now.Add(-24 * time.Hour), liveOnly: true, me: me}
	ambiguous := adoptRule{since: now.Add(-time.Minute), undatedOK: true}
	cases := []struct {
		name   string
		rule   adoptRule
		got    func(*SignRequest)
		accept bool
	}{
		{"orphan: live and recent", orphan, nil, true},
		{"orphan: converting", orphan, func(s *SignRequest) { s.Status = "converting" }, true},
		{"orphan: created (awaiting preparation)", orphan, func(s *SignRequest) { s.Status = "created" }, true},
		{"orphan: viewed", orphan, func(s *SignRequest) { s.Status = "viewed" }, true},
		{"orphan: cancelled", orphan, func(s *SignRequest) { s.Status = "cancelled" }, false},
		{"orphan: signed", orphan, func(s *SignRequest) { s.Status = "signed" }, false},
		{"orphan: declined", orphan, func(s *SignRequest) { s.Status = "declined" }, false},
		{"orphan: expired", orphan, func(s *SignRequest) { s.Status = "expired" }, false},
		{"orphan: error_converting", orphan, func(s *SignRequest) { s.Status = "error_converting" }, false},
		{"orphan: older than the window", orphan, func(s *SignRequest) { s.CreatedAt = ptr(now.Add(-25 * time.Hour)) }, false},
		{"orphan: no created_at", orphan, func(s *SignRequest) { s.CreatedAt = nil }, false},
		{"orphan: other sender id", orphan, func(s *SignRequest) { s.SenderID = ptr(int64(7)) }, false},
		{"orphan: sender by email", orphan, func(s *SignRequest) { s.SenderID = nil }, true},
		{"orphan: other sender email", orphan, func(s *SignRequest) { s.SenderID, s.SenderEmail = nil, ptr("other@example.com") }, false},
		{"orphan: sender from signers[0]", orphan, func(s *SignRequest) { s.SenderID, s.SenderEmail = nil, nil }, true},
		{"orphan: sender unknown", orphan, func(s *SignRequest) { s.SenderID, s.SenderEmail, s.Signers = nil, nil, s.Signers[1:] }, false},
		{"orphan: content differs", orphan, func(s *SignRequest) { s.ExternalID = ptr("other") }, false},
		{"ambiguous: no created_at", ambiguous, func(s *SignRequest) { s.CreatedAt = nil }, true},
		{"ambiguous: created before the attempt", ambiguous, func(s *SignRequest) { s.CreatedAt = ptr(now.Add(-time.Hour)) }, false},
		{"ambiguous: any status", ambiguous, func(s *SignRequest) { s.Status = "error_converting" }, true},
		{"ambiguous: content differs", ambiguous, func(s *SignRequest) { s.Name = ptr("Other") }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := listedFor()
			if c.got != nil {
				c.got(got)
			}
			if a := c.rule.accepts(sampleCreate(), got); a != c.accept {
				t.Errorf("accepts = %v, want %v", a, c.accept)
			}
		})
	}
}

// Box's names: X, X.pdf and X (n).pdf are one name (Box appends .pdf and
// names a request after its de-duplicated copy); other names differ.
func TestSameNameBoxDeduplication(t *testing.T) {
	for _, c := range []struct {
		want, got string
		same      bool
	}{
		{"Contract", "Contract.pdf", true},
		{"Contract", "Contract (1).pdf", true},
		{"Contract.pdf", "contract (12).PDF", true},
		{"Contract (1)", "Contract (1).pdf", true},
		{"Contract", "Contract", true},
		{"Contract", "Contract 2.pdf", false},
		{"Contract", "Contract (x).pdf", false},
		{"Contract", "Other (1).pdf", false},
	} {
		if got := sameName(c.want, c.got); got != c.same {
			t.Errorf("sameName(%q, %q) = %v, want %v", c.want, c.got, got, c.same)
		}
	}
}
