package resource

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/danielgtaylor/huma/v2"
)

// export makes the resource's list answer ?format=csv|xlsx (api.ExportList) with the rows its
// List would page through: the same policy, firm scope and role rules, filters, search and
// ordering. The file is named after the collection ("time-entries-2026-12-04.csv").
func (r *Resource[T, O, W, P]) export(a *api.API, op *huma.Operation) {
	list, stream := r.List, r.Stream
	api.ExportList(a, op, r.Query, collection(r.Path), r.Out, func(ctx huma.Context, q db.ListQuery) (*api.ExportRows[T], error) {
		actor, err := auth.ActorFrom(ctx.Context())
		if err != nil {
			return nil, err
		}
		if actor, err = withDeleted(actor, q); err != nil {
			return nil, err
		}
		return exportRows(ctx.Context(), actor, q,
			func(ctx context.Context, q db.ListQuery) ([]T, int64, error) { return list(ctx, actor, q) },
			func(ctx context.Context, q db.ListQuery, each func(*T) error) error {
				return stream(ctx, actor, q, each)
			}, stream != nil)
	})
}

// exportChildren is export for a ChildList: the rows of one parent object.
func exportChildren[T, O any](a *api.API, op *huma.Operation, spec *db.ListSpec,
	list func(ctx context.Context, actor auth.Actor, id string, q db.ListQuery) ([]T, int64, error), out func(*T) O) {
	api.ExportList(a, op, spec, collection(op.Path), out, func(ctx huma.Context, q db.ListQuery) (*api.ExportRows[T], error) {
		actor, err := auth.ActorFrom(ctx.Context())
		if err != nil {
			return nil, err
		}
		id := ctx.Param("id")
		return exportRows(ctx.Context(), actor, q,
			func(ctx context.Context, q db.ListQuery) ([]T, int64, error) { return list(ctx, actor, id, q) }, nil, false)
	})
}

// exportRows counts the rows of q through list (which also checks the caller may list) and
// reads them through stream, or else through list page by page (api.PageThrough).
func exportRows[T any](ctx context.Context, actor auth.Actor, q db.ListQuery,
	list func(ctx context.Context, q db.ListQuery) ([]T, int64, error),
	stream func(ctx context.Context, q db.ListQuery, each func(*T) error) error, streams bool) (*api.ExportRows[T], error) {
	count, err := api.CountRows(ctx, q, list)
	if err != nil {
		return nil, err
	}
	each := func(ctx context.Context, each func(*T) error) error {
		if streams {
			return stream(ctx, q, each)
		}
		return api.PageThrough(ctx, q, list, each)
	}
	return &api.ExportRows[T]{Count: count, Zone: actor.Location(), Each: each}, nil
}
