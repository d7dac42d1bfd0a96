package api

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"time"
	"unicode"
)

// cellKind says how a column's values are written in an export.
type cellKind int

const (
	cellText    cellKind = iota // a string: text (guarded against formulas)
	cellDate                    // a YYYY-MM-DD string (format:"date"): a date
	cellTime                    // a time.Time: a date and time in the firm's zone
	cellMoney                   // a money string (export:"money"): a number in the row's currency
	cellDecimal                 // a decimal string (export:"decimal"), such as hours: a number
	cellBool
	cellInt
	cellUint
	cellJSON // anything else (lists, objects): its JSON text
)

// column is one field of a list's output type, in the order of its JSON form.
type column struct {
	name   string // the JSON name
	header string // "Primary contact email"
	index  []int  // reflect field index path (through embedded structs)
	kind   cellKind
}

// columns are the export columns of one output type, found once when its list is registered.
type columns struct {
	list []column
	// currency is the index path of the row's "currency" field, which money columns are in;
	// nil when the type has none (money is then written with the decimals its text has).
	currency []int
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

// columnsOf reads the export columns of t (a struct type): its fields as encoding/json
// writes them, in order, with embedded structs flattened.
func columnsOf(t reflect.Type) *columns {
	cs := &columns{}
	addColumns(cs, t, nil)
	for _, c := range cs.list {
		if c.name == "currency" && c.kind == cellText {
			cs.currency = c.index
		}
	}
	return cs
}

func addColumns(cs *columns, t reflect.Type, parent []int) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		index := append(append([]int(nil), parent...), i)
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			addColumns(cs, f.Type, index)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		cs.list = append(cs.list, column{name: name, header: Header(name), index: index, kind: kindOf(f)})
	}
}

// kindOf classifies a field by its type and tags.
func kindOf(f reflect.StructField) cellKind {
	t := f.Type
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return cellTime
	case t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType),
		t.Implements(textType) || reflect.PointerTo(t).Implements(textType):
		return cellJSON
	}
	switch t.Kind() {
	case reflect.String:
		switch {
		case f.Tag.Get("export") == "money":
			return cellMoney
		case f.Tag.Get("export") == "decimal":
			return cellDecimal
		case f.Tag.Get("format") == "date":
			return cellDate
		}
		return cellText
	case reflect.Bool:
		return cellBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cellInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return cellUint
	}
	return cellJSON
}

// field returns column c of row v, and false when it is null (a nil pointer, slice or map).
func (c *column) field(v reflect.Value) (reflect.Value, bool) {
	f, err := v.FieldByIndexErr(c.index)
	if err != nil {
		return reflect.Value{}, false // a nil embedded pointer: every field of it is null
	}
	switch f.Kind() {
	case reflect.Pointer, reflect.Interface:
		if f.IsNil() {
			return reflect.Value{}, false
		}
		if c.kind != cellJSON {
			f = f.Elem()
		}
	case reflect.Slice, reflect.Map:
		if f.IsNil() && c.kind != cellJSON {
			return reflect.Value{}, false
		}
	}
	return f, true
}

// currencyOf is the row's currency code, or "".
func (cs *columns) currencyOf(v reflect.Value) string {
	if cs.currency == nil {
		return ""
	}
	f, err := v.FieldByIndexErr(cs.currency)
	if err != nil {
		return ""
	}
	if f.Kind() == reflect.Pointer {
		if f.IsNil() {
			return ""
		}
		f = f.Elem()
	}
	return f.String()
}

// headerWords are written in capitals in column headers.
var headerWords = map[string]string{"id": "ID", "url": "URL", "vat": "VAT", "iso": "ISO"}

// Header is a JSON field name as a column header: "primary_contact_email" → "Primary contact
// email", "stripe_payment_intent_id" → "Stripe payment intent ID".
func Header(name string) string {
	words := strings.Split(name, "_")
	for i, w := range words {
		if up, ok := headerWords[w]; ok {
			words[i] = up
		} else if i == 0 && w != "" {
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			words[i] = string(r)
		}
	}
	return strings.Join(words, " ")
}
