package db

import (
	"database/sql/driver"
	"strings"
	"sync"

	"modernc.org/sqlite"
)

// registerUnicodeLower replaces SQLite's lower(), which folds only A–Z, with Go's Unicode
// lower-casing, so that case-insensitive uniqueness ("Ärzte" vs "ärzte"), lookups and search
// behave on SQLite as on PostgreSQL — with the same SQL. The driver keeps functions for every
// connection it opens, so this runs once per process, before the first connection.
var registerUnicodeLower = sync.OnceValue(func() error {
	return sqlite.RegisterDeterministicScalarFunction("lower", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return strings.ToLower(v), nil
			case []byte:
				return strings.ToLower(string(v)), nil
			default:
				return v, nil // NULL and numbers, as the built-in does
			}
		})
})
