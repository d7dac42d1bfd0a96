package documents_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/storage"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// HTTP test helpers of the documents module: a server on a storage the test can list (a local
// directory, or a bucket of a gofakes3 server in the process), clients, projects and folders
// made through the API, multipart uploads, and files of each allowed type.

// Paths (the Phase 1 aliases of SPEC §2).
const (
	foldersPath   = "/api/documents/folders/"
	documentsPath = "/api/documents/documents/"
	uploadPath    = "/api/documents/documents/upload/"
)

func folderPath(id string) string   { return foldersPath + id + "/" }
func documentPath(id string) string { return documentsPath + id + "/" }
func versionsPath(id string) string { return documentsPath + id + "/versions/" }
func downloadPath(id string) string { return documentsPath + id + "/download/" }

var seq atomic.Int64

func nextSeq() int64 { return seq.Add(1) }

// server is a whole server with the storage it writes to.
type server struct {
	*testkit.API
	store storage.Store
	s3    *testkit.S3 // nil on a local directory
}

// kinds are the storages every storage-dependent test runs on.
var kinds = []string{"dir", "s3"}

type serverOptions struct {
	kind      string // "dir" (default) or "s3"
	frozenAt  time.Time
	configure func(*config.Config)
}

func start(t testing.TB, o serverOptions) *server {
	t.Helper()
	s := &server{}
	if o.kind == "s3" {
		s.s3 = testkit.StartS3(t)
		s.store = s.s3.Store
	} else {
		d, err := storage.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		s.store = d
	}
	s.API = testkit.StartAPI(t, testkit.APIOptions{FrozenAt: o.frozenAt, Configure: o.configure,
		Options: []app.Option{app.WithStorage(s.store)}})
	return s
}

// blobs lists every blob in the server's storage.
func (s *server) blobs(t testing.TB) []string {
	t.Helper()
	keys, err := s.store.List(context.Background(), "")
	if err != nil {
		t.Fatalf("list storage: %v", err)
	}
	slices.Sort(keys)
	return keys
}

// wantNoBlobs fails unless the storage is empty.
func (s *server) wantNoBlobs(t testing.TB, after string) {
	t.Helper()
	if keys := s.blobs(t); len(keys) != 0 {
		t.Fatalf("after %s the storage holds %q, want nothing", after, keys)
	}
	s.wantNoSpool(t, after)
}

// wantNoSpool fails unless the directory uploads wait in is empty: a finished upload, refused
// or not, leaves no temporary file.
func (s *server) wantNoSpool(t testing.TB, after string) {
	t.Helper()
	left, err := os.ReadDir(filepath.Join(s.Srv.App.Config.DataDir, "tmp"))
	if err != nil {
		t.Fatalf("read upload directory: %v", err)
	}
	if len(left) != 0 {
		t.Fatalf("after %s the upload directory holds %d files, want none", after, len(left))
	}
}

type folder struct {
	ID          string  `json:"id"`
	Parent      *string `json:"parent"`
	Client      *string `json:"client"`
	ClientName  *string `json:"client_name"`
	Project     *string `json:"project"`
	ProjectName *string `json:"project_name"`
	Name        string  `json:"name"`
	Visibility  string  `json:"visibility"`
}

type version struct {
	ID          string `json:"id"`
	Document    string `json:"document"`
	Number      int64  `json:"number"`
	FileName    string `json:"file_name"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	SHA256      string `json:"sha256"`
}

type document struct {
	ID             string   `json:"id"`
	Folder         string   `json:"folder"`
	Client         *string  `json:"client"`
	Project        *string  `json:"project"`
	Name           string   `json:"name"`
	Description    string   `json:"description"`
	Visibility     string   `json:"visibility"`
	VersionCount   int64    `json:"version_count"`
	CurrentVersion *version `json:"current_version"`
}

type download struct {
	URL       string  `json:"url"`
	ExpiresAt string  `json:"expires_at"`
	Version   version `json:"version"`
}

func (s *server) createClient(t testing.TB, token string) string {
	t.Helper()
	n := nextSeq()
	r := s.Do(t, http.MethodPost, "/api/crm/clients/", token, map[string]any{
		"company_name": fmt.Sprintf("Client %d Ltd", n), "primary_contact_name": "Grace Hopper",
		"primary_contact_email": fmt.Sprintf("grace%d@client.example", n),
	})
	testkit.WantStatus(t, r, http.StatusCreated)
	return testkit.Object(t, r)["id"].(string)
}

func (s *server) createProject(t testing.TB, token, clientID string) string {
	t.Helper()
	r := s.Do(t, http.MethodPost, "/api/projects/projects/", token, map[string]any{
		"client": clientID, "name": fmt.Sprintf("Project %d", nextSeq()),
		"start_date": "2026-01-01", "end_date": "2026-12-31",
	})
	testkit.WantStatus(t, r, http.StatusCreated)
	return testkit.Object(t, r)["id"].(string)
}

// createFolder makes a folder from body (a name is added when missing).
func (s *server) createFolder(t testing.TB, token string, body map[string]any) folder {
	t.Helper()
	if _, ok := body["name"]; !ok {
		body["name"] = fmt.Sprintf("Folder %d", nextSeq())
	}
	r := s.Do(t, http.MethodPost, foldersPath, token, body)
	testkit.WantStatus(t, r, http.StatusCreated)
	var f folder
	testkit.Decode(t, r, &f)
	return f
}

// file is one file part of an upload.
type file struct {
	name, contentType string
	body              io.Reader
}

// upload POSTs a multipart form to path: the fields, then the file (if any). The body is
// streamed from a pipe with an unknown length, so that size limits are met while reading.
func (s *server) upload(t testing.TB, path, token string, fields map[string]string, f *file) *testkit.Response {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := writeForm(mw, fields, f)
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, s.Srv.URL+path, pr)
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
	raw, _ := io.ReadAll(res.Body)
	_ = pr.CloseWithError(io.ErrClosedPipe) // the server may answer before reading everything
	return &testkit.Response{Method: http.MethodPost, Path: path, Status: res.StatusCode, Header: res.Header, Body: raw}
}

func writeForm(mw *multipart.Writer, fields map[string]string, f *file) error {
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range fields {
			if !yield(k) {
				return
			}
		}
	}) {
		if err := mw.WriteField(k, fields[k]); err != nil {
			return err
		}
	}
	if f == nil {
		return nil
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, f.name))
	h.Set("Content-Type", f.contentType)
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, f.body)
	return err
}

// uploadDoc uploads content as a new document in the folder and expects 201.
func (s *server) uploadDoc(t testing.TB, token, folderID, name string, content []byte) document {
	t.Helper()
	r := s.upload(t, uploadPath, token, map[string]string{"folder": folderID},
		&file{name: name, contentType: "application/octet-stream", body: bytes.NewReader(content)})
	testkit.WantStatus(t, r, http.StatusCreated)
	var d document
	testkit.Decode(t, r, &d)
	return d
}

// fetch GETs an absolute URL without credentials.
func fetch(t testing.TB, u string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

// Files of each allowed type, by content.
var (
	pdfBytes  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
	pngBytes  = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{1}, 40)...)
	jpegBytes = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), bytes.Repeat([]byte{2}, 40)...)
	gifBytes  = append([]byte("GIF89a\x01\x00\x01\x00"), bytes.Repeat([]byte{3}, 20)...)
	webpBytes = append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 "), bytes.Repeat([]byte{4}, 20)...)
	textBytes = []byte("Meeting notes\nAgreed: scope, budget, dates.\nÄrzte GmbH — next steps\n")
	csvBytes  = []byte("date,hours,description\n2026-01-05,7.5,Workshop\n")
)

// officeFile builds a minimal Office Open XML package with the named main part.
func officeFile(t testing.TB, main string, withContentTypes bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := []string{main, "_rels/.rels"}
	if withContentTypes {
		parts = append(parts, "[Content_Types].xml")
	}
	for _, p := range parts {
		w, err := zw.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(w, `<?xml version="1.0"?><x part=%q/>`, p)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
