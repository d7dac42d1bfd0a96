package db

import (
	"sync"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// Lookaside: SQLite gives each connection a pool of small allocations of its own, used for
// parsing and for the prepared statements it keeps. Past it, every allocation goes to the
// process-wide allocator of modernc's libc, which takes one lock for all connections. The
// default pool (48 KB) was full once a reader kept one statement of the project list's shape,
// and the readers then queued on that lock while parsing (see docs/PERFORMANCE.md, round 7).
// 500 × 1,200 bytes is 600 KB a connection, which SQLite cuts into about 380 large and 1,140
// small slots: a kept statement of a list page's shape holds about 75 slots, the parse of one a
// few hundred.
const (
	lookasideSlotSize = 1200
	lookasideSlots    = 500
)

var lookasideOnce sync.Once

// configureLookaside sets the lookaside pool of every SQLite connection opened after it. SQLite
// takes this setting only before its first connection in the process; a later call leaves the
// default, which is slower, not wrong.
func configureLookaside() {
	lookasideOnce.Do(func() {
		tls := libc.NewTLS()
		defer tls.Close()
		va := libc.NewVaList(int32(lookasideSlotSize), int32(lookasideSlots))
		if va == 0 {
			return
		}
		defer libc.Xfree(tls, va)
		sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_LOOKASIDE, va)
	})
}
