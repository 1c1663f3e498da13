package reliability

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/box/terraform-provider-box/internal/emulatorproc"
)

// scenarioReplace: "a new request per version of a file", as the box_file
// docs show it (replace_triggered_by on the file's version_id), with
// create_before_destroy, over N requests on one box_file. A new version
// replaces all N at once: each new request matches the live one it
// replaces, which is exactly what an orphan looks like (issue 21). Before
// the fix the create adopted the request it replaced and the deposed
// destroy then cancelled it: nothing live, signers told the request was
// cancelled.
//
// Terraform before 1.16 plans each create again in the apply without the
// plan's knowledge, so the apply cannot tell the replaced request from an
// orphan and stops before sending ("inconsistent final plan"); DESIGN.md,
// "Sent once", tells the user to set allow_identical = true on such
// resources. So:
//
//  1. version 1 without allow_identical: N requests sent;
//  2. version 2: every replacement either fails closed (nothing sent,
//     nothing cancelled, the old request still tracked) or replaces (old
//     cancelled, one new request sent and tracked), whichever this
//     Terraform does;
//  3. allow_identical = true, as the docs say: the apply converges, every
//     resource with one new request and its version-1 request cancelled;
//  4. version 3, the steady pattern: each request replaced once more;
//
// then a plan shows no changes. After every apply, every request in Box
// mailed its signer exactly once and the state tracks exactly the live
// requests; an adoption of the request being replaced would leave the
// state tracking a cancelled one, and a request sent twice would show as
// an extra one under its external ID.
func scenarioReplace(ctx context.Context, r *runner) Result {
	const prefix = "repl"
	res := Result{Pass: true}
	n := r.o.N
	emu, err := r.startEmulator(ctx, emulatorproc.Options{})
	if err != nil {
		res.failf("%v", err)
		return res
	}
	defer emu.stop()
	ws, err := r.workspace("replace", "BOX_ACCESS_TOKEN="+devToken)
	if err != nil {
		res.failf("%v", err)
		return res
	}
	// write puts version v of the document and the configuration in the
	// workspace.
	write := func(v int, allowIdentical bool) error {
		pdf := fmt.Sprintf("%%PDF-1.4\n%% reliability scenario 14, version %d\n%%%%EOF\n", v)
		if err := os.WriteFile(filepath.Join(ws.dir, "contract.pdf"), []byte(pdf), 0o600); err != nil {
			return err
		}
		return ws.write(providerBlock(emu.URL) + versionedRequests(prefix, emu.FolderID, n, allowIdentical))
	}
	// step applies version v and checks Box against the state: each
	// resource has sent requests under its external ID (replaced ones
	// cancelled) and exactly one live, tracked at its address. It returns
	// the live requests by address.
	step := func(name string, v int, allowIdentical bool, sent int) (map[string]string, bool) {
		if err := write(v, allowIdentical); err != nil {
			res.failf("%v", err)
			return nil, false
		}
		out := ws.run(ctx, "apply", "-auto-approve")
		r.logf(14, "%s: exit %d in %s", name, out.code, out.duration.Round(time.Second))
		if !out.ok() {
			res.failf("%s: the apply failed: %s", name, lastError(out.out))
		}
		return checkVersions(ws, emu, prefix, n, sent, &res, name)
	}

	v1, ok := step("version 1", 1, false, 1)
	if !ok || !res.Pass {
		return res
	}

	// Version 2 without allow_identical: fail closed or replace, per
	// resource, never anything else.
	if err := write(2, false); err != nil {
		res.failf("%v", err)
		return res
	}
	second := ws.run(ctx, "apply", "-auto-approve")
	r.logf(14, "version 2 without allow_identical: exit %d in %s", second.code, second.duration.Round(time.Second))
	closed, replaced, ok := checkFailClosedOrReplaced(ws, emu, prefix, n, v1, second, &res)
	if !ok {
		return res
	}

	// What DESIGN.md says to do: allow_identical = true, then apply again.
	v2, ok := step("allow_identical = true", 2, true, 2)
	if !ok {
		return res
	}
	if kept := stillLive(v1, v2); len(kept) > 0 {
		res.failf("after allow_identical = true: %d version-1 requests are still the live ones (%s)", len(kept), strings.Join(kept, ", "))
	}
	v3, ok := step("version 3", 3, true, 3)
	if !ok {
		return res
	}
	if kept := stillLive(v2, v3); len(kept) > 0 {
		res.failf("version 3 kept %d version-2 requests live (%s)", len(kept), strings.Join(kept, ", "))
	}
	if plan := ws.run(ctx, "plan", "-detailed-exitcode"); plan.code != 0 {
		res.failf("the plan after version 3 is not empty (exit %d): %s", plan.code, lastError(plan.out))
	}
	if !res.Pass {
		return res
	}
	var v2how string
	switch {
	case replaced == 0:
		v2how = fmt.Sprintf("version 2 failed closed for all %d (%s): nothing sent or cancelled, the old requests still tracked", closed, firstLine(lastError(second.out)))
	case closed == 0:
		v2how = fmt.Sprintf("version 2 replaced all %d without allow_identical", replaced)
	default:
		v2how = fmt.Sprintf("version 2 failed closed for %d and replaced %d", closed, replaced)
	}
	res.Outcome = fmt.Sprintf("%d requests with create_before_destroy, replaced by the file's version_id: %s; with allow_identical = true the next apply sent one new request each and cancelled the old; version 3 replaced each once more; each request mailed its signer once, the state tracked exactly the live ones, the plan then empty",
		n, v2how)
	return res
}

// versionedRequests is the box_file docs' pattern: one document, and n
// requests on it replaced by each new version, created before the old one
// is cancelled.
func versionedRequests(prefix, folderID string, n int, allowIdentical bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `
resource "box_file" "contract" {
  source    = "${path.module}/contract.pdf"
  name      = %q
  folder_id = %q
}
`, prefix+"-contract.pdf", folderID)
	allow := ""
	if allowIdentical {
		allow = "  allow_identical = true\n"
	}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `
resource "box_sign_request" "r%02d" {
  source_file_ids = [box_file.contract.id]
  name            = %q
  external_id     = %q
  signer {
    email = %q
  }
%s
  lifecycle {
    create_before_destroy = true
    replace_triggered_by  = [box_file.contract.version_id]
  }
}
`, i, requestKey(prefix, i), requestKey(prefix, i), signerEmail(prefix, i), allow)
	}
	return b.String()
}

// checkVersions checks Box and the state after an apply that must have
// succeeded: each of the n resources has sent requests under its external
// ID, exactly one of them live, and the state tracks that one at the
// resource's address, not deposed. It returns the live request IDs by
// address, and reports false when Box could not be read.
func checkVersions(ws *workspace, emu *emulator, prefix string, n, sent int, res *Result, when string) (map[string]string, bool) {
	l, state, ok := readBoth(ws, emu, prefix, res)
	if !ok {
		return nil, false
	}
	l.fill(res, n*sent)
	problems := append(l.mailProblems(), l.trackingProblems(state)...)
	current := map[string]string{}
	for _, o := range state {
		if o.deposed != "" {
			problems = append(problems, fmt.Sprintf("%s still has a deposed request %s", o.addr, o.id))
			continue
		}
		current[o.addr] = o.id
	}
	for i := 1; i <= n; i++ {
		ids := l.sentTo(requestKey(prefix, i), signerEmail(prefix, i))
		if len(ids) != sent || l.live(ids) != 1 {
			problems = append(problems, fmt.Sprintf("%s: %d requests in Box, %d live; want %d, 1 live", requestKey(prefix, i), len(ids), l.live(ids), sent))
		}
		if current[resourceAddress(i)] == "" {
			problems = append(problems, resourceAddress(i)+" is not in the state")
		}
	}
	if len(problems) > 0 {
		res.failf("%s: %s", when, strings.Join(problems, "; "))
	}
	return current, true
}

// checkFailClosedOrReplaced checks the apply of version 2 without
// allow_identical, resource by resource: either nothing happened to it
// (its version-1 request alone in Box, live and still tracked, current or
// deposed) or a proper replacement (version 1 cancelled, one new request
// live and tracked). An apply with any of the former must have failed,
// and only with the fail-closed error. It counts each kind.
func checkFailClosedOrReplaced(ws *workspace, emu *emulator, prefix string, n int, v1 map[string]string, out tfResult, res *Result) (closed, replaced int, ok bool) {
	l, state, ok := readBoth(ws, emu, prefix, res)
	if !ok {
		return 0, 0, false
	}
	l.fill(res, n*2)
	problems := append(l.mailProblems(), l.trackingProblems(state)...)
	for i := 1; i <= n; i++ {
		key := requestKey(prefix, i)
		old := v1[resourceAddress(i)]
		ids := l.sentTo(key, signerEmail(prefix, i))
		switch {
		case len(ids) == 1 && ids[0] == old && isLive(l.reqs[old].Status):
			closed++
		case len(ids) == 2 && l.reqs[old].Status == "cancelled" && l.live(ids) == 1:
			replaced++
		default:
			var seen []string
			for _, id := range ids {
				seen = append(seen, id+" "+l.reqs[id].Status)
			}
			problems = append(problems, fmt.Sprintf("%s: Box holds [%s], version 1 was %s: neither untouched nor replaced", key, strings.Join(seen, ", "), old))
		}
	}
	if closed > 0 && out.ok() {
		problems = append(problems, fmt.Sprintf("the apply succeeded but left %d requests unreplaced", closed))
	}
	if !out.ok() {
		for _, e := range errorBlocks(out.out) {
			if !strings.Contains(e, "inconsistent final plan") {
				problems = append(problems, "an error other than failing closed: "+firstLine(e))
				break
			}
		}
	}
	if strings.Contains(out.out, "panic:") {
		problems = append(problems, "the provider panicked")
	}
	if len(problems) > 0 {
		res.failf("version 2 without allow_identical: %s", strings.Join(problems, "; "))
	}
	return closed, replaced, true
}

// stillLive lists the addresses whose live request is the same before and
// after a replacement that should have sent a new one.
func stillLive(before, after map[string]string) []string {
	var same []string
	for addr, id := range before {
		if after[addr] == id {
			same = append(same, addr)
		}
	}
	return same
}
