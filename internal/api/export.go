package api

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// Format is how a list is answered: a JSON page, or every matching row as a CSV or XLSX file
// (SPEC §12).
type Format string

// The formats of a list.
const (
	FormatJSON Format = "json"
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// Content types of the export formats.
const (
	CSVContentType  = "text/csv; charset=utf-8"
	XLSXContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Messages of export errors.
const (
	msgFormat         = "Select a valid choice. %q is not one of the available choices (json, csv, xlsx)."
	msgExportTooLarge = "This export would hold %d rows, more than the limit of %d. Narrow it with filters."
)

// DefaultExportMaxRows is the most rows of one export when ExportOptions.MaxRows is 0.
const DefaultExportMaxRows = 1_000_000

// exportBatch is how many rows an export writes between two flushes to the client.
const exportBatch = 1000

// exportStall is how long an export may wait on a client that reads nothing: the server's
// write timeout bounds a whole JSON response, but an export is allowed to take longer as long
// as the client keeps reading.
const exportStall = 60 * time.Second

// ExportOptions configures the exports of lists.
type ExportOptions struct {
	// MaxRows is the most rows one export may hold (EXPORT_MAX_ROWS); 0 means
	// DefaultExportMaxRows. A larger export is answered 400 with its count.
	MaxRows int64
	// Now dates the file name (in the firm's time zone); nil means time.Now.
	Now func() time.Time
}

// ExportRows is what an export reads from its list: how many rows the query selects, the
// firm's time zone (the file's date and the cells' times are the firm's), and the rows.
type ExportRows[R any] struct {
	Count int64
	Zone  *time.Location
	// Each calls each with every row the query selects, in the list's order, and stops at
	// the first error.
	Each func(ctx context.Context, each func(*R) error) error
}

// ExportList makes the list operation op answer ?format=csv and ?format=xlsx (or the matching
// Accept types) with every row its query selects, as a streamed file named
// "<name>-<today>.<format>"; JSON requests go on to the operation unchanged. It documents the
// format parameter and the file types. open runs after the operation's policy: it applies the
// same rules as the JSON list (the caller's firm and what their role sees) and counts the rows
// of q, whose filters, search and ordering are the list's. out is the list's API form; the
// columns are its JSON fields, in order.
//
// An export is throttled like an upload (the upload rate, counted apart) and refused with 400
// when it would hold more than ExportOptions.MaxRows rows.
//
// Audit log: when the audit log exists, an export is one of its events (actor, list, format,
// filters, row count); record it here, after open and before the rows are sent.
func ExportList[R, O any](a *API, op *huma.Operation, spec *db.ListSpec, name string, out func(*R) O,
	open func(ctx huma.Context, q db.ListQuery) (*ExportRows[R], error)) {
	DocumentExport(op)
	cols := columnsOf(reflect.TypeFor[O]())
	export := func(ctx huma.Context, next func(huma.Context)) {
		f, err := exportFormat(ctx)
		if err != nil {
			a.writeErr(ctx, err)
			return
		}
		if f == FormatJSON {
			next(ctx)
			return
		}
		if !a.throttleExport(ctx) {
			return
		}
		u := ctx.URL()
		query := u.Query()
		query.Del("page")
		query.Del("page_size")
		query.Del("format")
		q, err := ParseList(spec, query)
		if err != nil {
			a.writeErr(ctx, err)
			return
		}
		rows, err := open(ctx, q)
		if err != nil {
			a.writeErr(ctx, err)
			return
		}
		limit := a.exportMaxRows(f)
		if rows.Count > limit {
			msg := fmt.Sprintf(msgExportTooLarge, rows.Count, limit)
			a.writeErr(ctx, &fault.Error{Kind: fault.Invalid, Message: msg, Details: fault.Fields{fault.NonField: {msg}}})
			return
		}
		each := func(ctx context.Context, sink func(v reflect.Value) error) error {
			n := int64(0)
			return rows.Each(ctx, func(r *R) error {
				if n++; n > limit {
					return fmt.Errorf("export: more than %d rows", limit)
				}
				o := out(r)
				return sink(reflect.ValueOf(&o).Elem())
			})
		}
		a.sendExport(ctx, f, name, cols, rows.Zone, each)
	}
	op.Middlewares = append(op.Middlewares, export)
}

// exportMaxRows is the most rows of one export in format f.
func (a *API) exportMaxRows(f Format) int64 {
	limit := a.opts.Export.MaxRows
	if limit <= 0 {
		limit = DefaultExportMaxRows
	}
	if f == FormatXLSX {
		limit = min(limit, maxXLSXRows)
	}
	return limit
}

// sendExport writes the file: headers at once, then the rows as they are read, flushed to the
// client every exportBatch rows. The response has started when the rows are read, so a failure
// then cannot become an error envelope: it is logged and the connection is cut, which the
// client sees as an incomplete download rather than a shorter file.
func (a *API) sendExport(ctx huma.Context, f Format, name string, cols *columns, zone *time.Location,
	each func(ctx context.Context, sink func(v reflect.Value) error) error) {
	now := time.Now
	if a.opts.Export.Now != nil {
		now = a.opts.Export.Now
	}
	if zone == nil {
		zone = time.UTC
	}
	filename := name + "-" + now().In(zone).Format(time.DateOnly) + "." + string(f)
	contentType := CSVContentType
	if f == FormatXLSX {
		contentType = XLSXContentType
	}
	ctx.SetHeader("Content-Type", contentType)
	ctx.SetHeader("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	ctx.SetStatus(http.StatusOK)
	body := ctx.BodyWriter()
	rw, _ := body.(http.ResponseWriter)
	rc := http.NewResponseController(rw)
	w := &stallWriter{w: body, rc: rc}
	w.extend()
	_ = rc.Flush() // the headers go out before the first row is read

	err := a.writeExport(ctx.Context(), f, w, name, cols, zone, each, rc)
	if err != nil {
		info := Info(ctx.Context())
		user, firm := info.Actor()
		a.opts.Logs.App.Error("export failed", "request_id", info.ID, "path", info.Path, "user", user,
			"firm", firm, "format", string(f), "error", err.Error())
		info.setErr(err)
		panic(http.ErrAbortHandler)
	}
}

func (a *API) writeExport(ctx context.Context, f Format, w io.Writer, name string, cols *columns, zone *time.Location,
	each func(ctx context.Context, sink func(v reflect.Value) error) error, rc *http.ResponseController) error {
	var s sheet
	var err error
	if f == FormatXLSX {
		s, err = newXLSXSheet(w, name, cols, zone)
	} else {
		s, err = newCSVSheet(w, cols, zone)
	}
	if err != nil {
		return err
	}
	flush := func() error {
		if err := s.flush(); err != nil {
			return err
		}
		_ = rc.Flush()
		return nil
	}
	if err := flush(); err != nil {
		return err
	}
	n := 0
	err = each(ctx, func(v reflect.Value) error {
		if err := s.row(v); err != nil {
			return err
		}
		if n++; n%exportBatch == 0 {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.close()
}

// stallWriter pushes the connection's write deadline forward while the client keeps reading.
type stallWriter struct {
	w        io.Writer
	rc       *http.ResponseController
	extended time.Time
}

func (s *stallWriter) Write(p []byte) (int, error) {
	if time.Since(s.extended) > time.Second {
		s.extend()
	}
	return s.w.Write(p)
}

func (s *stallWriter) extend() {
	s.extended = time.Now()
	_ = s.rc.SetWriteDeadline(s.extended.Add(exportStall))
}

// exportFormat is the format a list request asks for: ?format= first, else the Accept header
// (JSON unless it prefers CSV or XLSX). An unknown ?format= is a bad parameter.
func exportFormat(ctx huma.Context) (Format, error) {
	if v := ctx.Query("format"); v != "" {
		switch f := Format(v); f {
		case FormatJSON, FormatCSV, FormatXLSX:
			return f, nil
		}
		return "", &fault.Error{Kind: fault.BadRequest, Message: MsgBadParameter,
			Details: fault.Fields{"format": {fmt.Sprintf(msgFormat, v)}}}
	}
	return acceptedFormat(ctx.Header("Accept")), nil
}

// acceptedFormat picks the format an Accept header prefers: the highest quality among JSON
// (also for */* and application/*), CSV and XLSX, the first listed on a tie; JSON when none is
// acceptable.
func acceptedFormat(accept string) Format {
	best, bestQ := FormatJSON, 0.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		var f Format
		switch mt {
		case "text/csv":
			f = FormatCSV
		case XLSXContentType:
			f = FormatXLSX
		case "application/json", "*/*", "application/*":
			f = FormatJSON
		default:
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(v, 64); err != nil {
				continue
			}
		}
		if q > bestQ {
			best, bestQ = f, q
		}
	}
	return best
}

// DocumentExport declares a list's formats in the OpenAPI document: the format parameter and
// the CSV and XLSX bodies of its 200 answer, with their Content-Disposition.
func DocumentExport(op *huma.Operation) {
	op.Parameters = append(op.Parameters, &huma.Param{Name: "format", In: "query",
		Description: "json (default): a page of results. csv or xlsx: every matching row (no pages) as a file, " +
			"with the same filters, search and ordering; also chosen by Accept: text/csv or " + XLSXContentType + ".",
		Schema: &huma.Schema{Type: "string", Enum: []any{"json", "csv", "xlsx"}, Default: "json"}})
	if op.Responses == nil {
		op.Responses = map[string]*huma.Response{}
	}
	r := op.Responses["200"]
	if r == nil {
		r = &huma.Response{}
		op.Responses["200"] = r
	}
	if r.Content == nil {
		r.Content = map[string]*huma.MediaType{}
	}
	r.Content["application/json"] = &huma.MediaType{} // huma fills in the page's schema
	r.Content["text/csv"] = &huma.MediaType{Schema: &huma.Schema{Type: "string",
		Description: "UTF-8 CSV (RFC 4180) with a header row; text starting with = + - @ tab or CR gets a leading apostrophe."}}
	r.Content[XLSXContentType] = &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary",
		Description: "An Excel workbook of one worksheet: money and hours as numbers, dates as dates, times in the firm's time zone."}}
	if r.Headers == nil {
		r.Headers = map[string]*huma.Param{}
	}
	r.Headers["Content-Disposition"] = &huma.Param{Description: "For csv and xlsx: attachment; filename=\"<list>-<firm's today>.<format>\".",
		Schema: &huma.Schema{Type: "string"}}
}

// ExportPage is how many rows PageThrough reads per call of a list.
const ExportPage = 1000

// PageThrough calls each with every row of q, reading them through a paged list function
// ExportPage rows at a time: the export of a list that cannot stream. Pages are read one after
// the other, not in one snapshot, so a row written meanwhile may shift a page.
func PageThrough[R any](ctx context.Context, q db.ListQuery, list func(ctx context.Context, q db.ListQuery) ([]R, int64, error),
	each func(*R) error) error {
	q.PageSize = ExportPage
	for q.Page = 1; ; q.Page++ {
		rows, _, err := list(ctx, q)
		if err != nil {
			return err
		}
		for i := range rows {
			if err := each(&rows[i]); err != nil {
				return err
			}
		}
		if len(rows) < ExportPage {
			return nil
		}
	}
}

// CountRows counts the rows of q through a paged list function, reading one row: it runs
// whatever the list checks first (the caller's permission).
func CountRows[R any](ctx context.Context, q db.ListQuery, list func(ctx context.Context, q db.ListQuery) ([]R, int64, error)) (int64, error) {
	q.Page, q.PageSize = 1, 1
	_, count, err := list(ctx, q)
	return count, err
}
