package emulator

import (
	"net/http"
	"sort"
	"strings"
	"time"
)

// The emulator's Box has four users, each with its own root folder
// (FIDELITY.md, "Users and roots"):
//   - the admin behind the developer token (and user-subject grants);
//   - a managed member of the enterprise, reachable by As-User or a
//     user-subject grant, for tests that need a second person;
//   - an external user outside the enterprise, who can be collaborated
//     but never impersonated;
//   - the enterprise's service account (enterprise-subject grants), whose
//     ID and login are made per state.
const (
	adminUserID = "11446498"
	adminLogin  = "admin@example.com"
	adminName   = "Emulator Admin"

	memberUserID = "11446499"
	memberLogin  = "user@example.com"
	memberName   = "Emulator User"

	externalUserID = "11446500"
	externalLogin  = "partner@external.example"
	externalName   = "Outside Partner"
)

// user is a Box user.
type user struct {
	ID             string
	Name           string
	Login          string
	Role           string // "admin" or "user" (Box's enterprise role)
	ServiceAccount bool
	External       bool // not a user of the emulator's enterprise
}

func (e *Emulator) admin() user {
	return user{ID: adminUserID, Name: adminName, Login: adminLogin, Role: "admin"}
}

func (e *Emulator) serviceAccount() user {
	return user{ID: e.st.ServiceAccountID, Name: "Emulator Service Account",
		Login: e.st.ServiceAccountMail, Role: "admin", ServiceAccount: true}
}

// users lists every user, enterprise users first.
func (e *Emulator) users() []user {
	return []user{
		e.admin(),
		{ID: memberUserID, Name: memberName, Login: memberLogin, Role: "user"},
		e.serviceAccount(),
		{ID: externalUserID, Name: externalName, Login: externalLogin, Role: "user", External: true},
	}
}

func (e *Emulator) userByID(id string) (user, bool) {
	for _, u := range e.users() {
		if u.ID == id {
			return u, true
		}
	}
	return user{}, false
}

// userByLogin compares logins case-insensitively, as Box does for emails.
func (e *Emulator) userByLogin(login string) (user, bool) {
	for _, u := range e.users() {
		if strings.EqualFold(u.Login, login) {
			return u, true
		}
	}
	return user{}, false
}

// handleUsersMe is GET /2.0/users/me.
func (e *Emulator) handleUsersMe(c *call) *response {
	return jsonResponse(http.StatusOK, e.userFull(c.user))
}

// handleGetUser is GET /2.0/users/{id}. Any user may look up another
// user's profile here; Box limits some fields by role, which the emulator
// does not model (guess).
func (e *Emulator) handleGetUser(c *call) *response {
	u, ok := e.userByID(c.params["id"])
	if !ok {
		return notFound()
	}
	return jsonResponse(http.StatusOK, e.userFull(u))
}

// handleListUsers is GET /2.0/users: the enterprise's users, for admins
// and the service account only ("Only admins and service accounts with
// manage users scope"); others get 403. External users appear only when
// filter_term matches their login exactly, as the spec says.
func (e *Emulator) handleListUsers(c *call) *response {
	if c.user.Role != "admin" {
		return forbidden()
	}
	q := c.r.URL.Query()
	limit, resp := pageLimit(q, 100)
	if resp != nil {
		return resp
	}
	offset, resp := pageOffset(q)
	if resp != nil {
		return resp
	}
	term := strings.ToLower(q.Get("filter_term"))
	kind := q.Get("user_type")
	var list []user
	for _, u := range e.users() {
		if u.External {
			if kind != "managed" && term != "" && term == strings.ToLower(u.Login) {
				list = append(list, u)
			}
			continue
		}
		if kind == "external" {
			continue
		}
		if term == "" || strings.HasPrefix(strings.ToLower(u.Login), term) || strings.HasPrefix(strings.ToLower(u.Name), term) {
			list = append(list, u)
		}
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	page, _ := pageOf(len(list), int64(offset), limit)
	entries := make([]any, 0, page[1]-page[0])
	for _, u := range list[page[0]:page[1]] {
		entries = append(entries, e.userFull(u))
	}
	return jsonResponse(http.StatusOK, map[string]any{
		"total_count": len(list), "limit": limit, "offset": offset, "entries": entries,
	})
}

func (e *Emulator) userMini(u user) map[string]any {
	return map[string]any{"type": "user", "id": u.ID, "name": u.Name, "login": u.Login}
}

func (e *Emulator) userFull(u user) map[string]any {
	created := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	m := e.userMini(u)
	for k, v := range map[string]any{
		"created_at":         created,
		"modified_at":        created,
		"language":           "en",
		"timezone":           "America/Los_Angeles",
		"space_amount":       int64(999999999999999),
		"space_used":         int64(0),
		"max_upload_size":    int64(53687091200),
		"status":             "active",
		"job_title":          "",
		"phone":              "",
		"address":            "",
		"avatar_url":         "https://app.box.com/api/avatar/large/" + u.ID,
		"notification_email": nil,
		"role":               u.Role,
	} {
		m[k] = v
	}
	// An external user has no enterprise of ours; the spec's enterprise is
	// not nullable, so the key is left out.
	if !u.External {
		m["enterprise"] = map[string]any{"id": e.opts.EnterpriseID, "type": "enterprise", "name": "Emulated Enterprise"}
	}
	return m
}
