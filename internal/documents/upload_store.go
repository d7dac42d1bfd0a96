package documents

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/storage"
	"github.com/uptrace/bun"
)

// NewDocument is what an upload says of the document it makes; nil fields take defaults (the
// file's name, no description, the folder's visibility).
type NewDocument struct {
	Folder      string
	Name        *string
	Description *string
	Visibility  *Visibility
}

// CreateDocument makes a document with file as its first version. Every check runs before
// the blob is stored; the rows are written after, and the blob is removed again if they
// cannot be.
func (s *Service) CreateDocument(ctx context.Context, a auth.Actor, in NewDocument, file *Spooled) (*Document, error) {
	if err := resource.Check(documentPolicy{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	now := s.stamp()
	by := a.UserID
	d := &Document{ID: db.NewID(), FirmID: a.FirmID, FolderID: in.Folder, UploadedBy: &by, VersionCount: 1,
		CreatedAt: now, UpdatedAt: now}
	if file != nil {
		d.Name = file.Name
	}
	if in.Name != nil {
		d.Name = *in.Name
	}
	if in.Description != nil {
		d.Description = *in.Description
	}
	if in.Visibility != nil {
		d.Visibility = *in.Visibility
	}
	bad := d.formatProblems()
	if in.Visibility == nil {
		delete(bad, "visibility") // the folder's, once it is read
	}
	if file == nil && in.Name == nil {
		delete(bad, "name") // the file's, which is missing: one message is enough
	}
	if err := file.check(); err != nil {
		bad.Merge(fault.As(err).Details)
	}
	if !bad.Has("folder") {
		f, err := s.folder(ctx, s.DB.R, a.Firm(), d.FolderID)
		switch {
		case db.IsNotFound(err):
			bad.Add("folder", MsgFolderUnknown)
		case err != nil:
			return nil, err
		case in.Visibility == nil:
			d.Visibility = f.Visibility
		}
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	v := s.newVersion(a, d, 1, file)
	err := s.storeThen(ctx, v, file, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(d).Exec(ctx); err != nil {
			if db.ConstraintOf(db.Translate(err)) == db.ForeignKey {
				return fault.Field("folder", MsgFolderUnknown) // deleted meanwhile
			}
			return db.Translate(err)
		}
		_, err := tx.NewInsert().Model(v).Exec(ctx)
		return db.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return s.documentView(ctx, a, d.ID)
}

// AddVersion makes file the current version of a document; a file with the current version's
// bytes is refused.
func (s *Service) AddVersion(ctx context.Context, a auth.Actor, id string, file *Spooled) (*Version, error) {
	d, err := s.documentView(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := resource.Check(documentPolicy{}, a, Upload, d); err != nil {
		return nil, err
	}
	if err := file.check(); err != nil {
		return nil, err
	}
	if d.Current != nil && d.Current.SHA256 == file.SHA256 {
		return nil, fault.Field("file", MsgFileIdentical)
	}
	v := s.newVersion(a, d, 0, file)
	err = s.storeThen(ctx, v, file, func(ctx context.Context, tx bun.Tx) error {
		locked, err := s.lockDocument(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		cur := new(Version)
		err = a.Firm().Select(tx, cur).Where("v.document_id = ? AND v.number = ?", id, locked.VersionCount).Scan(ctx)
		if err = db.Translate(err); err == nil && cur.SHA256 == file.SHA256 {
			return fault.Field("file", MsgFileIdentical) // the same bytes, added meanwhile
		}
		if err != nil && !db.IsNotFound(err) {
			return err
		}
		v.Number = locked.VersionCount + 1
		if _, err := tx.NewInsert().Model(v).Exec(ctx); err != nil {
			return db.Translate(err)
		}
		_, err = a.Firm().Update(tx, (*Document)(nil)).Set("version_count = ?", v.Number).Set("updated_at = ?", v.CreatedAt).
			Where("d.id = ?", id).Exec(ctx)
		return db.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// newVersion is the row of file as a version of d, under its server-made key.
func (s *Service) newVersion(a auth.Actor, d *Document, number int64, file *Spooled) *Version {
	id := db.NewID()
	by := a.UserID
	return &Version{ID: id, FirmID: a.FirmID, DocumentID: d.ID, Number: number, StorageKey: storage.Key(a.FirmID, d.ID, id),
		FileName: file.Name, Size: file.Size, ContentType: file.ContentType, SHA256: file.SHA256, UploadedBy: &by,
		CreatedAt: s.stamp()}
}

// storeThen puts the file's blob in storage, then runs write in a transaction; when the write
// fails the blob is removed, so that no blob is left without its row.
func (s *Service) storeThen(ctx context.Context, v *Version, file *Spooled, write func(context.Context, bun.Tx) error) error {
	if err := s.Store.Put(ctx, v.StorageKey, file.reader(), file.Size, file.ContentType); err != nil {
		s.removeBlobs(v.StorageKey) // a partial object, if the store left one
		return fault.Wrap(fault.Unavailable, "The file could not be stored; try again.", err)
	}
	err := s.DB.Tx(ctx, write)
	if err != nil {
		s.removeBlobs(v.StorageKey)
		return err
	}
	return nil
}
