package money

import "strconv"

// Error is a validation failure whose text is safe to show to a client as a field message.
// Errors are constants and compare with == or errors.Is.
type Error string

// Error returns the message.
func (e Error) Error() string { return string(e) }

// The errors of this package.
const (
	// ErrInvalidNumber is the text is not a plain decimal number, or the JSON value is not a
	// string or a number.
	ErrInvalidNumber Error = "A valid number is required."
	// ErrTooLarge is a value or a result that does not fit in an int64 count of minor units.
	ErrTooLarge Error = "Value is too large."
	// ErrNoDecimals is a fraction given for a currency without minor units (JPY, KRW, ...).
	ErrNoDecimals Error = "Ensure that there are no decimal places."
	// ErrMaxTwoDecimals is more than two fraction digits for a 2-digit currency or for hours.
	ErrMaxTwoDecimals Error = "Ensure that there are no more than 2 decimal places."
	// ErrMaxThreeDecimals is more than three fraction digits for a 3-digit currency (KWD, ...).
	ErrMaxThreeDecimals Error = "Ensure that there are no more than 3 decimal places."
	// ErrUnknownCurrency is a code that is not an active ISO 4217 currency, or a Currency
	// value that LookupCurrency could not have returned.
	ErrUnknownCurrency Error = "Unknown currency code."
)

// decimalsError is the error for more than digits fraction digits.
func decimalsError(digits int) Error {
	switch digits {
	case 0:
		return ErrNoDecimals
	case 2:
		return ErrMaxTwoDecimals
	case 3:
		return ErrMaxThreeDecimals
	}
	return Error("Ensure that there are no more than " + strconv.Itoa(digits) + " decimal places.")
}
