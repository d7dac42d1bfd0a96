package projects_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// Task messages of this module that SPEC §5 leaves to the implementation.
const (
	msgProjectUnknown = "Select a valid project."
	msgTaskInUse      = "This task has time entries and cannot be deleted."
	msgTaskMoveLocked = "A task with time entries cannot move to another project."
)

// taskKeys are the fields of a task in every answer, none omitted.
var taskKeys = []string{"assigned_to", "assigned_to_name", "completed_at", "created_at", "created_by", "description",
	"due_date", "estimated_hours", "hours_logged", "id", "position", "priority", "project", "project_name", "status",
	"title", "updated_at"}

// sameTask fails unless got equals want, field by field; with anyUpdated the update stamp may
// differ but must not move backwards.
func sameTask(t testing.TB, what string, got, want task, anyUpdated bool) {
	t.Helper()
	g := got
	if anyUpdated {
		if testkit.Stamp(t, g.UpdatedAt).Before(testkit.Stamp(t, want.UpdatedAt)) {
			t.Errorf("%s: updated_at went back from %s to %s", what, want.UpdatedAt, g.UpdatedAt)
		}
		g.UpdatedAt = want.UpdatedAt
	}
	if !reflect.DeepEqual(g, want) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		t.Errorf("%s: task mismatch\n got: %s\nwant: %s", what, gj, wj)
	}
}

// taskTitles returns the titles of tasks, in order.
func taskTitles(ts []task) []string {
	out := make([]string, len(ts))
	for i, tk := range ts {
		out[i] = tk.Title
	}
	return out
}

// patchTask PATCHes a task as the token's user, expects 200 and returns it.
func (s *apiServer) patchTask(t testing.TB, token, id string, body map[string]any) task {
	t.Helper()
	r := s.Do(t, http.MethodPatch, taskPath(id), token, body)
	testkit.WantStatus(t, r, http.StatusOK)
	var tk task
	testkit.Decode(t, r, &tk)
	return tk
}

func TestTaskCreateDefaultsAndShape(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 2, 10, 14, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)
	p := s.createProject(t, f.Owner.Token, s.createClient(t, f.Owner.Token, nil).ID, map[string]any{"name": "Audit"})

	r := s.Do(t, http.MethodPost, tasksPath, f.Owner.Token, map[string]any{"project": p.ID, "title": "  Interview staff "})
	testkit.WantStatus(t, r, http.StatusCreated)
	m := testkit.Object(t, r)
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, taskKeys) {
		t.Errorf("keys = %q\nwant %q", keys, taskKeys)
	}
	for _, k := range []string{"assigned_to", "assigned_to_name", "estimated_hours", "due_date", "completed_at"} {
		if m[k] != nil {
			t.Errorf("%s = %v, want null", k, m[k])
		}
	}
	var tk task
	testkit.Decode(t, r, &tk)
	if loc := r.Header.Get("Location"); loc != "/api/v1/projects/tasks/"+tk.ID+"/" {
		t.Errorf("Location = %q", loc)
	}
	want := task{ID: tk.ID, Project: p.ID, ProjectName: ptr("Audit"), Title: "Interview staff", Status: "todo",
		Priority: "medium", CreatedBy: &f.Owner.ID, CreatedAt: "2026-02-10T14:00:00Z", UpdatedAt: "2026-02-10T14:00:00Z",
		HoursLogged: "0.00"}
	sameTask(t, "created", tk, want, false)
	sameTask(t, "fetched", s.getTask(t, f.Owner.Token, tk.ID), want, false)

	t.Run("every field set", func(t *testing.T) {
		cons := f.AddUser(t, roleConsultant)
		got := s.createTask(t, f.Owner.Token, p.ID, map[string]any{"title": "Draft report", "assigned_to": cons.ID,
			"description": "Chapter 1", "status": "in_progress", "priority": "urgent", "position": 3,
			"estimated_hours": 8, "due_date": "2026-03-01"})
		want := task{ID: got.ID, Project: p.ID, ProjectName: ptr("Audit"), AssignedTo: &cons.ID, AssignedToName: &cons.Name,
			Title: "Draft report", Description: "Chapter 1", Status: "in_progress", Priority: "urgent", Position: 3,
			EstimatedHours: ptr("8.00"), DueDate: ptr("2026-03-01"), CreatedBy: &f.Owner.ID, CreatedAt: got.CreatedAt,
			UpdatedAt: got.UpdatedAt, HoursLogged: "0.00"}
		sameTask(t, "every field", got, want, false)
	})
	t.Run("read-only fields in the body are ignored", func(t *testing.T) {
		got := s.createTask(t, f.Owner.Token, p.ID, map[string]any{"id": "01900000-0000-7000-8000-000000000000",
			"project_name": "X", "assigned_to_name": "Y", "completed_at": "2026-01-01T00:00:00Z", "created_by": "me",
			"created_at": "2000-01-01T00:00:00Z", "updated_at": "2000-01-01T00:00:00Z", "hours_logged": "7.00"})
		if got.ID == "01900000-0000-7000-8000-000000000000" || deref(got.ProjectName) != "Audit" || got.AssignedToName != nil ||
			got.CompletedAt != nil || deref(got.CreatedBy) != f.Owner.ID || got.CreatedAt != "2026-02-10T14:00:00Z" ||
			got.HoursLogged != "0.00" {
			t.Errorf("read-only fields taken from the body: %+v", got)
		}
	})
}

func TestTaskCreateValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	p := s.createProject(t, f.Owner.Token, s.createClient(t, f.Owner.Token, nil).ID, nil)
	otherProject := s.createProject(t, other.Owner.Token, s.createClient(t, other.Owner.Token, nil).ID, nil)
	gone := f.AddUser(t, roleConsultant)
	f.Deactivate(t, gone)

	tests := []struct {
		name string
		body map[string]any
		want map[string][]string // exact messages on exactly these fields
		any  []string            // or: fields that must carry some message
	}{
		{name: "everything missing", body: map[string]any{},
			want: map[string][]string{"project": {msgRequired}, "title": {msgRequired}}},
		{name: "empty title", body: taskBody(p.ID, map[string]any{"title": ""}), want: map[string][]string{"title": {msgRequired}}},
		{name: "blank title", body: taskBody(p.ID, map[string]any{"title": "  "}), want: map[string][]string{"title": {msgRequired}}},
		{name: "title too long", body: taskBody(p.ID, map[string]any{"title": strings.Repeat("x", 256)}), any: []string{"title"}},
		{name: "project not an id", body: taskBody("audit", nil), want: map[string][]string{"project": {msgProjectUnknown}}},
		{name: "project unknown", body: taskBody("01900000-0000-7000-8000-000000000000", nil),
			want: map[string][]string{"project": {msgProjectUnknown}}},
		{name: "project of another firm", body: taskBody(otherProject.ID, nil),
			want: map[string][]string{"project": {msgProjectUnknown}}},
		{name: "assignee of another firm", body: taskBody(p.ID, map[string]any{"assigned_to": other.Owner.ID}),
			want: map[string][]string{"assigned_to": {msgUserUnknown}}},
		{name: "assignee deactivated", body: taskBody(p.ID, map[string]any{"assigned_to": gone.ID}),
			want: map[string][]string{"assigned_to": {msgUserUnknown}}},
		{name: "assignee not an id", body: taskBody(p.ID, map[string]any{"assigned_to": "bob"}),
			want: map[string][]string{"assigned_to": {msgUserUnknown}}},
		{name: "zero estimate", body: taskBody(p.ID, map[string]any{"estimated_hours": "0"}),
			want: map[string][]string{"estimated_hours": {msgEstimatedHours}}},
		{name: "negative estimate", body: taskBody(p.ID, map[string]any{"estimated_hours": -2.5}),
			want: map[string][]string{"estimated_hours": {msgEstimatedHours}}},
		{name: "estimate with three decimals", body: taskBody(p.ID, map[string]any{"estimated_hours": "1.125"}),
			want: map[string][]string{"estimated_hours": {msgTwoDecimals}}},
		{name: "estimate not a number", body: taskBody(p.ID, map[string]any{"estimated_hours": "a day"}),
			want: map[string][]string{"estimated_hours": {msgInvalidNumber}}},
		{name: "status not a choice", body: taskBody(p.ID, map[string]any{"status": "closed"}),
			want: map[string][]string{"status": {`"closed" is not a valid choice.`}}},
		{name: "priority not a choice", body: taskBody(p.ID, map[string]any{"priority": "critical"}),
			want: map[string][]string{"priority": {`"critical" is not a valid choice.`}}},
		{name: "bad due date", body: taskBody(p.ID, map[string]any{"due_date": "2026-02-30"}), any: []string{"due_date"}},
		{name: "negative position", body: taskBody(p.ID, map[string]any{"position": -1}), any: []string{"position"}},
		{name: "fractional position", body: taskBody(p.ID, map[string]any{"position": 1.5}), any: []string{"position"}},
		{name: "unknown field", body: taskBody(p.ID, map[string]any{"hours": "1"}),
			want: map[string][]string{"hours": {msgUnknownField}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := s.Do(t, http.MethodPost, tasksPath, f.Owner.Token, tc.body)
			if tc.want != nil {
				testkit.WantOnly(t, r, tc.want)
				return
			}
			env := testkit.WantValidation(t, r, nil)
			testkit.WantFields(t, r, env, tc.any...)
			testkit.WantOnlyFields(t, r, env, tc.any...)
		})
	}
}

func TestTaskCompletedAt(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
	s := startServerAt(t, start)
	f := s.RegisterFirm(t)
	f.Settings(t, map[string]any{"timezone": "America/New_York"})
	p := s.createProject(t, f.Owner.Token, s.createClient(t, f.Owner.Token, nil).ID, nil)

	tk := s.createTask(t, f.Owner.Token, p.ID, map[string]any{"status": "done"})
	if deref(tk.CompletedAt) != "2026-03-01T02:00:00Z" {
		t.Fatalf("created done: completed_at %s", deref(tk.CompletedAt))
	}
	steps := []struct {
		advance time.Duration
		body    map[string]any
		want    string // completed_at after the step, "" for null
	}{
		{time.Minute, map[string]any{"title": "Renamed"}, "2026-03-01T02:00:00Z"},     // status untouched
		{time.Minute, map[string]any{"status": "done"}, "2026-03-01T02:00:00Z"},       // already done
		{time.Minute, map[string]any{"priority": "high"}, "2026-03-01T02:00:00Z"},     // other field
		{time.Minute, map[string]any{"status": "review"}, ""},                         // reopened
		{time.Minute, map[string]any{"title": "Again"}, ""},                           // still open
		{time.Hour, map[string]any{"status": "done"}, "2026-03-01T03:05:00Z"},         // done again
		{time.Hour, map[string]any{"completed_at": nil}, "2026-03-01T03:05:00Z"},      // read-only
		{time.Hour, map[string]any{"estimated_hours": "1.5"}, "2026-03-01T03:05:00Z"}, // other field
		{time.Hour, map[string]any{"status": "todo"}, ""},
	}
	for i, st := range steps {
		s.Clock.Advance(st.advance)
		if st.advance >= 10*time.Minute { // access tokens live 15 minutes
			f.Owner.Token = s.Login(t, f.Owner.Username, testPassword)
		}
		got := s.patchTask(t, f.Owner.Token, tk.ID, st.body)
		if deref(got.CompletedAt) != st.want && !(st.want == "" && got.CompletedAt == nil) {
			t.Errorf("step %d %v: completed_at %s, want %q", i, st.body, deref(got.CompletedAt), st.want)
		}
	}

	t.Run("PUT of the fetched object keeps the stamp", func(t *testing.T) {
		done := s.createTask(t, f.Owner.Token, p.ID, map[string]any{"status": "done"})
		s.Clock.Advance(time.Hour)
		f.Owner.Token = s.Login(t, f.Owner.Username, testPassword)
		body := testkit.Object(t, s.Do(t, http.MethodGet, taskPath(done.ID), f.Owner.Token, nil))
		r := s.Do(t, http.MethodPut, taskPath(done.ID), f.Owner.Token, body)
		testkit.WantStatus(t, r, http.StatusOK)
		var got task
		testkit.Decode(t, r, &got)
		sameTask(t, "PUT of the fetched done task", got, done, true)
		if m := testkit.Object(t, s.Do(t, http.MethodGet, taskPath(tk.ID), f.Owner.Token, nil)); m["completed_at"] != nil {
			t.Errorf("reopened task: completed_at must be present as null")
		}
	})
}

func TestTaskPutAndPatch(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	p1 := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"name": "One"})
	p2 := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"name": "Two"})
	cons := f.AddUser(t, roleConsultant)

	t.Run("fetched object with read-only fields changed", func(t *testing.T) {
		t.Parallel()
		tk := s.createTask(t, f.Owner.Token, p1.ID, map[string]any{"assigned_to": cons.ID, "estimated_hours": "2.5",
			"due_date": "2026-05-01", "position": 2})
		body := testkit.Object(t, s.Do(t, http.MethodGet, taskPath(tk.ID), f.Owner.Token, nil))
		for k, v := range map[string]any{"id": "x", "project_name": "Other", "assigned_to_name": "Other",
			"completed_at": "2026-01-01T00:00:00Z", "created_by": cons.ID, "created_at": "2000-01-01T00:00:00Z",
			"hours_logged": "3.00"} {
			body[k] = v
		}
		r := s.Do(t, http.MethodPut, taskPath(tk.ID), f.Owner.Token, body)
		testkit.WantStatus(t, r, http.StatusOK)
		var got task
		testkit.Decode(t, r, &got)
		sameTask(t, "after PUT", got, tk, true)
	})
	t.Run("PATCH changes what is sent, null clears", func(t *testing.T) {
		t.Parallel()
		tk := s.createTask(t, f.Owner.Token, p1.ID, map[string]any{"assigned_to": cons.ID, "estimated_hours": "2.5",
			"due_date": "2026-05-01"})
		got := s.patchTask(t, f.Owner.Token, tk.ID, map[string]any{"project": p2.ID, "position": 9})
		if got.Project != p2.ID || deref(got.ProjectName) != "Two" || got.Position != 9 || deref(got.EstimatedHours) != "2.50" {
			t.Errorf("after PATCH: %+v", got)
		}
		got = s.patchTask(t, f.Owner.Token, tk.ID, map[string]any{"assigned_to": nil, "estimated_hours": nil, "due_date": nil})
		if got.AssignedTo != nil || got.AssignedToName != nil || got.EstimatedHours != nil || got.DueDate != nil ||
			got.Position != 9 || got.Title != tk.Title {
			t.Errorf("after clearing: %+v", got)
		}
		for _, tc := range []struct {
			body map[string]any
			want map[string][]string
		}{
			{map[string]any{"title": nil}, map[string][]string{"title": {msgFieldNull}}},
			{map[string]any{"project": nil}, map[string][]string{"project": {msgFieldNull}}},
			{map[string]any{"title": ""}, map[string][]string{"title": {msgRequired}}},
			{map[string]any{"estimated_hours": 0}, map[string][]string{"estimated_hours": {msgEstimatedHours}}},
			{map[string]any{"estimated_hours": "0.001"}, map[string][]string{"estimated_hours": {msgTwoDecimals}}},
			{map[string]any{"project": "nope"}, map[string][]string{"project": {msgProjectUnknown}}},
			{map[string]any{"assigned_to": f.Owner.ID + "x"}, map[string][]string{"assigned_to": {msgUserUnknown}}},
		} {
			testkit.WantOnly(t, s.Do(t, http.MethodPatch, taskPath(tk.ID), f.Owner.Token, tc.body), tc.want)
		}
		testkit.WantOnly(t, s.Do(t, http.MethodPut, taskPath(tk.ID), f.Owner.Token, map[string]any{"title": "x"}),
			map[string][]string{"project": {msgRequired}})
	})
	t.Run("a task with time entries stays in its project", func(t *testing.T) {
		t.Parallel()
		tk := s.createTask(t, f.Owner.Token, p1.ID, nil)
		s.seedTimeEntry(t, f.ID, seedEntry{Project: p1.ID, Task: tk.ID, User: cons.ID, Hours: "1.00", Rate: "10.00"})
		testkit.WantOnly(t, s.Do(t, http.MethodPatch, taskPath(tk.ID), f.Owner.Token, map[string]any{"project": p2.ID}),
			map[string][]string{"project": {msgTaskMoveLocked}})
		s.patchTask(t, f.Owner.Token, tk.ID, map[string]any{"project": p1.ID, "title": "Same project"})
	})
}

func TestTaskHoursLogged(t *testing.T) {
	t.Parallel()
	s := startCountingServer(t)
	f := s.RegisterFirm(t)
	cons := f.AddUser(t, roleConsultant)
	p := s.createProject(t, f.Owner.Token, s.createClient(t, f.Owner.Token, nil).ID, nil)
	a := s.createTask(t, f.Owner.Token, p.ID, map[string]any{"title": "A", "position": 1, "assigned_to": cons.ID})
	b := s.createTask(t, f.Owner.Token, p.ID, map[string]any{"title": "B", "position": 2})
	s.createTask(t, f.Owner.Token, p.ID, map[string]any{"title": "C", "position": 3})
	for _, h := range []string{"0.01", "7.99", "24.00"} {
		s.seedTimeEntry(t, f.ID, seedEntry{Project: p.ID, Task: a.ID, User: cons.ID, Hours: h, Rate: "10.00", Billable: true})
	}
	s.seedTimeEntry(t, f.ID, seedEntry{Project: p.ID, Task: b.ID, User: cons.ID, Hours: "0.25", Rate: "10.00"})
	s.seedTimeEntry(t, f.ID, seedEntry{Project: p.ID, User: cons.ID, Hours: "5.00", Rate: "10.00"}) // no task

	want := map[string]string{"A": "32.00", "B": "0.25", "C": "0.00"}
	s.Queries.Reset()
	_, all := s.listTasks(t, f.Owner.Token, "page_size=200")
	many := s.Queries.Count()
	s.Queries.Reset()
	_, one := s.listTasks(t, f.Owner.Token, "page_size=1")
	few := s.Queries.Count()
	t.Logf("statements per task list request: page_size=1 → %d, page_size=200 → %d (%s)", few, many, s.DB().Dialect)
	if few != many || len(one) != 1 || len(all) != 3 {
		t.Errorf("statements: %d for page_size=1 (%d tasks), %d for page_size=200 (%d tasks)", few, len(one), many, len(all))
	}
	for _, tk := range all {
		if tk.HoursLogged != want[tk.Title] {
			t.Errorf("list %s: hours_logged %s, want %s", tk.Title, tk.HoursLogged, want[tk.Title])
		}
		if got := s.getTask(t, f.Owner.Token, tk.ID); got.HoursLogged != want[tk.Title] {
			t.Errorf("detail %s: hours_logged %s, want %s", tk.Title, got.HoursLogged, want[tk.Title])
		}
	}
	if got := s.getProject(t, f.Owner.Token, p.ID); got.TotalHoursLogged != "37.25" || got.BillableHours != "32.00" ||
		got.TotalBilledAmount != "320.00" {
		t.Errorf("project totals: %s %s %s", got.TotalHoursLogged, got.BillableHours, got.TotalBilledAmount)
	}
}

func TestTaskList(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	c := s.createClient(t, f.Owner.Token, nil)
	alpha := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"name": "Alpha rollout"})
	beta := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"name": "Beta"})
	cons := f.AddUser(t, roleConsultant)
	// Created in this order; same positions sort newest first.
	s.createTask(t, f.Owner.Token, alpha.ID, map[string]any{"title": "Kickoff", "position": 0, "priority": "low",
		"status": "done", "due_date": "2026-03-10"})
	s.createTask(t, f.Owner.Token, alpha.ID, map[string]any{"title": "Interviews", "position": 1, "priority": "urgent",
		"assigned_to": cons.ID, "description": "Stakeholder 50% sample", "due_date": "2026-03-01"})
	s.createTask(t, f.Owner.Token, beta.ID, map[string]any{"title": "Report", "position": 1, "priority": "high",
		"status": "in_progress", "assigned_to": cons.ID})
	s.createTask(t, f.Owner.Token, beta.ID, map[string]any{"title": "Budget", "position": 0, "priority": "medium"})

	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"Budget", "Kickoff", "Report", "Interviews"}},
		{"ordering=position,created_at", []string{"Kickoff", "Budget", "Interviews", "Report"}},
		{"ordering=priority", []string{"Kickoff", "Budget", "Report", "Interviews"}},
		{"ordering=-priority", []string{"Interviews", "Report", "Budget", "Kickoff"}},
		{"ordering=-created_at", []string{"Budget", "Report", "Interviews", "Kickoff"}},
		{"project=" + alpha.ID, []string{"Kickoff", "Interviews"}},
		{"project=" + beta.ID + "&ordering=-position", []string{"Report", "Budget"}},
		{"status=done", []string{"Kickoff"}},
		{"status=blocked", []string{}},
		{"priority=urgent", []string{"Interviews"}},
		{"assigned_to=" + cons.ID, []string{"Report", "Interviews"}},
		{"search=interview", []string{"Interviews"}},
		{"search=STAKEHOLDER", []string{"Interviews"}},
		{"search=50%25", []string{"Interviews"}},
		{"search=alpha", []string{"Kickoff", "Interviews"}},
		{"search=beta+rep", []string{"Report"}},
		{"search=beta+kick", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			p, ts := s.listTasks(t, f.Owner.Token, tc.query)
			if got := taskTitles(ts); p.Count != int64(len(tc.want)) || !slices.Equal(got, tc.want) {
				t.Errorf("%s: %q, want %q", tc.query, got, tc.want)
			}
		})
	}
	t.Run("due date ordering", func(t *testing.T) {
		t.Parallel()
		_, ts := s.listTasks(t, f.Owner.Token, "project="+alpha.ID+"&ordering=due_date")
		if got := taskTitles(ts); !slices.Equal(got, []string{"Interviews", "Kickoff"}) {
			t.Errorf("by due date: %q", got)
		}
	})
	for _, tc := range []struct{ query, field string }{
		{"status=closed", "status"},
		{"priority=critical", "priority"},
		{"project=alpha", "project"},
		{"assigned_to=me", "assigned_to"},
		{"ordering=title", "ordering"},
		{"page=0", "page"},
	} {
		t.Run("bad "+tc.query, func(t *testing.T) {
			t.Parallel()
			r := s.Do(t, http.MethodGet, tasksPath+"?"+tc.query, f.Owner.Token, nil)
			env := testkit.WantError(t, r, http.StatusBadRequest, typeParse, codeBadRequest)
			testkit.WantOnlyFields(t, r, env, tc.field)
		})
	}
	t.Run("other firm sees only its own", func(t *testing.T) {
		t.Parallel()
		g := s.RegisterFirm(t)
		if p, _ := s.listTasks(t, g.Owner.Token, ""); p.Count != 0 {
			t.Errorf("another firm lists %d tasks", p.Count)
		}
		if p, _ := s.listTasks(t, g.Owner.Token, "project="+alpha.ID); p.Count != 0 {
			t.Errorf("another firm lists %d tasks of the project", p.Count)
		}
	})
}

func TestTaskPermissions(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	users := f.Roles(t)
	c := s.createClient(t, f.Owner.Token, nil)
	p := s.createProject(t, f.Owner.Token, c.ID, nil)

	type expect struct{ list, get, create, patch, put, del int }
	byRole := map[string]expect{
		roleOwner:      {200, 200, 201, 200, 200, 204},
		roleAdmin:      {200, 200, 201, 200, 200, 204},
		roleManager:    {200, 200, 201, 200, 200, 204},
		roleConsultant: {200, 200, 403, 403, 403, 403},
		roleAccountant: {200, 200, 403, 403, 403, 403},
	}
	for _, role := range allRoles {
		want := byRole[role]
		t.Run(role, func(t *testing.T) {
			t.Parallel()
			u := users[role]
			tk := s.createTask(t, f.Owner.Token, p.ID, nil) // assigned to nobody
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodGet, tasksPath, u.Token, nil), want.list)
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodGet, taskPath(tk.ID), u.Token, nil), want.get)
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodPost, tasksPath, u.Token, taskBody(p.ID, nil)), want.create)
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodPatch, taskPath(tk.ID), u.Token, map[string]any{"status": "review"}), want.patch)
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodPut, taskPath(tk.ID), u.Token, taskBody(p.ID, nil)), want.put)
			if want.patch == http.StatusForbidden {
				sameTask(t, "after refused writes", s.getTask(t, f.Owner.Token, tk.ID), tk, false)
			}
			testkit.WantStatusOrForbidden(t, s.Do(t, http.MethodDelete, taskPath(tk.ID), u.Token, nil), want.del)
			if want.del == http.StatusForbidden {
				s.getTask(t, f.Owner.Token, tk.ID)
			} else {
				testkit.WantNotFound(t, s.Do(t, http.MethodGet, taskPath(tk.ID), f.Owner.Token, nil))
			}
		})
	}

	t.Run("consultant updates a task assigned to them", func(t *testing.T) {
		t.Parallel()
		cons, mgr := users[roleConsultant], users[roleManager]
		other := s.createProject(t, f.Owner.Token, c.ID, nil)
		tk := s.createTask(t, f.Owner.Token, p.ID, map[string]any{"assigned_to": cons.ID})
		got := s.patchTask(t, cons.Token, tk.ID, map[string]any{"status": "done", "estimated_hours": "3"})
		if got.Status != "done" || got.CompletedAt == nil || deref(got.EstimatedHours) != "3.00" {
			t.Errorf("consultant PATCH: %+v", got)
		}
		body := testkit.Object(t, s.Do(t, http.MethodGet, taskPath(tk.ID), cons.Token, nil))
		body["title"] = "Put by the assignee"
		testkit.WantStatus(t, s.Do(t, http.MethodPut, taskPath(tk.ID), cons.Token, body), http.StatusOK)
		// The assignee is not theirs to change: refused, whether given away, cleared or sent
		// with PUT; nothing of the refused change is saved.
		wantForbiddenWith(t, s.Do(t, http.MethodPatch, taskPath(tk.ID), cons.Token,
			map[string]any{"assigned_to": mgr.ID, "priority": "low"}), msgTaskReassign)
		wantForbiddenWith(t, s.Do(t, http.MethodPatch, taskPath(tk.ID), cons.Token, map[string]any{"assigned_to": nil}), msgTaskReassign)
		body["assigned_to"] = mgr.ID
		wantForbiddenWith(t, s.Do(t, http.MethodPut, taskPath(tk.ID), cons.Token, body), msgTaskReassign)
		if got := s.getTask(t, cons.Token, tk.ID); deref(got.AssignedTo) != cons.ID || got.Priority == "low" {
			t.Errorf("after refused reassignments: %+v", got)
		}
		// The project is read-only for them: ignored. Their own assignee sent back is no change.
		got = s.patchTask(t, cons.Token, tk.ID, map[string]any{"project": other.ID, "assigned_to": cons.ID, "priority": "high"})
		if got.Project != p.ID || deref(got.AssignedTo) != cons.ID || got.Priority != "high" {
			t.Errorf("consultant moved or reassigned the task: %+v", got)
		}
		// Nor may they delete it.
		testkit.WantForbidden(t, s.Do(t, http.MethodDelete, taskPath(tk.ID), cons.Token, nil))
		// Once reassigned by a manager, it is no longer theirs.
		s.patchTask(t, mgr.Token, tk.ID, map[string]any{"assigned_to": mgr.ID})
		testkit.WantForbidden(t, s.Do(t, http.MethodPatch, taskPath(tk.ID), cons.Token, map[string]any{"status": "todo"}))
	})
	t.Run("consultant managing the project updates its tasks", func(t *testing.T) {
		t.Parallel()
		lead := f.AddUser(t, roleConsultant)
		helper := f.AddUser(t, roleConsultant)
		mine := s.createProject(t, f.Owner.Token, c.ID, map[string]any{"project_manager": lead.ID})
		tk := s.createTask(t, f.Owner.Token, mine.ID, nil)
		got := s.patchTask(t, lead.Token, tk.ID, map[string]any{"assigned_to": helper.ID, "status": "in_progress"})
		if deref(got.AssignedTo) != helper.ID || deref(got.AssignedToName) != helper.Name || got.Status != "in_progress" {
			t.Errorf("manager-consultant PATCH: %+v", got)
		}
		// The new assignee may now update it too; a task of another project stays closed to them.
		s.patchTask(t, helper.Token, tk.ID, map[string]any{"status": "review"})
		elsewhere := s.createTask(t, f.Owner.Token, p.ID, nil)
		testkit.WantForbidden(t, s.Do(t, http.MethodPatch, taskPath(elsewhere.ID), lead.Token, map[string]any{"status": "done"}))
		// They still cannot create or delete tasks.
		testkit.WantForbidden(t, s.Do(t, http.MethodPost, tasksPath, lead.Token, taskBody(mine.ID, nil)))
		testkit.WantForbidden(t, s.Do(t, http.MethodDelete, taskPath(tk.ID), lead.Token, nil))
	})
	t.Run("accountant assigned a task still only reads", func(t *testing.T) {
		t.Parallel()
		acc := users[roleAccountant]
		tk := s.createTask(t, f.Owner.Token, p.ID, map[string]any{"assigned_to": acc.ID})
		testkit.WantForbidden(t, s.Do(t, http.MethodPatch, taskPath(tk.ID), acc.Token, map[string]any{"status": "done"}))
	})
	t.Run("no token", func(t *testing.T) {
		t.Parallel()
		tk := s.createTask(t, f.Owner.Token, p.ID, nil)
		for _, r := range []*response{
			s.Do(t, http.MethodGet, tasksPath, "", nil),
			s.Do(t, http.MethodGet, taskPath(tk.ID), "", nil),
			s.Do(t, http.MethodPost, tasksPath, "", taskBody(p.ID, nil)),
			s.Do(t, http.MethodPatch, taskPath(tk.ID), "", map[string]any{"status": "done"}),
			s.Do(t, http.MethodDelete, taskPath(tk.ID), "", nil),
		} {
			testkit.WantError(t, r, http.StatusUnauthorized, typeNotAuth, codeUnauth)
		}
	})
}

// SPEC §1–§2: a refusing role or object rule answers 403 and another firm's task 404, whatever
// the body holds.
func TestTaskAuthorizationBeforeValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	cons := f.AddUser(t, roleConsultant)
	acc := f.AddUser(t, roleAccountant)
	other := s.RegisterFirm(t)
	p := s.createProject(t, f.Owner.Token, s.createClient(t, f.Owner.Token, nil).ID, nil)
	tk := s.createTask(t, f.Owner.Token, p.ID, nil)
	bad := map[string]any{"estimated_hours": "0", "status": "closed", "colour": "red"}

	testkit.WantForbidden(t, s.Do(t, http.MethodPost, tasksPath, cons.Token, bad))
	testkit.WantForbidden(t, s.Do(t, http.MethodPost, tasksPath, acc.Token, map[string]any{}))
	testkit.WantForbidden(t, s.Do(t, http.MethodPatch, taskPath(tk.ID), cons.Token, bad))
	testkit.WantForbidden(t, s.Do(t, http.MethodPut, taskPath(tk.ID), acc.Token, bad))
	testkit.WantNotFound(t, s.Do(t, http.MethodPatch, taskPath(tk.ID), other.Owner.Token, bad))
	testkit.WantNotFound(t, s.Do(t, http.MethodPut, taskPath(tk.ID), other.Owner.Token, bad))
	// The assignee with a bad body learns about the body.
	mine := s.createTask(t, f.Owner.Token, p.ID, map[string]any{"assigned_to": cons.ID})
	r := s.Do(t, http.MethodPatch, taskPath(mine.ID), cons.Token, map[string]any{"estimated_hours": "0"})
	testkit.WantOnly(t, r, map[string][]string{"estimated_hours": {msgEstimatedHours}})
}

func TestTaskTenancy(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	a := s.RegisterFirm(t)
	b := s.RegisterFirm(t)
	bCons := b.AddUser(t, roleConsultant)
	p := s.createProject(t, a.Owner.Token, s.createClient(t, a.Owner.Token, nil).ID, nil)
	tk := s.createTask(t, a.Owner.Token, p.ID, map[string]any{"title": "Secret task"})
	bProject := s.createProject(t, b.Owner.Token, s.createClient(t, b.Owner.Token, nil).ID, nil)

	for _, u := range []user{b.Owner, bCons} {
		for _, tc := range []struct {
			method string
			body   any
		}{
			{http.MethodGet, nil},
			{http.MethodPatch, map[string]any{"status": "done"}},
			{http.MethodPut, taskBody(bProject.ID, nil)},
			{http.MethodDelete, nil},
		} {
			testkit.WantNotFound(t, s.Do(t, tc.method, taskPath(tk.ID), u.Token, tc.body))
			testkit.WantNotFound(t, s.Do(t, tc.method, "/api/v1/projects/tasks/"+tk.ID, u.Token, tc.body))
		}
	}
	sameTask(t, "after firm B's attempts", s.getTask(t, a.Owner.Token, tk.ID), tk, false)
	if pg, _ := s.listTasks(t, b.Owner.Token, "search=secret"); pg.Count != 0 {
		t.Errorf("firm B finds firm A's task")
	}
	// Firm A cannot move its task into firm B's project.
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, taskPath(tk.ID), a.Owner.Token, map[string]any{"project": bProject.ID}),
		map[string][]string{"project": {msgProjectUnknown}})
	for _, id := range []string{"01900000-0000-7000-8000-000000000000", "not-a-uuid"} {
		testkit.WantNotFound(t, s.Do(t, http.MethodGet, taskPath(id), a.Owner.Token, nil))
		testkit.WantNotFound(t, s.Do(t, http.MethodPatch, taskPath(id), a.Owner.Token, map[string]any{"status": "done"}))
		testkit.WantNotFound(t, s.Do(t, http.MethodDelete, taskPath(id), a.Owner.Token, nil))
	}
}

func TestTaskDelete(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	p := s.createProject(t, f.Owner.Token, s.createClient(t, f.Owner.Token, nil).ID, nil)

	tk := s.createTask(t, f.Owner.Token, p.ID, nil)
	r := s.Do(t, http.MethodDelete, taskPath(tk.ID), f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusNoContent)
	testkit.WantNotFound(t, s.Do(t, http.MethodGet, taskPath(tk.ID), f.Owner.Token, nil))

	logged := s.createTask(t, f.Owner.Token, p.ID, nil)
	s.seedTimeEntry(t, f.ID, seedEntry{Project: p.ID, Task: logged.ID, User: f.Owner.ID, Hours: "0.50", Rate: "10.00"})
	testkit.WantConflict(t, s.Do(t, http.MethodDelete, taskPath(logged.ID), f.Owner.Token, nil), msgTaskInUse)
	s.getTask(t, f.Owner.Token, logged.ID)
	testkit.WantConflict(t, s.Do(t, http.MethodDelete, projectPath(p.ID), f.Owner.Token, nil), msgProjectInUse)
}

// msgTaskReassign refuses a change of assignee by a consultant who does not manage the project.
const msgTaskReassign = "You do not have permission to change the assignee of a task."
