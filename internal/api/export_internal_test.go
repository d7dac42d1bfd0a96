package api

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

type exportEmbedded struct {
	Owner string `json:"owner"`
}

// exportRow has one field of each kind an output type uses.
type exportRow struct {
	ID     string  `json:"id" format:"uuid"`
	Name   string  `json:"name"`
	Amount string  `json:"amount" export:"money"`
	Hours  *string `json:"hours" export:"decimal"`
	exportEmbedded
	Currency string    `json:"currency"`
	Due      *string   `json:"due_date" format:"date"`
	Paid     bool      `json:"paid"`
	Count    int       `json:"count"`
	Lines    []string  `json:"lines"`
	At       time.Time `json:"created_at"`
	Secret   string    `json:"-"`
}

func TestExportColumns(t *testing.T) {
	cs := columnsOf(reflect.TypeFor[exportRow]())
	var names, headers []string
	var kinds []cellKind
	for _, c := range cs.list {
		names = append(names, c.name)
		headers = append(headers, c.header)
		kinds = append(kinds, c.kind)
	}
	if got := strings.Join(names, ","); got != "id,name,amount,hours,owner,currency,due_date,paid,count,lines,created_at" {
		t.Errorf("columns = %s", got)
	}
	if got := strings.Join(headers, "|"); got != "ID|Name|Amount|Hours|Owner|Currency|Due date|Paid|Count|Lines|Created at" {
		t.Errorf("headers = %s", got)
	}
	want := []cellKind{cellText, cellText, cellMoney, cellDecimal, cellText, cellText, cellDate, cellBool, cellInt, cellJSON, cellTime}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds = %v, want %v", kinds, want)
	}
	if cs.currency == nil {
		t.Error("the currency column was not found")
	}
	if got := Header("stripe_payment_intent_id"); got != "Stripe payment intent ID" {
		t.Errorf("Header = %q", got)
	}
}

func TestGuardText(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@SUM(A1)": "'@SUM(A1)", "\t=1": "'\t=1", "\r=1": "'\r=1",
		"Acme": "Acme", "": "", " =1": " =1", "1-1": "1-1",
	} {
		if got := guardText(in); got != want {
			t.Errorf("guardText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestExactNumber(t *testing.T) {
	for _, tc := range []struct {
		in     string
		digits int
		ok     bool
	}{
		{"1600.00", 2, true}, {"1600", 0, true}, {"-0.05", 2, true}, {"0.125", 3, true},
		{"1234567890123.45", 2, true}, // 15 significant digits
		{"0.1", 1, true},
		{"92233720368547758.07", 0, false}, // the largest amount: text, never rounded
		{"1e3", 0, false}, {"", 0, false}, {"abc", 0, false},
	} {
		v, digits, ok := exactNumber(tc.in)
		if ok != tc.ok || (ok && digits != tc.digits) {
			t.Errorf("exactNumber(%q) = %v, %d, %v; want ok %v with %d digits", tc.in, v, digits, ok, tc.ok, tc.digits)
		}
	}
	for in, want := range map[string]string{"0150.50": "150.5", "-0.00": "0", "1600.00": "1600", "0.05": "0.05", "+3": "3"} {
		if got := canonicalDecimal(in); got != want {
			t.Errorf("canonicalDecimal(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAcceptedFormat(t *testing.T) {
	for accept, want := range map[string]Format{
		"":                                 FormatJSON,
		"*/*":                              FormatJSON,
		"text/csv":                         FormatCSV,
		XLSXContentType:                    FormatXLSX,
		"text/csv;q=0.9, application/json": FormatJSON,
		"application/json;q=0.1, text/csv": FormatCSV,
		"image/png":                        FormatJSON,
		"text/csv, application/json":       FormatCSV,
		"text/csv;q=abc":                   FormatJSON,
	} {
		if got := acceptedFormat(accept); got != want {
			t.Errorf("acceptedFormat(%q) = %s, want %s", accept, got, want)
		}
	}
}

func sampleRows() []exportRow {
	hours, due := "8.00", "2026-02-10"
	at := time.Date(2026, 2, 10, 14, 0, 0, 0, time.UTC)
	return []exportRow{
		{ID: "a", Name: "=HYPERLINK(\"http://x\")", Amount: "-1600.50", Hours: &hours, Currency: "USD", Due: &due,
			Paid: true, Count: 3, Lines: []string{"x", "y"}, At: at, exportEmbedded: exportEmbedded{Owner: "\tTab"}},
		{ID: "b", Name: "Plain, \"quoted\"\nline", Amount: "92233720368547758.07", Currency: "JPY", At: at,
			exportEmbedded: exportEmbedded{Owner: "\rCR"}},
		{ID: "c", Name: "+1", Amount: "1500", Currency: "JPY", At: at, exportEmbedded: exportEmbedded{Owner: "@me"}},
	}
}

func TestCSVSheet(t *testing.T) {
	var buf bytes.Buffer
	zone, _ := time.LoadLocation("America/New_York")
	s, err := newCSVSheet(&buf, columnsOf(reflect.TypeFor[exportRow]()), zone)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sampleRows() {
		if err := s.row(reflect.ValueOf(r)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"ID", "Name", "Amount", "Hours", "Owner", "Currency", "Due date", "Paid", "Count", "Lines", "Created at"},
		{"a", "'=HYPERLINK(\"http://x\")", "-1600.50", "8.00", "'\tTab", "USD", "2026-02-10", "true", "3", `["x","y"]`, "2026-02-10T09:00:00-05:00"},
		{"b", "Plain, \"quoted\"\nline", "92233720368547758.07", "", "'\rCR", "JPY", "", "false", "0", "null", "2026-02-10T09:00:00-05:00"},
		{"c", "'+1", "1500", "", "'@me", "JPY", "", "false", "0", "null", "2026-02-10T09:00:00-05:00"},
	}
	if !reflect.DeepEqual(records, want) {
		t.Errorf("CSV records:\n%q\nwant\n%q", records, want)
	}
	if !strings.HasSuffix(buf.String(), "\r\n") || strings.Count(buf.String(), "\r\n") != 4 {
		t.Errorf("records do not end in CRLF: %q", buf.String())
	}
}

func TestXLSXSheet(t *testing.T) {
	var buf bytes.Buffer
	zone, _ := time.LoadLocation("America/New_York")
	s, err := newXLSXSheet(&buf, "time-entries", columnsOf(reflect.TypeFor[exportRow]()), zone)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sampleRows() {
		if err := s.row(reflect.ValueOf(r)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Time entries" {
		t.Fatalf("sheets = %v", got)
	}
	const sheet = "Time entries"
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
				t.Errorf("%s is a formula: %q", ref, formula)
			}
		}
	}
	check := func(ref, raw, numFmt string) {
		t.Helper()
		v, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
		if v != raw {
			t.Errorf("%s = %q, want %q", ref, v, raw)
		}
		id, _ := f.GetCellStyle(sheet, ref)
		st, _ := f.GetStyle(id)
		got := ""
		if st != nil && st.CustomNumFmt != nil {
			got = *st.CustomNumFmt
		}
		if got != numFmt {
			t.Errorf("%s number format %q, want %q", ref, got, numFmt)
		}
	}
	check("B2", "=HYPERLINK(\"http://x\")", "")
	check("E2", "\tTab", "")
	check("E3", "\rCR", "")
	check("B4", "+1", "")
	check("C2", "-1600.5", `#,##0.00 "USD"`)
	check("C3", "92233720368547758.07", "") // no double holds it: text, exact
	check("C4", "1500", `#,##0 "JPY"`)
	check("D2", "8", "#,##0.00")
	check("G2", "46063", "yyyy-mm-dd") // 2026-02-10
	check("K2", "46063.375", "yyyy-mm-dd hh:mm:ss")
	if v, _ := f.GetCellValue(sheet, "H2"); v != "TRUE" {
		t.Errorf("H2 = %q, want TRUE", v)
	}
	if typ, _ := f.GetCellType(sheet, "C3"); typ == excelize.CellTypeNumber {
		t.Error("an amount no double holds was written as a number")
	}
}
