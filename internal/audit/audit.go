package audit

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// Actor types: who a row says made the change.
const (
	ActorUser   = "user"
	ActorSystem = "system" // the server's own jobs (sweeps, purges)
	ActorStripe = "stripe" // Stripe's webhooks
)

// By is who makes a change.
type By struct {
	Type string // ActorUser, ActorSystem or ActorStripe
	ID   string // the user's id; the type again for the others
	Name string // the user's display name at the time
}

// User is a change made by a user of the firm.
func User(id, name string) By { return By{Type: ActorUser, ID: id, Name: name} }

// Purge is the action of the job that removes a soft-deleted row for good.
const Purge = "purge"

// Purging starts the frame of the purge of one soft-deleted object of model: the row the
// system removes records the values it had.
func Purging(ctx context.Context, model any, id string) context.Context {
	return Start(ctx, System, "", Purge, model, id, "", "")
}

// System and Stripe are the changes made by jobs and by webhooks.
var (
	System = By{Type: ActorSystem, ID: ActorSystem, Name: "System"}
	Stripe = By{Type: ActorStripe, ID: ActorStripe, Name: "Stripe"}
)

// types maps each audited model (a bun model's struct type) to its resource type, the name
// rows carry ("client", "time_entry").
var types sync.Map // reflect.Type → string

// Name declares model (a nil pointer of a bun model: (*Client)(nil)) an audited resource type
// called name; spaces become underscores ("time entry" → "time_entry"). A second declaration of
// one model keeps the first name. The resource kit declares every model it registers.
func Name(model any, name string) {
	t := reflect.TypeOf(model)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("audit: %T is not a pointer to a model", model))
	}
	if _, ok := t.Elem().FieldByName("BaseModel"); !ok {
		panic(fmt.Sprintf("audit: %T is not a bun model", model))
	}
	types.LoadOrStore(t.Elem(), strings.ReplaceAll(name, " ", "_"))
}

// typeName returns the resource type of a model's struct type, if it is audited.
func typeName(t reflect.Type) (string, bool) {
	name, ok := types.Load(t)
	if !ok {
		return "", false
	}
	return name.(string), true
}

// Start begins recording one operation: by acts on the firm's data (firm may be "" when only
// the transaction learns it, see Frame), action names what it does ("create", "send"),
// and model and id the object acted on (id "" for a create, whose object is the first of
// model's type the transaction inserts; model nil, or not an audited model, when a later step
// names it with Target).
// requestID and ip are the request's, "" outside one. The returned context carries the frame.
func Start(ctx context.Context, by By, firm, action string, model any, id, requestID, ip string) context.Context {
	f := &Frame{By: by, Firm: firm, Action: action, requestID: requestID, ip: ip}
	if t := reflect.TypeOf(model); t != nil {
		if _, ok := typeName(t.Elem()); ok {
			f.Target(model, id)
		}
	}
	return withFrame(ctx, f)
}

// FrameOf returns the frame of ctx, or nil: code that learns inside its transaction who acts or
// on what (a login, a webhook) completes the frame there.
func FrameOf(ctx context.Context) *Frame {
	w, _ := ctx.Value(frameKey{}).(*Frame)
	return w
}

type frameKey struct{}

// Act renames the operation being recorded after what it turned out to be: one payment route
// records payments and refunds, and the log names each as the webhook's rows do. Without a
// frame in ctx it does nothing.
func Act(ctx context.Context, action string) {
	if f := FrameOf(ctx); f != nil {
		f.Action = action
	}
}
