package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/danielgtaylor/huma/v2"
)

// Nullable is a request field that distinguishes "not sent" (Set false: leave it alone), "sent
// as null" (Null: clear it) and a value. PATCH needs all three.
type Nullable[T any] struct {
	Set   bool
	Null  bool
	Value T
}

// UnmarshalJSON records that the field was sent, and whether as null.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		n.Null = true
		return nil
	}
	return json.Unmarshal(b, &n.Value)
}

// Schema documents the field as its value's schema, nullable: a schema of one type gets null
// added to its type ("type": ["string", "null"]), a oneOf without a type of its own (a Decimal)
// gets a null alternative, and anything else (a reference) becomes anyOf the schema and null.
func (n Nullable[T]) Schema(r huma.Registry) *huma.Schema {
	inner := r.Schema(reflect.TypeOf(n.Value), true, "")
	switch {
	case inner.Ref == "" && inner.Type != "":
		s := *inner
		s.Nullable = true
		return &s
	case inner.Ref == "" && len(inner.OneOf) > 0:
		// huma's validator checks no type "null" (it would match any value, and every
		// decimal would then match two alternatives); the enum makes it refuse all but null.
		s := *inner
		s.OneOf = append(slices.Clip(s.OneOf), &huma.Schema{Type: "null", Enum: []any{nil}})
		return &s
	default:
		return &huma.Schema{AnyOf: []*huma.Schema{inner, {Type: "null"}}}
	}
}

// Ptr returns the value, or nil when the field was null or not sent.
func (n Nullable[T]) Ptr() *T {
	if !n.Set || n.Null {
		return nil
	}
	v := n.Value
	return &v
}

// Decimal is a money, hours or rate value in a request: a JSON string ("1600.50") or number
// (1600.5), kept as its exact text — never a float. Modules parse it against the currency.
type Decimal string

// UnmarshalJSON accepts a string or a number.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	var m money.Decimal
	if err := m.UnmarshalJSON(b); err != nil {
		return err
	}
	*d = Decimal(m)
	return nil
}

// Schema documents a decimal as a string or a number.
func (Decimal) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{
		OneOf: []*huma.Schema{
			{Type: "string", Pattern: `^-?[0-9]+(\.[0-9]+)?$`},
			{Type: "number"},
		},
		Description: "Exact decimal, as a string or a number; no more decimals than the currency has.",
		Examples:    []any{"1600.00"},
	}
}

// Amount parses the decimal in currency c.
func (d Decimal) Amount(c money.Currency) (money.Amount, error) { return money.Parse(string(d), c) }

// Hours parses the decimal as hours with two decimals.
func (d Decimal) Hours() (money.Hours, error) { return money.ParseHours(string(d)) }

// Change maps an optional nullable field to a change: nil when not sent, the zero value when
// sent as null (clear it: "" for text), else the value.
func (n Nullable[T]) Change() *T {
	if !n.Set {
		return nil
	}
	v := n.Value
	if n.Null {
		var zero T
		v = zero
	}
	return &v
}

// DecimalChange is Change for money and hours: nil when not sent, "" when sent as null.
func DecimalChange(n Nullable[Decimal]) *money.Decimal {
	if !n.Set {
		return nil
	}
	d := money.Decimal(n.Value)
	if n.Null {
		d = ""
	}
	return &d
}

// RequiredChange maps a required field of a PATCH body: nil when not sent; sent as null, its
// name is noted in nulls (a required field cannot be cleared) and it is left unchanged.
func RequiredChange[T any](field string, n Nullable[T], nulls *[]string) *T {
	if n.Null {
		*nulls = append(*nulls, field)
	}
	return n.Ptr()
}

// DropBlank drops empty required values before format checks: huma already reports them as
// required, and one message per problem is enough.
func DropBlank(fields ...**string) {
	for _, f := range fields {
		if *f != nil && **f == "" {
			*f = nil
		}
	}
}

// DropBlankValues is DropBlank for the required fields of a PATCH body: an empty value sent
// is dropped before the format checks (huma reports it through minLength).
func DropBlankValues(fields ...*Nullable[string]) {
	for _, f := range fields {
		if f.Set && !f.Null && f.Value == "" {
			*f = Nullable[string]{}
		}
	}
}

// SetID stores a sent optional id: nil (not sent) leaves dst alone, "" or null clears it.
func SetID(dst **string, v *string) {
	if v == nil {
		return
	}
	*dst = nil
	if id := strings.TrimSpace(*v); id != "" {
		*dst = &id
	}
}

// FieldDetails turns collected field messages into huma's located details, so a resolver
// reports them together with the schema's own errors in one response.
func FieldDetails(f fault.Fields) []error {
	var errs []error
	for field, msgs := range f {
		for _, m := range msgs {
			errs = append(errs, &huma.ErrorDetail{Location: "body." + field, Message: m})
		}
	}
	return errs
}

// EnumSchema documents a typed enum from its Go list of values, so the OpenAPI enum and the
// values the code accepts cannot drift apart. An enum type's Schema method returns it.
func EnumSchema[T ~string](values []T) *huma.Schema {
	enum := make([]any, len(values))
	for i, v := range values {
		enum[i] = string(v)
	}
	return &huma.Schema{Type: "string", Enum: enum}
}

// Value is a Nullable sent with value v.
func Value[T any](v T) Nullable[T] { return Nullable[T]{Set: true, Value: v} }

// SetText stores a sent text without its surrounding spaces; nil (not sent) leaves dst alone.
func SetText(dst *string, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

// Or is the field's new value for an optional nullable field stored as a pointer: cur when not
// sent, nil when sent as null, else the value.
func (n Nullable[T]) Or(cur *T) *T {
	if !n.Set {
		return cur
	}
	return n.Ptr()
}
