package resource

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// Checker is implemented by a request body whose own rules (formats, choices, a 403 that depends
// only on the body) should be reported together with huma's schema errors, in one response.
// act is Create for POST and Update for PUT and PATCH. The service checks again: this only
// gathers the messages.
type Checker interface {
	Check(ctx context.Context, a auth.Actor, act Action) error
}

// check runs body's Checker, if it has one, as a huma resolver.
func check(ctx huma.Context, body any, act Action) []error {
	c, ok := body.(Checker)
	if !ok {
		return nil
	}
	actor, err := auth.ActorFrom(ctx.Context())
	if err != nil {
		return nil
	}
	err = c.Check(ctx.Context(), actor, act)
	if err == nil {
		return nil
	}
	if e := fault.As(err); e.Kind == fault.Invalid && len(e.Details) > 0 {
		return api.FieldDetails(e.Details)
	}
	return []error{err}
}

type listIn struct{ api.ListInput }

type idIn struct {
	ID string `path:"id"`
}

type createIn[W any] struct{ Body W }

func (in *createIn[W]) Resolve(ctx huma.Context) []error { return check(ctx, &in.Body, Create) }

type replaceIn[W any] struct {
	ID   string `path:"id"`
	Body W
}

func (in *replaceIn[W]) Resolve(ctx huma.Context) []error { return check(ctx, &in.Body, Update) }

type updateIn[P any] struct {
	ID   string `path:"id"`
	Body P
}

func (in *updateIn[P]) Resolve(ctx huma.Context) []error { return check(ctx, &in.Body, Update) }

type body[O any] struct{ Body O }

type created[O any] struct {
	Location string `header:"Location"`
	Body     O
}

type childListIn struct {
	ID string `path:"id"`
	api.ListInput
}
