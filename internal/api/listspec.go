package api

import (
	"fmt"
	"strings"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/danielgtaylor/huma/v2"
)

// Pagination limits (SPEC §2).
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
	MaxSearchLength = 100
)

// DocumentList adds a list's query parameters to the operation, so the OpenAPI document shows
// every filter, the search fields and the allowed orderings. It panics on a spec that
// contradicts itself (a programming error found at start-up).
func DocumentList(op *huma.Operation, s *db.ListSpec) {
	s.Check()
	q := func(name, desc string, schema *huma.Schema) {
		op.Parameters = append(op.Parameters, &huma.Param{Name: name, In: "query", Description: desc, Schema: schema})
	}
	q("page", "Page number, from 1.", &huma.Schema{Type: "integer", Minimum: ptr(1.0), Default: 1})
	q("page_size", fmt.Sprintf("Results per page, 1 to %d.", MaxPageSize),
		&huma.Schema{Type: "integer", Minimum: ptr(1.0), Maximum: ptr(float64(MaxPageSize)), Default: DefaultPageSize})
	if len(s.Search) > 0 {
		q("search", "Whitespace-separated terms; each must match (case-insensitive substring) one of the search fields.",
			&huma.Schema{Type: "string", MaxLength: ptr(MaxSearchLength)})
	}
	if len(s.Ordering) > 0 {
		q("ordering", fmt.Sprintf("Comma-separated fields, '-' for descending. Allowed: %s. Default: %s.",
			strings.Join(s.OrderNames(), ", "), s.Default), &huma.Schema{Type: "string"})
	}
	q("updated_since", "Only rows updated at or after this RFC 3339 time (delta sync).",
		&huma.Schema{Type: "string", Format: "date-time"})
	if s.SoftDelete {
		q("include_deleted", "Also list soft-deleted rows (owners and admins; 403 for others).",
			&huma.Schema{Type: "boolean", Default: false})
	}
	for _, f := range s.Filters {
		q(f.Name, f.Doc, filterSchema(f))
	}
}

func filterSchema(f db.Filter) *huma.Schema {
	switch f.Kind {
	case db.ChoiceFilter:
		enum := make([]any, len(f.Choices))
		for i, c := range f.Choices {
			enum[i] = c
		}
		return &huma.Schema{Type: "string", Enum: enum}
	case db.BoolFilter:
		return &huma.Schema{Type: "boolean"}
	case db.IDFilter:
		return &huma.Schema{Type: "string", Format: "uuid"}
	case db.DateFilter:
		return &huma.Schema{Type: "string", Format: "date"}
	case db.IntegerFilter:
		return &huma.Schema{Type: "integer"}
	case db.TimeFilter:
		return &huma.Schema{Type: "string", Format: "date-time"}
	}
	return &huma.Schema{Type: "string"}
}

func ptr[T any](v T) *T { return &v }
