package documents

import (
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// VersionOut is a version as the API shows it.
type VersionOut struct {
	ID             string    `json:"id" format:"uuid"`
	Document       string    `json:"document" format:"uuid"`
	Number         int64     `json:"number" doc:"1 for the first upload, then one more for each version"`
	FileName       string    `json:"file_name" doc:"The name the file was uploaded under"`
	Size           int64     `json:"size" doc:"Bytes"`
	ContentType    string    `json:"content_type" doc:"Sniffed from the content"`
	SHA256         string    `json:"sha256" doc:"Hex SHA-256 of the bytes"`
	UploadedBy     *string   `json:"uploaded_by" nullable:"true" format:"uuid"`
	UploadedByName *string   `json:"uploaded_by_name" nullable:"true"`
	CreatedAt      time.Time `json:"created_at"`
}

func versionOut(v *Version) VersionOut {
	return VersionOut{ID: v.ID, Document: v.DocumentID, Number: v.Number, FileName: v.FileName, Size: v.Size,
		ContentType: v.ContentType, SHA256: v.SHA256, UploadedBy: v.UploadedBy, UploadedByName: v.UploadedByName,
		CreatedAt: v.CreatedAt.UTC()}
}

// DocumentOut is a document as the API shows it.
type DocumentOut struct {
	ID             string      `json:"id" format:"uuid"`
	Folder         string      `json:"folder" format:"uuid"`
	FolderName     *string     `json:"folder_name" nullable:"true"`
	Client         *string     `json:"client" nullable:"true" format:"uuid" doc:"The folder's client"`
	Project        *string     `json:"project" nullable:"true" format:"uuid" doc:"The folder's project"`
	Name           string      `json:"name"`
	Description    string      `json:"description"`
	Visibility     Visibility  `json:"visibility"`
	VersionCount   int64       `json:"version_count"`
	CurrentVersion *VersionOut `json:"current_version" doc:"null before the first version"`
	UploadedBy     *string     `json:"uploaded_by" nullable:"true" format:"uuid"`
	UploadedByName *string     `json:"uploaded_by_name" nullable:"true"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
	resource.Trash
}

func documentOut(d *Document) DocumentOut {
	out := DocumentOut{ID: d.ID, Folder: d.FolderID, FolderName: d.FolderName, Client: d.ClientID, Project: d.ProjectID,
		Name: d.Name, Description: d.Description, Visibility: d.Visibility, VersionCount: d.VersionCount,
		UploadedBy: d.UploadedBy, UploadedByName: d.UploadedByName, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	if d.Current != nil {
		v := versionOut(d.Current)
		out.CurrentVersion = &v
	}
	return out
}

// DocumentPatch is the body of PATCH: a document's name, description, visibility or folder.
// Its file changes only through a new version.
type DocumentPatch struct {
	Folder         api.Nullable[string] `json:"folder,omitempty" minLength:"1" doc:"Folder id (a folder of your firm)"`
	Name           api.Nullable[string] `json:"name,omitempty" minLength:"1" maxLength:"255"`
	Description    *string              `json:"description,omitempty"`
	Visibility     *Visibility          `json:"visibility,omitempty"`
	ID             any                  `json:"id,omitempty" readOnly:"true"`
	FolderName     any                  `json:"folder_name,omitempty" readOnly:"true"`
	Client         any                  `json:"client,omitempty" readOnly:"true"`
	Project        any                  `json:"project,omitempty" readOnly:"true"`
	VersionCount   any                  `json:"version_count,omitempty" readOnly:"true"`
	CurrentVersion any                  `json:"current_version,omitempty" readOnly:"true"`
	UploadedBy     any                  `json:"uploaded_by,omitempty" readOnly:"true"`
	UploadedByName any                  `json:"uploaded_by_name,omitempty" readOnly:"true"`
	CreatedAt      any                  `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt      any                  `json:"updated_at,omitempty" readOnly:"true"`
}

// apply merges the PATCH body into d.
func (b *DocumentPatch) apply(d *Document) fault.Fields {
	var nulls []string
	api.SetText(&d.FolderID, api.RequiredChange("folder", b.Folder, &nulls))
	api.SetText(&d.Name, api.RequiredChange("name", b.Name, &nulls))
	api.SetText(&d.Description, b.Description)
	if b.Visibility != nil {
		d.Visibility = *b.Visibility
	}
	var bad fault.Fields
	for _, field := range nulls {
		bad.Add(field, validate.MsgNull)
	}
	return bad
}

func registerDocuments(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Document, DocumentOut, DocumentPatch, DocumentPatch]{
		SoftDelete: &resource.SoftDelete{DB: s.DB, Model: (*Document)(nil), Parents: []resource.Parent{{Column: "folder_id", Model: (*Folder)(nil), Name: "folder"}}},
		Path:       "/documents/documents/", Name: "document", Plural: "documents", Tag: "Documents: documents",
		Policy: documentPolicy{}, Load: s.documentView, Query: documentQuery(), Cache: true,
		Out: documentOut, ID: func(d *Document) string { return d.ID },
		List:   s.ListDocuments,
		Get:    resource.Get[Document](documentPolicy{}, s.documentView),
		Update: resource.Updating(s.UpdateDocument, (*DocumentPatch).apply),
		Delete: s.DeleteDocument,
		Descriptions: map[string]string{
			"list-documents":  "Documents with their current version. Upload with POST documents/upload/.",
			"delete-document": "Removes the document, its versions and their stored files for good.",
		},
	})
	op := huma.Operation{OperationID: "list-document-versions", Method: http.MethodGet,
		Path: "/documents/documents/{id}/versions/", Summary: "List a document's versions",
		Tags: []string{"Documents: documents"}}
	resource.ChildList(a, resource.Named(op, "documents"), documentPolicy{}, resource.Read, versionQuery(), s.ListVersions, versionOut)
}
