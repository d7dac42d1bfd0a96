package projects_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

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
			testkit.WantTrashCycle(t, s.API, f, other, tc.list, tc.create(t))
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

	testkit.WantConflict(t, s.Do(t, http.MethodDelete, projectPath(p.ID), tok, nil), "This project has tasks or time entries and cannot be deleted.")
	testkit.WantConflict(t, s.Do(t, http.MethodDelete, taskPath(tk.ID), tok, nil), "This task has time entries and cannot be deleted.")

	// A deleted entry leaves the task's and the project's hours at once.
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, teEntryPath(e.ID), tok, nil), http.StatusNoContent)
	if got := s.getTask(t, tok, tk.ID).HoursLogged; got != "0.00" {
		t.Errorf("task hours after the entry's delete = %q, want 0.00", got)
	}
	if got := s.getProject(t, tok, p.ID).TotalHoursLogged; got != "0.00" {
		t.Errorf("project hours after the entry's delete = %q, want 0.00", got)
	}
	// Only a deleted task remains under the project; it no longer holds it back.
	testkit.WantConflict(t, s.Do(t, http.MethodDelete, projectPath(p.ID), tok, nil), "This project has tasks or time entries and cannot be deleted.")
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, taskPath(tk.ID), tok, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, projectPath(p.ID), tok, nil), http.StatusNoContent)

	testkit.WantConflict(t, s.Do(t, http.MethodPost, taskPath(tk.ID)+"restore/", tok, nil), "Restore its project first.")
	testkit.WantConflict(t, s.Do(t, http.MethodPost, teEntryPath(e.ID)+"restore/", tok, nil), "Restore its project first.")
	testkit.WantStatus(t, s.Do(t, http.MethodPost, projectPath(p.ID)+"restore/", tok, nil), http.StatusOK)
	// The entry's task is still deleted.
	testkit.WantConflict(t, s.Do(t, http.MethodPost, teEntryPath(e.ID)+"restore/", tok, nil), "Restore its task first.")
	testkit.WantStatus(t, s.Do(t, http.MethodPost, taskPath(tk.ID)+"restore/", tok, nil), http.StatusOK)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, teEntryPath(e.ID)+"restore/", tok, nil), http.StatusOK)
	if got := s.getProject(t, tok, p.ID).TotalHoursLogged; got != "3.00" {
		t.Errorf("project hours after the restores = %q, want 3.00", got)
	}
	// Restoring a live row is a conflict.
	testkit.WantConflict(t, s.Do(t, http.MethodPost, projectPath(p.ID)+"restore/", tok, nil), "This object is not deleted.")
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

// A deleted project comes back only after its client and its contract: it never lives under a
// deleted parent.
func TestProjectRestoreWaitsForClientAndContract(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	c := s.createClient(t, tok, nil)
	k := s.createContract(t, tok, c.ID)
	p := s.createProject(t, tok, c.ID, map[string]any{"contract": k.ID})
	clientPath, contractPath := "/api/crm/clients/"+c.ID+"/", contractsPath+k.ID+"/"

	testkit.WantStatus(t, s.Do(t, http.MethodDelete, projectPath(p.ID), tok, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, contractPath, tok, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, clientPath, tok, nil), http.StatusNoContent)

	testkit.WantConflict(t, s.Do(t, http.MethodPost, projectPath(p.ID)+"restore/", tok, nil), "Restore its client first.")
	testkit.WantNotFound(t, s.Do(t, http.MethodGet, projectPath(p.ID), tok, nil))
	testkit.WantStatus(t, s.Do(t, http.MethodPost, clientPath+"restore/", tok, nil), http.StatusOK)
	testkit.WantConflict(t, s.Do(t, http.MethodPost, projectPath(p.ID)+"restore/", tok, nil), "Restore its contract first.")
	testkit.WantStatus(t, s.Do(t, http.MethodPost, contractPath+"restore/", tok, nil), http.StatusOK)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, projectPath(p.ID)+"restore/", tok, nil), http.StatusOK)
	testkit.WantStatus(t, s.Do(t, http.MethodGet, projectPath(p.ID), tok, nil), http.StatusOK)
}
