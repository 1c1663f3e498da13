package emulator

import (
	"bytes"
	"regexp"
	"testing"
)

// people holds a token for each kind of user.
type people struct{ admin, member, sa string }

func tokens(t *testing.T, e *env) people {
	t.Helper()
	grant := func(kind, id string) string {
		r := e.form(ccg(kind, id))
		mustStatus(t, r, 200)
		return r.json(t)["access_token"].(string)
	}
	return people{admin: "dev-token", member: grant("user", memberUserID), sa: grant("enterprise", "1000")}
}

// as runs f with the env acting through tok.
func (e *env) as(tok string, f func()) {
	old := e.token
	e.token = tok
	defer func() { e.token = old }()
	f()
}

var requestIDRE = regexp.MustCompile(`"request_id":"[0-9a-f]+"`)

// sameAsMissing checks that r is byte for byte the 404 a missing item
// gets, apart from the request ID every error has its own of.
func sameAsMissing(t *testing.T, what string, r, missing result) {
	t.Helper()
	strip := func(b []byte) []byte { return requestIDRE.ReplaceAll(b, []byte(`"request_id":""`)) }
	if r.status != 404 || !bytes.Equal(strip(r.body), strip(missing.body)) {
		t.Errorf("%s: %d %s, want the missing item's 404 %s", what, r.status, r.body, missing.body)
	}
	if r.header.Get("Content-Type") != missing.header.Get("Content-Type") {
		t.Errorf("%s: Content-Type %q, want %q", what, r.header.Get("Content-Type"), missing.header.Get("Content-Type"))
	}
}

func TestVisibilityPerUser(t *testing.T) {
	e := newEnv(t, Options{})
	p := tokens(t, e)
	folder := e.folderID("Private")
	file := e.uploadID(folder, "a.pdf")
	tpl := e.control("POST", "/_emulator/sign_templates", map[string]any{
		"name": "T", "source_file_ids": []string{file}, "parent_folder_id": folder}).json(t)["id"].(string)
	sr := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file)})["id"].(string)

	e.as(p.sa, func() {
		// The service account's root is its own and empty.
		root := e.do("GET", "/2.0/folders/0/items", nil).json(t)
		if root["total_count"].(float64) != 0 {
			t.Errorf("service account's root: %s", root)
		}
		body := func(id string) map[string]any {
			return map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(id)}
		}
		inParent := func(id string) map[string]any {
			b := body("1")
			b["parent_folder"] = map[string]any{"type": "folder", "id": id}
			return b
		}
		own := e.uploadID("0", "own.pdf")
		cases := []struct {
			name         string
			method, path string
			body         any
			missingPath  string
			missingBody  any
		}{
			{"get file", "GET", "/2.0/files/" + file, nil, "/2.0/files/1", nil},
			{"delete file", "DELETE", "/2.0/files/" + file, nil, "/2.0/files/1", nil},
			{"get folder", "GET", "/2.0/folders/" + folder, nil, "/2.0/folders/1", nil},
			{"list folder", "GET", "/2.0/folders/" + folder + "/items", nil, "/2.0/folders/1/items", nil},
			{"delete folder", "DELETE", "/2.0/folders/" + folder, nil, "/2.0/folders/1", nil},
			{"folder create parent", "POST", "/2.0/folders", map[string]any{"name": "x", "parent": map[string]string{"id": folder}},
				"/2.0/folders", map[string]any{"name": "x", "parent": map[string]string{"id": "1"}}},
			{"folder collaborations", "GET", "/2.0/folders/" + folder + "/collaborations", nil, "/2.0/folders/1/collaborations", nil},
			{"get template", "GET", "/2.0/sign_templates/" + tpl, nil, "/2.0/sign_templates/nope", nil},
			{"sign request source file", "POST", "/2.0/sign_requests", body(file), "/2.0/sign_requests", body("1")},
			{"sign request template", "POST", "/2.0/sign_requests", map[string]any{"template_id": tpl, "signers": []any{sgn("s@example.com")}},
				"/2.0/sign_requests", map[string]any{"template_id": "nope", "signers": []any{sgn("s@example.com")}}},
			{"get sign request", "GET", "/2.0/sign_requests/" + sr, nil, "/2.0/sign_requests/nope", nil},
			{"cancel sign request", "POST", "/2.0/sign_requests/" + sr + "/cancel", nil, "/2.0/sign_requests/nope/cancel", nil},
			{"resend sign request", "POST", "/2.0/sign_requests/" + sr + "/resend", nil, "/2.0/sign_requests/nope/resend", nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				sameAsMissing(t, tc.name, e.do(tc.method, tc.path, tc.body), e.do(tc.method, tc.missingPath, tc.missingBody))
			})
		}
		t.Run("sign request parent folder", func(t *testing.T) {
			b, m := inParent(folder), inParent("1")
			b["source_files"], m["source_files"] = fileRef(own), fileRef(own)
			sameAsMissing(t, "parent_folder", e.do("POST", "/2.0/sign_requests", b), e.do("POST", "/2.0/sign_requests", m))
		})
		t.Run("upload parent", func(t *testing.T) {
			sameAsMissing(t, "upload", e.upload(folder, "b.pdf", []byte("x")), e.upload("1", "b.pdf", []byte("x")))
		})
		if n := len(e.do("GET", "/2.0/sign_templates", nil).json(t)["entries"].([]any)); n != 0 {
			t.Errorf("service account lists %d templates it cannot see", n)
		}
		if n := len(e.do("GET", "/2.0/sign_requests?shared_requests=true", nil).json(t)["entries"].([]any)); n != 0 {
			t.Errorf("service account lists %d shared requests it cannot see", n)
		}
	})
	// Each user's root holds only their own items; names do not clash across roots.
	e.as(p.member, func() {
		e.folderID("Private")
		if n := e.do("GET", "/2.0/folders/0/items", nil).json(t)["total_count"].(float64); n != 1 {
			t.Errorf("member's root: %v items", n)
		}
	})
}

// TestRoleTable checks what each collaboration role allows on a folder's
// content: download (a sign request's source file), upload (upload, and a
// sign request's parent_folder), edit (a new version of a file: "Edit
// File"), delete, invite.
func TestRoleTable(t *testing.T) {
	type allows struct{ download, upload, edit, del, invite bool }
	cases := []struct {
		role string
		want allows
	}{
		{roleCoOwner, allows{true, true, true, true, true}},
		{roleEditor, allows{true, true, true, true, true}},
		{roleViewerUploader, allows{true, true, true, false, false}},
		{rolePreviewerUploader, allows{false, true, false, false, false}},
		{roleViewer, allows{true, false, false, false, false}},
		{rolePreviewer, allows{false, false, false, false, false}},
		{roleUploader, allows{false, true, false, false, false}},
	}
	for _, tc := range cases {
		t.Run(tc.role, func(t *testing.T) {
			e := newEnv(t, Options{})
			p := tokens(t, e)
			folder := e.folderID("Shared")
			file := e.uploadID(folder, "a.pdf")
			victim := e.uploadID(folder, "victim.pdf")
			mustStatus(t, e.do("POST", "/2.0/collaborations", map[string]any{
				"item": map[string]any{"type": "folder", "id": folder}, "accessible_by": map[string]any{"type": "user", "id": memberUserID},
				"role": tc.role}), 201)
			status := func(ok bool, yes int) int {
				if ok {
					return yes
				}
				return 403
			}
			e.as(p.member, func() {
				mustStatus(t, e.do("GET", "/2.0/files/"+file, nil), 200)
				mustStatus(t, e.do("POST", "/2.0/sign_requests", map[string]any{"signers": []any{sgn("s@example.com")},
					"source_files": fileRef(file)}), status(tc.want.download, 201))
				mustStatus(t, e.upload(folder, "up.pdf", minimalPDF("up")), status(tc.want.upload, 201))
				mustStatus(t, e.multipartTo("/api/2.0/files/"+file+"/content", map[string]any{}, minimalPDF("v2"), false), status(tc.want.edit, 200))
				own := e.uploadID("0", "own.pdf")
				mustStatus(t, e.do("POST", "/2.0/sign_requests", map[string]any{"signers": []any{sgn("s@example.com")},
					"source_files": fileRef(own), "parent_folder": map[string]any{"type": "folder", "id": folder}}), status(tc.want.upload, 201))
				mustStatus(t, e.do("DELETE", "/2.0/files/"+victim, nil), status(tc.want.del, 204))
				mustStatus(t, e.do("POST", "/2.0/collaborations", map[string]any{
					"item": map[string]any{"type": "folder", "id": folder}, "accessible_by": map[string]any{"type": "user", "id": externalUserID},
					"role": roleViewer}), status(tc.want.invite, 201))
			})
		})
	}
}

func TestCollaborationsCRUD(t *testing.T) {
	e := newEnv(t, Options{})
	p := tokens(t, e)
	folder := e.folderID("Team")
	sub := e.do("POST", "/2.0/folders", map[string]any{"name": "Sub", "parent": map[string]string{"id": folder}}).json(t)["id"].(string)
	create := func(by map[string]any, role string) result {
		return e.do("POST", "/2.0/collaborations", map[string]any{
			"item": map[string]any{"type": "folder", "id": folder}, "accessible_by": by, "role": role})
	}
	r := create(map[string]any{"type": "user", "login": "USER@example.com"}, roleViewer)
	mustStatus(t, r, 201)
	col := r.json(t)
	id := col["id"].(string)
	if col["role"] != roleViewer || col["accessible_by"].(map[string]any)["id"] != memberUserID || col["status"] != "accepted" {
		t.Errorf("collaboration: %v", col)
	}
	// Errors: a second collaboration, a bad role, an unknown user, no item.
	if code := create(map[string]any{"type": "user", "id": memberUserID}, roleEditor).errCode(t); code != "user_already_collaborator" {
		t.Errorf("duplicate: %s", code)
	}
	mustStatus(t, create(map[string]any{"type": "user", "id": externalUserID}, "owner"), 400)
	mustStatus(t, create(map[string]any{"type": "user", "id": "999"}, roleViewer), 404)
	mustStatus(t, e.do("POST", "/2.0/collaborations", map[string]any{"accessible_by": map[string]any{"type": "user", "id": memberUserID}, "role": roleViewer}), 400)

	// The collaborated folder shows in the member's root; its subfolder is
	// reachable by inheritance, but not listed in the root.
	e.as(p.member, func() {
		entries := e.do("GET", "/2.0/folders/0/items", nil).json(t)["entries"].([]any)
		if len(entries) != 1 || entries[0].(map[string]any)["id"] != folder {
			t.Errorf("member's root: %v", entries)
		}
		mustStatus(t, e.do("GET", "/2.0/folders/"+sub, nil), 200)
		mustStatus(t, e.do("GET", "/2.0/collaborations/"+id, nil), 200)
		// A viewer may not change or list others' collaborations' roles.
		mustStatus(t, e.do("PUT", "/2.0/collaborations/"+id, map[string]any{"role": roleEditor}), 403)
	})
	list := e.do("GET", "/2.0/folders/"+folder+"/collaborations", nil).json(t)
	if entries := list["entries"].([]any); len(entries) != 1 || entries[0].(map[string]any)["id"] != id {
		t.Errorf("folder collaborations: %v", list)
	}
	r = e.do("PUT", "/2.0/collaborations/"+id, map[string]any{"role": roleEditor})
	mustStatus(t, r, 200)
	if r.json(t)["role"] != roleEditor {
		t.Errorf("updated role: %s", r.body)
	}
	mustStatus(t, e.do("PUT", "/2.0/collaborations/"+id, map[string]any{"role": "boss"}), 400)

	// Handing ownership on: 204, the member owns the folder and what was
	// the admin's in it, and the admin stays as co-owner.
	mustStatus(t, e.do("PUT", "/2.0/collaborations/"+id, map[string]any{"role": roleOwner}), 204)
	mustStatus(t, e.do("GET", "/2.0/collaborations/"+id, nil), 404)
	f := e.do("GET", "/2.0/folders/"+folder, nil).json(t)
	if f["owned_by"].(map[string]any)["id"] != memberUserID {
		t.Errorf("owner after transfer: %v", f["owned_by"])
	}
	cols := e.do("GET", "/2.0/folders/"+folder+"/collaborations", nil).json(t)["entries"].([]any)
	if len(cols) != 1 || cols[0].(map[string]any)["role"] != roleCoOwner || cols[0].(map[string]any)["accessible_by"].(map[string]any)["id"] != adminUserID {
		t.Fatalf("collaborations after transfer: %v", cols)
	}
	// The collaborator may leave; then the folder is gone for them.
	adminCol := cols[0].(map[string]any)["id"].(string)
	mustStatus(t, e.do("DELETE", "/2.0/collaborations/"+adminCol, nil), 204)
	mustStatus(t, e.do("GET", "/2.0/folders/"+folder, nil), 404)
	mustStatus(t, e.do("DELETE", "/2.0/collaborations/"+adminCol, nil), 404)
}

func TestSignRequestSharing(t *testing.T) {
	e := newEnv(t, Options{})
	p := tokens(t, e)
	folder := e.folderID("Deals")
	file := e.uploadID(folder, "deal.pdf")
	mustStatus(t, e.do("POST", "/2.0/collaborations", map[string]any{
		"item": map[string]any{"type": "folder", "id": folder}, "accessible_by": map[string]any{"type": "user", "id": memberUserID},
		"role": roleViewer}), 201)
	sr := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file)})
	id := sr["id"].(string)
	if sr["collaborator_level"] != "owner" || sr["parent_folder"].(map[string]any)["id"] != folder {
		t.Errorf("sender's view: %v %v", sr["collaborator_level"], sr["parent_folder"])
	}
	e.as(p.member, func() {
		got := e.do("GET", "/2.0/sign_requests/"+id, nil)
		mustStatus(t, got, 200)
		if lvl := got.json(t)["collaborator_level"]; lvl != "viewer" {
			t.Errorf("collaborator_level %v", lvl)
		}
		if n := len(e.do("GET", "/2.0/sign_requests", nil).json(t)["entries"].([]any)); n != 0 {
			t.Errorf("own list holds %d shared requests", n)
		}
		shared := e.do("GET", "/2.0/sign_requests?shared_requests=true", nil).json(t)["entries"].([]any)
		if len(shared) != 1 || shared[0].(map[string]any)["id"] != id {
			t.Errorf("shared list: %v", shared)
		}
		if n := len(e.do("GET", "/2.0/sign_requests?shared_requests=true&senders=other@example.com", nil).json(t)["entries"].([]any)); n != 0 {
			t.Errorf("senders filter kept %d", n)
		}
		if n := len(e.do("GET", "/2.0/sign_requests?shared_requests=true&senders=ADMIN@example.com", nil).json(t)["entries"].([]any)); n != 1 {
			t.Errorf("senders filter by the sender: %d", n)
		}
		mustStatus(t, e.do("GET", "/2.0/sign_requests?senders=ADMIN@example.com", nil), 400)
		// Only the requester cancels or resends.
		mustStatus(t, e.do("POST", "/2.0/sign_requests/"+id+"/cancel", nil), 403)
		mustStatus(t, e.do("POST", "/2.0/sign_requests/"+id+"/resend", nil), 403)

		// The viewer may download the file, not upload beside it: with no
		// parent_folder, create falls back to the member's own "My Sign
		// Requests" rather than refusing.
		mine := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(file)})
		pf := mine["parent_folder"].(map[string]any)
		if pf["name"] != "My Sign Requests" {
			t.Fatalf("fallback parent: %v", pf)
		}
		f := e.do("GET", "/2.0/folders/"+pf["id"].(string), nil).json(t)
		if f["owned_by"].(map[string]any)["id"] != memberUserID {
			t.Errorf("My Sign Requests owner: %v", f["owned_by"])
		}
	})
	// The admin's own "My Sign Requests" is another folder.
	own := e.uploadID("0", "root.pdf")
	adminSR := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(own)})
	apf := adminSR["parent_folder"].(map[string]any)
	e.as(p.member, func() {
		mustStatus(t, e.do("GET", "/2.0/folders/"+apf["id"].(string), nil), 404)
	})
}

// TestSeedAccess: the seed collaborates the demo folder with the service
// account as editor, so it works with the demo content out of the box.
func TestSeedAccess(t *testing.T) {
	e := newEnv(t, Options{Seed: true})
	p := tokens(t, e)
	seed := e.emu.Seeded()
	e.as(p.sa, func() {
		entries := e.do("GET", "/2.0/folders/0/items", nil).json(t)["entries"].([]any)
		if len(entries) != 1 || entries[0].(map[string]any)["id"] != seed.FolderID {
			t.Errorf("service account's root: %v", entries)
		}
		sr := e.createSR(map[string]any{"signers": []any{sgn("s@example.com")}, "source_files": fileRef(seed.FileIDs[0])})
		if sr["parent_folder"].(map[string]any)["id"] != seed.FolderID || sr["sender_email"] != seed.ServiceAccountLogin {
			t.Errorf("service account's request: %v %v", sr["parent_folder"], sr["sender_email"])
		}
		if n := len(e.do("GET", "/2.0/sign_templates", nil).json(t)["entries"].([]any)); n != 3 {
			t.Errorf("service account sees %d seeded templates", n)
		}
	})
	e.as(p.member, func() {
		mustStatus(t, e.do("GET", "/2.0/sign_templates/"+seed.TemplateIDs[0], nil), 404)
		mustStatus(t, e.do("GET", "/2.0/files/"+seed.FileIDs[0], nil), 404)
	})
}

// TestPathHidesInvisibleFolders: a collaborator on a subfolder sees its
// path from their root without the folders above it they cannot see.
func TestPathHidesInvisibleFolders(t *testing.T) {
	e := newEnv(t, Options{})
	p := tokens(t, e)
	top := e.folderID("Top")
	sub := e.do("POST", "/2.0/folders", map[string]any{"name": "Sub", "parent": map[string]string{"id": top}}).json(t)["id"].(string)
	mustStatus(t, e.do("POST", "/2.0/collaborations", map[string]any{
		"item": map[string]any{"type": "folder", "id": sub}, "accessible_by": map[string]any{"type": "user", "id": memberUserID},
		"role": roleViewer}), 201)
	e.as(p.member, func() {
		f := e.do("GET", "/2.0/folders/"+sub, nil).json(t)
		var ids []any
		for _, en := range f["path_collection"].(map[string]any)["entries"].([]any) {
			ids = append(ids, en.(map[string]any)["id"])
		}
		if len(ids) != 1 || ids[0] != "0" || f["parent"] != nil {
			t.Errorf("path %v, parent %v", ids, f["parent"])
		}
		mustStatus(t, e.do("GET", "/2.0/folders/"+top, nil), 404)
	})
	// The owner sees the whole path.
	if n := len(e.do("GET", "/2.0/folders/"+sub, nil).json(t)["path_collection"].(map[string]any)["entries"].([]any)); n != 2 {
		t.Errorf("owner's path has %d entries", n)
	}
}
