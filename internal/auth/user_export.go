package auth

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/danielgtaylor/huma/v2"
)

// exportUsers makes the firm's user list answer ?format=csv|xlsx: the same rule as the JSON
// list (owners and admins), every user its query selects.
func (h *Handlers) exportUsers(a *api.API, op *huma.Operation, query *db.ListSpec) {
	api.ExportList(a, op, query, "users", userOut, func(ctx huma.Context, q db.ListQuery) (*api.ExportRows[User], error) {
		actor, err := ActorFrom(ctx.Context())
		if err != nil {
			return nil, err
		}
		if err := (userPolicy{}).allow(actor); err != nil {
			return nil, err
		}
		list := func(ctx context.Context, q db.ListQuery) ([]User, int64, error) {
			return h.svc.ListUsers(ctx, actor, q)
		}
		count, err := api.CountRows(ctx.Context(), q, list)
		if err != nil {
			return nil, err
		}
		return &api.ExportRows[User]{Count: count, Zone: actor.Location(), Each: func(ctx context.Context, each func(*User) error) error {
			return api.PageThrough(ctx, q, list, each)
		}}, nil
	})
}
