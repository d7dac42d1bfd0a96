package documents_test

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
func wantTrashCycle(t *testing.T, s *server, f, other *testkit.Firm, list, id string) {
	t.Helper()
	consultant := f.AddUser(t, "consultant")
	path := list + id + "/"
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, path, f.Owner.Token, nil), http.StatusNoContent)
	testkit.WantError(t, s.Do(t, http.MethodGet, path, f.Owner.Token, nil), http.StatusNotFound, "NotFound", "NOT_FOUND")
	if _, rows := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, list, "page_size=100"); rowByID(rows, id) != nil {
		t.Fatalf("%s: deleted row still listed", path)
	}
	_, rows := testkit.ListOf[map[string]any](t, s.API, f.Owner.Token, list, "include_deleted=true&page_size=100")
	if row := rowByID(rows, id); row == nil || row["deleted_at"] == nil || row["deleted_by"] != f.Owner.ID {
		t.Fatalf("%s: include_deleted row = %v", path, row)
	}
	testkit.WantError(t, s.Do(t, http.MethodGet, list+"?include_deleted=true", consultant.Token, nil),
		http.StatusForbidden, "PermissionDenied", "FORBIDDEN")
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", consultant.Token, nil),
		http.StatusForbidden, "PermissionDenied", "FORBIDDEN")
	testkit.WantError(t, s.Do(t, http.MethodPost, path+"restore/", other.Owner.Token, nil),
		http.StatusNotFound, "NotFound", "NOT_FOUND")
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
	env := testkit.WantError(t, r, http.StatusConflict, "Conflict", "CONFLICT")
	if env.Error.Message != msg {
		t.Errorf("409 message %q, want %q", env.Error.Message, msg)
	}
}

// Documents and folders each follow the soft delete contract.
func TestDocumentAndFolderSoftDeleteAndRestore(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	t.Run("folder", func(t *testing.T) {
		wantTrashCycle(t, s, f, other, foldersPath, s.createFolder(t, f.Owner.Token, map[string]any{}).ID)
	})
	t.Run("document", func(t *testing.T) {
		dir := s.createFolder(t, f.Owner.Token, map[string]any{})
		doc := s.uploadDoc(t, f.Owner.Token, dir.ID, "a.pdf", pdfBytes)
		wantTrashCycle(t, s, f, other, documentsPath, doc.ID)
		// The versions were kept through the delete.
		if got := testkit.Fetch[document](t, s.API, f.Owner.Token, documentPath(doc.ID)); got.VersionCount != 1 || got.CurrentVersion == nil {
			t.Errorf("restored document = %+v", got)
		}
	})
}

// A non-empty folder is not deleted; a deleted document no longer holds it; a document or
// subfolder of a deleted folder comes back only after it; a restored folder's name must be free.
func TestFolderSoftDeleteParentsAndChildren(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	dir := s.createFolder(t, tok, map[string]any{})
	sub := s.createFolder(t, tok, map[string]any{"parent": dir.ID})
	doc := s.uploadDoc(t, tok, dir.ID, "a.pdf", pdfBytes)

	wantConflict(t, s.Do(t, http.MethodDelete, folderPath(dir.ID), tok, nil), "This folder is not empty.")
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, documentPath(doc.ID), tok, nil), http.StatusNoContent)
	wantConflict(t, s.Do(t, http.MethodDelete, folderPath(dir.ID), tok, nil), "This folder is not empty.")
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, folderPath(sub.ID), tok, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, folderPath(dir.ID), tok, nil), http.StatusNoContent)

	wantConflict(t, s.Do(t, http.MethodPost, documentPath(doc.ID)+"restore/", tok, nil), "Restore its folder first.")
	wantConflict(t, s.Do(t, http.MethodPost, folderPath(sub.ID)+"restore/", tok, nil), "Restore its parent folder first.")

	// The folder's name is free while it is deleted; restoring it then collides.
	reused := s.createFolder(t, tok, map[string]any{"name": dir.Name})
	wantConflict(t, s.Do(t, http.MethodPost, folderPath(dir.ID)+"restore/", tok, nil), "A folder with this name already exists here.")
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, folderPath(reused.ID), tok, nil), http.StatusNoContent)

	testkit.WantStatus(t, s.Do(t, http.MethodPost, folderPath(dir.ID)+"restore/", tok, nil), http.StatusOK)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, folderPath(sub.ID)+"restore/", tok, nil), http.StatusOK)
	testkit.WantStatus(t, s.Do(t, http.MethodPost, documentPath(doc.ID)+"restore/", tok, nil), http.StatusOK)
	testkit.WantStatus(t, s.Do(t, http.MethodGet, downloadPath(doc.ID), tok, nil), http.StatusOK)
}

// A folder holds its project back while live; once both are deleted, the folder comes back
// only after its project.
func TestFolderOfDeletedProjectRestoresAfterIt(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	client := s.createClient(t, tok)
	project := s.createProject(t, tok, client)
	dir := s.createFolder(t, tok, map[string]any{"client": client, "project": project})
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/projects/projects/"+project+"/", tok, nil), http.StatusConflict)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, folderPath(dir.ID), tok, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, "/api/projects/projects/"+project+"/", tok, nil), http.StatusNoContent)
	wantConflict(t, s.Do(t, http.MethodPost, folderPath(dir.ID)+"restore/", tok, nil), "Restore its project first.")
}
