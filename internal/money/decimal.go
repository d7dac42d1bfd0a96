package money

import "encoding/json"

// Decimal is a money or hours value exactly as the client sent it: the text of a JSON string
// ("12.50") or of a JSON number (12.50 keeps "12.50"), never converted through float64. A DTO
// uses it when the currency is known only at validation time; the module then checks it with
// Parse (or the Amount and Hours methods), which reports the field's message. The empty
// Decimal means the value was null or absent.
type Decimal string

// UnmarshalJSON keeps the text of a JSON string or number. null sets d to "". Any other JSON
// value (true, {}, []) is ErrInvalidNumber. The text is not validated here.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = trimJSONSpace(b)
	if len(b) == 0 {
		return ErrInvalidNumber
	}
	switch c := b[0]; {
	case c == '"':
		if inner, ok := jsonStringBody(b); ok {
			*d = Decimal(inner)
			return nil
		}
		var s string
		if json.Unmarshal(b, &s) != nil {
			return ErrInvalidNumber
		}
		*d = Decimal(s)
	case c == '-' || isDigit(c):
		*d = Decimal(b)
	case string(b) == "null":
		*d = ""
	default:
		return ErrInvalidNumber
	}
	return nil
}

// MarshalJSON renders d as a JSON string ("12.50"); the empty Decimal renders as "".
func (d Decimal) MarshalJSON() ([]byte, error) {
	return json.Marshal(string(d))
}

// Amount parses d in currency c, as Parse does.
func (d Decimal) Amount(c Currency) (Amount, error) { return Parse(string(d), c) }

// Hours parses d as hours, as ParseHours does.
func (d Decimal) Hours() (Hours, error) { return ParseHours(string(d)) }
