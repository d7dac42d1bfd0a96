package projects_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// rowByID finds the row with the id in a list page's rows.
func rowByID(rows []map[string]any, id string) map[string]any {
	for _, row := range rows {
		if row["id"] == id {
			return row
		}
	}
	return nil
}

// wantTrashCycle deletes the object at list+id+"/" as f's owner and proves the contract of
// docs/modules.md: gone from gets and lists, shown marked by include_deleted to the owner only,
// restorable by the owner alone within the firm, and back afterwards.
func wantTrashCycle(t *testing.T, s *apiServer, f, other *testkit.Firm, list, id string) {
	t.Helper()
	consultant := f.AddUser(t, roleConsultant)
	path := list + id + "/"
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, path, f.Owner.Token, nil), http.StatusNoContent)
	testkit.WantError(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusNotFound, typeNotFound, codeNotFound)
	if _, rows := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, list, "page_size=100"); rowByID(rows, id) != nil {
		t.Fatalf("%s: deleted row still listed", path)
	}
	_, rows := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, list, "include_deleted=true&page_size=100")
	if row := rowByID(rows, id); row == nil || row["deleted_at"] == nil || row["deleted_by"] != f.Owner.ID {
		t.Fatalf("%s: include_deleted row = %v", path, row)
	}
	testkit.WantError(t, s.Do(t, http.MethodGet, list+"?include_deleted=true", consultant.Token, nil),
		http.StatusForbidden, typePermission, codeForbidden)
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", consultant.Token, nil),
		http.StatusForbidden, typePermission, codeForbidden)
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", other.Owner.Token, nil),
		http.StatusNotFound, typeNotFound, codeNotFound)
	r := s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	if got := testkit.Object(t, r); got["id"] != id || got["deleted_at"] != nil {
		t.Fatalf("%s: restored = %v", path, got)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusOK)
}

// wantConflict expects a 409 with the message.
func wantConflict(t *testing.T, r *testkit.Response, msg string) {
	t.Helper()
	env := testkit.WantError(t, r, http.StatusConflict, typeConflict, codeConflict)
	if env.Error.Message != msg {
		t.Errorf("409 message %q, want %q", env.Error.Message, msg)
	}
}

// Projects, tasks and time entries each follow the soft delete contract.
func TestProjectTaskEntrySoftDeleteAndRestore(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	newProject := func(t *testing.T) string {
		c := s.createClient(t, f.Owner.Token, nil)
		return s.createProject(t, f.Owner.Token, c.ID, map[string]any{"hourly_rate": "100.00"}).ID
	}
	cases := []struct {
		name, list string
		create     func(t *testing.T) string
	}{
		{"project", projectsPath, newProject},
		{"task", tasksPath, func(t *testing.T) string { return s.createTask(t, f.Owner.Token, newProject(t), nil).ID }},
		{"time entry", teEntriesPath, func(t *testing.T) string { return s.createEntry(t, f.Owner.Token, newProject(t), nil).ID }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantTrashCycle(t, s, f, other, tc.list, tc.create(t))
		})
	}
}

// A project or task with live children is not deleted; deleted children do not hold it back;
// children of a deleted project come back only after it, and deleted rows leave the totals.
func TestProjectSoftDeleteParentsAndChildren(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	p := s.createProject(t, tok, s.createClient(t, tok, nil).ID, map[string]any{"hourly_rate": "100.00"})
	tk := s.createTask(t, tok, p.ID, nil)
	e := s.createEntry(t, tok, p.ID, map[string]any{"task": tk.ID, "hours": "3.00"})

	wantConflict(t, s.Do(t, http.MethodDelete, projectPath(p.ID), tok, nil), "This project has tasks or time entries and cannot be deleted.")
	wantConflict(t, s.Do(t, http.MethodDelete, taskPath(tk.ID), tok, nil), "This task has time entries and cannot be deleted.")

	// A deleted entry leaves the task's and the project's hours at once.
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, teEntryPath(e.ID), tok, nil), http.StatusNoContent)
	if got := s.getTask(t, tok, tk.ID).HoursLogged; got != "0.00" {
		t.Errorf("task hours after the entry's delete = %q, want 0.00", got)
	}
	if got := s.getProject(t, tok, p.ID).TotalHoursLogged; got != "0.00" {
		t.Errorf("project hours after the entry's delete = %q, want 0.00", got)
	}
	// Only a deleted task remains under the project; it no longer holds it back.
	wantConflict(t, s.Do(t, http.MethodDelete, projectPath(p.ID), tok, nil), "This project has tasks or time entries and cannot be deleted.")
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, taskPath(tk.ID), tok, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, projectPath(p.ID), tok, nil), http.StatusNoContent)

	wantConflict(t, s.Do(t, http.MethodPost, taskPath(tk.ID)+"restore/", tok, nil), "Restore its project first.")
	wantConflict(t, s.Do(t, http.MethodPost, teEntryPath(e.ID)+"restore/", tok, nil), "Restore its project first.")
	testkit.WantStatus(t, s.Do(t, http.MethodPost, projectPath(p.ID)+"restore/", tok, nil), http.StatusOK)
	// The entry's task is still deleted.
	wantConflict(t, s.Do(t, http.MethodPost, teEntryPath(e.ID)+"restore/", tok, nil), "Restore its task first.")
	testkit.WantStatus(t, s.Do(t, http.MethodPost, taskPath(tk.ID)+"restore/", tok, nil), http.StatusOK)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, teEntryPath(e.ID)+"restore/", tok, nil), http.StatusOK)
	if got := s.getProject(t, tok, p.ID).TotalHoursLogged; got != "3.00" {
		t.Errorf("project hours after the restores = %q, want 3.00", got)
	}
	// Restoring a live row is a conflict.
	wantConflict(t, s.Do(t, http.MethodPost, projectPath(p.ID)+"restore/", tok, nil), "This object is not deleted.")
}

// An invoiced time entry is still not deleted.
func TestInvoicedEntryIsNotSoftDeleted(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	p := s.createProject(t, f.Owner.Token, s.createClient(t, f.Owner.Token, nil).ID, nil)
	id := s.seedTimeEntry(t, f.ID, seedEntry{Project: p.ID, User: f.Owner.ID, Hours: "2.00", Rate: "100.00", Billable: true, Invoiced: true})
	env := testkit.WantError(t, s.Do(t, http.MethodDelete, teEntryPath(id), f.Owner.Token, nil), http.StatusBadRequest, typeValidation, codeValidation)
	if got := env.Error.Details["non_field_errors"]; len(got) != 1 || got[0] != "Cannot modify invoiced time entries" {
		t.Errorf("delete of an invoiced entry: %v", env.Error.Details)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodGet, teEntryPath(id), f.Owner.Token, nil), http.StatusOK)
}
