// Package clean calls methods named like bun's on other types: none of it is a query.
package clean

import (
	"bufio"
	"context"
	"database/sql"
	"net/http"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/uptrace/bun"
)

// ledger has methods named like queries' that run nothing.
type ledger struct{ n int }

func (l *ledger) Exec(context.Context) error          { return nil }
func (l *ledger) Scan(context.Context, ...any) error  { return nil }
func (l *ledger) Count(context.Context) (int, error)  { return l.n, nil }
func (l *ledger) Exists(context.Context) bool         { return l.n > 0 }
func (l *ledger) Select(string) *ledger               { return l }
func (l *ledger) Update(string) *ledger               { return l }
func (l *ledger) Delete(string) *ledger               { return l }
func (l *ledger) NewSelect() *ledger                  { return l }
func (l *ledger) ScanAndCount(context.Context) int    { return l.n }
func (l *ledger) QueryRowContext(context.Context) int { return l.n }

// stamp decodes a column value (database/sql's Scanner): it runs nothing.
type stamp struct{ t time.Time }

func (s *stamp) Scan(src any) error {
	s.t, _ = src.(time.Time)
	return nil
}

func calls(ctx context.Context, rows *sql.Rows, row *sql.Row, d *db.DB, firm db.Firm) error {
	var name string
	for rows.Next() {
		if err := rows.Scan(&name); err != nil {
			return err
		}
	}
	if err := row.Scan(&name); err != nil {
		return err
	}
	sc := bufio.NewScanner(strings.NewReader("a\nb"))
	for sc.Scan() {
		_ = strings.Count(sc.Text(), "a")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.invalid/", nil)
	if err != nil {
		return err
	}
	_ = req.Header.Get("Accept")
	l := &ledger{}
	_ = l.Exec(ctx)
	_ = l.Scan(ctx)
	_, _ = l.Count(ctx)
	_ = l.Exists(ctx)
	_ = l.Select("a").Update("b").Delete("c").NewSelect().ScanAndCount(ctx)
	_ = l.QueryRowContext(ctx)
	var s stamp
	_ = s.Scan(time.Now())
	var nt bun.NullTime
	_ = nt.Scan(time.Now())
	_ = firm.ID()
	_ = d.Dialect
	// A transaction whose statements live in a store function.
	return d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error { return nil })
}
