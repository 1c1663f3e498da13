package reliability

import (
	"fmt"
	"sort"
	"strings"
)

// ledger is every sign request Box holds under a scenario's prefix, with
// the emails sent for each, as an auditor would list them after a series
// of applies. A replacement leaves the cancelled request beside the live
// one under the same external ID, so unlike boxView a ledger tells
// requests apart by ID and counts emails per request, not per signer.
type ledger struct {
	reqs  map[string]boxRequest     // ID → request
	mails map[string]map[string]int // request ID → signer → signature_requested emails
	order []string                  // IDs as Box listed them
	keyed map[string][]string       // external ID → IDs
	extra map[string]map[string]int // request ID outside the prefix → signer, for emails to our signers
}

// readLedger lists the developer token's requests whose external ID
// starts with prefix+"-" and the emulator's signature_requested emails.
func readLedger(emu *emulator, prefix string) (*ledger, error) {
	reqs, err := emu.signRequests(devToken)
	if err != nil {
		return nil, fmt.Errorf("listing sign requests: %w", err)
	}
	mails, err := emu.emails()
	if err != nil {
		return nil, fmt.Errorf("reading the emulator's emails: %w", err)
	}
	l := &ledger{reqs: map[string]boxRequest{}, mails: map[string]map[string]int{},
		keyed: map[string][]string{}, extra: map[string]map[string]int{}}
	for _, r := range reqs {
		if !strings.HasPrefix(r.ExternalID, prefix+"-") {
			continue
		}
		l.reqs[r.ID] = r
		l.order = append(l.order, r.ID)
		l.keyed[r.ExternalID] = append(l.keyed[r.ExternalID], r.ID)
	}
	for _, m := range mails {
		if m.Kind != "signature_requested" || !strings.HasPrefix(m.To, prefix+"-") {
			continue
		}
		into := l.mails
		if _, ours := l.reqs[m.SignRequestID]; !ours {
			into = l.extra
		}
		if into[m.SignRequestID] == nil {
			into[m.SignRequestID] = map[string]int{}
		}
		into[m.SignRequestID][m.To]++
	}
	return l, nil
}

// readBoth reads the ledger and the state, failing res when either cannot
// be read.
func readBoth(ws *workspace, emu *emulator, prefix string, res *Result) (*ledger, []stateObject, bool) {
	l, err := readLedger(emu, prefix)
	if err != nil {
		res.failf("%v", err)
		return nil, nil, false
	}
	state, err := ws.stateObjects()
	if err != nil {
		res.failf("%v", err)
		return nil, nil, false
	}
	return l, state, true
}

// isLive: Box may still email the request's signers, and a create could
// adopt it (DESIGN.md, "Sent once").
func isLive(status string) bool {
	switch status {
	case "converting", "created", "sent", "viewed":
		return true
	}
	return false
}

// signers are a request's signers as configured: Box adds the sender as a
// final_copy_reader, who is not asked to sign.
func signers(r boxRequest) []string {
	var out []string
	for _, s := range r.Signers {
		if s.Role != "final_copy_reader" {
			out = append(out, s.Email)
		}
	}
	return out
}

// sentTo is the IDs of the requests under externalID whose one signer is
// email, in Box's listing order.
func (l *ledger) sentTo(externalID, email string) []string {
	var ids []string
	for _, id := range l.keyed[externalID] {
		if s := signers(l.reqs[id]); len(s) == 1 && s[0] == email {
			ids = append(ids, id)
		}
	}
	return ids
}

// live is how many of ids are live.
func (l *ledger) live(ids []string) int {
	n := 0
	for _, id := range ids {
		if isLive(l.reqs[id].Status) {
			n++
		}
	}
	return n
}

// cancelled is how many requests of the prefix Box holds cancelled.
func (l *ledger) cancelled() int {
	n := 0
	for _, r := range l.reqs {
		if r.Status == "cancelled" {
			n++
		}
	}
	return n
}

// mailProblems: every signer of every request was asked to sign exactly
// once for it, and no signer of the prefix was mailed for a request the
// ledger does not hold (one sent under another external ID).
func (l *ledger) mailProblems() []string {
	var bad []string
	for _, id := range l.order {
		for _, to := range signers(l.reqs[id]) {
			if c := l.mails[id][to]; c != 1 {
				bad = append(bad, fmt.Sprintf("%s×%d for %s", to, c, id))
			}
		}
	}
	var problems []string
	if len(bad) > 0 {
		sort.Strings(bad)
		problems = append(problems, "signers not emailed exactly once for a request: "+strings.Join(bad, ", "))
	}
	if len(l.extra) > 0 {
		problems = append(problems, fmt.Sprintf("signers emailed for %d requests outside the configuration", len(l.extra)))
	}
	return problems
}

// trackingProblems: the state tracks exactly the live requests, each by
// one object (a deposed object counts: it is tracked until an apply
// cancels it). A state that tracks a cancelled request is what an adoption
// of a request the same apply cancelled leaves behind.
func (l *ledger) trackingProblems(state []stateObject) []string {
	var problems []string
	by := map[string]string{}
	for _, o := range state {
		name := o.addr
		if o.deposed != "" {
			name += " (deposed)"
		}
		r, inBox := l.reqs[o.id]
		switch {
		case !inBox:
			problems = append(problems, fmt.Sprintf("%s tracks %s, which Box does not hold", name, o.id))
		case !isLive(r.Status):
			problems = append(problems, fmt.Sprintf("%s tracks %s, which is %s in Box", name, o.id, r.Status))
		}
		if other, twice := by[o.id]; twice {
			problems = append(problems, fmt.Sprintf("%s and %s both track %s", other, name, o.id))
		}
		by[o.id] = name
	}
	var untracked []string
	for _, id := range l.order {
		if _, tracked := by[id]; isLive(l.reqs[id].Status) && !tracked {
			untracked = append(untracked, fmt.Sprintf("%s (%s)", id, l.reqs[id].ExternalID))
		}
	}
	if len(untracked) > 0 {
		problems = append(problems, fmt.Sprintf("%d live requests in Box are not in the state: %s", len(untracked), strings.Join(untracked, ", ")))
	}
	return problems
}

// fill copies the ledger into a result's columns: requests in Box (how
// many cancelled), requests beyond those the applies were meant to send,
// and the emails each signer got per request.
func (l *ledger) fill(res *Result, wantSent int) {
	res.InBox = fmt.Sprintf("%d (%d cancelled)", len(l.reqs), l.cancelled())
	res.Dups = fmt.Sprint(max(0, len(l.reqs)-wantSent))
	lo, hi := -1, 0
	for _, id := range l.order {
		for _, to := range signers(l.reqs[id]) {
			c := l.mails[id][to]
			if lo < 0 || c < lo {
				lo = c
			}
			hi = max(hi, c)
		}
	}
	switch {
	case lo < 0:
		res.Emails = "0"
	case lo == hi:
		res.Emails = fmt.Sprintf("%d per request", lo)
	default:
		res.Emails = fmt.Sprintf("%d-%d per request", lo, hi)
	}
}
