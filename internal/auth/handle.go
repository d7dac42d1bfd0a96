package auth

import "context"

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
