package api

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// formulaStarts are the first characters that make a spreadsheet read a cell as a formula (or,
// for tab and carriage return, that hide one behind white space).
const formulaStarts = "=+-@\t\r"

// guardText makes a text cell inert in a CSV file: one that starts like a formula gets a
// leading apostrophe, which spreadsheets show as a text marker and never evaluate. Numeric
// columns (money, hours, counts) are not text and are never changed.
func guardText(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// text is a field's value as the text its JSON form shows (dates and times aside): the
// string itself, true/false, a number, or the JSON of a list or object.
func text(c *column, f reflect.Value) string {
	switch c.kind {
	case cellText, cellDate, cellMoney, cellDecimal:
		return f.String()
	case cellBool:
		return strconv.FormatBool(f.Bool())
	case cellInt:
		return strconv.FormatInt(f.Int(), 10)
	case cellUint:
		return strconv.FormatUint(f.Uint(), 10)
	case cellTime:
		return f.Interface().(time.Time).Format(time.RFC3339)
	}
	b, err := json.Marshal(f.Interface())
	if err != nil {
		return ""
	}
	var s string
	if len(b) > 0 && b[0] == '"' && json.Unmarshal(b, &s) == nil {
		return s // a value that marshals as a JSON string is that string
	}
	return string(b)
}

// exactNumber returns the float64 that a spreadsheet stores for the decimal text s, when that
// float's shortest form is exactly the decimal s (every decimal of at most 15 significant
// digits is). Otherwise ok is false and the caller writes s as text: a money amount is never
// rounded on its way into a spreadsheet.
func exactNumber(s string) (v float64, digits int, ok bool) {
	if s == "" || strings.ContainsAny(s, "eE") {
		return 0, 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, 0, false
	}
	if _, frac, found := strings.Cut(s, "."); found {
		digits = len(frac)
	}
	if strconv.FormatFloat(f, 'f', -1, 64) != canonicalDecimal(s) {
		return 0, 0, false
	}
	return f, digits, true
}

// canonicalDecimal drops a decimal's leading plus, leading zeros of its integer part, its
// trailing fraction zeros and the sign of zero: "0150.50" → "150.5", "-0.00" → "0".
func canonicalDecimal(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	whole, frac, _ := strings.Cut(s, ".")
	whole = strings.TrimLeft(whole, "0")
	frac = strings.TrimRight(frac, "0")
	if whole == "" {
		whole = "0"
	}
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}
