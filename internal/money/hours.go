package money

import "database/sql/driver"

// Hours is a duration of work as an integer count of hundredths of an hour: 850 is 8.50 h.
type Hours int64

// hoursDigits is the number of decimal places of Hours.
const hoursDigits = 2

// ParseHours reads a decimal number of hours such as "8", "8.5", "8.50" or "0.01", with the
// grammar and messages of Parse and at most two decimal places. Negative values parse; the
// range rules of a time entry belong to its module.
func ParseHours(s string) (Hours, error) {
	v, err := parseFixed(s, hoursDigits)
	return Hours(v), err
}

// ParseHoursJSON reads hours from a JSON string ("8.50") or number (8.5) as ParseJSON does.
func ParseHoursJSON(raw []byte) (Hours, error) {
	v, err := parseJSONFixed(raw, hoursDigits)
	return Hours(v), err
}

// String renders h with exactly two decimal places: "8.00", "0.01", "24.00", "-1.25".
func (h Hours) String() string {
	var buf [fixedMaxLen]byte
	return string(appendFixed(buf[:0], int64(h), hoursDigits))
}

// MarshalJSON renders h as a JSON string with two decimal places ("8.00"), as SPEC §2 wants,
// so that Hours in a response never turns into a bare count of hundredths.
func (h Hours) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, fixedMaxLen+2)
	b = append(b, '"')
	b = appendFixed(b, int64(h), hoursDigits)
	return append(b, '"'), nil
}

// Value stores hours as their integer hundredths. Without it a driver would see the JSON
// marshaller and store "8.00" as text.
func (h Hours) Value() (driver.Value, error) { return int64(h), nil }
