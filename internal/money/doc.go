// Package money holds ConsultantPro's exact money and hours arithmetic (SPEC §2).
//
// # Representation
//
// An [Amount] is an int64 count of minor units of a currency (cents for USD, yen for JPY,
// fils for KWD). The currency is not part of the value: it lives beside it, usually in a
// currency column, and is passed to [Parse] and [Format]. [Hours] is an int64 count of
// hundredths of an hour. No floating point is used anywhere: JSON numbers are read from their
// literal text, never through float64.
//
// # Currencies
//
// [LookupCurrency] knows every active ISO 4217 currency (list one, as of amendment 180,
// effective 2026-01-01) with its minor unit: 0 (JPY, KRW, CLP, ...), 2 (USD, EUR, ...) or 3
// (BHD, KWD, ...). Codes are exact, upper-case and three letters; "usd" is unknown. Funds
// (BOV, CLF, USN, ...), precious metals (XAU, XAG, XPD, XPT), units of account (XDR, XSU,
// XUA, XAD, XBA-XBD), the testing code XTS, the no-currency code XXX and withdrawn codes
// (ANG, BGN, CUC, HRK, SLL, VEF, ZWL) are unknown.
//
// # Decimal text
//
// [Parse], [ParseHours] and their JSON forms accept exactly
//
//	-?[0-9]+(\.[0-9]+)?
//
// with at most as many fraction digits as the currency has (two for hours). So:
//
//   - "1600", "1600.5", "1600.50", "-3.25", "0.00", "-0" and "007.50" are accepted;
//   - ".5", "1.", ".", "-", "", "+1", " 1", "1 ", "1,000", "1e3", "0x10", "NaN" are not
//     ("A valid number is required.");
//   - more fraction digits than the currency has are refused even when they are zeros:
//     "1.500" in USD gives "Ensure that there are no more than 2 decimal places." and "1.0"
//     in JPY gives "Ensure that there are no decimal places.";
//   - a value whose minor units do not fit in an int64 gives "Value is too large.".
//
// A syntax error is reported before a decimal-places error, which is reported before an
// overflow. Range rules (positive amounts, at most 24 hours, ...) belong to the modules.
//
// In JSON a value may be a string ("12.50") or a number (12.50) with the same grammar; a
// number in exponent form (1e3) is refused, leading zeros are refused in numbers as JSON
// requires, and null, booleans, objects and arrays are "A valid number is required.".
// [Decimal] keeps a value's text as the client sent it, so that a DTO can be decoded before
// its currency is known and validated later with [Parse].
//
// # Output
//
// [Format] renders exactly the currency's number of fraction digits ("1600.00", "1600" for
// JPY, "1234.567" for KWD, "-0.05"); [Hours.String] renders two ("8.00"). Both are meant to
// be sent as JSON strings.
//
// # Arithmetic
//
// [Amount.Add], [Amount.Sub] and [Sum] refuse to overflow. [BilledAmount] (hours × rate) and
// [PercentOf] (amount × percentage with two decimals) compute the exact 128-bit product and
// round it half away from zero to the minor unit: 0.005 → 0.01 and -0.005 → -0.01.
// Every error is an [Error], whose text is a client-safe validation message.
package money
