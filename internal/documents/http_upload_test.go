package documents_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

func TestUploadAcceptsTheAllowedTypesByContent(t *testing.T) {
	t.Parallel()
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			s := start(t, serverOptions{kind: kind})
			f := s.RegisterFirm(t)
			dir := s.createFolder(t, f.Owner.Token, map[string]any{})
			for _, tc := range []struct {
				name    string
				content []byte
				want    string
			}{
				{"report.pdf", pdfBytes, "application/pdf"},
				// The name does not decide: a PDF named .txt is a PDF.
				{"misnamed.txt", pdfBytes, "application/pdf"},
				{"logo.png", pngBytes, "image/png"},
				{"photo.jpg", jpegBytes, "image/jpeg"},
				{"anim.gif", gifBytes, "image/gif"},
				{"pic.webp", webpBytes, "image/webp"},
				{"notes.txt", textBytes, "text/plain; charset=utf-8"},
				{"hours.csv", csvBytes, "text/csv; charset=utf-8"},
				{"letter.docx", officeFile(t, "word/document.xml", true), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
				{"budget.xlsx", officeFile(t, "xl/workbook.xml", true), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
				{"deck.pptx", officeFile(t, "ppt/presentation.xml", true), "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
			} {
				d := s.uploadDoc(t, f.Owner.Token, dir.ID, tc.name, tc.content)
				sum := sha256.Sum256(tc.content)
				v := d.CurrentVersion
				if v == nil || v.ContentType != tc.want || v.SHA256 != hex.EncodeToString(sum[:]) ||
					v.Size != int64(len(tc.content)) || v.Number != 1 || v.FileName != tc.name || d.Name != tc.name {
					t.Errorf("upload %s: got %+v %+v, want type %s, sha %x, size %d", tc.name, d, v, tc.want, sum, len(tc.content))
				}
			}
			if n := len(s.blobs(t)); n != 11 {
				t.Errorf("storage holds %d blobs, want 11", n)
			}
			s.wantNoSpool(t, "the uploads")
		})
	}
}

func TestRefusedUploadsStoreNothing(t *testing.T) {
	t.Parallel()
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			s := start(t, serverOptions{kind: kind, configure: func(c *config.Config) { c.UploadMaxMB = 1 }})
			f := s.RegisterFirm(t)
			tok := f.Owner.Token
			dir := s.createFolder(t, tok, map[string]any{})
			other := s.RegisterFirm(t)
			otherDir := s.createFolder(t, other.Owner.Token, map[string]any{})
			notAllowed := map[string][]string{"file": {"File type not allowed"}}
			for _, tc := range []struct {
				name   string
				fields map[string]string
				file   *file
				status int
				want   map[string][]string
			}{
				{"HTML named .pdf and declared PDF", nil,
					&file{"report.pdf", "application/pdf", strings.NewReader("<!DOCTYPE html><html><script>alert(1)</script></html>")},
					400, notAllowed},
				{"an executable", nil, &file{"setup.pdf", "application/pdf", strings.NewReader("MZ\x90\x00\x03\x00\x00\x00\x04\x00")}, 400, notAllowed},
				{"a zip that is no Office file", nil, &file{"data.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
					bytes.NewReader(officeFile(t, "data/readme.xml", true))}, 400, notAllowed},
				{"an Office zip without [Content_Types].xml", nil, &file{"letter.docx", "application/octet-stream",
					bytes.NewReader(officeFile(t, "word/document.xml", false))}, 400, notAllowed},
				{"text with binary after its first bytes", nil, &file{"notes.txt", "text/plain",
					io.MultiReader(strings.NewReader(strings.Repeat("plain words ", 100)), strings.NewReader("\x00\x01\x02"))}, 400, notAllowed},
				{"an SVG", nil, &file{"logo.png", "image/png", strings.NewReader(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)}, 400, notAllowed},
				{"an empty file", nil, &file{"empty.pdf", "application/pdf", strings.NewReader("")}, 400,
					map[string][]string{"file": {"The submitted file is empty."}}},
				{"no file", nil, nil, 400, map[string][]string{"file": {"No file was submitted."}}},
				{"no folder", map[string]string{"folder": ""}, &file{"a.pdf", "application/pdf", bytes.NewReader(pdfBytes)}, 400,
					map[string][]string{"folder": {"This field is required."}}},
				{"another firm's folder", map[string]string{"folder": otherDir.ID}, &file{"a.pdf", "application/pdf", bytes.NewReader(pdfBytes)}, 400,
					map[string][]string{"folder": {"Select a valid folder."}}},
				{"a bad visibility", map[string]string{"visibility": "public"}, &file{"a.pdf", "application/pdf", bytes.NewReader(pdfBytes)}, 400,
					map[string][]string{"visibility": {`"public" is not a valid choice.`}}},
				{"an unknown field", map[string]string{"owner": "x"}, &file{"a.pdf", "application/pdf", bytes.NewReader(pdfBytes)}, 400,
					map[string][]string{"owner": {"Unknown field."}}},
				{"a file over UPLOAD_MAX_MB", nil, &file{"big.pdf", "application/pdf",
					io.MultiReader(bytes.NewReader(pdfBytes), bytes.NewReader(make([]byte, 1<<20)))}, 413, nil},
			} {
				fields := map[string]string{"folder": dir.ID}
				for k, v := range tc.fields {
					fields[k] = v
				}
				if fields["folder"] == "" {
					delete(fields, "folder")
				}
				r := s.upload(t, uploadPath, tok, fields, tc.file)
				if tc.status == http.StatusRequestEntityTooLarge {
					env := testkit.WantError(t, r, 413, "PayloadTooLarge", "PAYLOAD_TOO_LARGE")
					if env.Error.Message != "File is larger than 1 MiB." {
						t.Errorf("%s: message %q", tc.name, env.Error.Message)
					}
				} else {
					testkit.WantOnly(t, r, tc.want)
				}
				s.wantNoBlobs(t, tc.name)
			}
			testkit.ListOf[document](t, s.API, tok, documentsPath, "")
			if p, _ := testkit.ListOf[document](t, s.API, tok, documentsPath, ""); p.Count != 0 {
				t.Errorf("refused uploads made %d documents", p.Count)
			}
		})
	}
}

func TestUploadIsMultipartOnly(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	r := s.Do(t, http.MethodPost, uploadPath, f.Owner.Token, map[string]any{"file": "x"})
	env := testkit.WantError(t, r, http.StatusUnsupportedMediaType, "UnsupportedMediaType", "UNSUPPORTED_MEDIA_TYPE")
	if env.Error.Message != "Unsupported media type; send multipart/form-data." {
		t.Errorf("message %q", env.Error.Message)
	}
}

func TestUploadOverTheAnnouncedLimitIsRefusedAtOnce(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{configure: func(c *config.Config) { c.UploadMaxMB = 1 }})
	f := s.RegisterFirm(t)
	req, _ := http.NewRequest(http.MethodPost, s.Srv.URL+uploadPath, bytes.NewReader(make([]byte, 2<<20)))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set("Authorization", "Bearer "+f.Owner.Token)
	res, err := s.Srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", res.StatusCode)
	}
	s.wantNoBlobs(t, "an announced oversize body")
}

func TestUploadDefaultsAndFields(t *testing.T) {
	t.Parallel()
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	client := s.createClient(t, f.Owner.Token)
	dir := s.createFolder(t, f.Owner.Token, map[string]any{"client": client, "visibility": "client"})
	d := s.uploadDoc(t, f.Owner.Token, dir.ID, "Q1 report.pdf", pdfBytes)
	if d.Name != "Q1 report.pdf" || d.Visibility != "client" || d.Client == nil || *d.Client != client || d.Folder != dir.ID {
		t.Errorf("defaults: %+v", d)
	}
	r := s.upload(t, uploadPath, f.Owner.Token, map[string]string{"folder": dir.ID, "name": "Signed contract",
		"description": "Countersigned", "visibility": "internal"}, &file{"scan.pdf", "application/pdf", bytes.NewReader(pdfBytes)})
	testkit.WantStatus(t, r, http.StatusCreated)
	var named document
	testkit.Decode(t, r, &named)
	if named.Name != "Signed contract" || named.Description != "Countersigned" || named.Visibility != "internal" {
		t.Errorf("fields: %+v", named)
	}
	if loc := r.Header.Get("Location"); loc != "/api/v1/documents/documents/"+named.ID+"/" {
		t.Errorf("Location %q", loc)
	}
	got := testkit.Fetch[document](t, s.API, f.Owner.Token, documentPath(named.ID))
	if got.CurrentVersion == nil || got.CurrentVersion.FileName != "scan.pdf" {
		t.Errorf("get: %+v", got)
	}
}
