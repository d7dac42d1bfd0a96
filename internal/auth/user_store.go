package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/uptrace/bun"
)

// User is a member of a firm.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`
	ID            string     `bun:"id,pk"`
	FirmID        string     `bun:"firm_id"`
	Username      string     `bun:"username"`
	Email         string     `bun:"email"`
	PasswordHash  string     `bun:"password_hash"`
	FirstName     string     `bun:"first_name"`
	LastName      string     `bun:"last_name"`
	Role          Role       `bun:"role"`
	IsActive      bool       `bun:"is_active"`
	LastLogin     *time.Time `bun:"last_login"`
	CreatedAt     time.Time  `bun:"created_at"`
	UpdatedAt     time.Time  `bun:"updated_at"`
}

// userQuery declares the firm user list's filters, search and ordering.
func userQuery() *db.ListSpec {
	return &db.ListSpec{
		Filters: []db.Filter{
			{Name: "role", Column: "u.role", Kind: db.ChoiceFilter, Choices: db.Choices(Roles()), Doc: "Only users with this role."},
			{Name: "is_active", Column: "u.is_active", Kind: db.BoolFilter, Doc: "Active or deactivated users."},
		},
		Search: []string{"u.username", "u.email", "u.first_name", "u.last_name"},
		Ordering: []db.OrderField{
			{Name: "username", Column: "lower(u.username)"}, {Name: "last_name", Column: "u.last_name"},
			{Name: "created_at", Column: "u.created_at"}, {Name: "role", Column: "u.role"},
		},
		Default:   "username",
		UpdatedAt: "u.updated_at",
		ID:        "u.id",
	}
}

// Profile returns the caller.
func (s *Service) Profile(ctx context.Context, a Actor) (*User, error) {
	return s.store.user(ctx, s.db.R, a.Firm(), a.UserID)
}

// UpdateProfile changes the caller's own name and email (not their role or status).
func (s *Service) UpdateProfile(ctx context.Context, a Actor, p UserPatch) (*User, error) {
	p.Role, p.IsActive = nil, nil
	return s.updateUser(recording(ctx, by(a), a.FirmID, "update", (*User)(nil), a.UserID), a, a.UserID, p)
}

// ListUsers lists the firm's users (owners and admins).
func (s *Service) ListUsers(ctx context.Context, a Actor, q db.ListQuery) ([]User, int64, error) {
	if err := (userPolicy{}).allow(a); err != nil {
		return nil, 0, err
	}
	var users []User
	count, err := q.Window(q.Apply(a.Firm().Select(s.db.R, &users))).ScanAndCount(ctx)
	return users, int64(count), db.Translate(err)
}

// GetUser returns one of the firm's users (owners and admins; others' firms → 404).
func (s *Service) GetUser(ctx context.Context, a Actor, id string) (*User, error) {
	if err := (userPolicy{}).allow(a); err != nil {
		return nil, err
	}
	return s.store.user(ctx, s.db.R, a.Firm(), id)
}

// CreateUser adds a user to the caller's firm. Only an owner may add another owner.
func (s *Service) CreateUser(ctx context.Context, a Actor, n NewUser) (*User, error) {
	if err := (userPolicy{}).allow(a); err != nil {
		return nil, err
	}
	if err := (userPolicy{}).allowOn(a, nil, &n.Role); err != nil {
		return nil, err
	}
	bad := AccountProblems(n.Username, n.Email, n.Password)
	requireFields(&bad, map[string]string{"username": n.Username, "email": n.Email, "password": n.Password})
	if !n.Role.Valid() {
		bad.Add("role", validate.ChoiceMessage(n.Role))
	}
	if err := bad.Err(); err != nil {
		return nil, err
	}
	now := s.stamp()
	u := &User{ID: db.NewID(), FirmID: a.FirmID, Username: strings.TrimSpace(n.Username),
		Email: validate.NormalizeEmail(n.Email), FirstName: strings.TrimSpace(n.FirstName),
		LastName: strings.TrimSpace(n.LastName), Role: n.Role, IsActive: true, CreatedAt: now, UpdatedAt: now}
	hash, err := s.hasher.Hash(n.Password)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	ctx = recording(ctx, by(a), a.FirmID, "create", (*User)(nil), "")
	err = s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.checkUnique(ctx, tx, u.Username, u.Email, ""); err != nil {
			return err
		}
		return uniqueRace(s.store.insertUser(ctx, tx, u))
	})
	if err != nil {
		return nil, err
	}
	s.security.Info("user added", "event", "user_created", "user", u.ID, "role", string(u.Role), "by", a.UserID, "firm", a.FirmID)
	return u, nil
}

// UpdateUser changes a firm user's role, status, name or email (owners and admins). Owner
// changes are for owners only, and the firm always keeps an active owner. Deactivating a user
// ends their sessions at once.
func (s *Service) UpdateUser(ctx context.Context, a Actor, id string, p UserPatch) (*User, error) {
	if err := (userPolicy{}).allow(a); err != nil {
		return nil, err
	}
	if p.IsActive != nil && !*p.IsActive && id == a.UserID {
		return nil, fault.Field("is_active", MsgSelfDeactivate)
	}
	action := "update"
	if p.Role != nil {
		action = auditRoleChange
	}
	return s.updateUser(recording(ctx, by(a), a.FirmID, action, (*User)(nil), id), a, id, p)
}

// DeactivateUser is DELETE on a firm user: the account stays (it is referenced by records) but
// can no longer sign in, and its sessions end.
func (s *Service) DeactivateUser(ctx context.Context, a Actor, id string) error {
	if err := (userPolicy{}).allow(a); err != nil {
		return err
	}
	if id == a.UserID {
		return fault.Field(fault.NonField, MsgSelfDeactivate)
	}
	inactive := false
	ctx = recording(ctx, by(a), a.FirmID, auditDeactivate, (*User)(nil), id)
	_, err := s.updateUser(ctx, a, id, UserPatch{IsActive: &inactive})
	return err
}

func (s *Service) updateUser(ctx context.Context, a Actor, id string, p UserPatch) (*User, error) {
	if p.Role != nil && !p.Role.Valid() {
		return nil, fault.Field("role", validate.ChoiceMessage(*p.Role))
	}
	if p.Email != nil && !validate.Email(strings.TrimSpace(*p.Email)) {
		return nil, fault.Field("email", validate.MsgEmail)
	}
	var u *User
	var from Role
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if u, err = s.store.user(ctx, tx, a.Firm(), id); err != nil {
			return err
		}
		if err := (userPolicy{}).allowOn(a, u, p.Role); err != nil {
			return err
		}
		from = u.Role
		wasActive, wasActiveOwner := u.IsActive, u.Role == Owner && u.IsActive
		cols := p.apply(u)
		if slices.Contains(cols, "email") {
			if err := s.checkUnique(ctx, tx, "", u.Email, u.ID); err != nil {
				return err
			}
		}
		if wasActiveOwner && (u.Role != Owner || !u.IsActive) {
			n, err := s.store.activeOwners(ctx, s.db, tx, a.Firm())
			if err != nil {
				return err
			}
			if n <= 1 {
				return fault.Field(fault.NonField, MsgLastOwner)
			}
		}
		if len(cols) == 0 {
			return nil
		}
		u.UpdatedAt = s.stamp()
		if err := s.store.updateUser(ctx, tx, a.Firm(), u, cols...); err != nil {
			return uniqueRace(err)
		}
		if wasActive && !u.IsActive {
			return s.store.revokeUserSessions(ctx, tx, a.Firm(), u.ID, "", "user deactivated", u.UpdatedAt)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if u.Role != from {
		s.security.Info("role changed", "event", "role_changed", "user", u.ID, "from", string(from), "to", string(u.Role),
			"by", a.UserID, "firm", a.FirmID)
	}
	if p.IsActive != nil {
		s.security.Info("user status set", "event", "user_status", "user", u.ID, "active", u.IsActive, "by", a.UserID, "firm", a.FirmID)
	}
	return u, nil
}

// checkUnique reports a taken username or email on its field.
func (s *Service) checkUnique(ctx context.Context, idb bun.IDB, username, email, exceptID string) error {
	var f fault.Fields
	if username != "" {
		taken, err := s.store.usernameTaken(ctx, idb, username, exceptID)
		if err != nil {
			return err
		}
		if taken {
			f.Add("username", MsgUsernameTaken)
		}
	}
	if email != "" {
		taken, err := s.store.emailTaken(ctx, idb, email, exceptID)
		if err != nil {
			return err
		}
		if taken {
			f.Add("email", MsgEmailTaken)
		}
	}
	return f.Err()
}

// uniqueRace turns a unique violation that slipped past checkUnique (two concurrent sign-ups)
// into the same validation error.
func uniqueRace(err error) error {
	if db.ConstraintOf(err) != db.Unique {
		return err
	}
	switch db.ConstraintName(err) {
	case "users_username_key":
		return fault.Field("username", MsgUsernameTaken)
	case "users_email_key":
		return fault.Field("email", MsgEmailTaken)
	}
	return fault.Field(fault.NonField, "A user with that username or email already exists.")
}

// IsMember reports whether id names an active user of the firm. Later modules use it to check
// owner, assignee and project-manager fields without reading the users table themselves.
func (s *Service) IsMember(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (bool, error) {
	if !db.ValidID(id) {
		return false, nil
	}
	ok, err := firm.Select(idb, (*User)(nil)).Where("u.id = ? AND u.is_active = ?", id, true).Exists(ctx)
	return ok, db.Translate(err)
}

// LockMember locks a user's row until tx ends (on PostgreSQL; SQLite serialises writers), so a
// rule that sums a user's records — 24 hours a day of time entries — is checked by one
// transaction at a time even when the user has no records yet.
func (s *Service) LockMember(ctx context.Context, tx bun.IDB, firm db.Firm, id string) error {
	if s.db.SerialWrites() {
		return nil
	}
	var ids []string
	err := s.db.ForUpdate(firm.Select(tx, (*User)(nil)).Column("u.id").Where("u.id = ?", id)).Scan(ctx, &ids)
	return db.Translate(err)
}

// WithUserName joins a user to a list query and selects their display name (full name, else
// username) as column as — in SQL, for the whole page at once. fk is the trusted SQL expression
// of the user id (e.g. "c.owner_id"); alias must be unique within the query.
func WithUserName(q *bun.SelectQuery, alias, fk, as string) *bun.SelectQuery {
	return q.Join(fmt.Sprintf("LEFT JOIN users AS %s ON %s.id = %s", alias, alias, fk)).
		ColumnExpr(userNameSQL(alias) + " AS " + as)
}

// userNameSQL is the display name of the user joined as alias: full name, else username.
func userNameSQL(alias string) string {
	return fmt.Sprintf("COALESCE(NULLIF(TRIM(%[1]s.first_name || ' ' || %[1]s.last_name), ''), %[1]s.username)", alias)
}

func (store) insertUser(ctx context.Context, idb bun.IDB, u *User) error {
	_, err := idb.NewInsert().Model(u).Exec(ctx)
	return db.Translate(err)
}

// userByLogin finds a user by username (case-insensitively) or email, across firms.
func (store) userByLogin(ctx context.Context, idb bun.IDB, login string) (*User, error) {
	l := strings.ToLower(strings.TrimSpace(login))
	u := new(User)
	err := idb.NewSelect().Model(u).Where("lower(u.username) = ? OR u.email = ?", l, l).Limit(1).Scan(ctx)
	return u, db.Translate(err)
}

func (store) user(ctx context.Context, idb bun.IDB, firm db.Firm, id string) (*User, error) {
	u := new(User)
	err := firm.Select(idb, u).Where("u.id = ?", id).Scan(ctx)
	return u, db.Translate(err)
}

// usernameTaken and emailTaken look across firms: both are login names.
func (store) usernameTaken(ctx context.Context, idb bun.IDB, username, exceptID string) (bool, error) {
	// Usernames and emails are one name space: login accepts either, so a username may not
	// equal anyone's email and the other way round.
	l := strings.ToLower(username)
	q := idb.NewSelect().Model((*User)(nil)).Where("(lower(u.username) = ? OR u.email = ?)", l, l)
	if exceptID != "" {
		q = q.Where("u.id <> ?", exceptID)
	}
	ok, err := q.Exists(ctx)
	return ok, db.Translate(err)
}

func (store) emailTaken(ctx context.Context, idb bun.IDB, email, exceptID string) (bool, error) {
	q := idb.NewSelect().Model((*User)(nil)).Where("(u.email = ? OR lower(u.username) = ?)", email, email)
	if exceptID != "" {
		q = q.Where("u.id <> ?", exceptID)
	}
	ok, err := q.Exists(ctx)
	return ok, db.Translate(err)
}

func (st store) updateUser(ctx context.Context, idb bun.IDB, firm db.Firm, u *User, columns ...string) error {
	_, err := firm.Update(idb, u).Column(append(columns, "updated_at")...).WherePK().Exec(ctx)
	st.sessions.markAuthChanged(ctx, firm.ID())
	return db.Translate(err)
}

// activeOwners counts the firm's active owners, locking their rows (on PostgreSQL) so that two
// concurrent demotions cannot both see a second owner. SQLite serialises writers anyway.
func (store) activeOwners(ctx context.Context, d *db.DB, idb bun.IDB, firm db.Firm) (int, error) {
	var ids []string
	q := firm.Select(idb, (*User)(nil)).Column("u.id").Where("u.role = ? AND u.is_active = ?", Owner, true)
	err := d.ForUpdate(q).Scan(ctx, &ids)
	return len(ids), db.Translate(err)
}
