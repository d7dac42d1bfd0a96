package auth

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/audit"
)

// Users, firms and invitations are audited like the kit's resources; their password hashes and
// token hashes are never recorded (see internal/audit).
func init() {
	audit.Name((*User)(nil), "user")
	audit.Name((*Firm)(nil), "firm")
	audit.Name((*Invitation)(nil), "invitation")
}

// Account actions the audit log names besides create and update.
const (
	auditLogin          = "login"
	auditLogout         = "logout"
	auditPasswordChange = "password_change"
	auditPasswordReset  = "password_reset"
	auditRoleChange     = "role_change"
	auditDeactivate     = "deactivate"
)

// recording starts the audit frame of an account operation: by acts on the object of model
// and id in firm (id "" for the object the operation creates).
func recording(ctx context.Context, by audit.By, firm, action string, model any, id string) context.Context {
	info := api.Info(ctx)
	return audit.Start(ctx, by, firm, action, model, id, info.ID, info.ClientIP)
}

// by is the audit log's actor for a signed-in caller.
func by(a Actor) audit.By { return audit.User(a.UserID, a.Name) }
