package documents

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/uptrace/bun"
)

// Folder is a row of folders, with its client's and project's names.
type Folder struct {
	bun.BaseModel `bun:"table:folders,alias:f"`
	db.Deletion
	ID          string     `bun:"id,pk"`
	FirmID      string     `bun:"firm_id"`
	ParentID    *string    `bun:"parent_id"`
	ClientID    *string    `bun:"client_id"`
	ProjectID   *string    `bun:"project_id"`
	Name        string     `bun:"name"`
	Visibility  Visibility `bun:"visibility"`
	CreatedBy   *string    `bun:"created_by"`
	CreatedAt   time.Time  `bun:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at"`
	ClientName  *string    `bun:"client_name,scanonly"`
	ProjectName *string    `bun:"project_name,scanonly"`
}

// folderQuery declares the folder list's filters, search and ordering.
func folderQuery() *db.ListSpec {
	return &db.ListSpec{
		Filters: []db.Filter{
			{Name: "parent", Column: "f.parent_id", Kind: db.IDFilter},
			{Name: "client", Column: "f.client_id", Kind: db.IDFilter},
			{Name: "project", Column: "f.project_id", Kind: db.IDFilter},
			{Name: "visibility", Column: "f.visibility", Kind: db.ChoiceFilter, Choices: db.Choices(visibilities())},
		},
		Search: []string{"f.name"},
		Ordering: []db.OrderField{
			{Name: "name", Column: "lower(f.name)"},
			{Name: "created_at", Column: "f.created_at"},
			{Name: "updated_at", Column: "f.updated_at"},
		},
		Default:   "name",
		UpdatedAt: "f.updated_at",
		ID:        "f.id",
	}
}

// ListFolders lists the firm's folders.
func (s *Service) ListFolders(ctx context.Context, a auth.Actor, q db.ListQuery) ([]Folder, int64, error) {
	if err := resource.Check(folderPolicy{}, a, resource.List, nil); err != nil {
		return nil, 0, err
	}
	var rows []Folder
	count, err := q.Window(q.Apply(selectFolders(s.DB.R, a.Firm(), &rows))).ScanAndCount(ctx)
	return rows, int64(count), db.Translate(err)
}

// folderView reads one folder of the firm with its display fields (resource.Loader).
func (s *Service) folderView(ctx context.Context, a auth.Actor, id string) (*Folder, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	f := new(Folder)
	err := selectFolders(s.DB.R, a.Firm(), f).Where("f.id = ?", id).Scan(ctx)
	return f, db.Translate(err)
}

// CreateFolder adds a folder: edit fills in the request.
func (s *Service) CreateFolder(ctx context.Context, a auth.Actor, edit func(*Folder) fault.Fields) (*Folder, error) {
	if err := resource.Check(folderPolicy{}, a, resource.Create, nil); err != nil {
		return nil, err
	}
	now := s.stamp()
	by := a.UserID
	f := &Folder{ID: db.NewID(), FirmID: a.FirmID, Visibility: Internal, CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
	bad := edit(f)
	bad.Merge(f.formatProblems())
	if err := bad.Err(); err != nil {
		return nil, err
	}
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkFolder(ctx, tx, a.Firm(), nil, f); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(f).Exec(ctx)
		return db.OnUnique(db.Translate(err), "name", MsgFolderNameTaken)
	})
	if err != nil {
		return nil, err
	}
	return s.folderView(ctx, a, f.ID)
}

// UpdateFolder renames, moves or changes the visibility of a folder as edit says. Its client
// and project are set when it is made and stay.
func (s *Service) UpdateFolder(ctx context.Context, a auth.Actor, id string, edit func(*Folder) fault.Fields) (*Folder, error) {
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		f, err := s.lockFolder(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(folderPolicy{}, a, resource.Update, f); err != nil {
			return err
		}
		old := *f
		bad := edit(f)
		f.ClientID, f.ProjectID = old.ClientID, old.ProjectID
		bad.Merge(f.formatProblems())
		if err := bad.Err(); err != nil {
			return err
		}
		if err := s.checkFolder(ctx, tx, a.Firm(), &old, f); err != nil {
			return err
		}
		f.UpdatedAt = s.stamp()
		_, err = a.Firm().Update(tx, f).WherePK().Exec(ctx)
		return db.OnUnique(db.Translate(err), "name", MsgFolderNameTaken)
	})
	if err != nil {
		return nil, err
	}
	return s.folderView(ctx, a, id)
}

// DeleteFolder removes an empty folder; one with subfolders or documents → 409.
func (s *Service) DeleteFolder(ctx context.Context, a auth.Actor, id string) error {
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		f, err := s.lockFolder(ctx, tx, a.Firm(), id)
		if err != nil {
			return err
		}
		if err := resource.Check(folderPolicy{}, a, resource.Delete, f); err != nil {
			return err
		}
		full, err := a.Firm().Exists(ctx, tx, (*Folder)(nil), "f.parent_id = ?", id)
		if err == nil && !full {
			full, err = a.Firm().Exists(ctx, tx, (*Document)(nil), "d.folder_id = ?", id)
		}
		if err != nil {
			return err
		}
		if full {
			return fault.New(fault.Conflict, MsgFolderNotEmpty)
		}
		err = a.Firm().Remove(ctx, tx, (*Folder)(nil), id, a.UserID, s.stamp())
		if err = db.Translate(err); db.ConstraintOf(err) == db.ForeignKey {
			return fault.Wrap(fault.Conflict, MsgFolderNotEmpty, err) // filled concurrently
		}
		return err
	})
}

// checkFolder applies the rules that need the database, old being nil on create: a parent of
// the firm that is not the folder itself or below it, the parent's client and project (agree),
// a client and a project of the firm, the project of the folder's client, and a name free
// among the siblings.
func (s *Service) checkFolder(ctx context.Context, tx bun.IDB, firm db.Firm, old, f *Folder) error {
	var bad fault.Fields
	if f.ParentID != nil && (old == nil || deref(old.ParentID) != *f.ParentID) {
		parent, err := s.folder(ctx, tx, firm, *f.ParentID)
		switch {
		case db.IsNotFound(err):
			bad.Add("parent", MsgFolderParentUnknown)
		case err != nil:
			return err
		default:
			if old != nil {
				cycle, err := s.below(ctx, tx, firm, parent, f.ID)
				if err != nil {
					return err
				}
				if cycle {
					bad.Add("parent", MsgFolderParentCycle)
				}
			}
			bad.Merge(f.agree(parent))
		}
	}
	if old == nil {
		if err := s.checkOwners(ctx, tx, firm, f, &bad); err != nil {
			return err
		}
	}
	if !bad.Has("name") && !bad.Has("parent") {
		taken, err := s.nameTaken(ctx, tx, firm, f)
		if err != nil {
			return err
		}
		if taken {
			bad.Add("name", MsgFolderNameTaken)
		}
	}
	return bad.Err()
}

// checkOwners checks a new folder's client and project: both of the firm, the project of the
// client; a project without a client gives the folder the project's client.
func (s *Service) checkOwners(ctx context.Context, tx bun.IDB, firm db.Firm, f *Folder, bad *fault.Fields) error {
	if f.ClientID != nil && !bad.Has("client") {
		ok, err := s.Clients.ClientExists(ctx, tx, firm, *f.ClientID)
		if err != nil {
			return err
		}
		if !ok {
			bad.Add("client", MsgFolderClientUnknown)
		}
	}
	if f.ProjectID == nil || bad.Has("project") {
		return nil
	}
	p, err := s.Projects.ProjectRef(ctx, tx, firm, *f.ProjectID)
	switch {
	case db.IsNotFound(err):
		bad.Add("project", MsgFolderProjectUnkown)
	case err != nil:
		return err
	case f.ClientID == nil:
		f.ClientID = &p.ClientID
	case *f.ClientID != p.ClientID && !bad.Has("client"):
		bad.Add("project", MsgFolderProjectClient)
	}
	return nil
}

// below reports whether folder is id or lies below it: moving id into it would make a cycle.
func (s *Service) below(ctx context.Context, tx bun.IDB, firm db.Firm, folder *Folder, id string) (bool, error) {
	for f := folder; ; {
		if f.ID == id {
			return true, nil
		}
		if f.ParentID == nil {
			return false, nil
		}
		next, err := s.folder(ctx, tx, firm, *f.ParentID)
		if err != nil {
			return false, err
		}
		f = next
	}
}

// nameTaken reports whether a sibling of f (a folder of the same parent, or another root
// folder) has its name, ignoring case.
func (s *Service) nameTaken(ctx context.Context, tx bun.IDB, firm db.Firm, f *Folder) (bool, error) {
	q := firm.Select(tx, (*Folder)(nil)).Where("lower(f.name) = lower(?)", f.Name).Where("f.id <> ?", f.ID)
	if f.ParentID == nil {
		q = q.Where("f.parent_id IS NULL")
	} else {
		q = q.Where("f.parent_id = ?", *f.ParentID)
	}
	ok, err := q.Exists(ctx)
	return ok, db.Translate(err)
}

// selectFolders starts a firm-scoped folder query with the display fields.
func selectFolders(idb bun.IDB, firm db.Firm, dest any) *bun.SelectQuery {
	return firm.Select(idb, dest).ColumnExpr("f.*").
		Join("LEFT JOIN clients AS fc ON fc.id = f.client_id").ColumnExpr("fc.company_name AS client_name").
		Join("LEFT JOIN projects AS fp ON fp.id = f.project_id").ColumnExpr("fp.name AS project_name")
}

// folder reads one folder of the firm (its row alone); NotFound for another firm's.
func (s *Service) folder(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*Folder, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	f := new(Folder)
	err := firm.Select(idb, f).Where("f.id = ?", id).Scan(ctx)
	return f, db.Translate(err)
}

// lockFolder reads one folder of the firm for a change, locking its row.
func (s *Service) lockFolder(ctx context.Context, tx bun.Tx, firm db.Firm, id string) (*Folder, error) {
	if !db.ValidID(id) {
		return nil, db.NotFound()
	}
	f := new(Folder)
	err := s.DB.ForUpdate(firm.Select(tx, f).Where("f.id = ?", id)).Scan(ctx)
	return f, db.Translate(err)
}

// deref is an optional id's value, "" when it is unset.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
