package resource

import (
	"context"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/danielgtaylor/huma/v2"
)

// Action is what a caller does to a resource: one of the standard actions below, or a named
// action of the resource ("send", "accept", "activate").
type Action string

// The standard actions.
const (
	List   Action = "list"
	Read   Action = "read"
	Create Action = "create"
	Update Action = "update" // PUT and PATCH
	Delete Action = "delete"
)

// Policy decides every action on one kind of object T. A module writes one per resource, in
// the resource's rules file, and calls it from its service as well as registering it here.
type Policy[T any] interface {
	// Allow decides an action before any object is read: list and create completely, and for
	// every other action the part that depends on the caller's role alone.
	Allow(a auth.Actor, act Action) error
	// AllowOn decides an action on a stored object: read, update, delete and named actions.
	AllowOn(a auth.Actor, act Action, obj *T) error
}

// Loader reads one object of the caller's firm for a policy check: a not-found error for an
// unknown id or another firm's object.
type Loader[T any] func(ctx context.Context, a auth.Actor, id string) (*T, error)

// Check runs the policy for act: Allow, then, when obj is given, AllowOn. Services call it so
// that both checks run in the one place the rules are written.
func Check[T any](p Policy[T], a auth.Actor, act Action, obj *T) error {
	if err := p.Allow(a, act); err != nil {
		return err
	}
	if obj == nil {
		return nil
	}
	return p.AllowOn(a, act, obj)
}

// guard returns the operation middleware that applies the policy before huma reads the body:
// Allow for every action, and on an object's path ({id}) for anything but a read, AllowOn on the
// object load returns. A read has no body to order answers against; the service checks it.
// A write then runs under an audit frame (see recording).
func guard[T any](a *api.API, p Policy[T], act Action, load Loader[T]) huma.Middlewares {
	return huma.Middlewares{func(ctx huma.Context, next func(huma.Context)) {
		err := allowed(ctx, p, act, load)
		if err != nil {
			_ = huma.WriteErr(a.Huma, ctx, api.StatusOf(err), "", err)
			return
		}
		next(recording[T](ctx, act))
	}}
}

func allowed[T any](ctx huma.Context, p Policy[T], act Action, load Loader[T]) error {
	actor, err := auth.ActorFrom(ctx.Context())
	if err != nil {
		return err
	}
	if err := p.Allow(actor, act); err != nil {
		return err
	}
	id := ctx.Param("id")
	if id == "" || act == Read || act == List || load == nil {
		return nil
	}
	obj, err := load(ctx.Context(), actor, id)
	if err != nil {
		return err
	}
	return p.AllowOn(actor, act, obj)
}

// Get is the standard read of one object: load it (not found for another firm's), then ask
// the policy for Read. A resource whose read needs nothing more registers it as its Get.
func Get[T any](p Policy[T], load Loader[T]) func(ctx context.Context, a auth.Actor, id string) (*T, error) {
	return func(ctx context.Context, a auth.Actor, id string) (*T, error) {
		obj, err := load(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return obj, Check(p, a, Read, obj)
	}
}
