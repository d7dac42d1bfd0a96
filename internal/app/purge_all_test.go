package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"slices"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/storage"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/uptrace/bun"
)

// longTokens keeps every token valid while a test moves its frozen clock.
func longTokens(c *config.Config) {
	c.AccessTokenTTL = 10 * 365 * 24 * time.Hour
	c.RefreshTokenTTL = 10 * 365 * 24 * time.Hour
}

// created POSTs body to path as token, expects 201 and returns the new object's id.
func created(t *testing.T, s *testkit.API, token, path string, body map[string]any) string {
	t.Helper()
	r := s.Do(t, http.MethodPost, path, token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	id, _ := testkit.Object(t, r)["id"].(string)
	if id == "" {
		t.Fatalf("POST %s: no id in %s", path, r.Body)
	}
	return id
}

// uploadTo POSTs a multipart form to path as token: the fields, then a file part named name
// holding content.
func uploadTo(t *testing.T, s *testkit.API, token, path string, fields map[string]string, name string, content []byte) *testkit.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if err := mw.WriteField(k, fields[k]); err != nil {
			t.Fatal(err)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	h.Set("Content-Type", "application/octet-stream")
	part, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := part.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.Srv.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := s.Srv.Client().Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read POST %s: %v", path, err)
	}
	return &testkit.Response{Method: http.MethodPost, Path: path, Status: res.StatusCode, Header: res.Header, Body: raw}
}

// rowsWithID counts the rows of table with this id, deleted or not, straight from the database.
func rowsWithID(t *testing.T, s *testkit.API, table, id string) int {
	t.Helper()
	var n int
	if err := s.DB().R.NewRaw("SELECT count(*) FROM ? WHERE id = ?", bun.Ident(table), id).Scan(context.Background(), &n); err != nil {
		t.Fatalf("count %s %s: %v", table, id, err)
	}
	return n
}

// One row of each of the ten soft-deleted tables, made through the API as one chain of parents
// and children and deleted children first, is removed for good by one purge pass whose cutoff
// follows the deletes: each table reports its row, the rows and the document's versions and
// blob are gone, restore finds nothing, and the objects' audit rows stay. A row deleted after
// the cutoff is left for a restore.
func TestPurgeDeletedEveryTable(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	store, err := storage.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: start, Configure: longTokens,
		Options: []app.Option{app.WithStorage(store)}})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	ctx := context.Background()

	client := auditedClient(t, s, tok)
	late := auditedClient(t, s, tok) // deleted after the cutoff
	proposal := created(t, s, tok, "/api/crm/proposals/", map[string]any{"client": client, "title": "Operating model review", "description": "Scope and fees",
		"total_value": "1600.00", "valid_until": "2026-12-31"})
	contract := created(t, s, tok, "/api/crm/contracts/", map[string]any{"client": client, "proposal": proposal,
		"title": "Transformation programme", "description": "Phase 1", "total_value": "48000.00", "start_date": "2026-06-01", "end_date": "2026-12-31"})
	project := created(t, s, tok, "/api/projects/projects/", map[string]any{"client": client, "contract": contract,
		"name": fmt.Sprintf("Project %d", testkit.Seq()), "start_date": "2026-01-01", "end_date": "2026-12-31", "hourly_rate": "150.00"})
	task := created(t, s, tok, "/api/projects/tasks/", map[string]any{"project": project, "title": "Stakeholder interviews"})
	entry := created(t, s, tok, "/api/projects/time-entries/", map[string]any{"project": project, "task": task,
		"date": "2026-05-04", "hours": "2.00", "description": "Interviews"})
	bill := created(t, s, tok, "/api/finance/bills/", map[string]any{"vendor_name": "Office Co", "expense_category": "software",
		"subtotal": "80.00", "project": project})
	folder := created(t, s, tok, "/api/documents/folders/", map[string]any{"name": "Engagement", "client": client, "project": project})
	up := uploadTo(t, s, tok, "/api/documents/documents/upload/", map[string]string{"folder": folder}, "notes.txt",
		[]byte("Interview notes, week one.\n"))
	testkit.WantStatus(t, up, http.StatusCreated)
	document := testkit.Object(t, up)["id"].(string)
	asset := created(t, s, tok, "/api/assets/assets/", map[string]any{"name": "Laptop", "asset_tag": fmt.Sprintf("TAG-%d", testkit.Seq())})

	// Children first: the API refuses a parent with live children.
	objects := []struct{ table, path, id string }{
		{"time_entries", "/api/projects/time-entries/", entry},
		{"tasks", "/api/projects/tasks/", task},
		{"bills", "/api/finance/bills/", bill},
		{"documents", "/api/documents/documents/", document},
		{"folders", "/api/documents/folders/", folder},
		{"projects", "/api/projects/projects/", project},
		{"contracts", "/api/crm/contracts/", contract},
		{"proposals", "/api/crm/proposals/", proposal},
		{"clients", "/api/crm/clients/", client},
		{"assets", "/api/assets/assets/", asset},
	}
	for _, o := range objects {
		testkit.WantStatus(t, s.Do(t, http.MethodDelete, o.path+o.id+"/", tok, nil), http.StatusNoContent)
		if n := rowsWithID(t, s, o.table, o.id); n != 1 {
			t.Fatalf("%s %s: %d rows after the delete, want the marked row", o.table, o.id, n)
		}
	}
	blobs, err := store.List(ctx, "")
	if err != nil || len(blobs) != 1 {
		t.Fatalf("storage before the purge = %q (%v), want the document's one blob", blobs, err)
	}
	if purged, err := s.Srv.App.PurgeDeletedBefore(ctx, start.Add(-time.Minute)); err != nil || len(purged) != 0 {
		t.Fatalf("purge with a cutoff before the deletes = %v, %v; want nothing", purged, err)
	}

	cutoff := start.Add(time.Minute)
	s.Clock.Advance(2 * time.Minute)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/crm/clients/"+late+"/", tok, nil), http.StatusNoContent)
	purged, err := s.Srv.App.PurgeDeletedBefore(ctx, cutoff)
	if err != nil {
		t.Fatalf("purge: %v (purged %v)", err, purged)
	}
	want := map[string]int{}
	for _, o := range objects {
		want[o.table] = 1
	}
	if !maps.Equal(purged, want) {
		t.Errorf("purged = %v, want one row of each table: %v", purged, want)
	}
	for _, o := range objects {
		if n := rowsWithID(t, s, o.table, o.id); n != 0 {
			t.Errorf("%s %s: %d rows left after the purge", o.table, o.id, n)
		}
		if r := s.Do(t, http.MethodPost, o.path+o.id+"/restore/", tok, nil); r.Status != http.StatusNotFound {
			t.Errorf("restore of purged %s: %s, want 404", o.table, r)
		}
		// The log is history: the object's rows outlive it, and the purge adds its own, by the
		// system, with the values removed.
		rows := auditOf(t, s, f, "resource_id="+o.id)
		var actions []string
		for _, row := range rows {
			actions = append(actions, row.Action)
		}
		if fmt.Sprint(actions) != "[purge delete create]" {
			t.Errorf("%s %s: audit actions after the purge = %v, want [purge delete create]", o.table, o.id, actions)
			continue
		}
		if purge := rows[0]; purge.ActorType != "system" || purge.Actor != "system" || purge.Changes["deleted_at"]["old"] == nil ||
			purge.Changes["deleted_at"]["new"] != nil {
			t.Errorf("%s %s: purge row by %s/%s, changes %v; want the system and the removed values", o.table, o.id,
				purge.ActorType, purge.Actor, purge.Changes)
		}
	}
	var versions int
	if err := s.DB().R.NewRaw("SELECT count(*) FROM document_versions WHERE document_id = ?", document).Scan(ctx, &versions); err != nil || versions != 0 {
		t.Errorf("document versions after the purge = %d (%v), want none", versions, err)
	}
	if blobs, err := store.List(ctx, ""); err != nil || len(blobs) != 0 {
		t.Errorf("storage after the purge = %q (%v), want empty", blobs, err)
	}

	// Deleted after the cutoff: kept, and restored.
	if n := rowsWithID(t, s, "clients", late); n != 1 {
		t.Errorf("client deleted after the cutoff: %d rows, want 1", n)
	}
	r := s.Do(t, http.MethodPost, "/api/crm/clients/"+late+"/restore/", tok, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	if got := testkit.Object(t, r); got["id"] != late || got["deleted_at"] != nil {
		t.Errorf("restored client = %v", got)
	}
}

// The hourly job's purge waits PURGE_DELETED_AFTER_DAYS from the delete; 0 days keeps deleted
// rows for ever.
func TestPurgeDeletedWaitsItsDays(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: start, Configure: func(c *config.Config) {
		longTokens(c)
		c.PurgeDeletedAfterDays = 30
	}})
	f := s.RegisterFirm(t)
	ctx := context.Background()
	client := auditedClient(t, s, f.Owner.Token)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/crm/clients/"+client+"/", f.Owner.Token, nil), http.StatusNoContent)

	s.Clock.Advance(30*24*time.Hour - time.Minute)
	if purged, err := s.Srv.App.PurgeDeleted(ctx); err != nil || len(purged) != 0 {
		t.Fatalf("purge a minute before the 30 days = %v, %v; want nothing", purged, err)
	}
	s.Srv.App.Config.PurgeDeletedAfterDays = 0
	s.Clock.Advance(365 * 24 * time.Hour)
	if purged, err := s.Srv.App.PurgeDeleted(ctx); err != nil || len(purged) != 0 {
		t.Fatalf("purge with 0 days = %v, %v; want nothing", purged, err)
	}
	s.Srv.App.Config.PurgeDeletedAfterDays = 30
	purged, err := s.Srv.App.PurgeDeleted(ctx)
	if err != nil || !maps.Equal(purged, map[string]int{"clients": 1}) {
		t.Fatalf("purge after the 30 days = %v, %v; want the client", purged, err)
	}
	if n := rowsWithID(t, s, "clients", client); n != 0 {
		t.Errorf("client still has %d rows", n)
	}
}
