package documents_test

import (
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

func TestFolderNamesAreUniqueAmongSiblings(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	taken := map[string][]string{"name": {"A folder with this name already exists here."}}
	root := s.createFolder(t, tok, map[string]any{"name": "Contracts"})
	testkit.WantOnly(t, s.Do(t, http.MethodPost, foldersPath, tok, map[string]any{"name": "contracts"}), taken)
	child := s.createFolder(t, tok, map[string]any{"name": "Contracts", "parent": root.ID})
	testkit.WantOnly(t, s.Do(t, http.MethodPost, foldersPath, tok, map[string]any{"name": "CONTRACTS", "parent": root.ID}), taken)
	other := s.createFolder(t, tok, map[string]any{"name": "Archive"})
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, folderPath(other.ID), tok, map[string]any{"name": "contracts"}), taken)
	// Moving a folder among folders of its name is refused too; elsewhere it is fine.
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, folderPath(child.ID), tok, map[string]any{"parent": nil}), taken)
	r := s.Do(t, http.MethodPatch, folderPath(child.ID), tok, map[string]any{"parent": other.ID})
	testkit.WantStatus(t, r, http.StatusOK)
	// Another firm's names are its own.
	s.createFolder(t, s.RegisterFirm(t).Owner.Token, map[string]any{"name": "Contracts"})
}

func TestFolderClientAndProjectAgreeWithTheParent(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	c1, c2 := s.createClient(t, tok), s.createClient(t, tok)
	p1, p2 := s.createProject(t, tok, c1), s.createProject(t, tok, c2)

	top := s.createFolder(t, tok, map[string]any{"client": c1})
	inherited := s.createFolder(t, tok, map[string]any{"parent": top.ID})
	if inherited.Client == nil || *inherited.Client != c1 || inherited.Project != nil {
		t.Errorf("subfolder does not inherit its parent's client: %+v", inherited)
	}
	testkit.WantOnly(t, s.Do(t, http.MethodPost, foldersPath, tok, map[string]any{"name": "x", "parent": top.ID, "client": c2}),
		map[string][]string{"client": {"Must match the parent folder's client"}})
	testkit.WantOnly(t, s.Do(t, http.MethodPost, foldersPath, tok, map[string]any{"name": "x", "parent": top.ID, "project": p2}),
		map[string][]string{"project": {"Project must belong to the folder's client"}})

	withProject := s.createFolder(t, tok, map[string]any{"project": p1})
	if withProject.Client == nil || *withProject.Client != c1 || withProject.ClientName == nil || withProject.ProjectName == nil {
		t.Errorf("a project's folder belongs to the project's client: %+v", withProject)
	}
	sub := s.createFolder(t, tok, map[string]any{"parent": withProject.ID})
	if sub.Project == nil || *sub.Project != p1 {
		t.Errorf("subfolder does not inherit its parent's project: %+v", sub)
	}
	testkit.WantOnly(t, s.Do(t, http.MethodPost, foldersPath, tok, map[string]any{"name": "x", "client": c2, "project": p1}),
		map[string][]string{"project": {"Project must belong to the folder's client"}})
	// Moving a client's folder under another client's is refused.
	other := s.createFolder(t, tok, map[string]any{"client": c2})
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, folderPath(inherited.ID), tok, map[string]any{"parent": other.ID}),
		map[string][]string{"client": {"Must match the parent folder's client"}})
	// Client and project are read-only once the folder exists.
	r := s.Do(t, http.MethodPatch, folderPath(top.ID), tok, map[string]any{"client": c2, "name": "Renamed"})
	testkit.WantStatus(t, r, http.StatusOK)
	var renamed folder
	testkit.Decode(t, r, &renamed)
	if renamed.Name != "Renamed" || renamed.Client == nil || *renamed.Client != c1 {
		t.Errorf("PATCH changed the client: %+v", renamed)
	}

	otherFirm := s.RegisterFirm(t)
	foreignClient := s.createClient(t, otherFirm.Owner.Token)
	foreignFolder := s.createFolder(t, otherFirm.Owner.Token, map[string]any{})
	testkit.WantOnly(t, s.Do(t, http.MethodPost, foldersPath, tok, map[string]any{
		"name": "x", "client": foreignClient, "parent": foreignFolder.ID,
	}), map[string][]string{"client": {"Select a valid client."}, "parent": {"Select a valid folder."}})
	testkit.WantOnly(t, s.Do(t, http.MethodPost, foldersPath, tok, map[string]any{"name": "x", "project": "nope"}),
		map[string][]string{"project": {"Select a valid project."}})
	testkit.WantOnly(t, s.Do(t, http.MethodPost, foldersPath, tok, map[string]any{"name": "x", "visibility": "public"}),
		map[string][]string{"visibility": {`"public" is not a valid choice.`}})
}

func TestFolderMovesAndDeletes(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	a := s.createFolder(t, tok, map[string]any{})
	b := s.createFolder(t, tok, map[string]any{"parent": a.ID})
	c := s.createFolder(t, tok, map[string]any{"parent": b.ID})
	cycle := map[string][]string{"parent": {"A folder cannot be moved into itself or one of its subfolders."}}
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, folderPath(a.ID), tok, map[string]any{"parent": c.ID}), cycle)
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, folderPath(a.ID), tok, map[string]any{"parent": a.ID}), cycle)

	notEmpty := "This folder is not empty."
	testkit.WantConflict(t, s.Do(t, http.MethodDelete, folderPath(b.ID), tok, nil), notEmpty)
	s.uploadDoc(t, tok, c.ID, "a.pdf", pdfBytes)
	testkit.WantConflict(t, s.Do(t, http.MethodDelete, folderPath(c.ID), tok, nil), notEmpty)
	empty := s.createFolder(t, tok, map[string]any{"parent": c.ID})
	testkit.WantStatus(t, s.Do(t, http.MethodDelete, folderPath(empty.ID), tok, nil), http.StatusNoContent)
	testkit.WantNotFound(t, s.Do(t, http.MethodGet, folderPath(empty.ID), tok, nil))

	p, list := testkit.ListOf[folder](t, s.API, tok, foldersPath, "parent="+a.ID)
	if p.Count != 1 || list[0].ID != b.ID {
		t.Errorf("folders of a: %+v", list)
	}
}
