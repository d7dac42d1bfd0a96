package money

import (
	"bytes"
	"encoding/json"
	"math"
)

// Amount is an exact amount of money as an integer count of minor units (cents for USD) of a
// currency kept beside it, e.g. in a currency column. Render it with Format, never as a bare
// JSON number.
type Amount int64

// Parse reads a decimal such as "1600", "1600.5", "-3.25" or "0.00" in currency c and returns
// it in minor units ("1600.5" in USD is 160050). The text must match -?[0-9]+(\.[0-9]+)?
// with at most c.Digits fraction digits; see the package documentation for the messages.
// A Currency that LookupCurrency could not have returned gives ErrUnknownCurrency.
func Parse(s string, c Currency) (Amount, error) {
	if !c.valid() {
		return 0, ErrUnknownCurrency
	}
	v, err := parseFixed(s, c.Digits)
	return Amount(v), err
}

// ParseJSON reads a JSON value in currency c: a string ("12.50") or a number (12.50), the
// number read from its literal text and never through float64. Anything else, including
// null and numbers in exponent form, is ErrInvalidNumber.
func ParseJSON(raw []byte, c Currency) (Amount, error) {
	if !c.valid() {
		return 0, ErrUnknownCurrency
	}
	v, err := parseJSONFixed(raw, c.Digits)
	return Amount(v), err
}

// text is the input of the parser: a string, or JSON bytes read without a copy.
type text interface{ ~string | ~[]byte }

// parseFixed reads s (grammar -?[0-9]+(\.[0-9]+)?) as an integer count of 10^-digits units.
func parseFixed[T text](s T, digits int) (int64, error) {
	i, n := 0, len(s)
	neg := n > 0 && s[0] == '-'
	if neg {
		i++
	}
	intStart := i
	for i < n && isDigit(s[i]) {
		i++
	}
	intEnd := i
	if intEnd == intStart {
		return 0, ErrInvalidNumber
	}
	fracStart, fracEnd := intEnd, intEnd
	if i < n && s[i] == '.' {
		i++
		fracStart = i
		for i < n && isDigit(s[i]) {
			i++
		}
		fracEnd = i
		if fracEnd == fracStart {
			return 0, ErrInvalidNumber
		}
	}
	if i != n {
		return 0, ErrInvalidNumber
	}
	fracDigits := fracEnd - fracStart
	if fracDigits > digits {
		return 0, decimalsError(digits)
	}

	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // the magnitude of math.MinInt64
	}
	var v uint64
	ok := true
	for j := intStart; j < intEnd && ok; j++ {
		v, ok = pushDigit(v, s[j]-'0', limit)
	}
	for j := fracStart; j < fracEnd && ok; j++ {
		v, ok = pushDigit(v, s[j]-'0', limit)
	}
	for k := fracDigits; k < digits && ok; k++ {
		v, ok = pushDigit(v, 0, limit)
	}
	if !ok {
		return 0, ErrTooLarge
	}
	if neg {
		return int64(-v), nil // -v wraps to the two's complement, exact down to MinInt64
	}
	return int64(v), nil
}

// pushDigit returns v*10+d, or false when that exceeds limit.
func pushDigit(v uint64, d byte, limit uint64) (uint64, bool) {
	if v > (limit-uint64(d))/10 {
		return 0, false
	}
	return v*10 + uint64(d), true
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// parseJSONFixed reads a JSON string or number as parseFixed does.
func parseJSONFixed(raw []byte, digits int) (int64, error) {
	raw = trimJSONSpace(raw)
	if len(raw) == 0 {
		return 0, ErrInvalidNumber
	}
	switch c := raw[0]; {
	case c == '"':
		inner, ok := jsonStringBody(raw)
		if !ok {
			var s string
			if json.Unmarshal(raw, &s) != nil {
				return 0, ErrInvalidNumber
			}
			return parseFixed(s, digits)
		}
		return parseFixed(inner, digits)
	case c == '-' || isDigit(c):
		if !jsonLeadingZeroOK(raw) {
			return 0, ErrInvalidNumber
		}
		return parseFixed(raw, digits)
	}
	return 0, ErrInvalidNumber
}

// jsonStringBody returns the bytes between the quotes of a JSON string that has no escapes.
// It reports false when the string has escapes (or is malformed) and must be decoded.
func jsonStringBody(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[len(raw)-1] != '"' {
		return nil, false
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') >= 0 {
		return nil, false
	}
	return inner, true
}

// jsonLeadingZeroOK reports whether a number literal has no leading zero before another
// digit, which JSON forbids ("01", "-00.5").
func jsonLeadingZeroOK(raw []byte) bool {
	if raw[0] == '-' {
		raw = raw[1:]
	}
	return len(raw) < 2 || raw[0] != '0' || !isDigit(raw[1])
}

// trimJSONSpace drops the whitespace JSON allows around a value.
func trimJSONSpace(b []byte) []byte {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
