package finance

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/danielgtaylor/huma/v2"
)

// exportAccounts makes the chart of accounts answer ?format=csv|xlsx, with the balances as of
// ?as_of= like the JSON list.
func exportAccounts(a *api.API, op *huma.Operation, spec *db.ListSpec, s *Service) {
	api.ExportList(a, op, spec, "ledger-accounts", accountOut, func(ctx huma.Context, q db.ListQuery) (*api.ExportRows[Account], error) {
		actor, err := auth.ActorFrom(ctx.Context())
		if err != nil {
			return nil, err
		}
		if err := resource.Check(ledgerPolicy[Account]{}, actor, resource.List, nil); err != nil {
			return nil, err
		}
		var asOf date.Date
		if v := ctx.Query("as_of"); v != "" {
			if asOf, err = date.Parse(v); err != nil {
				return nil, fault.Field("as_of", err.Error())
			}
		}
		list := func(ctx context.Context, q db.ListQuery) ([]Account, int64, error) {
			return s.ListAccounts(ctx, actor, q, asOf)
		}
		count, err := api.CountRows(ctx.Context(), q, list)
		if err != nil {
			return nil, err
		}
		return &api.ExportRows[Account]{Count: count, Zone: actor.Location(), Each: func(ctx context.Context, each func(*Account) error) error {
			return api.PageThrough(ctx, q, list, each)
		}}, nil
	})
}
