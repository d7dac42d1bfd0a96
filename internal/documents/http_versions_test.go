package documents_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

func TestVersionsAndDownloads(t *testing.T) {
	t.Parallel()
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			s := start(t, serverOptions{kind: kind})
			f := s.RegisterFirm(t)
			tok := f.Owner.Token
			dir := s.createFolder(t, tok, map[string]any{})
			d := s.uploadDoc(t, tok, dir.ID, "plan.pdf", pdfBytes)
			first := d.CurrentVersion

			// The same bytes again are refused, and nothing is stored.
			r := s.upload(t, versionsPath(d.ID), tok, nil, &file{"plan-again.pdf", "application/pdf", bytes.NewReader(pdfBytes)})
			testkit.WantOnly(t, r, map[string][]string{"file": {"This version is identical to the current one"}})
			if n := len(s.blobs(t)); n != 1 {
				t.Fatalf("storage holds %d blobs after a refused version, want 1", n)
			}
			r = s.upload(t, versionsPath(d.ID), tok, nil, &file{"v2.pdf", "application/pdf", strings.NewReader("<html>")})
			testkit.WantOnly(t, r, map[string][]string{"file": {"File type not allowed"}})

			v2bytes := append(append([]byte(nil), pdfBytes...), []byte("% revised\n")...)
			r = s.upload(t, versionsPath(d.ID), tok, nil, &file{"plan v2.pdf", "application/pdf", bytes.NewReader(v2bytes)})
			testkit.WantStatus(t, r, http.StatusCreated)
			var v2 version
			testkit.Decode(t, r, &v2)
			sum := sha256.Sum256(v2bytes)
			if v2.Number != 2 || v2.SHA256 != hex.EncodeToString(sum[:]) || v2.FileName != "plan v2.pdf" {
				t.Errorf("second version: %+v", v2)
			}
			got := testkit.Fetch[document](t, s.API, tok, documentPath(d.ID))
			if got.VersionCount != 2 || got.CurrentVersion == nil || got.CurrentVersion.ID != v2.ID {
				t.Errorf("document after a version: %+v", got)
			}
			// The first version's bytes are a new version again: they differ from the current one.
			_, versions := testkit.ListOf[version](t, s.API, tok, versionsPath(d.ID), "")
			if len(versions) != 2 || versions[0].Number != 2 || versions[1].Number != 1 {
				t.Errorf("versions newest first: %+v", versions)
			}

			// Downloads: the current version, then the first.
			dl := testkit.Fetch[download](t, s.API, tok, downloadPath(d.ID))
			if dl.Version.ID != v2.ID || !strings.HasSuffix(dl.ExpiresAt, "Z") {
				t.Errorf("download: %+v", dl)
			}
			if exp := testkit.Stamp(t, dl.ExpiresAt); time.Until(exp) < 59*time.Minute || time.Until(exp) > 61*time.Minute {
				t.Errorf("download expires at %s, want in one hour", exp)
			}
			res, body := fetch(t, dl.URL)
			if res.StatusCode != http.StatusOK || !bytes.Equal(body, v2bytes) {
				t.Fatalf("GET download: %d %q", res.StatusCode, body)
			}
			if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "plan v2.pdf") {
				t.Errorf("Content-Disposition %q", cd)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/pdf" {
				t.Errorf("Content-Type %q", ct)
			}
			if kind == "dir" {
				if res.Header.Get("X-Content-Type-Options") != "nosniff" {
					t.Errorf("X-Content-Type-Options %q", res.Header.Get("X-Content-Type-Options"))
				}
				if !strings.HasPrefix(dl.URL, s.Srv.URL+"/api/v1/documents/files/?") {
					t.Errorf("local download URL %q", dl.URL)
				}
			} else if !strings.HasPrefix(dl.URL, s.s3.URL+"/documents/") || !strings.Contains(dl.URL, "X-Amz-Expires=3600") {
				t.Errorf("S3 download URL %q: not presigned for one hour", dl.URL)
			}
			old := testkit.Fetch[download](t, s.API, tok, documentsPath+d.ID+"/versions/"+first.ID+"/download/")
			if _, body := fetch(t, old.URL); !bytes.Equal(body, pdfBytes) || old.Version.Number != 1 {
				t.Errorf("first version download: %q %+v", body, old.Version)
			}
			testkit.WantNotFound(t, s.Do(t, http.MethodGet, documentsPath+d.ID+"/versions/"+d.ID+"/download/", tok, nil))

			// Deleting the document keeps its blobs for a restore; the purge removes every one.
			testkit.WantStatus(t, s.Do(t, http.MethodDelete, documentPath(d.ID), tok, nil), http.StatusNoContent)
			testkit.WantNotFound(t, s.Do(t, http.MethodGet, documentPath(d.ID), tok, nil))
			testkit.WantStatus(t, s.Do(t, http.MethodPost, documentPath(d.ID)+"restore/", tok, nil), http.StatusOK)
			again := testkit.Fetch[download](t, s.API, tok, downloadPath(d.ID))
			if _, body := fetch(t, again.URL); len(body) == 0 {
				t.Errorf("restored document's download is empty")
			}
			testkit.WantStatus(t, s.Do(t, http.MethodDelete, documentPath(d.ID), tok, nil), http.StatusNoContent)
			if purged, err := s.Srv.App.PurgeDeletedBefore(context.Background(), time.Now().Add(time.Hour)); err != nil || purged["documents"] < 1 {
				t.Fatalf("purge: %v, %v", purged, err)
			}
			s.wantNoBlobs(t, "purging the deleted document")
			testkit.WantNotFound(t, s.Do(t, http.MethodPost, documentPath(d.ID)+"restore/", tok, nil))
		})
	}
}

func TestLocalDownloadLinksAreSignedAndExpire(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{frozenAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)})
	f := s.RegisterFirm(t)
	dir := s.createFolder(t, f.Owner.Token, map[string]any{})
	d := s.uploadDoc(t, f.Owner.Token, dir.ID, "notes.txt", textBytes)
	dl := testkit.Fetch[download](t, s.API, f.Owner.Token, downloadPath(d.ID))
	if dl.ExpiresAt != "2026-03-02T10:00:00Z" {
		t.Errorf("expires_at %s, want one hour on", dl.ExpiresAt)
	}
	u, err := url.Parse(dl.URL)
	if err != nil {
		t.Fatal(err)
	}
	get := func(q url.Values) *testkit.Response {
		return s.Do(t, http.MethodGet, u.Path+"?"+q.Encode(), "", nil)
	}
	r := get(u.Query())
	testkit.WantStatus(t, r, http.StatusOK)
	if !bytes.Equal(r.Body, textBytes) || r.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("download: %q %q", r.Body, r.Header.Get("Content-Type"))
	}
	for field, value := range map[string]string{
		"key":       strings.Replace(u.Query().Get("key"), d.ID, dir.ID, 1),
		"name":      "notes.html",
		"type":      "text/html",
		"expires":   "9999999999",
		"signature": strings.Repeat("0", 64),
	} {
		q := u.Query()
		q.Set(field, value)
		env := testkit.WantError(t, get(q), http.StatusForbidden, "PermissionDenied", "FORBIDDEN")
		if env.Error.Message != "This download link is not valid." {
			t.Errorf("altered %s: message %q", field, env.Error.Message)
		}
	}
	s.Clock.Advance(time.Hour)
	env := testkit.WantError(t, get(u.Query()), http.StatusForbidden, "PermissionDenied", "FORBIDDEN")
	if env.Error.Message != "This download link has expired." {
		t.Errorf("expired: message %q", env.Error.Message)
	}
}
