package auth

import (
	"context"
	"strings"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/uptrace/bun"
)

// Profile returns the caller.
func (s *Service) Profile(ctx context.Context, a Actor) (*User, error) {
	return s.store.user(ctx, s.db.R, a.Firm(), a.UserID)
}

// UserPatch is a partial change to a user; nil fields are left alone.
type UserPatch struct {
	Email     *string
	FirstName *string
	LastName  *string
	Role      *Role
	IsActive  *bool
}

// UpdateProfile changes the caller's own name and email (not their role or status).
func (s *Service) UpdateProfile(ctx context.Context, a Actor, p UserPatch) (*User, error) {
	p.Role, p.IsActive = nil, nil
	return s.updateUser(ctx, a, a.UserID, p)
}

// UsersList declares the firm user list's filters, search and ordering.
var UsersList = &db.ListSpec{
	Filters: []db.Filter{
		{Name: "role", Column: "u.role", Kind: db.ChoiceFilter, Choices: RoleNames(), Doc: "Only users with this role."},
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

// ListUsers lists the firm's users (owners and admins).
func (s *Service) ListUsers(ctx context.Context, a Actor, p db.ListQuery) ([]User, int64, error) {
	if err := CanWrite(a, FirmSettings); err != nil {
		return nil, 0, err
	}
	return s.store.listUsers(ctx, s.db.R, a.Firm(), p)
}

// GetUser returns one of the firm's users (owners and admins; others' firms → 404).
func (s *Service) GetUser(ctx context.Context, a Actor, id string) (*User, error) {
	if err := CanWrite(a, FirmSettings); err != nil {
		return nil, err
	}
	return s.store.user(ctx, s.db.R, a.Firm(), id)
}

// NewUser is a user an owner or admin adds to the firm with an initial password.
type NewUser struct {
	Username  string
	Email     string
	Password  string
	FirstName string
	LastName  string
	Role      Role
}

// CreateUser adds a user to the caller's firm. Only an owner may add another owner.
func (s *Service) CreateUser(ctx context.Context, a Actor, n NewUser) (*User, error) {
	if err := CanWrite(a, FirmSettings); err != nil {
		return nil, err
	}
	if n.Role == Owner && a.Role != Owner {
		return nil, fault.New(fault.Forbidden, MsgOwnerOnly)
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
	if err := CanWrite(a, FirmSettings); err != nil {
		return nil, err
	}
	if p.IsActive != nil && !*p.IsActive && id == a.UserID {
		return nil, fault.Field("is_active", MsgSelfDeactivate)
	}
	return s.updateUser(ctx, a, id, p)
}

// DeactivateUser is DELETE on a firm user: the account stays (it is referenced by records) but
// can no longer sign in, and its sessions end.
func (s *Service) DeactivateUser(ctx context.Context, a Actor, id string) error {
	if err := CanWrite(a, FirmSettings); err != nil {
		return err
	}
	if id == a.UserID {
		return fault.Field(fault.NonField, MsgSelfDeactivate)
	}
	inactive := false
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
	var roleChanged bool
	var from Role
	err := s.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if u, err = s.store.user(ctx, tx, a.Firm(), id); err != nil {
			return err
		}
		// Only owners change owners (an admin editing an owner's email could take the account
		// over) or make new ones; anyone may edit their own profile.
		editsOwner := u.Role == Owner && u.ID != a.UserID
		grantsOwner := p.Role != nil && *p.Role == Owner && u.Role != Owner
		if (editsOwner || grantsOwner) && a.Role != Owner {
			return fault.New(fault.Forbidden, MsgOwnerOnly)
		}
		cols := []string{}
		if p.Email != nil {
			email := validate.NormalizeEmail(*p.Email)
			if email != u.Email {
				if err := s.checkUnique(ctx, tx, "", email, u.ID); err != nil {
					return err
				}
				u.Email, cols = email, append(cols, "email")
			}
		}
		if p.FirstName != nil {
			u.FirstName, cols = strings.TrimSpace(*p.FirstName), append(cols, "first_name")
		}
		if p.LastName != nil {
			u.LastName, cols = strings.TrimSpace(*p.LastName), append(cols, "last_name")
		}
		wasActiveOwner := u.Role == Owner && u.IsActive
		if p.Role != nil && *p.Role != u.Role {
			from, roleChanged = u.Role, true
			u.Role, cols = *p.Role, append(cols, "role")
		}
		deactivating := p.IsActive != nil && !*p.IsActive && u.IsActive
		if p.IsActive != nil && *p.IsActive != u.IsActive {
			u.IsActive, cols = *p.IsActive, append(cols, "is_active")
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
		if deactivating {
			return s.store.revokeUserSessions(ctx, tx, u.ID, "", "user deactivated", u.UpdatedAt)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if roleChanged {
		s.security.Info("role changed", "event", "role_changed", "user", u.ID, "from", string(from), "to", string(u.Role),
			"by", a.UserID, "firm", a.FirmID)
	}
	if p.IsActive != nil {
		s.security.Info("user status set", "event", "user_status", "user", u.ID, "active", u.IsActive, "by", a.UserID, "firm", a.FirmID)
	}
	return u, nil
}
