package auth

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// Authorize is an operation middleware that answers a refused caller before huma reads and
// validates the body: someone who may not act gets 403 (or 404 for another firm's object),
// never a 400 about what they sent. check receives the path's {id} ("" on collections). The
// service checks again inside its transaction; this only orders the answers.
func Authorize(a *api.API, check func(ctx context.Context, actor Actor, id string) error) huma.Middlewares {
	return huma.Middlewares{func(ctx huma.Context, next func(huma.Context)) {
		actor, err := ActorFrom(ctx.Context())
		if err == nil {
			err = check(ctx.Context(), actor, ctx.Param("id"))
		}
		if err != nil {
			_ = huma.WriteErr(a.Huma, ctx, api.StatusOf(err), "", err)
			return
		}
		next(ctx)
	}}
}

// Require authorizes by role alone: the caller's role must have the access to the area.
func Require(a *api.API, area Area, access Access) huma.Middlewares {
	return Authorize(a, func(_ context.Context, actor Actor, _ string) error {
		if actor.Role.AccessTo(area) < access {
			return fault.New(fault.Forbidden, MsgForbidden)
		}
		return nil
	})
}
