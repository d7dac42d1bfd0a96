package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// auditRow is one row of GET /api/audit-log/ as a test reads it.
type auditRow struct {
	ID           string                    `json:"id"`
	OccurredAt   string                    `json:"occurred_at"`
	ActorType    string                    `json:"actor_type"`
	Actor        string                    `json:"actor"`
	ActorName    string                    `json:"actor_name"`
	Action       string                    `json:"action"`
	ResourceType string                    `json:"resource_type"`
	ResourceID   string                    `json:"resource_id"`
	Changes      map[string]map[string]any `json:"changes"`
	RequestID    string                    `json:"request_id"`
	IP           string                    `json:"ip"`
}

// auditOf lists the firm's audit rows for query, newest first, as the owner sees them.
func auditOf(t *testing.T, s *testkit.API, f *testkit.Firm, query string) []auditRow {
	t.Helper()
	_, rows := testkit.ListOf[auditRow](t, s, f.Owner.Token, "/api/audit-log/", query)
	return rows
}

// auditedClient creates a client by token and returns its id.
func auditedClient(t *testing.T, s *testkit.API, token string) string {
	t.Helper()
	n := testkit.Seq()
	r := s.Do(t, http.MethodPost, "/api/crm/clients/", token, map[string]any{
		"company_name": fmt.Sprintf("Audited %d Ltd", n), "primary_contact_name": "Grace Hopper",
		"primary_contact_email": fmt.Sprintf("grace%d@client.example", n),
	})
	testkit.WantStatus(t, r, http.StatusCreated)
	return testkit.Object(t, r)["id"].(string)
}

// A client's create, update, delete and restore each leave one row with the actor, the
// request and the changed fields; the object's history shows the same rows to its readers.
func TestAuditClientLifecycle(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	id := auditedClient(t, s, f.Owner.Token)
	path := "/api/crm/clients/" + id + "/"
	r := s.Do(t, http.MethodPatch, path, f.Owner.Token, map[string]any{"industry": "Aerospace"})
	testkit.WantStatus(t, r, http.StatusOK)
	patchRequest := r.Header.Get("X-Request-ID")
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, path, f.Owner.Token, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil), http.StatusOK)

	rows := auditOf(t, s, f, "resource_type=client&resource_id="+id)
	var actions []string
	for _, row := range rows {
		actions = append(actions, row.Action)
		if row.ActorType != "user" || row.Actor != f.Owner.ID || row.ActorName != f.Owner.Name || row.ResourceID != id ||
			row.IP == "" || row.RequestID == "" {
			t.Errorf("row %+v: want the owner, the client and the request", row)
		}
	}
	if fmt.Sprint(actions) != "[restore delete update create]" {
		t.Fatalf("actions newest first = %v", actions)
	}
	update := rows[2]
	if update.RequestID != patchRequest {
		t.Errorf("update row request id %q, want the PATCH's %q", update.RequestID, patchRequest)
	}
	if got := update.Changes["industry"]; len(update.Changes) != 1 || got["old"] != "" || got["new"] != "Aerospace" {
		t.Errorf("update changes = %v, want industry '' → Aerospace only", update.Changes)
	}
	if got := rows[3].Changes["company_name"]; got == nil || got["old"] != nil || got["new"] == nil {
		t.Errorf("create changes = %v, want company_name null → name", rows[3].Changes)
	}
	if got := rows[1].Changes["deleted_at"]; got == nil || got["old"] != nil || got["new"] == nil {
		t.Errorf("delete changes = %v, want deleted_at set", rows[1].Changes)
	}

	_, history := testkit.ListOf[auditRow](t, s, f.Owner.Token, path+"history/", "")
	if len(history) != 4 || history[0].ID != rows[0].ID {
		t.Errorf("history = %+v, want the 4 rows of the log", history)
	}
}

// The log is the firm's own, for owners and admins; filters narrow it, and a row's object
// history is readable by whoever may read the object. Rows cannot be changed through the API.
func TestAuditLogAccessAndFilters(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	admin := f.AddUser(t, "admin")
	manager := f.AddUser(t, "manager")
	mine := auditedClient(t, s, admin.Token)
	auditedClient(t, s, f.Owner.Token)
	theirs := auditedClient(t, s, other.Owner.Token)

	for _, u := range []testkit.User{manager, f.AddUser(t, "consultant"), f.AddUser(t, "accountant")} {
		testkit.WantForbidden(t, s.Do(t, http.MethodGet, "/api/audit-log/", u.Token, nil))
	}
	page, rows := testkit.ListOf[auditRow](t, s, admin.Token, "/api/audit-log/", "resource_type=client")
	if page.Count != 2 {
		t.Fatalf("admin sees %d client rows, want the firm's 2: %+v", page.Count, rows)
	}
	for _, row := range rows {
		if row.ResourceID == theirs {
			t.Fatalf("another firm's row leaked: %+v", row)
		}
	}
	byActor := auditOf(t, s, f, "resource_type=client&actor="+admin.ID)
	if len(byActor) != 1 || byActor[0].ResourceID != mine {
		t.Errorf("actor filter = %+v, want the admin's client only", byActor)
	}
	future := url.QueryEscape(time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	if got := auditOf(t, s, f, "occurred_after="+future); len(got) != 0 {
		t.Errorf("occurred_after the future = %+v", got)
	}
	if got := auditOf(t, s, f, "resource_type=client&occurred_before="+future); len(got) != 2 {
		t.Errorf("occurred_before the future = %d rows, want 2", len(got))
	}
	past := url.QueryEscape(time.Now().Add(-time.Hour).UTC().Format(time.RFC3339))
	if got := auditOf(t, s, f, "resource_type=client&occurred_before="+past); len(got) != 0 {
		t.Errorf("occurred_before an hour ago = %+v, want none", got)
	}
	r := s.Do(t, http.MethodGet, "/api/audit-log/?occurred_after=yesterday", f.Owner.Token, nil)
	env := testkit.WantError(t, r, http.StatusBadRequest, "ParseError", "BAD_REQUEST")
	testkit.WantDetails(t, r, env, map[string][]string{"occurred_after": {"Enter a valid RFC 3339 timestamp, e.g. 2026-02-10T14:00:00Z."}})
	page, _ = testkit.ListOf[auditRow](t, s, f.Owner.Token, "/api/audit-log/", "resource_type=client&page_size=1")
	if page.Count != 2 || page.Next == nil {
		t.Errorf("page_size=1: count %d, next %v", page.Count, page.Next)
	}

	// History: a manager may read the client, so may read its history; another firm may not.
	_, history := testkit.ListOf[auditRow](t, s, manager.Token, "/api/crm/clients/"+mine+"/history/", "")
	if len(history) != 1 || history[0].Action != "create" {
		t.Errorf("manager's history = %+v", history)
	}
	testkit.WantNotFound(t, s.Do(t, http.MethodGet, "/api/crm/clients/"+mine+"/history/", other.Owner.Token, nil))
	for _, method := range []string{http.MethodPost, http.MethodPatch, http.MethodDelete} {
		if r := s.Do(t, method, "/api/audit-log/", f.Owner.Token, map[string]any{}); r.Status != http.StatusMethodNotAllowed {
			t.Errorf("%s /api/audit-log/ = %d, want 405", method, r.Status)
		}
		if r := s.Do(t, method, "/api/audit-log/"+history[0].ID+"/", f.Owner.Token, map[string]any{}); r.Status != http.StatusNotFound &&
			r.Status != http.StatusMethodNotAllowed {
			t.Errorf("%s on a row = %d, want 404 or 405", method, r.Status)
		}
	}
}

// The row is written in the change's transaction: when writing it fails after the change was
// made, the change is rolled back too, and no row is left.
func TestAuditRowAndChangeCommitTogether(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	id := auditedClient(t, s, f.Owner.Token)
	path := "/api/crm/clients/" + id + "/"
	ctx := context.Background()
	if _, err := s.DB().W.ExecContext(ctx, "ALTER TABLE audit_log RENAME TO audit_log_away"); err != nil {
		t.Fatal(err)
	}
	r := s.Do(t, http.MethodPatch, path, f.Owner.Token, map[string]any{"industry": "Shipping"})
	if _, err := s.DB().W.ExecContext(ctx, "ALTER TABLE audit_log_away RENAME TO audit_log"); err != nil {
		t.Fatal(err)
	}
	testkit.WantStatus(t, r, http.StatusInternalServerError)
	if got := testkit.Fetch[map[string]any](t, s, f.Owner.Token, path); got["industry"] != "" {
		t.Errorf("industry = %v after the row failed, want the change rolled back", got["industry"])
	}
	if rows := auditOf(t, s, f, "resource_id="+id); len(rows) != 1 || rows[0].Action != "create" {
		t.Errorf("rows = %+v, want the create only", rows)
	}
}

// AUDIT_RETENTION_DAYS removes the rows older than its days, in every firm, and keeps the rest;
// 0 keeps everything.
func TestAuditRetention(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: start, Configure: func(c *config.Config) { c.AuditRetentionDays = 30 }})
	f := s.RegisterFirm(t)
	old := auditedClient(t, s, f.Owner.Token)
	s.Clock.Advance(20 * 24 * time.Hour)
	f.Owner.Token = s.Login(t, f.Owner.Username, testkit.Password)
	recent := auditedClient(t, s, f.Owner.Token)
	s.Clock.Advance(11 * 24 * time.Hour)
	f.Owner.Token = s.Login(t, f.Owner.Username, testkit.Password)
	n, err := s.Srv.App.PurgeAudit(context.Background())
	if err != nil || n < 1 {
		t.Fatalf("PurgeAudit = %d, %v; want the first client's row at least", n, err)
	}
	if rows := auditOf(t, s, f, "resource_id="+old); len(rows) != 0 {
		t.Errorf("rows of 31 days ago kept: %+v", rows)
	}
	if rows := auditOf(t, s, f, "resource_id="+recent); len(rows) != 1 {
		t.Errorf("rows of 11 days ago = %+v, want kept", rows)
	}
	s.Srv.App.Config.AuditRetentionDays = 0
	s.Clock.Advance(365 * 24 * time.Hour)
	if n, err := s.Srv.App.PurgeAudit(context.Background()); n != 0 || err != nil {
		t.Errorf("0 days removed %d rows (%v), want none", n, err)
	}
}

// Registration, users, logins, logouts, password changes, password resets and role changes are
// audited as the actions they are, and no row holds a password, hash or token.
func TestAuditAccountActions(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	f := s.RegisterFirm(t)
	u := f.AddUser(t, "consultant") // created by the owner, then signed in
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/auth/change-password/", u.Token,
		map[string]any{"old_password": testkit.Password, "new_password": "a brand new passphrase 43"}), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodPatch, "/api/firm/users/"+u.ID+"/", f.Owner.Token, map[string]any{"role": "manager"}), http.StatusOK)
	token := s.Login(t, u.Username, "a brand new passphrase 43")
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/auth/logout/", token, map[string]any{}), http.StatusNoContent)
	// A forgotten password set again through the emailed link (its token drawn here).
	user, err := s.Srv.App.Auth.ActiveUserByEmail(context.Background(), u.Email)
	if err != nil {
		t.Fatal(err)
	}
	reset, err := s.Srv.App.Auth.IssuePasswordReset(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/auth/password-reset/confirm/", "",
		map[string]any{"token": reset, "new_password": "another new passphrase 44"}), http.StatusNoContent)

	want := map[string]string{ // action → the actor expected
		"create": f.Owner.ID, "login": u.ID, "password_change": u.ID, "role_change": f.Owner.ID, "logout": u.ID,
		"password_reset": u.ID,
	}
	rows := auditOf(t, s, f, "resource_type=user&resource_id="+u.ID)
	seen := map[string]int{}
	for _, row := range rows {
		seen[row.Action]++
		if actor, ok := want[row.Action]; !ok || row.Actor != actor {
			t.Errorf("row %s by %s, want one of %v", row.Action, row.Actor, want)
		}
		for field := range row.Changes {
			if strings.Contains(field, "password") || strings.Contains(field, "hash") || strings.Contains(field, "token") {
				t.Errorf("%s row records %s: %v", row.Action, field, row.Changes)
			}
		}
	}
	if seen["login"] != 2 || seen["create"] != 1 || seen["password_change"] != 1 || seen["role_change"] != 1 || seen["logout"] != 1 ||
		seen["password_reset"] != 1 {
		t.Errorf("actions = %v, want create, two logins, password_change, role_change, logout, password_reset", seen)
	}
	for _, row := range rows {
		if row.Action == "role_change" {
			if c := row.Changes["role"]; c["old"] != "consultant" || c["new"] != "manager" {
				t.Errorf("role_change changes = %v", row.Changes)
			}
		}
	}
	// Registration: the firm and its owner are created by the owner.
	reg := auditOf(t, s, f, "action=create&actor="+f.Owner.ID+"&resource_type=firm")
	if len(reg) != 1 || reg[0].ResourceID != f.ID {
		t.Errorf("firm create rows = %+v", reg)
	}
	r := s.Do(t, http.MethodGet, "/api/audit-log/?page_size=200", f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	for _, secret := range []string{"argon2", "$2a$", testkit.Password, "a brand new passphrase", "another new passphrase", reset,
		"token_hash", "password_hash"} {
		if strings.Contains(string(r.Body), secret) {
			t.Errorf("the audit log holds %q", secret)
		}
	}
}
