package money

// Format renders a in currency c with exactly c.Digits fraction digits and no grouping:
// Format(160000, USD) is "1600.00", Format(1600, JPY) is "1600", Format(-5, USD) is "-0.05"
// and Format(1234567, KWD) is "1234.567". Digits outside 0..3 are clamped to that range.
func Format(a Amount, c Currency) string {
	var buf [fixedMaxLen]byte
	return string(appendFixed(buf[:0], int64(a), min(max(c.Digits, 0), maxDigits)))
}

// fixedMaxLen bounds appendFixed's output for digits <= maxDigits: a sign, the 19 digits of an
// int64, a point and up to maxDigits leading zeros of the fraction.
const fixedMaxLen = 1 + 19 + 1 + maxDigits

// appendFixed appends v, a count of 10^-digits units, as a decimal with exactly digits
// fraction digits. digits must be between 0 and maxDigits.
func appendFixed(dst []byte, v int64, digits int) []byte {
	u := uint64(v)
	if v < 0 {
		u = -u // exact for math.MinInt64 too
	}
	var tmp [fixedMaxLen]byte
	at := len(tmp)
	for range digits {
		at--
		tmp[at] = byte('0' + u%10)
		u /= 10
	}
	if digits > 0 {
		at--
		tmp[at] = '.'
	}
	for {
		at--
		tmp[at] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if v < 0 {
		at--
		tmp[at] = '-'
	}
	return append(dst, tmp[at:]...)
}
