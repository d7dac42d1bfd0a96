package auth

import (
	"context"
	"net/http"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/danielgtaylor/huma/v2"
)

type registerIn struct {
	Body struct {
		FirmName  string  `json:"firm_name" minLength:"1" maxLength:"255"`
		Username  string  `json:"username" minLength:"1" maxLength:"150"`
		Email     string  `json:"email" minLength:"1" maxLength:"254"`
		Password  string  `json:"password" minLength:"1" maxLength:"4096"`
		Password2 *string `json:"password2,omitempty" maxLength:"4096" doc:"Optional confirmation; must equal password"`
		FirstName string  `json:"first_name,omitempty" maxLength:"150"`
		LastName  string  `json:"last_name,omitempty" maxLength:"150"`
	}
	meta ClientMeta
}

// Resolve adds the account rules to huma's schema checks and captures the client's address.
func (in *registerIn) Resolve(ctx huma.Context) []error {
	in.meta = clientMeta(ctx)
	b := &in.Body
	return api.FieldDetails(registrationProblems(Registration{FirmName: b.FirmName, Username: b.Username,
		Email: b.Email, Password: b.Password, Password2: b.Password2}))
}

func clientMeta(ctx huma.Context) ClientMeta {
	return ClientMeta{UserAgent: ctx.Header("User-Agent"), IP: api.Info(ctx.Context()).ClientIP}
}

type sessionOut struct {
	Body struct {
		Access  string   `json:"access" doc:"JWT access token (15 minutes); send as Authorization: Bearer <access>"`
		Refresh string   `json:"refresh" doc:"Opaque refresh token (7 days); single use, rotated on every refresh"`
		User    *UserOut `json:"user,omitempty"`
		Firm    *FirmOut `json:"firm,omitempty"`
	}
}

type loginIn struct {
	Body struct {
		Username string `json:"username" minLength:"1" maxLength:"254" doc:"Username or email"`
		Password string `json:"password" minLength:"1" maxLength:"4096"`
	}
	meta ClientMeta
}

func (in *loginIn) Resolve(ctx huma.Context) []error { in.meta = clientMeta(ctx); return nil }

type refreshIn struct {
	Body struct {
		Refresh string `json:"refresh" minLength:"1" maxLength:"512"`
	}
	meta ClientMeta
}

func (in *refreshIn) Resolve(ctx huma.Context) []error { in.meta = clientMeta(ctx); return nil }

// logoutIn is logout's optional body: the refresh token, which ends its session without an
// access token.
type logoutIn struct {
	Body *struct {
		Refresh string `json:"refresh,omitempty" maxLength:"512" doc:"The session's refresh token; without an access token it is the credential"`
	}
	meta ClientMeta
}

func (in *logoutIn) Resolve(ctx huma.Context) []error { in.meta = clientMeta(ctx); return nil }

// profilePatch also accepts the read-only fields of UserOut, so a fetched profile can be sent
// back as it is; they are ignored.
type profilePatch struct {
	Body struct {
		Email     *string `json:"email,omitempty" maxLength:"254"`
		FirstName *string `json:"first_name,omitempty" maxLength:"150"`
		LastName  *string `json:"last_name,omitempty" maxLength:"150"`
		ReadOnlyUserFields
		Role     any `json:"role,omitempty" readOnly:"true" doc:"Read-only here; owners and admins change roles at /firm/users/"`
		IsActive any `json:"is_active,omitempty" readOnly:"true"`
	}
}

// Resolve reports a malformed email with huma's schema errors.
func (in *profilePatch) Resolve(huma.Context) []error { return emailProblem(in.Body.Email) }

type changePasswordIn struct {
	Body struct {
		OldPassword string `json:"old_password" minLength:"1" maxLength:"4096"`
		NewPassword string `json:"new_password" minLength:"1" maxLength:"4096"`
	}
}

// Handlers serves the auth and firm endpoints.
type Handlers struct {
	svc           *Service
	knownCurrency func(string) bool
}

// Register adds the auth module's operations to the API.
func Register(a *api.API, svc *Service, knownCurrency func(string) bool) {
	h := &Handlers{svc: svc, knownCurrency: knownCurrency}
	tags := []string{"Auth"}
	api.Register(a, huma.Operation{OperationID: "register", Method: http.MethodPost, Path: "/auth/register/",
		Summary: "Register a firm", Tags: tags, Security: api.Anonymous(), DefaultStatus: http.StatusCreated,
		Description: "Creates a new firm with the caller as its owner and signs them in."}, h.register)
	api.Register(a, huma.Operation{OperationID: "login", Method: http.MethodPost, Path: "/auth/login/",
		Summary: "Log in", Tags: tags, Security: api.Anonymous(), Errors: []int{http.StatusUnauthorized},
		Description: "Takes a username or an email. Failure: 401 \"Invalid username or password\"."}, h.login)
	api.Register(a, huma.Operation{OperationID: "refresh-token", Method: http.MethodPost, Path: "/auth/token/refresh/",
		Summary: "Refresh tokens", Tags: tags, Security: api.Anonymous(),
		Description: "Rotates the refresh token. Presenting a refresh token twice revokes its whole session."}, h.refresh)
	// The caller's own account: any signed-in user, on themselves only.
	self := func(op huma.Operation) huma.Operation {
		api.SetPolicy(&op, api.PolicySelf)
		return op
	}
	api.Register(a, self(huma.Operation{OperationID: "logout", Method: http.MethodPost, Path: "/auth/logout/",
		Summary: "Log out", Tags: tags, DefaultStatus: http.StatusNoContent, Security: api.BearerOrAnonymous(),
		Description: "Ends the session: its access and refresh tokens stop working at once. The session is the " +
			"access token's or, without one, that of the refresh token in the body {\"refresh\": …} (so a client " +
			"whose access token has expired can still end its session). An unknown refresh token: 401."}), h.logout)
	api.Register(a, self(huma.Operation{OperationID: "get-profile", Method: http.MethodGet, Path: "/auth/profile/",
		Summary: "Get my profile", Tags: tags}), Handle(h.profile))
	api.Register(a, self(huma.Operation{OperationID: "update-profile", Method: http.MethodPatch, Path: "/auth/profile/",
		Summary: "Update my profile", Tags: tags}), Handle(h.updateProfile))
	api.Register(a, self(huma.Operation{OperationID: "change-password", Method: http.MethodPost, Path: "/auth/change-password/",
		Summary: "Change my password", Tags: tags, DefaultStatus: http.StatusNoContent,
		Description: "Checks the old password, sets the new one and ends every other session of the user."}), Handle(h.changePassword))
	h.registerPasswordReset(a)
	h.registerFirm(a)
	h.registerInvitations(a)
}

func (h *Handlers) register(ctx context.Context, in *registerIn) (*sessionOut, error) {
	b := in.Body
	firm, user, pair, err := h.svc.Register(ctx, Registration{FirmName: b.FirmName, Username: b.Username,
		Email: b.Email, Password: b.Password, Password2: b.Password2, FirstName: b.FirstName, LastName: b.LastName}, in.meta)
	if err != nil {
		return nil, err
	}
	out := &sessionOut{}
	u, f := userOut(user), firmOut(firm)
	out.Body.Access, out.Body.Refresh, out.Body.User, out.Body.Firm = pair.Access, pair.Refresh, &u, &f
	return out, nil
}

func (h *Handlers) login(ctx context.Context, in *loginIn) (*sessionOut, error) {
	user, pair, err := h.svc.Login(ctx, in.Body.Username, in.Body.Password, in.meta)
	if err != nil {
		return nil, err
	}
	out := &sessionOut{}
	u := userOut(user)
	out.Body.Access, out.Body.Refresh, out.Body.User = pair.Access, pair.Refresh, &u
	return out, nil
}

func (h *Handlers) refresh(ctx context.Context, in *refreshIn) (*sessionOut, error) {
	pair, err := h.svc.Refresh(ctx, in.Body.Refresh, in.meta)
	if err != nil {
		return nil, err
	}
	out := &sessionOut{}
	out.Body.Access, out.Body.Refresh = pair.Access, pair.Refresh
	return out, nil
}

// logout ends the caller's session, or without an access token the refresh token's.
func (h *Handlers) logout(ctx context.Context, in *logoutIn) (*struct{}, error) {
	var refresh string
	if in.Body != nil {
		refresh = in.Body.Refresh
	}
	a, err := ActorFrom(ctx)
	switch {
	case err == nil:
		return nil, h.svc.Logout(ctx, a, refresh)
	case refresh == "":
		return nil, err // neither an access token nor a refresh token: not authenticated
	}
	return nil, h.svc.LogoutRefresh(ctx, refresh, in.meta)
}

func (h *Handlers) profile(ctx context.Context, a Actor, _ *struct{}) (*bodyOut[UserOut], error) {
	u, err := h.svc.Profile(ctx, a)
	if err != nil {
		return nil, err
	}
	return &bodyOut[UserOut]{Body: userOut(u)}, nil
}

func (h *Handlers) updateProfile(ctx context.Context, a Actor, in *profilePatch) (*bodyOut[UserOut], error) {
	b := in.Body
	u, err := h.svc.UpdateProfile(ctx, a, UserPatch{Email: b.Email, FirstName: b.FirstName, LastName: b.LastName})
	if err != nil {
		return nil, err
	}
	return &bodyOut[UserOut]{Body: userOut(u)}, nil
}

func (h *Handlers) changePassword(ctx context.Context, a Actor, in *changePasswordIn) (*struct{}, error) {
	return nil, h.svc.ChangePassword(ctx, a, in.Body.OldPassword, in.Body.NewPassword)
}

// AuthenticateRequest is the platform's Authenticator: it admits a valid access token and puts
// the actor in the context (and on the request's log line).
func (s *Service) AuthenticateRequest(ctx context.Context, token string) (context.Context, error) {
	a, err := s.Authenticate(ctx, token)
	if err != nil {
		return nil, err
	}
	// A list depends on who asks (role, firm) and on the firm's date (is_expired, is_active).
	api.Info(ctx).SetActor(a.UserID, a.FirmID, a.UserID+"|"+string(a.Role)+"|"+a.Today(s.now()))
	return WithActor(ctx, a), nil
}

// Peek returns whom a valid access token names, without asking whether its session still
// holds (Authenticate does that next): the platform uses it to send the request's rate limit
// and the versions authentication will read in one round trip.
func (s *Service) Peek(token string) (userID, firmID string, ok bool) {
	userID, firmID, _, err := s.tokens.Verify(token)
	return userID, firmID, err == nil
}
