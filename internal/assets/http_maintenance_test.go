package assets_test

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

func TestMaintenanceCreateAndShape(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)
	x := s.createAsset(t, f.Owner.Token, map[string]any{"name": "Van", "asset_tag": "VAN-1", "currency": "EUR"})

	r := s.Do(t, http.MethodPost, assetMaintenancePath(x.ID), f.Owner.Token, map[string]any{"type": "inspection",
		"description": " Annual check ", "scheduled_date": "2026-03-20"})
	testkit.WantStatus(t, r, http.StatusCreated)
	var m maintenanceLog
	testkit.Decode(t, r, &m)
	if loc := r.Header.Get("Location"); loc != "/api/v1/assets/maintenance/"+m.ID+"/" {
		t.Errorf("Location = %q", loc)
	}
	want := maintenanceLog{ID: m.ID, Asset: x.ID, AssetName: ptr("Van"), AssetTag: ptr("VAN-1"), Type: "inspection",
		Description: "Annual check", Status: "scheduled", ScheduledDate: "2026-03-20", Currency: "EUR",
		CreatedBy: &f.Owner.ID, CreatedAt: "2026-03-10T09:00:00Z", UpdatedAt: "2026-03-10T09:00:00Z"}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("created = %+v\nwant %+v", m, want)
	}
	if got := testkit.Fetch[maintenanceLog](t, s.API, f.Owner.Token, logPath(m.ID)); !reflect.DeepEqual(got, want) {
		t.Errorf("fetched = %+v\nwant %+v", got, want)
	}
	obj := testkit.Object(t, r)
	for _, k := range []string{"completed_date", "cost"} {
		if v, ok := obj[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}

	t.Run("completed, with cost and who did it", func(t *testing.T) {
		got := s.createLog(t, f.Owner.Token, x.ID, map[string]any{"type": "corrective", "status": "completed",
			"completed_date": "2026-03-10", "cost": "149.90", "performed_by": "Garage Müller", "notes": "brakes"})
		if got.Status != "completed" || deref(got.CompletedDate) != "2026-03-10" || deref(got.Cost) != "149.90" ||
			got.Currency != "EUR" || got.PerformedBy != "Garage Müller" || got.Notes != "brakes" {
			t.Errorf("created = %+v", got)
		}
	})
	t.Run("the asset in a PATCH body is ignored", func(t *testing.T) {
		y := s.createAsset(t, f.Owner.Token, nil)
		got := s.patchLog(t, f.Owner.Token, m.ID, map[string]any{"asset": y.ID, "asset_name": "x", "notes": "kept"})
		if got.Asset != x.ID || deref(got.AssetName) != "Van" || got.Notes != "kept" {
			t.Errorf("after PATCH = %+v", got)
		}
	})
	t.Run("a fetched log sent back with PUT changes nothing", func(t *testing.T) {
		cur := testkit.Fetch[maintenanceLog](t, s.API, f.Owner.Token, logPath(m.ID))
		r := s.Do(t, http.MethodPut, logPath(m.ID), f.Owner.Token, cur)
		testkit.WantStatus(t, r, http.StatusOK)
		var got maintenanceLog
		testkit.Decode(t, r, &got)
		if !reflect.DeepEqual(got, cur) {
			t.Errorf("after PUT = %+v\nwant %+v", got, cur)
		}
	})
}

func TestMaintenanceRules(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	x := s.createAsset(t, tok, nil)
	yen := s.createAsset(t, tok, map[string]any{"currency": "JPY"})
	tests := []struct {
		name  string
		asset string
		body  map[string]any
		want  map[string][]string
		any   []string
	}{
		{name: "everything missing", asset: x.ID, body: map[string]any{},
			any: []string{"type", "description", "scheduled_date"}},
		{name: "unknown type", asset: x.ID, body: logBody(map[string]any{"type": "repair"}), any: []string{"type"}},
		{name: "unknown status", asset: x.ID, body: logBody(map[string]any{"status": "done"}), any: []string{"status"}},
		{name: "blank description", asset: x.ID, body: logBody(map[string]any{"description": "  "}),
			want: map[string][]string{"description": {msgRequired}}},
		{name: "malformed scheduled date", asset: x.ID, body: logBody(map[string]any{"scheduled_date": "20/03/2026"}),
			want: map[string][]string{"scheduled_date": {msgBadDate}}},
		{name: "completed without a completed date", asset: x.ID, body: logBody(map[string]any{"status": "completed"}),
			want: map[string][]string{"completed_date": {msgCompletedRequired}}},
		{name: "completed in the future", asset: x.ID,
			body: logBody(map[string]any{"status": "completed", "completed_date": "2026-03-11"}),
			want: map[string][]string{"completed_date": {msgCompletedFuture}}},
		{name: "a completed date on a scheduled log", asset: x.ID,
			body: logBody(map[string]any{"completed_date": "2026-03-01"}),
			want: map[string][]string{"completed_date": {msgCompletedOnly}}},
		{name: "negative cost", asset: x.ID, body: logBody(map[string]any{"cost": "-0.01"}),
			want: map[string][]string{"cost": {msgCostNegative}}},
		{name: "three decimals", asset: x.ID, body: logBody(map[string]any{"cost": "1.001"}),
			want: map[string][]string{"cost": {msgTwoDecimals}}},
		{name: "decimals in the asset's yen", asset: yen.ID, body: logBody(map[string]any{"cost": "10.5"}),
			want: map[string][]string{"cost": {msgNoDecimals}}},
		{name: "unknown currency", asset: x.ID, body: logBody(map[string]any{"currency": "ABC"}),
			want: map[string][]string{"currency": {msgUnknownCurrency}}},
		{name: "unknown field", asset: x.ID, body: logBody(map[string]any{"priority": "high"}),
			want: map[string][]string{"priority": {msgUnknownField}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Do(t, http.MethodPost, assetMaintenancePath(tt.asset), tok, tt.body)
			if tt.want != nil {
				testkit.WantOnly(t, r, tt.want)
				return
			}
			env := testkit.WantError(t, r, http.StatusBadRequest, "ValidationError", "VALIDATION_ERROR")
			testkit.WantOnlyFields(t, r, env, tt.any...)
		})
	}
	if page, _ := s.listLogs(t, tok, maintenancePath, ""); page.Count != 0 {
		t.Errorf("refused logs stored: %d", page.Count)
	}

	t.Run("the firm's today bounds the completed date", func(t *testing.T) {
		// 10 March 20:00 UTC is 11 March in Auckland.
		s.Clock.Set(time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC))
		g := s.RegisterFirm(t)
		a := s.createAsset(t, g.Owner.Token, nil)
		r := s.Do(t, http.MethodPost, assetMaintenancePath(a.ID), g.Owner.Token,
			logBody(map[string]any{"status": "completed", "completed_date": "2026-03-11"}))
		testkit.WantOnly(t, r, map[string][]string{"completed_date": {msgCompletedFuture}})
		g.Settings(t, map[string]any{"timezone": "Pacific/Auckland"})
		s.createLog(t, g.Owner.Token, a.ID, map[string]any{"status": "completed", "completed_date": "2026-03-11"})
	})
	t.Run("completing and reopening", func(t *testing.T) {
		s.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
		tok := s.Login(t, f.Owner.Username, testkit.Password)
		m := s.createLog(t, tok, x.ID, nil)
		r := s.Do(t, http.MethodPatch, logPath(m.ID), tok, map[string]any{"status": "completed"})
		testkit.WantOnly(t, r, map[string][]string{"completed_date": {msgCompletedRequired}})
		got := s.patchLog(t, tok, m.ID, map[string]any{"status": "completed", "completed_date": "2026-03-09", "cost": 80})
		if got.Status != "completed" || deref(got.CompletedDate) != "2026-03-09" || deref(got.Cost) != "80.00" {
			t.Errorf("completed = %+v", got)
		}
		got = s.patchLog(t, tok, m.ID, map[string]any{"notes": "invoice filed"})
		if deref(got.CompletedDate) != "2026-03-09" {
			t.Errorf("a PATCH without status lost the completed date: %+v", got)
		}
		got = s.patchLog(t, tok, m.ID, map[string]any{"status": "in_progress"})
		if got.Status != "in_progress" || got.CompletedDate != nil {
			t.Errorf("reopened = %+v, want no completed date", got)
		}
		r = s.Do(t, http.MethodPatch, logPath(m.ID), tok, map[string]any{"scheduled_date": nil})
		testkit.WantOnly(t, r, map[string][]string{"scheduled_date": {msgNull}})
	})
}

func TestMaintenanceAccessByRole(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	users := f.Roles(t)
	cons := users["consultant"]
	mine := s.createAsset(t, f.Owner.Token, map[string]any{"assigned_to": cons.ID})
	theirs := s.createAsset(t, f.Owner.Token, nil)
	myLog := s.createLog(t, f.Owner.Token, mine.ID, nil)
	theirLog := s.createLog(t, f.Owner.Token, theirs.ID, nil)

	tests := []struct {
		role                            string
		create, read, update, del       int // on a log of an asset they see
		createOther, readOther, upOther int // on an asset not assigned to them and its log
		listed                          []string
	}{
		{"owner", 201, 200, 200, 204, 201, 200, 200, nil},
		{"admin", 201, 200, 200, 204, 201, 200, 200, nil},
		{"accountant", 201, 200, 200, 204, 201, 200, 200, nil},
		{"manager", 403, 200, 403, 403, 403, 200, 403, nil},
		{"consultant", 403, 200, 403, 403, 404, 404, 404, []string{myLog.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			tok := users[tt.role].Token
			wantStatus(t, s.Do(t, http.MethodPost, assetMaintenancePath(mine.ID), tok, logBody(nil)), tt.create)
			wantStatus(t, s.Do(t, http.MethodPost, assetMaintenancePath(theirs.ID), tok, logBody(nil)), tt.createOther)
			wantStatus(t, s.Do(t, http.MethodGet, logPath(myLog.ID), tok, nil), tt.read)
			wantStatus(t, s.Do(t, http.MethodGet, logPath(theirLog.ID), tok, nil), tt.readOther)
			wantStatus(t, s.Do(t, http.MethodPatch, logPath(myLog.ID), tok, map[string]any{"notes": tt.role}), tt.update)
			wantStatus(t, s.Do(t, http.MethodPatch, logPath(theirLog.ID), tok, map[string]any{"notes": tt.role}), tt.upOther)
			wantStatus(t, s.Do(t, http.MethodGet, assetMaintenancePath(theirs.ID), tok, nil), tt.readOther)
			wantStatus(t, s.Do(t, http.MethodGet, assetMaintenancePath(mine.ID), tok, nil), tt.read)
			victim := s.createLog(t, f.Owner.Token, mine.ID, nil)
			wantStatus(t, s.Do(t, http.MethodDelete, logPath(victim.ID), tok, nil), tt.del)
			if tt.listed != nil {
				// A consultant's lists hold the logs of their assets alone (two more were added
				// by the owner as victims of the earlier roles' deletes, one survives per role
				// that could not delete: only those of mine).
				_, ms := s.listLogs(t, tok, maintenancePath, "page_size=200")
				for _, m := range ms {
					if m.Asset != mine.ID {
						t.Errorf("a consultant lists a log of another asset: %+v", m)
					}
				}
				if len(ms) == 0 {
					t.Error("a consultant lists none of their logs")
				}
				if page, _ := s.listLogs(t, tok, maintenancePath, "asset="+theirs.ID); page.Count != 0 {
					t.Errorf("a consultant filtering on another asset sees %d logs", page.Count)
				}
			}
		})
	}
	t.Run("every log of the firm for the other roles", func(t *testing.T) {
		page, _ := s.listLogs(t, users["manager"].Token, maintenancePath, "asset="+theirs.ID)
		if page.Count < 1 {
			t.Errorf("a manager sees %d logs of the unassigned asset", page.Count)
		}
	})
}

func TestMaintenanceLists(t *testing.T) {
	t.Parallel()
	s := startServerAt(t, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	van := s.createAsset(t, tok, map[string]any{"name": "Delivery van", "asset_tag": "VAN-7"})
	lap := s.createAsset(t, tok, map[string]any{"name": "Laptop", "asset_tag": "LAP-9"})
	a := s.createLog(t, tok, van.ID, map[string]any{"type": "preventive", "scheduled_date": "2026-01-10",
		"description": "Oil change", "performed_by": "Garage Müller"})
	b := s.createLog(t, tok, van.ID, map[string]any{"type": "corrective", "scheduled_date": "2026-03-05",
		"status": "completed", "completed_date": "2026-03-06", "description": "Brake pads"})
	c := s.createLog(t, tok, lap.ID, map[string]any{"type": "upgrade", "scheduled_date": "2026-02-01",
		"status": "cancelled", "description": "RAM upgrade", "performed_by": "IT desk"})

	for _, tt := range []struct {
		path, query string
		want        []string // ids, in order
	}{
		{maintenancePath, "", []string{b.ID, c.ID, a.ID}}, // -scheduled_date by default
		{maintenancePath, "ordering=scheduled_date", []string{a.ID, c.ID, b.ID}},
		{maintenancePath, "asset=" + van.ID + "&ordering=scheduled_date", []string{a.ID, b.ID}},
		{assetMaintenancePath(van.ID), "ordering=scheduled_date", []string{a.ID, b.ID}},
		{assetMaintenancePath(lap.ID), "", []string{c.ID}},
		{maintenancePath, "type=corrective", []string{b.ID}},
		{maintenancePath, "status=cancelled", []string{c.ID}},
		{maintenancePath, "scheduled_date_after=2026-02-01&scheduled_date_before=2026-03-05", []string{b.ID, c.ID}},
		{maintenancePath, "completed_date_after=2026-03-06", []string{b.ID}},
		{maintenancePath, "search=müller", []string{a.ID}},
		{maintenancePath, "search=lap-9", []string{c.ID}},
		{maintenancePath, "search=van+brake", []string{b.ID}},
		{maintenancePath, "ordering=scheduled_date&page_size=1&page=2", []string{c.ID}},
	} {
		page, ms := s.listLogs(t, tok, tt.path, tt.query)
		got := make([]string, len(ms))
		for i, m := range ms {
			got[i] = m.ID
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s?%s = %v, want %v", tt.path, tt.query, got, tt.want)
		}
		if tt.query != "ordering=scheduled_date&page_size=1&page=2" && page.Count != int64(len(tt.want)) {
			t.Errorf("%s?%s: count %d, want %d", tt.path, tt.query, page.Count, len(tt.want))
		}
	}
	for _, q := range []string{"type=repair", "status=done", "asset=nope", "scheduled_date_after=soon", "ordering=cost"} {
		r := s.Do(t, http.MethodGet, maintenancePath+"?"+q, tok, nil)
		if r.Status != http.StatusBadRequest {
			t.Errorf("?%s: status %d, want 400", q, r.Status)
		}
	}
	testkit.WantNotFound(t, s.Do(t, http.MethodGet, assetMaintenancePath(unknownID), tok, nil))
}
