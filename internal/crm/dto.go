package crm

import (
	"context"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/date"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/danielgtaylor/huma/v2"
)

// datePtr renders an optional date: null when unset.
func datePtr(d date.Date) *string {
	if d.IsZero() {
		return nil
	}
	s := string(d)
	return &s
}

// utcPtr renders an optional stamp in UTC.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// nullableText maps an optional nullable text field to a change: nil when not sent, "" when sent
// as null (clear it), else the value.
func nullableText(n api.Nullable[string]) *string {
	if !n.Set {
		return nil
	}
	v := n.Value
	if n.Null {
		v = ""
	}
	return &v
}

// blankToNil drops empty required values before the format checks: huma already reports them
// as required, and one message per problem is enough.
func blankToNil(fields ...**string) {
	for _, f := range fields {
		if *f != nil && **f == "" {
			*f = nil
		}
	}
}

// detailErrors turns collected field messages into huma's located details, so a Resolve method
// reports them together with the schema's own errors.
func detailErrors(f fault.Fields) []error {
	var errs []error
	for field, msgs := range f {
		for _, m := range msgs {
			errs = append(errs, &huma.ErrorDetail{Location: "body." + field, Message: m})
		}
	}
	return errs
}

// mayCreate lets the roles that write CRM create proposals and contracts.
func mayCreate(_ context.Context, a auth.Actor, _ string) error { return auth.CanWrite(a, auth.CRM) }

// requiredPatch maps a required field of a PATCH body: nil when not sent; sent as null, it is
// noted in nulls (a required field cannot be cleared) and left unchanged.
func requiredPatch(field string, n api.Nullable[string], nulls *[]string) *string {
	if n.Null {
		*nulls = append(*nulls, field)
	}
	return n.Ptr()
}

// requiredDecimal is requiredPatch for an amount.
func requiredDecimal(field string, n api.Nullable[api.Decimal], nulls *[]string) *money.Decimal {
	if n.Null {
		*nulls = append(*nulls, field)
	}
	if !n.Set || n.Null {
		return nil
	}
	d := money.Decimal(n.Value)
	return &d
}
