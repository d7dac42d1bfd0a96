package resource

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/audit"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// recording starts the audit frame of a write operation (anything but a GET): the caller acts
// as act on the object of the path's id, or on the object the operation creates.
func recording[T any](ctx huma.Context, act Action) huma.Context {
	if ctx.Method() == http.MethodGet || ctx.Method() == http.MethodHead {
		return ctx
	}
	actor, err := auth.ActorFrom(ctx.Context())
	if err != nil {
		return ctx
	}
	info := api.Info(ctx.Context())
	return huma.WithContext(ctx, audit.Start(ctx.Context(), audit.User(actor.UserID, actor.Name), actor.FirmID,
		string(act), (*T)(nil), ctx.Param("id"), info.ID, info.ClientIP))
}

// auditName declares T an audited resource type, when it is a bun model: rows name it by the
// resource's singular name ("time entry" → "time_entry").
func auditName[T any](name string) {
	if t := reflect.TypeFor[T](); t.Kind() == reflect.Struct {
		if _, ok := t.FieldByName("BaseModel"); ok {
			audit.Name((*T)(nil), name)
		}
	}
}

// singular is a collection's slug as one object's name: "ledger-accounts" → "ledger account".
func singular(plural string) string {
	s := strings.ReplaceAll(plural, "-", " ")
	switch {
	case strings.HasSuffix(s, "ies"):
		return strings.TrimSuffix(s, "ies") + "y"
	case strings.HasSuffix(s, "s"):
		return strings.TrimSuffix(s, "s")
	}
	return s
}

// AuditEntryOut is one row of the audit log.
type AuditEntryOut struct {
	ID           string                 `json:"id" format:"uuid"`
	OccurredAt   time.Time              `json:"occurred_at"`
	ActorType    string                 `json:"actor_type" enum:"user,system,stripe" doc:"A user, the server's jobs (system) or Stripe's webhooks."`
	Actor        string                 `json:"actor" doc:"The user's id, or system or stripe."`
	ActorName    string                 `json:"actor_name" doc:"The user's name when the change was made."`
	Action       string                 `json:"action" doc:"create, update, delete, restore, purge, or a named action: send, accept, approve, payment, refund, login, logout, password_change, password_reset, …"`
	ResourceType string                 `json:"resource_type" doc:"The kind of object: client, invoice, time_entry, user, …"`
	ResourceID   string                 `json:"resource_id"`
	Changes      map[string]AuditChange `json:"changes" doc:"The changed fields with their old and new values; secrets are never recorded."`
	RequestID    string                 `json:"request_id" doc:"The X-Request-ID of the request that made the change (empty for jobs)."`
	IP           string                 `json:"ip" doc:"The client's IP address (empty for jobs)."`
}

// AuditChange is one field's old and new value (null when unset).
type AuditChange struct {
	Old any `json:"old"`
	New any `json:"new"`
}

func auditOut(e *db.AuditEntry) AuditEntryOut {
	changes := map[string]AuditChange{}
	_ = json.Unmarshal(e.Changes, &changes)
	return AuditEntryOut{ID: e.ID, OccurredAt: e.OccurredAt, ActorType: e.ActorType, Actor: e.Actor, ActorName: e.ActorName,
		Action: e.Action, ResourceType: e.ResourceType, ResourceID: e.ResourceID, Changes: changes,
		RequestID: e.RequestID, IP: e.IP}
}

// historyQuery is one object's audit rows: the log's filters but the object's.
func historyQuery() *db.ListSpec {
	spec := db.AuditQuery()
	filters := spec.Filters[:0]
	for _, f := range spec.Filters {
		if f.Name != "resource_type" && f.Name != "resource_id" {
			filters = append(filters, f)
		}
	}
	spec.Filters = filters
	return spec
}

// registerHistory adds GET {id}/history/: the object's audit rows, for whoever may read it.
func (r *Resource[T, O, W, P]) registerHistory(a *api.API) {
	read := r.Get
	if read == nil {
		read = Get(r.Policy, r.Load)
	}
	typ := strings.ReplaceAll(r.Name, " ", "_")
	op := r.op(Read, "list-"+slug(r.Name)+"-history", http.MethodGet, r.Path+"{id}/history/", "History of a "+r.Name)
	op.Description = "The audit log's rows of one " + r.Name + ", newest first: who changed what, when, from where."
	ChildList(a, op, r.Policy, Read, historyQuery(),
		func(ctx context.Context, actor auth.Actor, id string, q db.ListQuery) ([]db.AuditEntry, int64, error) {
			if _, err := read(ctx, actor, id); err != nil {
				return nil, 0, err
			}
			return listAudit(ctx, a, actor, typ, id, q)
		}, auditOut)
}

// listAudit reads the firm's audit rows (one object's when typ is set).
func listAudit(ctx context.Context, a *api.API, actor auth.Actor, typ, id string, q db.ListQuery) ([]db.AuditEntry, int64, error) {
	log := a.Audit()
	if log == nil {
		return nil, 0, fault.New(fault.Internal, "audit log unavailable")
	}
	return log.ListAudit(ctx, actor.Firm(), typ, id, q)
}

// auditLogPolicy: the firm's whole log is for owners and admins.
type auditLogPolicy struct{ adminsOnly[db.AuditEntry] }

// RegisterAuditLog adds GET /audit-log/: the firm's audit rows, newest first, for owners and
// admins. Rows are never changed or removed through the API.
func RegisterAuditLog(a *api.API) {
	spec := db.AuditQuery()
	op := huma.Operation{OperationID: "list-audit-log", Method: http.MethodGet, Path: "/audit-log/",
		Summary: "List the audit log", Tags: []string{"Audit log"},
		Description: "Every change to the firm's data: creates, updates, deletes, restores and actions " +
			"(send, accept, approve, payment, login, logout, password and role changes), by a user, the system " +
			"or Stripe, with the changed fields. Owners and admins only."}
	api.DocumentList(&op, spec)
	list := func(ctx context.Context, actor auth.Actor, q db.ListQuery) ([]db.AuditEntry, int64, error) {
		if err := (auditLogPolicy{}).Allow(actor, List); err != nil {
			return nil, 0, err
		}
		return listAudit(ctx, a, actor, "", "", q)
	}
	api.ExportList(a, &op, spec, "audit-log", auditOut, func(ctx huma.Context, q db.ListQuery) (*api.ExportRows[db.AuditEntry], error) {
		actor, err := auth.ActorFrom(ctx.Context())
		if err != nil {
			return nil, err
		}
		return exportRows(ctx.Context(), actor, q,
			func(ctx context.Context, q db.ListQuery) ([]db.AuditEntry, int64, error) { return list(ctx, actor, q) }, nil, false)
	})
	Operation(a, op, auditLogPolicy{}, List, nil, func(ctx context.Context, actor auth.Actor, in *listIn) (*api.ListOutput[AuditEntryOut], error) {
		q, err := in.Parse(spec)
		if err != nil {
			return nil, err
		}
		rows, count, err := list(ctx, actor, q)
		if err != nil {
			return nil, err
		}
		return api.PageOf(&in.ListInput, q, count, rows, auditOut)
	})
}
