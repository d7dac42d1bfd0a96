package api

import (
	"archive/zip"
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// xlsxOf writes rows as a workbook and opens it.
func xlsxOf(t *testing.T, rows []exportRow) (*excelize.File, []byte) {
	t.Helper()
	var buf bytes.Buffer
	s, err := newXLSXSheet(&buf, "time-entries", columnsOf(reflect.TypeFor[exportRow]()), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := s.row(reflect.ValueOf(r)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f, buf.Bytes()
}

func TestXLSXSheetText(t *testing.T) {
	long := strings.Repeat("é", xlsxMaxCellChars) + "cut"
	names := []string{
		"_x0041_ stays", "_x005F_ too", `a & <b> "c" 'd'`, " lead", "trail\n", "bad\x01char\x00", "bad\xffutf8",
		"emoji 😀", "CR\r\nLF", long,
	}
	var rows []exportRow
	for _, n := range names {
		rows = append(rows, exportRow{ID: "x", Name: n, Amount: "1", Currency: "EUR"})
	}
	f, _ := xlsxOf(t, rows)
	const sheet = "Time entries"
	want := append([]string(nil), names...)
	want[5], want[6], want[9] = "bad\uFFFDchar\uFFFD", "bad\uFFFDutf8", long[:len(long)-3]
	for i, w := range want {
		ref, _ := excelize.CoordinatesToCellName(2, i+2)
		if got, _ := f.GetCellValue(sheet, ref); got != w {
			t.Errorf("%s = %.40q, want %.40q", ref, got, w)
		}
		if typ, _ := f.GetCellType(sheet, ref); typ != excelize.CellTypeInlineString {
			t.Errorf("%s is of type %v, want an inline string", ref, typ)
		}
	}
	if st, _ := f.GetCellStyle(sheet, "B1"); st != xlsxBold {
		t.Errorf("header style %d, want bold", st)
	}
	if style, _ := f.GetStyle(xlsxBold); style == nil || style.Font == nil || !style.Font.Bold {
		t.Errorf("header style is not bold: %+v", style)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
	}
}

// TestXLSXSheetStreams checks that the workbook is sent as it is written: the header row and
// each flushed batch of rows reach the response before the file ends.
func TestXLSXSheetStreams(t *testing.T) {
	var buf bytes.Buffer
	s, err := newXLSXSheet(&buf, "clients", columnsOf(reflect.TypeFor[exportRow]()), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	sent := buf.Len()
	if sent == 0 {
		t.Fatal("nothing was sent after the header row")
	}
	for range 100 {
		for _, r := range sampleRows() {
			if err := s.row(reflect.ValueOf(r)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.flush(); err != nil {
		t.Fatal(err)
	}
	if buf.Len() <= sent {
		t.Errorf("the flushed rows were not sent (%d bytes, %d before)", buf.Len(), sent)
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range z.File {
		names = append(names, e.Name)
	}
	if got := strings.Join(names, " "); got != "[Content_Types].xml _rels/.rels xl/workbook.xml xl/_rels/workbook.xml.rels xl/worksheets/sheet1.xml xl/styles.xml" {
		t.Errorf("entries = %s", got)
	}
}

func TestExcelSerial(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want float64
		ok   bool
	}{
		{time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC), 46063, true},
		{time.Date(2026, 2, 10, 9, 0, 0, 0, time.FixedZone("EST", -5*3600)), 46063.375, true}, // its wall clock
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), 1, true},
		{time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), 61, true},
		{time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC), 0, false},
		{time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), 2958465, true},
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), 0, false},
	} {
		got, ok := excelSerial(tc.t)
		if ok != tc.ok || got != tc.want {
			t.Errorf("excelSerial(%s) = %v, %v; want %v, %v", tc.t, got, ok, tc.want, tc.ok)
		}
	}
	for n, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 703: "AAA"} {
		if got := columnLetters(n); got != want {
			t.Errorf("columnLetters(%d) = %s, want %s", n, got, want)
		}
	}
}
