package auth

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/api"
)

// Handle adapts a handler that needs the caller to huma's handler shape, so that handlers
// receive the Actor instead of each digging it out of the context.
func Handle[I, O any](fn func(ctx context.Context, a Actor, in *I) (*O, error)) func(context.Context, *I) (*O, error) {
	return func(ctx context.Context, in *I) (*O, error) {
		a, err := ActorFrom(ctx)
		if err != nil {
			return nil, err
		}
		return fn(ctx, a, in)
	}
}

// The request and response shapes auth's handlers share. The resource kit has its own; auth
// cannot use it (the kit depends on auth).
type (
	// listIn is a list's query string.
	listIn struct{ api.ListInput }
	// idIn is the {id} of an object's path.
	idIn struct {
		ID string `path:"id" format:"uuid"`
	}
	// bodyOut is a response with a JSON body.
	bodyOut[O any] struct{ Body O }
	// createdOut is a 201 response with the new object's location.
	createdOut[O any] struct {
		Location string `header:"Location"`
		Body     O
	}
)
