package emulator

import (
	"testing"
)

// collabEmails lists the collaboration emails in the log: "to kind".
func collabEmails(t *testing.T, e *env) []string {
	t.Helper()
	var out []string
	for _, m := range e.control("GET", "/_emulator/emails", nil).json(t)["entries"].([]any) {
		m := m.(map[string]any)
		if m["collaboration_id"] != nil {
			out = append(out, m["to"].(string)+" "+m["kind"].(string))
		}
	}
	return out
}

func collaborate(e *env, query, folder string, by map[string]any) result {
	return e.do("POST", "/2.0/collaborations"+query, map[string]any{
		"item": map[string]any{"type": "folder", "id": folder}, "accessible_by": by, "role": roleViewer})
}

// A login without a Box account becomes a pending invitation: no user, no
// item, no access; it lists on the folder and is emailed unless notify is
// false.
func TestPendingInvitation(t *testing.T) {
	e := newEnv(t, Options{})
	folder := e.folderID("Deals")
	r := collaborate(e, "", folder, map[string]any{"type": "user", "login": "New.Person@example.com"})
	mustStatus(t, r, 201)
	col := r.json(t)
	acc := col["accessible_by"].(map[string]any)
	if col["status"] != "pending" || col["item"] != nil || col["invite_email"] != "New.Person@example.com" ||
		acc["id"] != "" || acc["login"] != "New.Person@example.com" || acc["name"] != "" {
		t.Errorf("pending invitation: %s", r.body)
	}
	if _, ok := col["acknowledged_at"]; ok {
		t.Error("acknowledged_at on a pending invitation")
	}
	id := col["id"].(string)
	got := e.do("GET", "/2.0/collaborations/"+id, nil)
	mustStatus(t, got, 200)
	if got.json(t)["status"] != "pending" {
		t.Errorf("read back: %s", got.body)
	}
	list := e.do("GET", "/2.0/folders/"+folder+"/collaborations", nil).json(t)["entries"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != id {
		t.Errorf("folder collaborations: %v", list)
	}
	if got := collabEmails(t, e); len(got) != 1 || got[0] != "New.Person@example.com collaboration_invite" {
		t.Errorf("emails: %v", got)
	}
	// The same login again (any case) is refused; the role changes in place.
	if code := collaborate(e, "", folder, map[string]any{"type": "user", "login": "new.person@EXAMPLE.com"}).errCode(t); code != "user_already_collaborator" {
		t.Errorf("second invitation: %s", code)
	}
	mustStatus(t, e.do("PUT", "/2.0/collaborations/"+id, map[string]any{"role": roleEditor}), 200)
	mustStatus(t, e.do("PUT", "/2.0/collaborations/"+id, map[string]any{"role": roleOwner}), 400)
	mustStatus(t, e.do("DELETE", "/2.0/collaborations/"+id, nil), 204)

	// notify=false emails no one; notify=true and no notify do.
	mustStatus(t, e.control("DELETE", "/_emulator/emails", nil), 204)
	quiet := e.folderID("Quiet")
	mustStatus(t, collaborate(e, "?notify=false", quiet, map[string]any{"type": "user", "login": "a@example.com"}), 201)
	mustStatus(t, collaborate(e, "?notify=false", quiet, map[string]any{"type": "user", "id": memberUserID}), 201)
	if got := collabEmails(t, e); len(got) != 0 {
		t.Errorf("notify=false emailed: %v", got)
	}
	loud := e.folderID("Loud")
	mustStatus(t, collaborate(e, "?notify=true", loud, map[string]any{"type": "user", "id": memberUserID}), 201)
	mustStatus(t, collaborate(e, "", loud, map[string]any{"type": "user", "login": "b@example.com"}), 201)
	if got := collabEmails(t, e); len(got) != 2 || got[0] != "user@example.com collaboration_added" || got[1] != "b@example.com collaboration_invite" {
		t.Errorf("notified: %v", got)
	}
}

// The root folder cannot be collaborated, and nobody is collaborated
// beneath an item where they already collaborate (the other way round is
// allowed: a higher role on a parent after a subfolder).
func TestCollaborationPlacement(t *testing.T) {
	e := newEnv(t, Options{})
	r := collaborate(e, "", rootFolderID, map[string]any{"type": "user", "id": memberUserID})
	mustStatus(t, r, 400)
	if code := r.errCode(t); code != "collaborations_not_available_on_root_folder" {
		t.Errorf("root: %s", code)
	}
	top := e.folderID("Top")
	mid := e.do("POST", "/2.0/folders", map[string]any{"name": "Mid", "parent": map[string]string{"id": top}}).json(t)["id"].(string)
	low := e.do("POST", "/2.0/folders", map[string]any{"name": "Low", "parent": map[string]string{"id": mid}}).json(t)["id"].(string)
	file := e.uploadID(low, "a.pdf")
	mustStatus(t, collaborate(e, "", mid, map[string]any{"type": "user", "id": memberUserID}), 201)
	for name, try := range map[string]result{
		"subfolder": collaborate(e, "", low, map[string]any{"type": "user", "id": memberUserID}),
		"file": e.do("POST", "/2.0/collaborations", map[string]any{"item": map[string]any{"type": "file", "id": file},
			"accessible_by": map[string]any{"type": "user", "id": memberUserID}, "role": roleEditor}),
	} {
		if code := try.errCode(t); code != "user_already_collaborator" {
			t.Errorf("%s beneath a collaboration: %s", name, code)
		}
	}
	mustStatus(t, collaborate(e, "", top, map[string]any{"type": "user", "id": memberUserID}), 201)
	// A pending invitation counts too.
	mustStatus(t, collaborate(e, "", mid, map[string]any{"type": "user", "login": "c@example.com"}), 201)
	if code := collaborate(e, "", low, map[string]any{"type": "user", "login": "C@example.com"}).errCode(t); code != "user_already_collaborator" {
		t.Errorf("beneath a pending invitation: %s", code)
	}
}
