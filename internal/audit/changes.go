package audit

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/uptrace/bun"
)

// row is an object's columns as JSON values, by column name; secrets are left out.
type row map[string]json.RawMessage

func (r row) text(col string) string {
	var s string
	_ = json.Unmarshal(r[col], &s)
	return s
}

func (r row) id() string   { return r.text("id") }
func (r row) firm() string { return r.text("firm_id") }

// change is one column's old and new value.
type change struct {
	Old json.RawMessage `json:"old"`
	New json.RawMessage `json:"new"`
}

// unrecorded are columns every row has whose change says nothing the row does not: its id and
// firm, and the stamps the row's own time already gives.
var unrecorded = map[string]bool{"id": true, "firm_id": true, "created_at": true, "updated_at": true}

// secret reports whether a column holds a secret or a value derived from one (a password or
// token hash, a key): such a column's values never reach the log, nor does the fact of its
// change except through the action ("password_change").
func secret(col string) bool {
	for _, s := range []string{"password", "secret", "token", "hash", "_key"} {
		if strings.Contains(col, s) {
			return true
		}
	}
	return false
}

// fields reads the columns of a model's struct value.
func fields(idb bun.IDB, v reflect.Value) row {
	table := idb.Dialect().Tables().Get(v.Type())
	r := make(row, len(table.Fields))
	for _, f := range table.Fields {
		if secret(f.Name) {
			continue
		}
		b, err := json.Marshal(f.Value(v).Interface())
		if err != nil {
			b = []byte("null")
		}
		r[f.Name] = b
	}
	return r
}

// diff lists the columns whose values differ between before and after (nil: the object did not
// exist, or no longer does). A create records the columns it set, a delete those it cleared.
func diff(before, after row) map[string]change {
	out := map[string]change{}
	for col, nv := range after {
		ov, had := before[col]
		if unrecorded[col] || (had && string(ov) == string(nv)) || (!had && empty(nv)) {
			continue
		}
		out[col] = change{Old: orNull(ov), New: nv}
	}
	if after == nil {
		for col, ov := range before {
			if !unrecorded[col] && !empty(ov) {
				out[col] = change{Old: ov, New: json.RawMessage("null")}
			}
		}
	}
	return out
}

// empty reports whether a JSON value says nothing: null, "", 0, false, [] or {}.
func empty(v json.RawMessage) bool {
	switch string(v) {
	case "null", `""`, "0", "false", "[]", "{}":
		return true
	}
	return false
}

func orNull(v json.RawMessage) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	return v
}

// encode is the changes column's JSON.
func encode(changes map[string]change) json.RawMessage {
	if len(changes) == 0 {
		return json.RawMessage("{}")
	}
	b, err := json.Marshal(changes)
	if err != nil {
		return json.RawMessage("{}")
	}
	return b
}

// objects are the struct values of an inserted model: one for *T, each element for *[]T.
func objects(model any) []reflect.Value {
	v := reflect.ValueOf(model)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		return []reflect.Value{v}
	case reflect.Slice:
		out := make([]reflect.Value, 0, v.Len())
		for i := range v.Len() {
			e := v.Index(i)
			for e.Kind() == reflect.Pointer && !e.IsNil() {
				e = e.Elem()
			}
			if e.Kind() == reflect.Struct {
				out = append(out, e)
			}
		}
		return out
	}
	return nil
}

// jsonOf is a value as a change's JSON (null when it cannot be encoded).
func jsonOf(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return b
}
