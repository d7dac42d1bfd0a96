package documents_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// SPEC §1: owner, admin and manager manage folders and documents; consultants read and
// upload; accountants read.
func TestDocumentRoles(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	users := f.Roles(t)
	manage := map[string]bool{"owner": true, "admin": true, "manager": true}
	upload := map[string]bool{"owner": true, "admin": true, "manager": true, "consultant": true}
	dir := s.createFolder(t, f.Owner.Token, map[string]any{})
	for _, role := range []string{"owner", "admin", "manager", "consultant", "accountant"} {
		t.Run(role, func(t *testing.T) {
			tok := users[role].Token
			want := func(ok bool, status int) int {
				if ok {
					return status
				}
				return http.StatusForbidden
			}
			doc := s.uploadDoc(t, f.Owner.Token, dir.ID, "a.pdf", pdfBytes)
			sub := s.createFolder(t, f.Owner.Token, map[string]any{"parent": dir.ID})

			// Reading is everyone's.
			testkit.WantStatus(t, s.Do(t, http.MethodGet, foldersPath, tok, nil), http.StatusOK)
			testkit.WantStatus(t, s.Do(t, http.MethodGet, folderPath(dir.ID), tok, nil), http.StatusOK)
			testkit.WantStatus(t, s.Do(t, http.MethodGet, documentsPath, tok, nil), http.StatusOK)
			testkit.WantStatus(t, s.Do(t, http.MethodGet, documentPath(doc.ID), tok, nil), http.StatusOK)
			testkit.WantStatus(t, s.Do(t, http.MethodGet, versionsPath(doc.ID), tok, nil), http.StatusOK)
			testkit.WantStatus(t, s.Do(t, http.MethodGet, downloadPath(doc.ID), tok, nil), http.StatusOK)

			// Uploading: everyone but accountants.
			r := s.upload(t, uploadPath, tok, map[string]string{"folder": dir.ID}, &file{"b.png", "image/png", bytes.NewReader(pngBytes)})
			testkit.WantStatusOrForbidden(t, r, want(upload[role], http.StatusCreated))
			r = s.upload(t, versionsPath(doc.ID), tok, nil, &file{"c.gif", "image/gif", bytes.NewReader(gifBytes)})
			testkit.WantStatusOrForbidden(t, r, want(upload[role], http.StatusCreated))

			// Managing: owners, admins and managers.
			r = s.Do(t, http.MethodPost, foldersPath, tok, map[string]any{"name": "New " + role})
			testkit.WantStatusOrForbidden(t, r, want(manage[role], http.StatusCreated))
			r = s.Do(t, http.MethodPatch, folderPath(sub.ID), tok, map[string]any{"visibility": "client"})
			testkit.WantStatusOrForbidden(t, r, want(manage[role], http.StatusOK))
			r = s.Do(t, http.MethodDelete, folderPath(sub.ID), tok, nil)
			testkit.WantStatusOrForbidden(t, r, want(manage[role], http.StatusNoContent))
			r = s.Do(t, http.MethodPatch, documentPath(doc.ID), tok, map[string]any{"name": "Renamed"})
			testkit.WantStatusOrForbidden(t, r, want(manage[role], http.StatusOK))
			r = s.Do(t, http.MethodDelete, documentPath(doc.ID), tok, nil)
			testkit.WantStatusOrForbidden(t, r, want(manage[role], http.StatusNoContent))
		})
	}
}

// Another firm's folders, documents and versions are not found, whatever the role.
func TestOtherFirmsDocumentsAreNotFound(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	dir := s.createFolder(t, f.Owner.Token, map[string]any{})
	doc := s.uploadDoc(t, f.Owner.Token, dir.ID, "a.pdf", pdfBytes)
	other := s.RegisterFirm(t)
	tok := other.Owner.Token
	for _, r := range []*testkit.Response{
		s.Do(t, http.MethodGet, folderPath(dir.ID), tok, nil),
		s.Do(t, http.MethodPatch, folderPath(dir.ID), tok, map[string]any{"name": "x"}),
		s.Do(t, http.MethodDelete, folderPath(dir.ID), tok, nil),
		s.Do(t, http.MethodGet, documentPath(doc.ID), tok, nil),
		s.Do(t, http.MethodPatch, documentPath(doc.ID), tok, map[string]any{"name": "x"}),
		s.Do(t, http.MethodDelete, documentPath(doc.ID), tok, nil),
		s.Do(t, http.MethodGet, versionsPath(doc.ID), tok, nil),
		s.Do(t, http.MethodGet, downloadPath(doc.ID), tok, nil),
		s.Do(t, http.MethodGet, documentsPath+doc.ID+"/versions/"+doc.CurrentVersion.ID+"/download/", tok, nil),
		s.upload(t, versionsPath(doc.ID), tok, nil, &file{"b.png", "image/png", bytes.NewReader(pngBytes)}),
	} {
		testkit.WantNotFound(t, r)
	}
	if p, _ := testkit.ListOf[document](t, s.API, tok, documentsPath, ""); p.Count != 0 {
		t.Errorf("another firm lists %d documents", p.Count)
	}
	if n := len(s.blobs(t)); n != 1 {
		t.Errorf("storage holds %d blobs, want 1", n)
	}
}

func TestDocumentListFiltersAndPatch(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	tok := f.Owner.Token
	client := s.createClient(t, tok)
	a := s.createFolder(t, tok, map[string]any{"client": client})
	b := s.createFolder(t, tok, map[string]any{})
	inA := s.uploadDoc(t, tok, a.ID, "minutes.txt", textBytes)
	s.uploadDoc(t, tok, b.ID, "logo.png", pngBytes)
	for query, want := range map[string]int64{
		"": 2, "folder=" + a.ID: 1, "client=" + client: 1, "search=minutes": 1, "visibility=client": 0,
	} {
		if p, _ := testkit.ListOf[document](t, s.API, tok, documentsPath, query); p.Count != want {
			t.Errorf("?%s: %d documents, want %d", query, p.Count, want)
		}
	}
	r := s.Do(t, http.MethodPatch, documentPath(inA.ID), tok, map[string]any{"folder": b.ID, "description": "Kick-off",
		"visibility": "client", "current_version": "ignored"})
	testkit.WantStatus(t, r, http.StatusOK)
	var moved document
	testkit.Decode(t, r, &moved)
	if moved.Folder != b.ID || moved.Client != nil || moved.Description != "Kick-off" || moved.Visibility != "client" ||
		moved.CurrentVersion == nil || moved.CurrentVersion.ID != inA.CurrentVersion.ID {
		t.Errorf("patched: %+v", moved)
	}
	foreign := s.createFolder(t, s.RegisterFirm(t).Owner.Token, map[string]any{})
	testkit.WantOnly(t, s.Do(t, http.MethodPatch, documentPath(inA.ID), tok, map[string]any{"folder": foreign.ID}),
		map[string][]string{"folder": {"Select a valid folder."}})
}

// SPEC §10: the upload throttle applies to uploads and versions.
func TestUploadThrottle(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{configure: func(c *config.Config) { c.RateUpload = "2/hour" }})
	f := s.RegisterFirm(t)
	dir := s.createFolder(t, f.Owner.Token, map[string]any{})
	d := s.uploadDoc(t, f.Owner.Token, dir.ID, "a.pdf", pdfBytes)
	r := s.upload(t, versionsPath(d.ID), f.Owner.Token, nil, &file{"b.png", "image/png", bytes.NewReader(pngBytes)})
	testkit.WantStatus(t, r, http.StatusCreated)
	r = s.upload(t, uploadPath, f.Owner.Token, map[string]string{"folder": dir.ID}, &file{"c.gif", "image/gif", bytes.NewReader(gifBytes)})
	testkit.WantError(t, r, http.StatusTooManyRequests, "Throttled", "TOO_MANY_REQUESTS")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Reading is not an upload.
	testkit.WantStatus(t, s.Do(t, http.MethodGet, documentsPath, f.Owner.Token, nil), http.StatusOK)
}
