package auth

import (
	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// Require is an operation middleware that refuses, before the request body is even read, a
// caller whose role lacks the access to the area: a role that may not act gets 403 whatever it
// sends, never a validation error. Object rules (ownership, creator) still run in the service.
func Require(a *api.API, area Area, access Access) func(huma.Context, func(huma.Context)) {
	return func(ctx huma.Context, next func(huma.Context)) {
		actor, err := ActorFrom(ctx.Context())
		if err == nil && actor.Role.AccessTo(area) < access {
			err = fault.New(fault.Forbidden, MsgForbidden)
		}
		if err != nil {
			_ = huma.WriteErr(a.Huma, ctx, api.StatusOf(err), "", err)
			return
		}
		next(ctx)
	}
}
