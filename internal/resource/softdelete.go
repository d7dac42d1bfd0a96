package resource

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/uptrace/bun"
)

// Restore is the action that brings back a soft-deleted object (owners and admins).
const Restore Action = "restore"

// SoftDelete declares that a resource's DELETE marks its rows (its model embeds db.Deletion and
// its service deletes with db.Firm.Remove). The kit then adds POST {id}/restore/ and the
// include_deleted list parameter, both for owners and admins only.
type SoftDelete struct {
	DB    *db.DB
	Model any // a nil pointer of the resource's model: (*Client)(nil)
	// Taken is the 409 message when the restored row would break a unique rule, its name or tag
	// having been reused meanwhile.
	Taken string
	// Parents name the references that must not be deleted for the row to come back, checked in
	// their order; the table's other foreign keys to soft-deleted tables are checked after them.
	Parents []Parent
}

// parentName is how the restore's 409 names the parent referred to by column: as Parents
// names it, else by its table ("clients" → "client").
func (sd *SoftDelete) parentName(column, table string) string {
	for _, p := range sd.Parents {
		if p.Column == column {
			return p.Name
		}
	}
	return strings.ReplaceAll(strings.TrimSuffix(table, "s"), "_", " ")
}

// Parent is a reference of a soft-deleted row to a row of another soft-deleted table.
type Parent struct {
	Column string // "project_id"
	Model  any    // (*Project)(nil)
	Name   string // "project", for the message "Restore its project first."
}

// Trash is embedded in the API form of a soft-deleted resource: when and by whom the object
// was deleted, on the rows an include_deleted list shows (absent on live ones).
type Trash struct {
	DeletedAt *time.Time `json:"deleted_at,omitempty" doc:"When the object was deleted (only on deleted objects, which include_deleted lists)."`
	DeletedBy *string    `json:"deleted_by,omitempty" doc:"The user who deleted it."`
}

// SetTrash fills the mark in; the kit calls it on the API form of every object it answers.
func (t *Trash) SetTrash(d db.Deletion) { t.DeletedAt, t.DeletedBy = d.DeletedAt, d.DeletedBy }

// trashOut wraps a soft-deleted resource's Out so that its answers carry the deletion mark: the
// model embeds db.Deletion and the API form embeds Trash (checked when the resource registers).
func trashOut[T, O any](out func(*T) O) func(*T) O {
	if _, ok := any(new(T)).(interface{ Mark() db.Deletion }); !ok {
		panic("resource: a SoftDelete resource's model must embed db.Deletion")
	}
	if _, ok := any(new(O)).(interface{ SetTrash(db.Deletion) }); !ok {
		panic("resource: a SoftDelete resource's API form must embed resource.Trash")
	}
	return func(x *T) O {
		o := out(x)
		any(&o).(interface{ SetTrash(db.Deletion) }).SetTrash(any(x).(interface{ Mark() db.Deletion }).Mark())
		return o
	}
}

// msgRestoreParentFirst answers a restore under a deleted parent.
const msgRestoreParentFirst = "Restore its %s first."

// MsgNotDeleted answers a restore of an object that is not deleted.
const MsgNotDeleted = "This object is not deleted."

// withDeleted lets an owner's or admin's list include deleted rows when it asks; anyone else
// who asks is refused.
func withDeleted(a auth.Actor, q db.ListQuery) (auth.Actor, error) {
	if !q.IncludeDeleted {
		return a, nil
	}
	if !a.Role.IsAdmin() {
		return a, auth.Forbidden()
	}
	a.IncludeDeleted = true
	return a, nil
}

// adminsOnly is the policy of restore: owners and admins, whatever the resource's own policy.
type adminsOnly[T any] struct{}

func (adminsOnly[T]) Allow(a auth.Actor, _ Action) error {
	if !a.Role.IsAdmin() {
		return auth.Forbidden()
	}
	return nil
}

func (adminsOnly[T]) AllowOn(auth.Actor, Action, *T) error { return nil }

// registerRestore adds POST {id}/restore/, which answers the restored object as Get does.
func (r *Resource[T, O, W, P]) registerRestore(a *api.API) {
	sd := r.SoftDelete
	op := r.op(Restore, "restore-"+slug(r.Name), http.MethodPost, r.Path+"{id}/restore/", "Restore a deleted "+r.Name)
	op.Errors = append(op.Errors, http.StatusConflict)
	op.Description = "Brings back a deleted " + r.Name + " (owners and admins). 409 when its unique name is taken " +
		"meanwhile or what it belongs to is deleted."
	Operation(a, op, adminsOnly[T]{}, Restore, nil, func(ctx context.Context, actor auth.Actor, in *idIn) (*body[O], error) {
		err := sd.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			firm := actor.Firm()
			restored, err := firm.Restore(ctx, tx, sd.Model, in.ID)
			if err != nil {
				if db.ConstraintOf(err) == db.Unique && sd.Taken != "" {
					return fault.Wrap(fault.Conflict, sd.Taken, err)
				}
				return err
			}
			if !restored {
				return fault.New(fault.Conflict, MsgNotDeleted)
			}
			parents := make([]db.Parent, len(sd.Parents))
			for i, p := range sd.Parents {
				parents[i] = db.Parent{Column: p.Column, Model: p.Model}
			}
			column, table, err := firm.DeletedParent(ctx, tx, sd.Model, in.ID, parents)
			if err != nil || column == "" {
				return err
			}
			return fault.New(fault.Conflict, fmt.Sprintf(msgRestoreParentFirst, sd.parentName(column, table)))
		})
		if err != nil {
			return nil, err
		}
		return r.body(r.Get(ctx, actor, in.ID))
	})
}
