package documents

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/audit"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/uptrace/bun"
)

// Document is a row of documents, with its folder's name, client and project, its uploader's
// name and its current version (the one numbered VersionCount).
type Document struct {
	bun.BaseModel `bun:"table:documents,alias:d"`
	db.Deletion
	ID             string     `bun:"id,pk"`
	FirmID         string     `bun:"firm_id"`
	FolderID       string     `bun:"folder_id"`
	Name           string     `bun:"name"`
	Description    string     `bun:"description"`
	Visibility     Visibility `bun:"visibility"`
	VersionCount   int64      `bun:"version_count"`
	UploadedBy     *string    `bun:"uploaded_by"`
	CreatedAt      time.Time  `bun:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at"`
	FolderName     *string    `bun:"folder_name,scanonly"`
	ClientID       *string    `bun:"client_id,scanonly"`
	ProjectID      *string    `bun:"project_id,scanonly"`
	UploadedByName *string    `bun:"uploaded_by_name,scanonly"`
	Current        *Version   `bun:"-"`
}

// Version is a row of document_versions: one uploaded file of a document.
type Version struct {
	bun.BaseModel  `bun:"table:document_versions,alias:v"`
	ID             string    `bun:"id,pk"`
	FirmID         string    `bun:"firm_id"`
	DocumentID     string    `bun:"document_id"`
	Number         int64     `bun:"number"`
	StorageKey     string    `bun:"storage_key"`
	FileName       string    `bun:"file_name"`
	Size           int64     `bun:"size"`
	ContentType    string    `bun:"content_type"`
	SHA256         string    `bun:"sha256"`
	UploadedBy     *string   `bun:"uploaded_by"`
	CreatedAt      time.Time `bun:"created_at"`
	UploadedByName *string   `bun:"uploaded_by_name,scanonly"`
}

// documentRow is a document with its current version's columns, as one list query reads them.
type documentRow struct {
	Document `bun:",extend"`
	VID      *string    `bun:"v_id,scanonly"`
	VNumber  *int64     `bun:"v_number,scanonly"`
	VName    *string    `bun:"v_file_name,scanonly"`
	VSize    *int64     `bun:"v_size,scanonly"`
	VType    *string    `bun:"v_content_type,scanonly"`
	VSHA256  *string    `bun:"v_sha256,scanonly"`
	VBy      *string    `bun:"v_uploaded_by,scanonly"`
	VByName  *string    `bun:"v_uploaded_by_name,scanonly"`
	VAt      *time.Time `bun:"v_created_at,scanonly"`
}

func (r *documentRow) document() Document {
	d := r.Document
	if r.VID != nil {
		d.Current = &Version{ID: *r.VID, FirmID: d.FirmID, DocumentID: d.ID, Number: *r.VNumber, FileName: *r.VName,
			Size: *r.VSize, ContentType: *r.VType, SHA256: *r.VSHA256, UploadedBy: r.VBy, UploadedByName: r.VByName,
			CreatedAt: *r.VAt}
	}
	return d
}

// documentQuery declares the document list's filters, search and ordering.
func documentQuery() *db.ListSpec {
	return &db.ListSpec{
		Filters: []db.Filter{
			{Name: "folder", Column: "d.folder_id", Kind: db.IDFilter},
			{Name: "client", Column: "df.client_id", Kind: db.IDFilter, Doc: "Documents of the client's folders."},
			{Name: "project", Column: "df.project_id", Kind: db.IDFilter, Doc: "Documents of the project's folders."},
			{Name: "visibility", Column: "d.visibility", Kind: db.ChoiceFilter, Choices: db.Choices(visibilities())},
		},
		Search: []string{"d.name", "d.description"},
		Ordering: []db.OrderField{
			{Name: "name", Column: "lower(d.name)"},
			{Name: "created_at", Column: "d.created_at"},
			{Name: "updated_at", Column: "d.updated_at"},
		},
		Default:   "-created_at",
		UpdatedAt: "d.updated_at",
		ID:        "d.id",
	}
}

// ListDocuments lists the firm's documents with their current versions.
func (s *Service) ListDocuments(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Document, int64, error) {
	if err := resource.Check(documentPolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	var rows []documentRow
	count, err := q.Window(q.Apply(selectDocuments(s.DB.R, a.Firm(), &rows))).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, db.Translate(err)
	}
	out := make([]Document, len(rows))
	for i := range rows {
		out[i] = rows[i].document()
	}
	return out, int64(count), nil
}

// documentView reads one document of the firm with its current version (resource.Loader).
func (s *Service) documentView(ctx context.Context, a auth.Actor, id string) (*Document, error) {
	return s.documentIn(ctx, s.DB.R, a.Firm(), id)
}

func (s *Service) documentIn(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Document, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	row := new(documentRow)
	if err := selectDocuments(idb, firm, row).Where("d.id = ?", id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	d := row.document()
	return &d, nil
}

// UpdateDocument changes a document's name, description, visibility or folder as edit says.
func (s *Service) UpdateDocument(ctx context.Context, a auth.Actor, id string, edit func(*Document) fault.Fields) (*Document, error) {
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d, err := s.lockDocument(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(documentPolicy{}, a, resource.Update, d); err != nil {
			return err
		}
		old := *d
		bad := edit(d)
		bad.Merge(d.formatProblems())
		if err := bad.Err(); err != nil {
			return err
		}
		if d.FolderID != old.FolderID {
			if _, err := s.folder(ctx, tx, a.Firm(), d.FolderID); err != nil {
				if db.IsNotFound(err) {
					return fault.Field("folder", MsgFolderUnknown)
				}
				return err
			}
		}
		d.UpdatedAt = s.stamp()
		_, err = a.Firm().Update(tx, d).Column("folder_id", "name", "description", "visibility", "updated_at").
			WherePK().Exec(ctx)
		return db.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return s.documentView(ctx, a, id)
}

// DeleteDocument marks a document deleted; its versions and blobs stay for a restore until
// the purge (PurgeDocuments) removes them for good.
func (s *Service) DeleteDocument(ctx context.Context, a auth.Actor, id string) error {
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d, err := s.lockDocument(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(documentPolicy{}, a, resource.Delete, d); err != nil {
			return err
		}
		return a.Firm().Remove(ctx, tx, (*Document)(nil), id, a.UserID, s.stamp())
	})
}

// PurgeDocuments removes for good the documents deleted before cutoff, in every firm: their
// versions and rows, then their blobs, so that no blob outlives its document. A blob that
// cannot be removed is logged (it is unreachable: no row names it).
func (s *Service) PurgeDocuments(ctx context.Context, cutoff time.Time) (int, error) {
	var ids []string
	err := s.DB.R.NewSelect().Model((*Document)(nil)).Column("d.id").Where("d.deleted_at < ?", db.Stamp(cutoff)).
		Limit(db.PurgeBatch).Scan(ctx, &ids)
	if err != nil {
		return 0, db.Translate(err)
	}
	purged := 0
	for _, id := range ids {
		var keys []string
		err := s.DB.Tx(audit.Purging(ctx, (*Document)(nil), id), func(ctx context.Context, tx bun.Tx) error {
			if err := tx.NewSelect().Model((*Version)(nil)).Column("v.storage_key").Where("v.document_id = ?", id).
				Scan(ctx, &keys); err != nil {
				return err
			}
			if _, err := tx.NewDelete().Model((*Version)(nil)).Where("v.document_id = ?", id).Exec(ctx); err != nil {
				return err
			}
			_, err := tx.NewDelete().Model((*Document)(nil)).Where("d.id = ?", id).Where("d.deleted_at IS NOT NULL").Exec(ctx)
			return err
		})
		if err != nil {
			return purged, err
		}
		s.removeBlobs(keys...)
		purged++
	}
	return purged, nil
}

// removeBlobs deletes blobs whose rows are gone (or were never written), on a context of its
// own: the request's may already be cancelled.
func (s *Service) removeBlobs(keys ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, key := range keys {
		if err := s.Store.Delete(ctx, key); err != nil {
			s.Log.Error("document blob not removed", "key", key, "error", err.Error())
		}
	}
}

// versionQuery declares the version list's ordering (newest first).
func versionQuery() *db.ListSpec {
	return &db.ListSpec{
		Ordering:  []db.OrderField{{Name: "number", Column: "v.number"}, {Name: "created_at", Column: "v.created_at"}},
		Default:   "-number",
		UpdatedAt: "v.created_at",
		ID:        "v.id",
	}
}

// ListVersions lists the versions of a document of the firm.
func (s *Service) ListVersions(ctx context.Context, a auth.Actor, id string, q db.ListQuery) ([]Version, int64, error) {
	if _, err := resource.Get[Document](documentPolicy{}, s.documentView)(ctx, a, id); err != nil {
		return nil, 0, err
	}
	var rows []Version
	sel := auth.WithUserName(a.Firm().Select(s.DB.R, &rows).ColumnExpr("v.*"), "vu", "v.uploaded_by", "uploaded_by_name").
		Where("v.document_id = ?", id)
	count, err := q.Window(q.Apply(sel)).ScanAndCount(ctx)
	return rows, int64(count), db.Translate(err)
}

// version reads one version of a document of the firm.
func (s *Service) version(ctx context.Context, firm db.Firm, documentID, id string) (*Version, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	v := new(Version)
	err := firm.Select(s.DB.R, v).Where("v.id = ? AND v.document_id = ?", id, documentID).Scan(ctx)
	return v, db.Translate(err)
}

// selectDocuments starts a firm-scoped document query with its folder, uploader and current
// version.
func selectDocuments(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	q := firm.Select(idb, dest).ColumnExpr("d.*").
		Join("JOIN folders AS df ON df.id = d.folder_id").
		ColumnExpr("df.name AS folder_name, df.client_id, df.project_id").
		Join("LEFT JOIN document_versions AS dv ON dv.document_id = d.id AND dv.number = d.version_count").
		ColumnExpr("dv.id AS v_id, dv.number AS v_number, dv.file_name AS v_file_name, dv.size AS v_size").
		ColumnExpr("dv.content_type AS v_content_type, dv.sha256 AS v_sha256, dv.uploaded_by AS v_uploaded_by").
		ColumnExpr("dv.created_at AS v_created_at")
	q = auth.WithUserName(q, "du", "d.uploaded_by", "uploaded_by_name")
	return auth.WithUserName(q, "dvu", "dv.uploaded_by", "v_uploaded_by_name")
}

// lockDocument reads one document of the firm (its row alone) for a change, locking it.
func (s *Service) lockDocument(ctx context.Context, tx bun.Tx, firm db.Firm, id string) (*Document, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	d := new(Document)
	err := s.DB.ForUpdate(firm.Select(tx, d).Where("d.id = ?", id)).Scan(ctx)
	return d, db.Translate(err)
}
