package documents_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// Documents and folders each follow the soft delete contract.
func TestDocumentAndFolderSoftDeleteAndRestore(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	other := s.RegisterFirm(t)
	t.Run("folder", func(t *testing.T) {
		testkit.WantTrashCycle(t, s.API, f, other, foldersPath, s.createFolder(t, f.Owner.Token, map[string]any{}).ID)
	})
	t.Run("document", func(t *testing.T) {
		dir := s.createFolder(t, f.Owner.Token, map[string]any{})
		doc := s.uploadDoc(t, f.Owner.Token, dir.ID, "a.pdf", pdfBytes)
		testkit.WantTrashCycle(t, s.API, f, other, documentsPath, doc.ID)
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

	testkit.WantConflict(t, s.Do(t, http.MethodDelete, folderPath(dir.ID), tok, nil), "This folder is not empty.")
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, documentPath(doc.ID), tok, nil), http.StatusNoContent)
	testkit.WantConflict(t, s.Do(t, http.MethodDelete, folderPath(dir.ID), tok, nil), "This folder is not empty.")
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, folderPath(sub.ID), tok, nil), http.StatusNoContent)
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, folderPath(dir.ID), tok, nil), http.StatusNoContent)

	testkit.WantConflict(t, s.Do(t, http.MethodPost, documentPath(doc.ID)+"restore/", tok, nil), "Restore its folder first.")
	testkit.WantConflict(t, s.Do(t, http.MethodPost, folderPath(sub.ID)+"restore/", tok, nil), "Restore its parent folder first.")

	// The folder's name is free while it is deleted; restoring it then collides.
	reused := s.createFolder(t, tok, map[string]any{"name": dir.Name})
	testkit.WantConflict(t, s.Do(t, http.MethodPost, folderPath(dir.ID)+"restore/", tok, nil), "A folder with this name already exists here.")
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
	testkit.WantConflict(t, s.Do(t, http.MethodPost, folderPath(dir.ID)+"restore/", tok, nil), "Restore its project first.")
}
