package app

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/documents"
	"github.com/consultantpro/consultantpro/internal/storage"
)

// registerDocuments opens the document storage (STORAGE_URL, or the test's) and registers the
// documents module. Uploads wait in DATA_DIR/tmp while they are checked: on disk, next to the
// data, rather than in a /tmp that may be memory.
func (a *App) registerDocuments(o options) error {
	store := o.store
	if store == nil {
		var err error
		if store, err = storage.Open(a.Config.StorageURL, a.Config.DataDir); err != nil {
			return err
		}
	}
	tmp := filepath.Join(a.Config.DataDir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return fmt.Errorf("upload directory: %w", err)
	}
	maxMB := a.Config.UploadMaxMB
	if maxMB <= 0 {
		maxMB = config.DefaultUploadMaxMB
	}
	a.documents = documents.NewService(documents.Deps{
		DB: a.DB, Clients: a.crm, Projects: a.projects, Store: store, SecretKey: a.Config.SecretKey,
		MaxUpload: maxMB << 20, TempDir: tmp, Log: a.Logs.App, Now: a.now,
	})
	documents.Register(a.API, a.documents)
	return nil
}
