package api

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/consultantpro/consultantpro/internal/money"
)

// maxXLSXRows is the most data rows a worksheet holds (1,048,576 rows, one of them the header).
const maxXLSXRows = 1_048_575

// xlsxSheet writes an Excel workbook of one worksheet in one pass, straight into the response:
// a ZIP entry is written sequentially with a data descriptor after it, so nothing is kept or
// spilled, and flush pushes what is compressed so far to the client. The fixed parts go first,
// then the worksheet row by row, then the styles, which only then are all known (the cells
// refer to them by index, and the entries of a ZIP may come in any order).
//
// Text cells are inline strings (never formulas), money and decimals are numbers with their
// decimals as number format (money: the currency's decimals and code), dates and times are
// date serial numbers with a date format.
type xlsxSheet struct {
	zip     *zip.Writer
	deflate *flate.Writer // the entry being written, to flush it mid-way
	w       *bufio.Writer // the worksheet entry
	cols    *columns
	refs    []string // column letters
	zone    *time.Location
	n       int
	styles  xlsxStyles
	num     []byte // scratch for numbers
}

// newXLSXSheet writes the workbook's parts up to the worksheet's header row to out. Entries are
// compressed by a flate writer of our own (registered on this ZIP writer only) so that flush
// can push a half-written entry through it.
func newXLSXSheet(out io.Writer, title string, cols *columns, zone *time.Location) (*xlsxSheet, error) {
	s := &xlsxSheet{zip: zip.NewWriter(out), cols: cols, zone: zone, refs: make([]string, len(cols.list))}
	s.zip.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		fw, err := flate.NewWriter(w, flate.DefaultCompression)
		s.deflate = fw
		return fw, err
	})
	for i := range cols.list {
		s.refs[i] = columnLetters(i + 1)
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", xlsxContentTypes},
		{"_rels/.rels", xlsxRootRels},
		{"xl/workbook.xml", xlsxWorkbook(sheetName(title))},
		{"xl/_rels/workbook.xml.rels", xlsxWorkbookRels},
	}
	for _, p := range parts {
		if err := s.part(p.name, p.body); err != nil {
			return nil, err
		}
	}
	e, err := s.zip.CreateHeader(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate})
	if err != nil {
		return nil, err
	}
	s.w = bufio.NewWriterSize(e, 64<<10)
	return s, s.start()
}

// part writes one whole entry of the package.
func (s *xlsxSheet) part(name, body string) error {
	e, err := s.zip.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
	if err != nil {
		return err
	}
	_, err = io.WriteString(e, body)
	return err
}

// start writes the worksheet up to its data: the header row frozen as a pane, the column
// widths, and the bold header row.
func (s *xlsxSheet) start() error {
	w := s.w
	_, _ = w.WriteString(xml1 + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
		`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><cols>`)
	for i, c := range s.cols.list {
		fmt.Fprintf(w, `<col min="%d" max="%d" width="%d" customWidth="1"/>`, i+1, i+1, min(max(len(c.header)+2, 12), 40))
	}
	_, _ = w.WriteString(`</cols><sheetData><row r="1" s="1" customFormat="1">`)
	for i, c := range s.cols.list {
		s.text(s.refs[i]+"1", c.header, xlsxBold)
	}
	_, err := w.WriteString(`</row>`)
	s.n = 1
	return err
}

func (s *xlsxSheet) row(v reflect.Value) error {
	if s.n > maxXLSXRows {
		return fmt.Errorf("export: more than %d rows for one worksheet", maxXLSXRows)
	}
	s.n++
	row := strconv.Itoa(s.n)
	_, _ = s.w.WriteString(`<row r="` + row + `">`)
	for i := range s.cols.list {
		c := &s.cols.list[i]
		if f, ok := c.field(v); ok {
			s.cell(s.refs[i]+row, c, f, v)
		}
	}
	_, err := s.w.WriteString(`</row>`)
	return err
}

// cell writes field f of row v, in column c, as the cell ref.
func (s *xlsxSheet) cell(ref string, c *column, f reflect.Value, v reflect.Value) {
	switch c.kind {
	case cellBool:
		s.open(ref, "b", 0)
		if f.Bool() {
			_, _ = s.w.WriteString(`<v>1</v></c>`)
		} else {
			_, _ = s.w.WriteString(`<v>0</v></c>`)
		}
	case cellInt:
		s.value(ref, 0, strconv.AppendInt(s.num[:0], f.Int(), 10))
	case cellUint:
		s.value(ref, 0, strconv.AppendUint(s.num[:0], f.Uint(), 10))
	case cellTime:
		t := f.Interface().(time.Time).In(s.zone)
		if serial, ok := excelSerial(t); ok {
			s.value(ref, s.styles.id("yyyy-mm-dd hh:mm:ss"), strconv.AppendFloat(s.num[:0], serial, 'f', -1, 64))
		} else {
			s.text(ref, t.Format(time.RFC3339), 0)
		}
	case cellDate:
		d, err := time.Parse(time.DateOnly, f.String())
		serial, ok := excelSerial(d)
		if err != nil || !ok {
			s.text(ref, f.String(), 0)
			return
		}
		s.value(ref, s.styles.id("yyyy-mm-dd"), strconv.AppendFloat(s.num[:0], serial, 'f', -1, 64))
	case cellMoney, cellDecimal:
		s.number(ref, c, f.String(), v)
	default:
		s.text(ref, text(c, f), 0)
	}
}

// number writes a money or decimal cell: the exact number with its decimals as number format
// (money: the currency's decimals and code), or the text when no spreadsheet number holds it
// exactly.
func (s *xlsxSheet) number(ref string, c *column, str string, v reflect.Value) {
	n, digits, ok := exactNumber(str)
	if !ok {
		s.text(ref, str, 0)
		return
	}
	numFmt := decimalFormat(digits)
	if c.kind == cellMoney {
		if cur, known := money.LookupCurrency(s.cols.currencyOf(v)); known {
			numFmt = decimalFormat(cur.Digits) + ` "` + cur.Code + `"`
		}
	}
	s.value(ref, s.styles.id(numFmt), strconv.AppendFloat(s.num[:0], n, 'f', -1, 64))
}

// value writes a number cell; v is s.num, kept for the next number.
func (s *xlsxSheet) value(ref string, style int, v []byte) {
	s.open(ref, "", style)
	_, _ = s.w.WriteString(`<v>`)
	_, _ = s.w.Write(v)
	_, _ = s.w.WriteString(`</v></c>`)
	s.num = v[:0]
}

// text writes an inline string cell, which a spreadsheet never reads as a formula.
func (s *xlsxSheet) text(ref, str string, style int) {
	s.open(ref, "inlineStr", style)
	str = xlsxText(str)
	if str != "" && (strings.IndexByte(" \t\r\n", str[0]) >= 0 || strings.IndexByte(" \t\r\n", str[len(str)-1]) >= 0) {
		_, _ = s.w.WriteString(`<is><t xml:space="preserve">`)
	} else {
		_, _ = s.w.WriteString(`<is><t>`)
	}
	writeXMLText(s.w, str)
	_, _ = s.w.WriteString(`</t></is></c>`)
}

// open writes a cell's start tag: its reference, style (0 is the default) and type.
func (s *xlsxSheet) open(ref, typ string, style int) {
	_, _ = s.w.WriteString(`<c r="` + ref + `"`)
	if style != 0 {
		_, _ = s.w.WriteString(` s="` + strconv.Itoa(style) + `"`)
	}
	if typ != "" {
		_, _ = s.w.WriteString(` t="` + typ + `"`)
	}
	_ = s.w.WriteByte('>')
}

// flush sends the rows written so far: through the buffer, the compressor (a sync flush, which
// costs a few bytes) and the ZIP writer's buffer.
func (s *xlsxSheet) flush() error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	if err := s.deflate.Flush(); err != nil {
		return err
	}
	return s.zip.Flush()
}

// close ends the worksheet, writes the styles its cells use and the ZIP's central directory.
func (s *xlsxSheet) close() error {
	if _, err := s.w.WriteString(`</sheetData></worksheet>`); err != nil {
		return err
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	if err := s.part("xl/styles.xml", s.styles.xml()); err != nil {
		return err
	}
	return s.zip.Close()
}
