package projects_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// The project list's totals and the unfiltered lists' counts come from tallies that triggers
// keep in each write's own transaction (migration 00016). Every kind of write shows in the very
// next answer — the API's creates, edits, deletes and restores, and SQL run around the API —
// and after each one the tallies equal what summing and counting the rows themselves gives.
func TestTalliesFollowEveryWrite(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	cons := f.AddUser(t, roleConsultant)
	c := s.createClient(t, tok, nil)
	p1 := s.createProject(t, tok, c.ID, map[string]any{"project_code": "TL-1", "hourly_rate": "100.00"})
	p2 := s.createProject(t, tok, c.ID, map[string]any{"project_code": "TL-2", "hourly_rate": "100.00"})
	// Another firm's rows never count.
	g := s.RegisterFirm(t)
	gp := s.createProject(t, g.Owner.Token, s.createClient(t, g.Owner.Token, nil).ID, nil)
	s.seedTimeEntry(t, g.ID, seedEntry{Project: gp.ID, User: g.Owner.ID, Hours: "5.00", Rate: "10.00", Billable: true})

	ctx := db.WithFirm(context.Background(), f.ID) // SQL around the API names its firm, as operators' fixes must
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := s.DB().W.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	type totals struct{ hours, billable, billed, unbilled string }
	// check compares the API's answers with the rows and with the figures the step expects.
	check := func(step string, entries, projects int64, want map[string]totals) {
		t.Helper()
		var live, liveProjects int64
		r := s.DB().R
		if err := r.NewRaw("SELECT COUNT(*) FROM time_entries WHERE firm_id = ? AND deleted_at IS NULL", f.ID).Scan(ctx, &live); err != nil {
			t.Fatal(err)
		}
		if err := r.NewRaw("SELECT COUNT(*) FROM projects WHERE firm_id = ? AND deleted_at IS NULL", f.ID).Scan(ctx, &liveProjects); err != nil {
			t.Fatal(err)
		}
		if live != entries || liveProjects != projects {
			t.Fatalf("%s: the rows hold %d entries and %d projects, the step expects %d and %d", step, live, liveProjects, entries, projects)
		}
		if n, _ := s.listEntries(t, tok, ""); n != entries {
			t.Errorf("%s: time-entry list count %d, want %d", step, n, entries)
		}
		// Every role that lists them sees all of the firm's entries and projects: the tally
		// would be wrong for a list scoped by role.
		if n, _ := s.listEntries(t, cons.Token, ""); n != entries {
			t.Errorf("%s: the consultant's time-entry list count %d, want %d", step, n, entries)
		}
		if pg, _ := s.listProjects(t, cons.Token, ""); pg.Count != projects {
			t.Errorf("%s: the consultant's project list count %d, want %d", step, pg.Count, projects)
		}
		if n, _ := s.listEntries(t, tok, "user="+cons.ID+"&page_size=1"); n > entries {
			t.Errorf("%s: the consultant's count %d exceeds the firm's %d", step, n, entries)
		}
		pg, list := s.listProjects(t, tok, "ordering=project_code")
		if pg.Count != projects {
			t.Errorf("%s: project list count %d, want %d", step, pg.Count, projects)
		}
		for _, p := range list {
			got := totals{p.TotalHoursLogged, p.BillableHours, p.TotalBilledAmount, p.UnbilledAmount}
			if w := want[p.ID]; got != w {
				t.Errorf("%s: %s totals %+v, want %+v", step, p.ProjectCode, got, w)
			}
			if d := s.getProject(t, tok, p.ID); (totals{d.TotalHoursLogged, d.BillableHours, d.TotalBilledAmount, d.UnbilledAmount}) != got {
				t.Errorf("%s: %s detail totals differ from the list's", step, p.ProjectCode)
			}
		}
	}
	zero := totals{"0.00", "0.00", "0.00", "0.00"}
	check("no time yet", 0, 2, map[string]totals{p1.ID: zero, p2.ID: zero})

	// The API: create (billable and not), edit, delete, restore.
	e1 := s.createEntry(t, cons.Token, p1.ID, map[string]any{"hours": "2.00"})
	e2 := s.createEntry(t, cons.Token, p1.ID, map[string]any{"hours": "1.00", "is_billable": false, "date": "2026-03-11"})
	check("two entries", 2, 2, map[string]totals{p1.ID: {"3.00", "2.00", "200.00", "200.00"}, p2.ID: zero})
	s.patchedEntry(t, cons.Token, e1.ID, map[string]any{"hours": "3.50"})
	check("hours edited", 2, 2, map[string]totals{p1.ID: {"4.50", "3.50", "350.00", "350.00"}, p2.ID: zero})
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, teEntryPath(e1.ID), tok, nil), http.StatusNoContent)
	check("entry deleted", 1, 2, map[string]totals{p1.ID: {"1.00", "0.00", "0.00", "0.00"}, p2.ID: zero})
	testkit.WantStatus(t, s.Do(t, http.MethodPost, teEntryPath(e1.ID)+"restore/", tok, nil), http.StatusOK)
	check("entry restored", 2, 2, map[string]totals{p1.ID: {"4.50", "3.50", "350.00", "350.00"}, p2.ID: zero})

	// SQL around the API: inserted, invoiced, moved to another project, deleted for good.
	seeded := s.seedTimeEntry(t, f.ID, seedEntry{Project: p2.ID, User: f.Owner.ID, Hours: "0.50", Rate: "40.00", Billable: true})
	check("seeded by SQL", 3, 2, map[string]totals{p1.ID: {"4.50", "3.50", "350.00", "350.00"}, p2.ID: {"0.50", "0.50", "20.00", "20.00"}})
	exec("UPDATE time_entries SET invoiced = ? WHERE id = ?", true, e1.ID)
	check("invoiced by SQL", 3, 2, map[string]totals{p1.ID: {"4.50", "3.50", "350.00", "0.00"}, p2.ID: {"0.50", "0.50", "20.00", "20.00"}})
	exec("UPDATE time_entries SET project_id = ? WHERE id = ?", p2.ID, e1.ID)
	check("moved by SQL", 3, 2, map[string]totals{p1.ID: {"1.00", "0.00", "0.00", "0.00"}, p2.ID: {"4.00", "4.00", "370.00", "20.00"}})
	exec("DELETE FROM time_entries WHERE id = ?", seeded)
	check("deleted by SQL", 2, 2, map[string]totals{p1.ID: {"1.00", "0.00", "0.00", "0.00"}, p2.ID: {"3.50", "3.50", "350.00", "0.00"}})

	// A project's delete and restore move the project count; its totals wait for it.
	p3 := s.createProject(t, tok, c.ID, map[string]any{"project_code": "TL-3"})
	check("third project", 2, 3, map[string]totals{p1.ID: {"1.00", "0.00", "0.00", "0.00"}, p2.ID: {"3.50", "3.50", "350.00", "0.00"}, p3.ID: zero})
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, projectPath(p3.ID), tok, nil), http.StatusNoContent)
	check("project deleted", 2, 2, map[string]totals{p1.ID: {"1.00", "0.00", "0.00", "0.00"}, p2.ID: {"3.50", "3.50", "350.00", "0.00"}})
	testkit.WantStatus(t, s.Do(t, http.MethodPost, projectPath(p3.ID)+"restore/", tok, nil), http.StatusOK)
	check("project restored", 2, 3, map[string]totals{p1.ID: {"1.00", "0.00", "0.00", "0.00"}, p2.ID: {"3.50", "3.50", "350.00", "0.00"}, p3.ID: zero})

	// include_deleted and filters count the rows themselves.
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, teEntryPath(e2.ID), tok, nil), http.StatusNoContent)
	if n, _ := s.listEntries(t, tok, "include_deleted=true"); n != 2 {
		t.Errorf("include_deleted count %d, want 2 (one live, one deleted)", n)
	}
	if n, _ := s.listEntries(t, tok, "project="+p2.ID); n != 1 {
		t.Errorf("filtered count %d, want 1", n)
	}
	check("entry deleted again", 1, 3, map[string]totals{p1.ID: zero, p2.ID: {"3.50", "3.50", "350.00", "0.00"}, p3.ID: zero})

	// The other firm's tallies stayed its own.
	if n, _ := s.listEntries(t, g.Owner.Token, ""); n != 1 {
		t.Errorf("other firm's entry count %d, want 1", n)
	}
}
