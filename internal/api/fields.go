package api

import (
	"bytes"
	"encoding/json"
	"reflect"

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

// Schema documents the field as its value's schema, nullable.
func (n Nullable[T]) Schema(r huma.Registry) *huma.Schema {
	inner := r.Schema(reflect.TypeOf(n.Value), true, "")
	if inner.Ref != "" {
		return &huma.Schema{AnyOf: []*huma.Schema{inner, {Type: "null"}}}
	}
	s := *inner
	s.Nullable = true
	return &s
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
