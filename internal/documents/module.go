package documents

import (
	"context"
	"log/slog"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/projects"
	"github.com/consultantpro/consultantpro/internal/storage"
	"github.com/uptrace/bun"
)

// Clients answers whether a client belongs to a firm (the crm module).
type Clients interface {
	ClientExists(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error)
}

// Projects reads a project of a firm: its client (the projects module).
type Projects interface {
	ProjectRef(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (projects.ProjectRef, error)
}

// Deps are what the documents module needs.
type Deps struct {
	DB       *db.DB
	Clients  Clients
	Projects Projects
	Store    storage.Store
	// SecretKey signs the download URLs this server serves itself (local storage).
	SecretKey string
	// MaxUpload is the largest file accepted, in bytes (UPLOAD_MAX_MB).
	MaxUpload int64
	// TempDir holds uploads while they are checked ("" is the system's).
	TempDir string
	Log     *slog.Logger
	Now     func() time.Time
}

// Service is the documents module: folders, documents and their versions.
type Service struct {
	Deps
	signer signer
}

// NewService assembles the module; Now defaults to time.Now.
func NewService(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{Deps: d, signer: newSigner(d.SecretKey)}
}

// Register adds the documents module's operations and its file route to the API.
func Register(a *api.API, s *Service) {
	db.Owns("documents", "document_versions") // a deleted document keeps its versions until the purge
	registerFolders(a, s)
	registerDocuments(a, s)
	registerUploads(a, s)
	registerDownloads(a, s)
}

func (s *Service) stamp() time.Time { return db.Stamp(s.Now()) }
