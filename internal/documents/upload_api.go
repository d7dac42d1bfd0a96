package documents

import (
	"context"
	"net/http"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/danielgtaylor/huma/v2"
)

type uploadIn struct{ api.UploadInput }

type versionIn struct {
	ID string `path:"id"`
	api.UploadInput
}

type documentCreated struct {
	Location string `header:"Location"`
	Body     DocumentOut
}

type versionCreated struct {
	Location string `header:"Location"`
	Body     VersionOut
}

// uploadForm documents the multipart form of an upload; only "file" is sent with a version.
func uploadForm(document bool) *huma.Schema {
	props := map[string]*huma.Schema{
		"file": api.FileSchema("PDF, PNG, JPEG, GIF, WebP, plain text, CSV, DOCX, XLSX or PPTX, by content"),
	}
	required := []string{"file"}
	if document {
		props["folder"] = &huma.Schema{Type: huma.TypeString, Format: "uuid", Description: "Folder id"}
		props["name"] = &huma.Schema{Type: huma.TypeString, MaxLength: ptr(255), Description: "Defaults to the file's name"}
		props["description"] = &huma.Schema{Type: huma.TypeString}
		props["visibility"] = &huma.Schema{Type: huma.TypeString, Enum: []any{string(Internal), string(Client)},
			Description: "Defaults to the folder's"}
		required = append(required, "folder")
	}
	return &huma.Schema{Type: huma.TypeObject, Properties: props, Required: required}
}

func ptr[T any](v T) *T { return &v }

func registerUploads(a *api.API, s *Service) {
	tag := []string{"Documents: documents"}
	errs := []int{http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType}
	up := huma.Operation{OperationID: "upload-document", Method: http.MethodPost, Path: "/documents/documents/upload/",
		Summary: "Upload a document", Tags: tag, DefaultStatus: http.StatusCreated, Errors: errs,
		Description: "Streams the file to storage. Refused: over the upload limit (413, while reading), a type " +
			"not on the allow-list by content whatever its name says (400 \"File type not allowed\"). Nothing is " +
			"stored when a check fails. The upload throttle applies; no Idempotency-Key."}
	api.Uploading(&up, s.MaxUpload, uploadForm(true))
	resource.Operation(a, resource.Named(up, "documents"), documentPolicy{}, resource.Create, nil,
		func(ctx context.Context, actor auth.Actor, in *uploadIn) (*documentCreated, error) {
			f, err := s.read(&in.UploadInput, "folder", "name", "description", "visibility")
			if err != nil {
				return nil, err
			}
			defer f.close()
			nd := NewDocument{Folder: f.fields["folder"]}
			if v, ok := f.fields["name"]; ok {
				nd.Name = &v
			}
			if v, ok := f.fields["description"]; ok {
				nd.Description = &v
			}
			if v, ok := f.fields["visibility"]; ok {
				vis := Visibility(v)
				nd.Visibility = &vis
			}
			d, err := s.CreateDocument(ctx, actor, nd, f.file)
			if err != nil {
				return nil, err
			}
			return &documentCreated{Location: api.Prefix + "/documents/documents/" + d.ID + "/", Body: documentOut(d)}, nil
		})

	ver := huma.Operation{OperationID: "add-document-version", Method: http.MethodPost,
		Path: "/documents/documents/{id}/versions/", Summary: "Add a version", Tags: tag,
		DefaultStatus: http.StatusCreated, Errors: errs,
		Description: "The new version becomes the document's current one. Same checks as an upload; a file " +
			"identical to the current version is refused."}
	api.Uploading(&ver, s.MaxUpload, uploadForm(false))
	resource.Operation(a, ver, documentPolicy{}, Upload, s.documentView,
		func(ctx context.Context, actor auth.Actor, in *versionIn) (*versionCreated, error) {
			f, err := s.read(&in.UploadInput)
			if err != nil {
				return nil, err
			}
			defer f.close()
			v, err := s.AddVersion(ctx, actor, in.ID, f.file)
			if err != nil {
				return nil, err
			}
			return &versionCreated{Location: api.Prefix + "/documents/documents/" + in.ID + "/versions/", Body: versionOut(v)}, nil
		})
}

// read reads an upload's form: the file and the named fields.
func (s *Service) read(in *api.UploadInput, names ...string) (*form, error) {
	parts, err := in.Parts()
	if err != nil {
		return nil, err
	}
	return readForm(parts, s.TempDir, s.MaxUpload, names...)
}
