package api

import (
	"fmt"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// Pagination limits (SPEC §2).
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
	MaxSearchLength = 100
)

// FilterKind says how a filter's value is parsed and validated.
type FilterKind int

// Filter kinds.
const (
	Text    FilterKind = iota // any string, compared exactly
	Choice                    // one of Filter.Choices
	Bool                      // true or false
	ID                        // a UUID
	Date                      // YYYY-MM-DD
	Integer                   // a whole number
)

// Filter is one query parameter that narrows a list: ?Name=value compares Column with Op
// ("=" by default; ">=" and "<=" for inclusive ranges).
type Filter struct {
	Name    string
	Column  string // trusted SQL expression, e.g. "c.status"
	Kind    FilterKind
	Choices []string
	Op      string
	Doc     string
}

// DateRange returns the inclusive pair <prefix>_after / <prefix>_before on a date column; with
// an empty prefix they are date_after and date_before.
func DateRange(prefix, column string) []Filter {
	if prefix == "" {
		prefix = "date"
	}
	return []Filter{
		{Name: prefix + "_after", Column: column, Kind: Date, Op: ">=", Doc: "On or after this date (YYYY-MM-DD)."},
		{Name: prefix + "_before", Column: column, Kind: Date, Op: "<=", Doc: "On or before this date (YYYY-MM-DD)."},
	}
}

// OrderField is one field a list may be ordered by.
type OrderField struct {
	Name   string // as written in ?ordering=
	Column string // trusted SQL expression
}

// ListSpec declares how a resource's list is filtered, searched and ordered. A module writes one
// per resource; Parse validates a request against it and Params.Apply turns it into SQL.
type ListSpec struct {
	Filters   []Filter
	Search    []string // SQL expressions that ?search= terms are matched against
	Ordering  []OrderField
	Default   string // default ?ordering= value, e.g. "-created_at"
	UpdatedAt string // SQL expression of the row's update stamp, for ?updated_since=
	ID        string // SQL expression of the primary key: the last tie-breaker, so pages never overlap
}

func (s *ListSpec) orderColumn(name string) (string, bool) {
	for _, f := range s.Ordering {
		if f.Name == name {
			return f.Column, true
		}
	}
	return "", false
}

func (s *ListSpec) orderNames() []string {
	names := make([]string, len(s.Ordering))
	for i, f := range s.Ordering {
		names[i] = f.Name
	}
	return names
}

// Document adds the list's query parameters to the operation, so the OpenAPI document shows every
// filter, the search fields and the allowed orderings. It panics on a spec that contradicts
// itself (a programming error found at start-up).
func (s *ListSpec) Document(op *huma.Operation) {
	if s.ID == "" || s.UpdatedAt == "" {
		panic("api: ListSpec needs ID and UpdatedAt")
	}
	for _, term := range strings.Split(s.Default, ",") {
		if _, ok := s.orderColumn(strings.TrimPrefix(strings.TrimSpace(term), "-")); !ok && s.Default != "" {
			panic(fmt.Sprintf("api: default ordering %q is not an ordering field", term))
		}
	}
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[cacheKey] = true
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
			strings.Join(s.orderNames(), ", "), s.Default), &huma.Schema{Type: "string"})
	}
	q("updated_since", "Only rows updated at or after this RFC 3339 time (delta sync).",
		&huma.Schema{Type: "string", Format: "date-time"})
	for _, f := range s.Filters {
		q(f.Name, f.Doc, f.schema())
	}
}

func (f Filter) schema() *huma.Schema {
	switch f.Kind {
	case Choice:
		enum := make([]any, len(f.Choices))
		for i, c := range f.Choices {
			enum[i] = c
		}
		return &huma.Schema{Type: "string", Enum: enum}
	case Bool:
		return &huma.Schema{Type: "boolean"}
	case ID:
		return &huma.Schema{Type: "string", Format: "uuid"}
	case Date:
		return &huma.Schema{Type: "string", Format: "date"}
	case Integer:
		return &huma.Schema{Type: "integer"}
	}
	return &huma.Schema{Type: "string"}
}

func ptr[T any](v T) *T { return &v }

// choicesText lists choices for a message.
func choicesText(c []string) string {
	return strings.Join(slices.Clone(c), ", ")
}
