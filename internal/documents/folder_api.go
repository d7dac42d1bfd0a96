package documents

import (
	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/projects"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the visibility with its values.
func (Visibility) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(visibilities()) }

// FolderOut is a folder as the API shows it.
type FolderOut struct {
	ID          string     `json:"id" format:"uuid"`
	Parent      *string    `json:"parent" nullable:"true" format:"uuid" doc:"null for a root folder"`
	Client      *string    `json:"client" nullable:"true" format:"uuid"`
	ClientName  *string    `json:"client_name" nullable:"true"`
	Project     *string    `json:"project" nullable:"true" format:"uuid"`
	ProjectName *string    `json:"project_name" nullable:"true"`
	Name        string     `json:"name"`
	Visibility  Visibility `json:"visibility"`
	CreatedBy   *string    `json:"created_by" nullable:"true" format:"uuid"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	resource.Trash
}

func folderOut(f *Folder) FolderOut {
	return FolderOut{ID: f.ID, Parent: f.ParentID, Client: f.ClientID, ClientName: f.ClientName, Project: f.ProjectID,
		ProjectName: f.ProjectName, Name: f.Name, Visibility: f.Visibility, CreatedBy: f.CreatedBy,
		CreatedAt: f.CreatedAt.UTC(), UpdatedAt: f.UpdatedAt.UTC()}
}

// FolderPatch is the body of PATCH: every field optional. Client and project are set when a
// folder is made; sent later they are ignored, like the read-only fields.
type FolderPatch struct {
	Name        api.Nullable[string] `json:"name,omitempty" minLength:"1" maxLength:"255"`
	Parent      api.Nullable[string] `json:"parent,omitempty" doc:"Folder id; null or empty for the root"`
	Visibility  *Visibility          `json:"visibility,omitempty" doc:"Defaults to internal"`
	Client      any                  `json:"client,omitempty" doc:"Client id; inherited from the parent when omitted. Read-only once the folder exists"`
	Project     any                  `json:"project,omitempty" doc:"Project id (of the folder's client); inherited from the parent when omitted. Read-only once the folder exists"`
	ID          any                  `json:"id,omitempty" readOnly:"true"`
	ClientName  any                  `json:"client_name,omitempty" readOnly:"true"`
	ProjectName any                  `json:"project_name,omitempty" readOnly:"true"`
	CreatedBy   any                  `json:"created_by,omitempty" readOnly:"true"`
	CreatedAt   any                  `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt   any                  `json:"updated_at,omitempty" readOnly:"true"`
}

// FolderWrite is the body of POST and PUT: the patch with the name required, and the client and
// project read on create.
type FolderWrite struct {
	Name    string  `json:"name" minLength:"1" maxLength:"255"`
	Client  *string `json:"client,omitempty" nullable:"true" doc:"Client id; inherited from the parent when omitted. Read-only once the folder exists"`
	Project *string `json:"project,omitempty" nullable:"true" doc:"Project id (of the folder's client); inherited from the parent when omitted. Read-only once the folder exists"`
	FolderPatch
}

// apply merges the PATCH body into f.
func (b *FolderPatch) apply(f *Folder) fault.Fields {
	var nulls []string
	api.SetText(&f.Name, api.RequiredChange("name", b.Name, &nulls))
	api.SetID(&f.ParentID, b.Parent.Change())
	if b.Visibility != nil {
		f.Visibility = *b.Visibility
	}
	var bad fault.Fields
	for _, field := range nulls {
		bad.Add(field, validate.MsgNull)
	}
	return bad
}

// apply merges a POST or PUT body into f; the service keeps a stored folder's client and
// project.
func (b *FolderWrite) apply(f *Folder) fault.Fields {
	p := b.FolderPatch
	p.Name = api.Value(b.Name)
	api.SetID(&f.ClientID, b.Client)
	api.SetID(&f.ProjectID, b.Project)
	return p.apply(f)
}

func registerFolders(a *api.API, s *Service) {
	resource.Register(a, resource.Resource[Folder, FolderOut, FolderWrite, FolderPatch]{
		SoftDelete: &resource.SoftDelete{DB: s.DB, Model: (*Folder)(nil), Taken: MsgFolderNameTaken, Parents: []resource.Parent{
			{Column: "parent_id", Model: (*Folder)(nil), Name: "parent folder"},
			{Column: "client_id", Model: (*crm.Client)(nil), Name: "client"},
			{Column: "project_id", Model: (*projects.Project)(nil), Name: "project"}}},
		Path: "/documents/folders/", Name: "folder", Plural: "folders", Tag: "Documents: folders",
		Policy: folderPolicy{}, Load: s.folderView, Query: folderQuery(), Cache: true,
		Out: folderOut, ID: func(f *Folder) string { return f.ID },
		List:    s.ListFolders,
		Get:     resource.Get[Folder](folderPolicy{}, s.folderView),
		Create:  resource.Creating(s.CreateFolder, (*FolderWrite).apply),
		Replace: resource.Updating(s.UpdateFolder, (*FolderWrite).apply),
		Update:  resource.Updating(s.UpdateFolder, (*FolderPatch).apply),
		Delete:  s.DeleteFolder,
		Errors:  map[resource.Action][]int{resource.Delete: {http.StatusConflict}},
		Descriptions: map[string]string{
			"create-folder": "Names are unique among a folder's subfolders (and among root folders), ignoring case. " +
				"A subfolder belongs to its parent's client and project: omitted, they are inherited; different, refused.",
			"delete-folder": "Only an empty folder (no subfolders, no documents) can be deleted (409).",
		},
	})
}
