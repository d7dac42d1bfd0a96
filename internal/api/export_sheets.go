package api

import (
	"bufio"
	"io"
	"reflect"
	"strings"
	"time"
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
