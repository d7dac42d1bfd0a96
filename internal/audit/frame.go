package audit

import (
	"context"
	"fmt"
	"reflect"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// Frame is one operation being recorded: a db.Watcher of the transactions run with its
// context. The first transaction that writes gets the rows; later ones (a job enqueued after
// the change, say) add none.
type Frame struct {
	By     By
	Firm   string
	Action string

	model     reflect.Type // the target's struct type (nil: none named)
	id        string       // the target's id ("" until a create inserts it)
	requestID string
	ip        string

	// Per transaction, reset by Begin.
	d        *db.DB
	tx       bun.Tx
	wrote    bool
	before   row  // the target as it was before the first write (nil: did not exist)
	seen     bool // before has been read
	inserted []any
	err      error
	ending   bool
	skip     bool            // the transaction changed nothing worth a row (see Skip)
	recorded []db.AuditEntry // rows named by the code itself (see Record)

	pending bool // the current transaction carries rows
	done    bool // a committed transaction carried them
}

// withFrame puts f in ctx, also as the transactions' watcher.
func withFrame(ctx context.Context, f *Frame) context.Context {
	return db.WithWatcher(context.WithValue(ctx, frameKey{}, f), f)
}

// Target names the object the operation acts on: model is a nil pointer of its (audited)
// model, id its id. Called inside a transaction before its first write, the old values are
// still read; after it, the row has no old values.
func (f *Frame) Target(model any, id string) {
	f.model, f.id = reflect.TypeOf(model).Elem(), id
}

// Begin starts following a transaction.
func (f *Frame) Begin(_ context.Context, d *db.DB, tx bun.Tx) {
	f.d, f.tx = d, tx
	f.wrote, f.before, f.seen, f.inserted, f.err, f.ending, f.pending = false, nil, false, nil, nil, false, false
	f.skip, f.recorded = false, nil
}

// Skip drops the current transaction's rows: its writes are bookkeeping, not a change to the
// firm's data (a webhook delivery seen before).
func (f *Frame) Skip() { f.skip = true }

// Record adds a row for an object a bulk statement changed (the frame cannot see which rows an
// UPDATE … WHERE touched): model is a nil pointer of its audited model, changes maps each
// column to its old and new value.
func (f *Frame) Record(model any, id string, changes map[string][2]any) {
	name, ok := typeName(reflect.TypeOf(model).Elem())
	if !ok {
		panic(fmt.Sprintf("audit: %T is not an audited model", model))
	}
	c := make(map[string]change, len(changes))
	for col, v := range changes {
		c[col] = change{Old: jsonOf(v[0]), New: jsonOf(v[1])}
	}
	f.recorded = append(f.recorded, f.entry(name, f.Action, id, c, nil))
}

// Writing reads the target's old values before the transaction's first write.
func (f *Frame) Writing(ctx context.Context, _ any) {
	if f.ending || f.done {
		return
	}
	f.wrote = true
	if f.seen || f.id == "" || f.model == nil {
		return
	}
	f.seen = true
	f.before, f.err = snapshot(ctx, f.tx, f.model, f.id)
}

// Inserted keeps the audited objects the transaction creates.
func (f *Frame) Inserted(model any) {
	if f.ending || f.done {
		return
	}
	f.inserted = append(f.inserted, model)
}

// End writes the transaction's rows, before it commits.
func (f *Frame) End(ctx context.Context) error {
	if f.err != nil {
		return f.err
	}
	if f.done || !f.wrote || f.skip {
		return nil
	}
	f.ending = true
	entries, err := f.entries(ctx)
	if err != nil {
		return err
	}
	entries = append(entries, f.recorded...)
	if err := db.InsertAudit(ctx, f.tx, entries); err != nil {
		return err
	}
	f.pending = len(entries) > 0
	return nil
}

// Finished marks the frame done once a transaction with rows committed.
func (f *Frame) Finished(committed bool) {
	if committed && f.pending {
		f.done = true
	}
	f.tx, f.pending, f.inserted, f.before, f.recorded = bun.Tx{}, false, nil, nil, nil
}

// entries are the rows of the transaction: the target's, and a create for each other audited
// object it inserted.
func (f *Frame) entries(ctx context.Context) ([]db.AuditEntry, error) {
	var target *db.AuditEntry
	var others []db.AuditEntry
	for _, m := range f.inserted {
		for _, obj := range objects(m) {
			name, ok := typeName(obj.Type())
			if !ok {
				continue
			}
			after := fields(f.tx, obj)
			id := after.id()
			if target == nil && obj.Type() == f.model && (f.id == "" || f.id == id) {
				// A create: its object is the first of its type the transaction inserted.
				f.id = id
				e := f.entry(name, f.Action, id, diff(nil, after), after)
				target = &e
				continue
			}
			others = append(others, f.entry(name, "create", id, diff(nil, after), after))
		}
	}
	if target == nil && f.id != "" && f.model != nil {
		name, ok := typeName(f.model)
		if !ok {
			return nil, fmt.Errorf("audit: %s is not an audited model", f.model)
		}
		after, err := snapshot(ctx, f.tx, f.model, f.id)
		if err != nil {
			return nil, err
		}
		if after == nil && f.before == nil {
			// The path's id is not one of the model's rows (a parent's id on a nested create):
			// the objects the transaction inserted carry the change.
			return others, nil
		}
		var changes map[string]change
		if f.seen {
			changes = diff(f.before, after)
		}
		e := f.entry(name, f.Action, f.id, changes, firstNonNil(after, f.before))
		target = &e
	}
	if target == nil {
		return others, nil
	}
	return append([]db.AuditEntry{*target}, others...), nil
}

// entry builds one row; the firm is the frame's, else the object's own.
func (f *Frame) entry(resourceType, action, id string, changes map[string]change, obj row) db.AuditEntry {
	firm := f.Firm
	if firm == "" {
		firm = obj.firm()
	}
	return db.AuditEntry{ID: db.NewID(), FirmID: firm, OccurredAt: f.d.Now(), ActorType: f.By.Type, Actor: f.By.ID,
		ActorName: f.By.Name, Action: action, ResourceType: resourceType, ResourceID: id,
		Changes: encode(changes), RequestID: f.requestID, IP: f.ip}
}

func firstNonNil(rows ...row) row {
	for _, r := range rows {
		if r != nil {
			return r
		}
	}
	return nil
}
