package auth

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/validate"
	"github.com/danielgtaylor/huma/v2"
)

// Schema documents the role with its values.
func (Role) Schema(huma.Registry) *huma.Schema { return api.EnumSchema(Roles()) }

// UserOut is a user as the API shows it (never the password hash).
type UserOut struct {
	ID        string     `json:"id" format:"uuid"`
	Username  string     `json:"username"`
	Email     string     `json:"email" format:"email"`
	FirstName string     `json:"first_name"`
	LastName  string     `json:"last_name"`
	FullName  string     `json:"full_name"`
	Role      Role       `json:"role"`
	IsActive  bool       `json:"is_active"`
	Firm      string     `json:"firm" format:"uuid"`
	LastLogin *time.Time `json:"last_login" nullable:"true"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

func userOut(u *User) UserOut {
	var last *time.Time
	if u.LastLogin != nil {
		t := u.LastLogin.UTC()
		last = &t
	}
	return UserOut{ID: u.ID, Username: u.Username, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		FullName: u.FullName(), Role: u.Role, IsActive: u.IsActive, Firm: u.FirmID, LastLogin: last,
		CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

// NewUser is a user an owner or admin adds to the firm with an initial password: the body of
// POST /firm/users/, and what the demo and the benchmark data add through the service.
type NewUser struct {
	Username  string `json:"username" minLength:"1" maxLength:"150"`
	Email     string `json:"email" minLength:"1" maxLength:"254"`
	Password  string `json:"password" minLength:"1" maxLength:"4096" doc:"Initial password; the user should change it"`
	FirstName string `json:"first_name,omitempty" maxLength:"150"`
	LastName  string `json:"last_name,omitempty" maxLength:"150"`
	Role      Role   `json:"role"`
}

// Resolve reports the account rules together with huma's schema errors, in one response. The
// service checks again.
func (n *NewUser) Resolve(huma.Context) []error {
	return api.FieldDetails(AccountProblems(n.Username, n.Email, n.Password))
}

// UserPatch is a partial change to a user, the body of PATCH /firm/users/{id}/: nil fields are
// left alone. The read-only fields of UserOut are accepted and ignored.
type UserPatch struct {
	Email     *string `json:"email,omitempty" maxLength:"254"`
	FirstName *string `json:"first_name,omitempty" maxLength:"150"`
	LastName  *string `json:"last_name,omitempty" maxLength:"150"`
	Role      *Role   `json:"role,omitempty"`
	IsActive  *bool   `json:"is_active,omitempty"`
	ReadOnlyUserFields
}

// Resolve reports a malformed email with huma's schema errors.
func (p *UserPatch) Resolve(huma.Context) []error { return emailProblem(p.Email) }

// apply merges the change into u and returns the columns it changed.
func (p *UserPatch) apply(u *User) []string {
	var cols []string
	if p.Email != nil {
		if email := validate.NormalizeEmail(*p.Email); email != u.Email {
			u.Email, cols = email, append(cols, "email")
		}
	}
	if p.FirstName != nil {
		u.FirstName, cols = strings.TrimSpace(*p.FirstName), append(cols, "first_name")
	}
	if p.LastName != nil {
		u.LastName, cols = strings.TrimSpace(*p.LastName), append(cols, "last_name")
	}
	if p.Role != nil && *p.Role != u.Role {
		u.Role, cols = *p.Role, append(cols, "role")
	}
	if p.IsActive != nil && *p.IsActive != u.IsActive {
		u.IsActive, cols = *p.IsActive, append(cols, "is_active")
	}
	return cols
}

// emailProblem checks an optional email's format.
func emailProblem(email *string) []error {
	if email != nil && !validate.Email(strings.TrimSpace(*email)) {
		return api.FieldDetails(fault.Fields{"email": {validate.MsgEmail}})
	}
	return nil
}

// ReadOnlyUserFields are accepted in bodies and ignored (no mass assignment).
type ReadOnlyUserFields struct {
	ID        any `json:"id,omitempty" readOnly:"true"`
	Username  any `json:"username,omitempty" readOnly:"true"`
	FullName  any `json:"full_name,omitempty" readOnly:"true"`
	Firm      any `json:"firm,omitempty" readOnly:"true"`
	LastLogin any `json:"last_login,omitempty" readOnly:"true"`
	CreatedAt any `json:"created_at,omitempty" readOnly:"true"`
	UpdatedAt any `json:"updated_at,omitempty" readOnly:"true"`
}

// The bodies are carried in unnamed structs so their schemas keep their published names,
// UserCreateInBody and UserPatchInBody.
type (
	userCreateIn struct {
		Body struct{ NewUser }
	}
	userPatchIn struct {
		ID   string `path:"id" format:"uuid"`
		Body struct{ UserPatch }
	}
)

// registerUsers adds the firm's users: owners and admins manage them (userPolicy).
func (h *Handlers) registerUsers(a *api.API, tags []string) {
	list := huma.Operation{OperationID: "list-firm-users", Method: http.MethodGet, Path: "/firm/users/",
		Summary: "List firm users", Tags: tags, Description: "Owners and admins."}
	query := userQuery()
	api.DocumentList(&list, query)
	h.exportUsers(a, &list, query)
	api.Cacheable(&list)
	api.SetPolicy(&list, "users.list")
	api.Register(a, list, Handle(func(ctx context.Context, actor Actor, in *listIn) (*api.ListOutput[UserOut], error) {
		// A refused caller gets 403, whatever query they sent.
		if err := (userPolicy{}).allow(actor); err != nil {
			return nil, err
		}
		q, err := in.Parse(query)
		if err != nil {
			return nil, err
		}
		users, count, err := h.svc.ListUsers(ctx, actor, q)
		if err != nil {
			return nil, err
		}
		return api.PageOf(&in.ListInput, q, count, users, userOut)
	}))
	create := huma.Operation{OperationID: "create-firm-user", Method: http.MethodPost, Path: "/firm/users/",
		Summary: "Add a user", Tags: tags, DefaultStatus: http.StatusCreated,
		Description: "Owners and admins add a user with a role and an initial password. Only an owner may add an owner."}
	api.SetPolicy(&create, "users.create")
	api.Register(a, create, Handle(h.createUser))
	get := huma.Operation{OperationID: "get-firm-user", Method: http.MethodGet, Path: "/firm/users/{id}/",
		Summary: "Get a user", Tags: tags}
	api.SetPolicy(&get, "users.read")
	api.Register(a, get, Handle(h.getUser))
	update := huma.Operation{OperationID: "update-firm-user", Method: http.MethodPatch, Path: "/firm/users/{id}/",
		Summary: "Change a user's role, status or details", Tags: tags,
		Description: "Deactivating a user ends their sessions at once. Only an owner may change an owner."}
	api.SetPolicy(&update, "users.update")
	api.Register(a, update, Handle(h.updateUser))
	deactivate := huma.Operation{OperationID: "deactivate-firm-user", Method: http.MethodDelete, Path: "/firm/users/{id}/",
		Summary: "Deactivate a user", Tags: tags, DefaultStatus: http.StatusNoContent,
		Description: "The account stays (records refer to it) but can no longer sign in."}
	api.SetPolicy(&deactivate, "users.delete")
	api.Register(a, deactivate, Handle(h.deactivateUser))
}

func (h *Handlers) createUser(ctx context.Context, a Actor, in *userCreateIn) (*createdOut[UserOut], error) {
	u, err := h.svc.CreateUser(ctx, a, in.Body.NewUser)
	if err != nil {
		return nil, err
	}
	return &createdOut[UserOut]{Location: api.Prefix + "/firm/users/" + u.ID + "/", Body: userOut(u)}, nil
}

func (h *Handlers) getUser(ctx context.Context, a Actor, in *idIn) (*bodyOut[UserOut], error) {
	u, err := h.svc.GetUser(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	return &bodyOut[UserOut]{Body: userOut(u)}, nil
}

func (h *Handlers) updateUser(ctx context.Context, a Actor, in *userPatchIn) (*bodyOut[UserOut], error) {
	u, err := h.svc.UpdateUser(ctx, a, in.ID, in.Body.UserPatch)
	if err != nil {
		return nil, err
	}
	return &bodyOut[UserOut]{Body: userOut(u)}, nil
}

func (h *Handlers) deactivateUser(ctx context.Context, a Actor, in *idIn) (*struct{}, error) {
	return nil, h.svc.DeactivateUser(ctx, a, in.ID)
}
