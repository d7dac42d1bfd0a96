package resource

import (
	"context"
	"net/http"
	"strings"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// Resource declares one resource's standard operations: T is the model a service returns, O its
// API form, W the body of create and replace (POST, PUT) and P the body of a partial update
// (PATCH). An operation whose function is nil is not registered.
type Resource[T, O, W, P any] struct {
	Path   string // the collection's path under the version prefix: "/crm/clients/"
	Name   string // singular, for summaries and (spaces as dashes) operation ids: "client", "time entry"
	Plural string // "clients", "time entries"
	Tag    string // the OpenAPI tag: "CRM: clients"

	Policy Policy[T]
	Load   Loader[T] // reads the object that update, delete and actions check the policy on
	Query  *db.ListSpec
	Cache  bool // list answers may be served from the response cache

	Out func(*T) O
	ID  func(*T) string // the id in a created object's Location

	List    func(ctx context.Context, a auth.Actor, q db.ListQuery) ([]T, int64, error)
	Get     func(ctx context.Context, a auth.Actor, id string) (*T, error)
	Create  func(ctx context.Context, a auth.Actor, body *W) (*T, error)
	Replace func(ctx context.Context, a auth.Actor, id string, body *W) (*T, error)
	Update  func(ctx context.Context, a auth.Actor, id string, body *P) (*T, error)
	Delete  func(ctx context.Context, a auth.Actor, id string) error

	// SoftDelete, when set, says DELETE marks rows: the kit adds restore and include_deleted.
	SoftDelete *SoftDelete

	// Stream, when set, reads every row of a list query (no page window) for the CSV and XLSX
	// exports, one at a time; without it an export pages through List (see export.go).
	Stream func(ctx context.Context, a auth.Actor, q db.ListQuery, each func(*T) error) error

	// Summaries override an operation's default summary ("Create a client").
	Summaries map[Action]string
	// Errors adds documented statuses to an action's operations (beyond every route's).
	Errors map[Action][]int
	// Descriptions document operations, by operation id ("replace-task"): PUT and PATCH share
	// an action but not always a description.
	Descriptions map[string]string
}

// Register adds the resource's operations to the API.
func Register[T, O, W, P any](a *api.API, r Resource[T, O, W, P]) {
	item := r.Path + "{id}/"
	name, plural := slug(r.Name), slug(r.Plural)
	auditName[T](r.Name)
	if r.SoftDelete != nil {
		r.Out = trashOut(r.Out)
		if r.Query != nil {
			r.Query.SoftDelete = true
		}
	}
	if r.List != nil {
		op := r.op(List, "list-"+plural, http.MethodGet, r.Path, "List "+r.Plural)
		api.DocumentList(&op, r.Query)
		r.export(a, &op)
		if r.Cache {
			api.Cacheable(&op)
		}
		Operation(a, op, r.Policy, List, r.Load, func(ctx context.Context, actor auth.Actor, in *listIn) (*api.ListOutput[O], error) {
			q, err := in.Parse(r.Query)
			if err != nil {
				return nil, err
			}
			if actor, err = withDeleted(actor, q); err != nil {
				return nil, err
			}
			rows, count, err := r.List(ctx, actor, q)
			if err != nil {
				return nil, err
			}
			return api.PageOf(&in.ListInput, q, count, rows, r.Out)
		})
	}
	if r.Create != nil {
		op := r.op(Create, "create-"+name, http.MethodPost, r.Path, "Create a "+r.Name)
		op.DefaultStatus = http.StatusCreated
		Operation(a, op, r.Policy, Create, r.Load, func(ctx context.Context, actor auth.Actor, in *createIn[W]) (*created[O], error) {
			obj, err := r.Create(ctx, actor, &in.Body)
			if err != nil {
				return nil, err
			}
			return &created[O]{Location: api.Prefix + r.Path + r.ID(obj) + "/", Body: r.Out(obj)}, nil
		})
	}
	if r.Get != nil {
		op := r.op(Read, "get-"+name, http.MethodGet, item, "Get a "+r.Name)
		Operation(a, op, r.Policy, Read, r.Load, func(ctx context.Context, actor auth.Actor, in *idIn) (*body[O], error) {
			return r.body(r.Get(ctx, actor, in.ID))
		})
	}
	if r.Replace != nil {
		op := r.op(Update, "replace-"+name, http.MethodPut, item, "Update a "+r.Name+" (full)")
		Operation(a, op, r.Policy, Update, r.Load, func(ctx context.Context, actor auth.Actor, in *replaceIn[W]) (*body[O], error) {
			return r.body(r.Replace(ctx, actor, in.ID, &in.Body))
		})
	}
	if r.Update != nil {
		op := r.op(Update, "update-"+name, http.MethodPatch, item, "Update a "+r.Name+" (partial)")
		Operation(a, op, r.Policy, Update, r.Load, func(ctx context.Context, actor auth.Actor, in *updateIn[P]) (*body[O], error) {
			return r.body(r.Update(ctx, actor, in.ID, &in.Body))
		})
	}
	if r.Delete != nil {
		op := r.op(Delete, "delete-"+name, http.MethodDelete, item, "Delete a "+r.Name)
		op.DefaultStatus = http.StatusNoContent
		Operation(a, op, r.Policy, Delete, r.Load, func(ctx context.Context, actor auth.Actor, in *idIn) (*struct{}, error) {
			return nil, r.Delete(ctx, actor, in.ID)
		})
	}
	if r.SoftDelete != nil {
		r.registerRestore(a)
	}
	if r.Get != nil || r.Load != nil {
		r.registerHistory(a)
	}
}

// op starts an operation of the resource with its tag, summary and extra errors.
func (r *Resource[T, O, W, P]) op(act Action, id, method, path, summary string) huma.Operation {
	if s, ok := r.Summaries[act]; ok {
		summary = s
	}
	return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary,
		Description: r.Descriptions[id], Tags: []string{r.Tag}, Errors: r.Errors[act],
		Metadata: map[string]any{resourceKey: slug(r.Plural)}}
}

// slug is a name as operation ids and policy names spell it: "time entry" → "time-entry".
func slug(name string) string { return strings.ReplaceAll(name, " ", "-") }

func (r *Resource[T, O, W, P]) body(obj *T, err error) (*body[O], error) {
	if err != nil {
		return nil, err
	}
	return &body[O]{Body: r.Out(obj)}, nil
}

// collection is the resource a path belongs to: the segment before "{id}", else the last one
// ("/crm/proposals/{id}/accept/" → "proposals").
func collection(path string) string {
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	for i, s := range segs {
		if s == "{id}" && i > 0 {
			return segs[i-1]
		}
	}
	if len(segs) == 0 {
		return path
	}
	return segs[len(segs)-1]
}

// resourceKey in an operation's metadata names the resource whose policy decides it.
const resourceKey = "consultantpro.resource"

// Operation registers one operation decided by the resource's policy for act: a named action
// ("send") or an operation the standard set does not cover. The policy runs before huma reads
// the body (see guard); the handler receives the caller.
func Operation[T, I, O any](a *api.API, op huma.Operation, p Policy[T], act Action, load Loader[T],
	handler func(ctx context.Context, actor auth.Actor, in *I) (*O, error)) {
	name, _ := op.Metadata[resourceKey].(string)
	if name == "" {
		name = collection(op.Path)
	}
	api.SetPolicy(&op, name+"."+string(act))
	auditName[T](singular(name))
	op.Middlewares = append(guard(a, p, act, load), op.Middlewares...)
	api.Register(a, op, auth.Handle(handler))
}

// Creating adapts a service's create, which takes an edit of the new object, to Resource.Create:
// the body's apply method (a method expression such as (*ClientWrite).apply) is the edit.
func Creating[T, B any](create func(ctx context.Context, a auth.Actor, edit func(*T) fault.Fields) (*T, error),
	apply func(*B, *T) fault.Fields) func(context.Context, auth.Actor, *B) (*T, error) {
	return func(ctx context.Context, a auth.Actor, body *B) (*T, error) {
		return create(ctx, a, func(obj *T) fault.Fields { return apply(body, obj) })
	}
}

// Updating adapts a service's update, which takes an edit of the stored object, to
// Resource.Replace or Resource.Update.
func Updating[T, B any](update func(ctx context.Context, a auth.Actor, id string, edit func(*T) fault.Fields) (*T, error),
	apply func(*B, *T) fault.Fields) func(context.Context, auth.Actor, string, *B) (*T, error) {
	return func(ctx context.Context, a auth.Actor, id string, body *B) (*T, error) {
		return update(ctx, a, id, func(obj *T) fault.Fields { return apply(body, obj) })
	}
}

// Named marks op as an operation of the collection plural, whose policy then names it
// ("invoices.generate" for /finance/invoices/generate/): for a path whose collection is not the
// segment before {id} or the last one.
func Named(op huma.Operation, plural string) huma.Operation {
	meta := make(map[string]any, len(op.Metadata)+1)
	for k, v := range op.Metadata {
		meta[k] = v
	}
	meta[resourceKey] = slug(plural)
	op.Metadata = meta
	return op
}

// ChildList registers the paginated list of one object's children ("invoices/{id}/payments/"),
// decided by the parent's policy for act before anything is read; list checks the parent
// itself (it is not found for another firm's id) and pages the children with spec's filters,
// search and ordering.
func ChildList[P, T, O any](a *api.API, op huma.Operation, p Policy[P], act Action, spec *db.ListSpec,
	list func(ctx context.Context, actor auth.Actor, id string, q db.ListQuery) ([]T, int64, error), out func(*T) O) {
	api.DocumentList(&op, spec)
	exportChildren(a, &op, spec, list, out)
	Operation(a, op, p, act, nil, func(ctx context.Context, actor auth.Actor, in *childListIn) (*api.ListOutput[O], error) {
		q, err := in.Parse(spec)
		if err != nil {
			return nil, err
		}
		rows, count, err := list(ctx, actor, in.ID, q)
		if err != nil {
			return nil, err
		}
		return api.PageOf(&in.ListInput, q, count, rows, out)
	})
}
