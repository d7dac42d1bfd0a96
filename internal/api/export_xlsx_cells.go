package api

import (
	"io"
	"time"
	"unicode/utf8"
)

// xlsxMaxCellChars is the most UTF-16 code units a spreadsheet cell holds; longer text is cut.
const xlsxMaxCellChars = 32767

// columnLetters is the letters of column n (from 1): A, B, …, Z, AA, ….
func columnLetters(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}

// Excel's day 0 for serial numbers: 1899-12-30, since Excel counts 1900-02-29, a day that never
// was (dates before March 1900 are counted from 1899-12-31).
var (
	excelEpoch       = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)
	excelLeapBug     = time.Date(1900, time.March, 1, 0, 0, 0, 0, time.UTC)
	excelFirstDay    = time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC)
	excelPastLastDay = time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
)

// excelSerial is the date serial number of t's wall clock time (days and the fraction of a day
// since Excel's day 0), which a date number format shows as that date and time; ok is false
// before 1900 or after 9999, which no serial number holds.
func excelSerial(t time.Time) (serial float64, ok bool) {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	if wall.Before(excelFirstDay) || !wall.Before(excelPastLastDay) {
		return 0, false
	}
	secs := wall.Unix() - excelEpoch.Unix()
	if wall.Before(excelLeapBug) {
		secs -= 86400
	}
	days, rest := secs/86400, secs%86400
	return float64(days) + (float64(rest)+float64(wall.Nanosecond())/1e9)/86400, true
}

// xlsxText is text as a cell stores it: cut to the most a cell holds, and with every run that
// reads as an escaped character (_x000D_) escaped in its turn (_x005F_x000D_), so that it
// shows as written.
func xlsxText(s string) string {
	if len(s) > xlsxMaxCellChars {
		units := 0
		for i, r := range s {
			if units += utf16Units(r); units > xlsxMaxCellChars {
				s = s[:i]
				break
			}
		}
	}
	var out []byte
	from := 0
	for i := 0; i+7 <= len(s); i++ {
		if s[i] == '_' && s[i+1] == 'x' && isHex4(s[i+2:i+6]) && s[i+6] == '_' {
			out = append(append(out, s[from:i]...), "_x005F"...)
			from = i
		}
	}
	if out == nil {
		return s
	}
	return string(append(out, s[from:]...))
}

func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

func isHex4(s string) bool {
	for i := range 4 {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}

// xmlWriter is where writeXMLText writes: a bufio.Writer or a strings.Builder.
type xmlWriter interface {
	io.StringWriter
	io.ByteWriter
}

// writeXMLText writes s escaped as XML character data or attribute value. Tab, CR and LF are
// written as character references so that they are kept as they are; a character XML 1.0
// does not allow (most control characters), like a byte that is not UTF-8, becomes U+FFFD, as
// encoding/xml does.
func writeXMLText(w xmlWriter, s string) {
	from := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'' {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		var esc string
		switch {
		case r == '&':
			esc = "&amp;"
		case r == '<':
			esc = "&lt;"
		case r == '>':
			esc = "&gt;"
		case r == '"':
			esc = "&#34;"
		case r == '\'':
			esc = "&#39;"
		case r == '\t':
			esc = "&#x9;"
		case r == '\n':
			esc = "&#xA;"
		case r == '\r':
			esc = "&#xD;"
		case r == utf8.RuneError && size == 1, !xmlChar(r):
			esc = "\uFFFD"
		default:
			i += size
			continue
		}
		_, _ = w.WriteString(s[from:i])
		_, _ = w.WriteString(esc)
		i += size
		from = i
	}
	_, _ = w.WriteString(s[from:])
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}
