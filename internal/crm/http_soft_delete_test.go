package crm_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// A deleted client leaves every read at once, comes back on restore (owners and admins), and
// its name can be reused meanwhile; restoring it then collides with the reused name.
func TestClientSoftDeleteAndRestore(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	consultant := f.AddUser(t, roleConsultant)
	name := fmt.Sprintf("Initech %d", nextSeq())
	body := clientBody(map[string]any{"company_name": name})
	r := s.Do(t, http.MethodPost, "/api/crm/clients/", f.Owner.Token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	id := testkit.Object(t, r)["id"].(string)
	path := "/api/crm/clients/" + id + "/"

	testkit.WantStatus(t, s.Do(t, http.MethodDelete, path, f.Owner.Token, nil), http.StatusNoContent)
	testkit.WantError(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusNotFound, typeNotFound, codeNotFound)
	testkit.WantError(t, s.Do(t, http.MethodDelete, path, f.Owner.Token, nil), http.StatusNotFound, typeNotFound, codeNotFound)
	if page, rows := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, "/api/crm/clients/", "search="+url.QueryEscape(name)); page.Count != 0 {
		t.Fatalf("deleted client still listed: %v", rows)
	}
	// include_deleted: owners and admins see it, marked; anyone else is refused.
	page, rows := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, "/api/crm/clients/", "include_deleted=true&search="+url.QueryEscape(name))
	if page.Count != 1 || rows[0]["deleted_at"] == nil || rows[0]["deleted_by"] != f.Owner.ID {
		t.Fatalf("include_deleted = %d rows %v", page.Count, rows)
	}
	testkit.WantError(t, s.Do(t, http.MethodGet, "/api/crm/clients/?include_deleted=true", consultant.Token, nil),
		http.StatusForbidden, typePermission, codeForbidden)
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", consultant.Token, nil),
		http.StatusForbidden, typePermission, codeForbidden)
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", other.Owner.Token, nil),
		http.StatusNotFound, typeNotFound, codeNotFound)

	// The name is free while the client is deleted; restoring it then is a conflict.
	r = s.Do(t, http.MethodPost, "/api/crm/clients/", f.Owner.Token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	reused := testkit.Object(t, r)["id"].(string)
	env := testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil), http.StatusConflict, "Conflict", "CONFLICT")
	if env.Error.Message != msgCompanyTaken {
		t.Errorf("restore over a reused name: %q", env.Error.Message)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/crm/clients/"+reused+"/", f.Owner.Token, nil), http.StatusNoContent)
	r = s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	if got := testkit.Object(t, r); got["company_name"] != name || got["deleted_at"] != nil {
		t.Errorf("restored client = %v", got)
	}
	testkit.WantStatus(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusOK)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, path+"restore/", f.Owner.Token, nil), http.StatusConflict)
}

// The purge removes rows deleted before its cutoff for good (restore then finds nothing) and
// leaves live rows and rows deleted after the cutoff alone.
func TestPurgeDeletedClients(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	s := &apiServer{testkit.StartAPI(t, testkit.APIOptions{FrozenAt: start})}
	f := s.RegisterFirm(t)
	create := func() string {
		r := s.Do(t, http.MethodPost, "/api/crm/clients/", f.Owner.Token, clientBody(nil))
		testkit.WantStatus(t, r, http.StatusCreated)
		return testkit.Object(t, r)["id"].(string)
	}
	gone, kept, live := create(), create(), create()
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/crm/clients/"+gone+"/", f.Owner.Token, nil), http.StatusNoContent)
	ctx := context.Background()
	if purged, err := s.Srv.App.PurgeDeletedBefore(ctx, start.Add(-time.Minute)); err != nil || purged["clients"] != 0 {
		t.Fatalf("purge before the delete = %v, %v; want nothing", purged, err)
	}
	cutoff := start.Add(time.Minute)
	s.Clock.Advance(2 * time.Minute) // kept is deleted after the cutoff
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/crm/clients/"+kept+"/", f.Owner.Token, nil), http.StatusNoContent)
	purged, err := s.Srv.App.PurgeDeletedBefore(ctx, cutoff)
	if err != nil || purged["clients"] < 1 {
		t.Fatalf("purge = %v, %v; want the deleted client", purged, err)
	}
	testkit.WantError(t, s.Do(t, http.MethodPost, "/api/crm/clients/"+gone+"/restore/", f.Owner.Token, nil),
		http.StatusNotFound, typeNotFound, codeNotFound)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/crm/clients/"+kept+"/restore/", f.Owner.Token, nil), http.StatusOK)
	testkit.WantStatus(t, s.Do(t, http.MethodGet, "/api/crm/clients/"+live+"/", f.Owner.Token, nil), http.StatusOK)
}
