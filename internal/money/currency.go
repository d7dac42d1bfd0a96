package money

// Currency is an active ISO 4217 currency: its alphabetic code and the number of digits of its
// minor unit (0, 2 or 3). Obtain one with LookupCurrency.
type Currency struct {
	// Code is the upper-case three-letter ISO 4217 code, e.g. "USD".
	Code string
	// Digits is the number of fraction digits of the minor unit: 0 (JPY), 2 (USD) or 3 (KWD).
	Digits int
}

// maxDigits is the largest minor unit of an active ISO 4217 currency.
const maxDigits = 3

// valid reports whether c could have come from LookupCurrency (code shape and digit range;
// it does not search the table).
func (c Currency) valid() bool {
	return len(c.Code) == 3 && c.Digits >= 0 && c.Digits <= maxDigits
}

// entrySize is the width of one isoTable entry: three code letters and the minor-unit digit.
const entrySize = 4

// isoTable lists the active ISO 4217 currencies (list one, amendment 180, effective
// 2026-01-01) sorted by code, each as its code followed by its minor-unit digits. Funds,
// precious metals, units of account, XTS and XXX are left out on purpose. It is a constant so
// that it cannot be changed at run time.
const isoTable = "" +
	"AED2AFN2ALL2AMD2AOA2ARS2AUD2AWG2AZN2" +
	"BAM2BBD2BDT2BHD3BIF0BMD2BND2BOB2BRL2BSD2BTN2BWP2BYN2BZD2" +
	"CAD2CDF2CHF2CLP0CNY2COP2CRC2CUP2CVE2CZK2" +
	"DJF0DKK2DOP2DZD2" +
	"EGP2ERN2ETB2EUR2" +
	"FJD2FKP2" +
	"GBP2GEL2GHS2GIP2GMD2GNF0GTQ2GYD2" +
	"HKD2HNL2HTG2HUF2" +
	"IDR2ILS2INR2IQD3IRR2ISK0" +
	"JMD2JOD3JPY0" +
	"KES2KGS2KHR2KMF0KPW2KRW0KWD3KYD2KZT2" +
	"LAK2LBP2LKR2LRD2LSL2LYD3" +
	"MAD2MDL2MGA2MKD2MMK2MNT2MOP2MRU2MUR2MVR2MWK2MXN2MYR2MZN2" +
	"NAD2NGN2NIO2NOK2NPR2NZD2" +
	"OMR3" +
	"PAB2PEN2PGK2PHP2PKR2PLN2PYG0" +
	"QAR2" +
	"RON2RSD2RUB2RWF0" +
	"SAR2SBD2SCR2SDG2SEK2SGD2SHP2SLE2SOS2SRD2SSP2STN2SVC2SYP2SZL2" +
	"THB2TJS2TMT2TND3TOP2TRY2TTD2TWD2TZS2" +
	"UAH2UGX0USD2UYU2UZS2" +
	"VED2VES2VND0VUV0" +
	"WST2" +
	"XAF0XCD2XCG2XOF0XPF0" +
	"YER2" +
	"ZAR2ZMW2ZWG2"

// entry returns the currency stored at index i of isoTable.
func entry(i int) Currency {
	at := i * entrySize
	return Currency{Code: isoTable[at : at+3], Digits: int(isoTable[at+3] - '0')}
}

// LookupCurrency returns the active ISO 4217 currency with the given code. The code must be
// exactly three upper-case letters as ISO writes it: "usd", " USD" and "XAU" are not found.
func LookupCurrency(code string) (Currency, bool) {
	if len(code) != 3 {
		return Currency{}, false
	}
	lo, hi := 0, len(isoTable)/entrySize
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		key := isoTable[mid*entrySize : mid*entrySize+3]
		switch {
		case key < code:
			lo = mid + 1
		case key > code:
			hi = mid
		default:
			return entry(mid), true
		}
	}
	return Currency{}, false
}

// CurrencyCodes returns the codes LookupCurrency knows, sorted, in a new slice the caller may
// keep or change (for example as an OpenAPI enum).
func CurrencyCodes() []string {
	codes := make([]string, len(isoTable)/entrySize)
	for i := range codes {
		codes[i] = entry(i).Code
	}
	return codes
}
