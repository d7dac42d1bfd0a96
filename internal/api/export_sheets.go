package api

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/xuri/excelize/v2"
)

// sheet writes an export's rows in one format.
type sheet interface {
	// row writes one row (a value of the list's output type).
	row(v reflect.Value) error
	// flush sends what is buffered on to the response.
	flush() error
	// close finishes the file.
	close() error
}

// csvSheet writes RFC 4180 CSV: UTF-8, CRLF after each record, a header row, and a field
// quoted (its quotes doubled) when it holds a comma, a quote, a CR or LF, or starts with a
// space. Line breaks inside a field are kept as they are (encoding/csv's CRLF mode would drop
// a lone CR).
type csvSheet struct {
	w    *bufio.Writer
	cols *columns
	zone *time.Location
	rec  []string
}

func newCSVSheet(w io.Writer, cols *columns, zone *time.Location) (*csvSheet, error) {
	s := &csvSheet{w: bufio.NewWriterSize(w, 64<<10), cols: cols, zone: zone, rec: make([]string, len(cols.list))}
	for i, c := range cols.list {
		s.rec[i] = c.header
	}
	return s, s.write()
}

func (s *csvSheet) row(v reflect.Value) error {
	for i := range s.cols.list {
		c := &s.cols.list[i]
		f, ok := c.field(v)
		switch {
		case !ok:
			s.rec[i] = ""
		case c.kind == cellTime:
			s.rec[i] = f.Interface().(time.Time).In(s.zone).Format(time.RFC3339)
		case c.kind == cellText || c.kind == cellJSON:
			s.rec[i] = guardText(text(c, f))
		default:
			s.rec[i] = text(c, f)
		}
	}
	return s.write()
}

// write writes the record in s.rec.
func (s *csvSheet) write() error {
	for i, field := range s.rec {
		if i > 0 {
			_ = s.w.WriteByte(',')
		}
		if field == "" || (!strings.ContainsAny(field, ",\"\r\n") && field[0] != ' ') {
			_, _ = s.w.WriteString(field)
			continue
		}
		_ = s.w.WriteByte('"')
		_, _ = s.w.WriteString(strings.ReplaceAll(field, `"`, `""`))
		_ = s.w.WriteByte('"')
	}
	_, err := s.w.WriteString("\r\n")
	return err
}

func (s *csvSheet) flush() error { return s.w.Flush() }

func (s *csvSheet) close() error { return s.flush() }

// maxXLSXRows is the most data rows a worksheet holds (1,048,576 rows, one of them the header).
const maxXLSXRows = 1_048_575

// xlsxSheet writes an Excel workbook of one worksheet through excelize's stream writer, which
// keeps the rows in a temporary file rather than in memory; the workbook is zipped straight to
// the response when the rows are done. Text cells are inline strings (never formulas), money
// and decimals are numbers with their decimals as number format, dates and times are dates.
type xlsxSheet struct {
	file   *excelize.File
	sw     *excelize.StreamWriter
	out    io.Writer
	cols   *columns
	zone   *time.Location
	n      int
	styles map[string]int // number format → style id
	cells  []any
}

func newXLSXSheet(out io.Writer, title string, cols *columns, zone *time.Location) (*xlsxSheet, error) {
	f := excelize.NewFile()
	s := &xlsxSheet{file: f, out: out, cols: cols, zone: zone, styles: map[string]int{}, cells: make([]any, len(cols.list))}
	name := sheetName(title)
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return nil, s.fail(err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, s.fail(err)
	}
	s.sw = sw
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, s.fail(err)
	}
	for i, c := range cols.list {
		if err := sw.SetColWidth(i+1, i+1, float64(min(max(len(c.header)+2, 12), 40))); err != nil {
			return nil, s.fail(err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, s.fail(err)
	}
	for i, c := range cols.list {
		s.cells[i] = excelize.Cell{StyleID: bold, Value: c.header}
	}
	if err := sw.SetRow("A1", s.cells, excelize.RowOpts{StyleID: bold}); err != nil {
		return nil, s.fail(err)
	}
	s.n = 1
	return s, nil
}

// fail releases the workbook's temporary files and returns err.
func (s *xlsxSheet) fail(err error) error {
	_ = s.file.Close()
	return err
}

// sheetName is a worksheet name Excel accepts: at most 31 characters, none of []:*?/\.
func sheetName(title string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return ' '
		}
		return r
	}, Header(strings.ReplaceAll(title, "-", "_")))
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if name == "" {
		name = "Export"
	}
	return name
}

// style returns the id of a style with number format numFmt, made once per workbook.
func (s *xlsxSheet) style(numFmt string) (int, error) {
	if id, ok := s.styles[numFmt]; ok {
		return id, nil
	}
	id, err := s.file.NewStyle(&excelize.Style{CustomNumFmt: &numFmt})
	if err != nil {
		return 0, err
	}
	s.styles[numFmt] = id
	return id, nil
}

// decimalFormat is the number format with digits decimals: "#,##0.00".
func decimalFormat(digits int) string {
	if digits <= 0 {
		return "#,##0"
	}
	return "#,##0." + strings.Repeat("0", digits)
}

func (s *xlsxSheet) row(v reflect.Value) error {
	if s.n > maxXLSXRows {
		return fmt.Errorf("export: more than %d rows for one worksheet", maxXLSXRows)
	}
	for i := range s.cols.list {
		c := &s.cols.list[i]
		f, ok := c.field(v)
		if !ok {
			s.cells[i] = nil
			continue
		}
		cell, err := s.cell(c, f, v)
		if err != nil {
			return err
		}
		s.cells[i] = cell
	}
	s.n++
	ref, err := excelize.CoordinatesToCellName(1, s.n)
	if err != nil {
		return err
	}
	return s.sw.SetRow(ref, s.cells)
}

// cell is the value of one cell of row v: field f of column c.
func (s *xlsxSheet) cell(c *column, f reflect.Value, v reflect.Value) (any, error) {
	switch c.kind {
	case cellBool:
		return f.Bool(), nil
	case cellInt:
		return f.Int(), nil
	case cellUint:
		return f.Uint(), nil
	case cellTime:
		id, err := s.style("yyyy-mm-dd hh:mm:ss")
		return excelize.Cell{StyleID: id, Value: f.Interface().(time.Time).In(s.zone)}, err
	case cellDate:
		d, err := time.Parse(time.DateOnly, f.String())
		if err != nil {
			return f.String(), nil
		}
		id, err := s.style("yyyy-mm-dd")
		return excelize.Cell{StyleID: id, Value: d}, err
	case cellMoney, cellDecimal:
		return s.number(c, f.String(), v)
	}
	return text(c, f), nil
}

// number is a money or decimal cell: the exact number with its decimals as number format
// (money: the currency's decimals and code), or the text when no spreadsheet number holds it
// exactly.
func (s *xlsxSheet) number(c *column, str string, v reflect.Value) (any, error) {
	n, digits, ok := exactNumber(str)
	if !ok {
		return str, nil
	}
	numFmt := decimalFormat(digits)
	if c.kind == cellMoney {
		if cur, known := money.LookupCurrency(s.cols.currencyOf(v)); known {
			numFmt = decimalFormat(cur.Digits) + ` "` + cur.Code + `"`
		}
	}
	id, err := s.style(numFmt)
	return excelize.Cell{StyleID: id, Value: n}, err
}

// flush does nothing: the workbook is sent whole by close.
func (s *xlsxSheet) flush() error { return nil }

// close ends the worksheet and zips the workbook to the response (not through excelize's
// in-memory buffer), then removes the temporary files.
func (s *xlsxSheet) close() error {
	if err := s.sw.Flush(); err != nil {
		return s.fail(err)
	}
	s.file.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(s.out) })
	if err := s.file.Write(io.Discard); err != nil {
		return s.fail(err)
	}
	return s.file.Close()
}
