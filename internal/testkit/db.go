package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/jobs"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create and drop test schemas
)

// Engine names the database the suite runs on: "postgres" when TEST_DATABASE_URL is set,
// else "sqlite".
func Engine() string {
	if os.Getenv("TEST_DATABASE_URL") != "" {
		return "postgres"
	}
	return "sqlite"
}

// DatabaseURL returns the URL of a fresh, empty database that lives as long as the test: a
// temporary SQLite file, or — with TEST_DATABASE_URL set — a new schema in that PostgreSQL
// database, dropped at cleanup. An unreachable PostgreSQL fails the test; it never skips.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	defer admin.Close()
	schema := "t_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("TEST_DATABASE_URL is set but PostgreSQL refused a test schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("drop test schema: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// NewDB opens a fresh database for the test with every migration applied; it is closed at
// cleanup. River's tables are not in it (see MigratedDatabaseURL).
func NewDB(t testing.TB) *db.DB {
	t.Helper()
	if Engine() == "sqlite" {
		return OpenDB(t, sqliteCopy(t, &appTemplate), false)
	}
	return OpenDB(t, DatabaseURL(t), true)
}

// MigratedDatabaseURL returns the URL of a fresh database, like DatabaseURL, with the app's
// and River's migrations applied: the state app.New leaves a database in.
func MigratedDatabaseURL(t testing.TB) string {
	t.Helper()
	if Engine() == "sqlite" {
		return sqliteCopy(t, &jobsTemplate)
	}
	u := DatabaseURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := migrateURL(ctx, u, true); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return u
}

// sqliteTemplate is a migrated SQLite database built once per test process and kept in memory:
// migrating costs far more than writing the bytes to each test's own file.
type sqliteTemplate struct {
	jobs  bool // River's migrations too
	once  sync.Once
	bytes []byte
	err   error
}

var (
	appTemplate  = sqliteTemplate{}
	jobsTemplate = sqliteTemplate{jobs: true}
)

// sqliteCopy writes the template into a file in the test's temporary directory and returns
// its URL.
func sqliteCopy(t testing.TB, tpl *sqliteTemplate) string {
	t.Helper()
	tpl.once.Do(func() { tpl.bytes, tpl.err = buildSQLiteTemplate(tpl.jobs) })
	if tpl.err != nil {
		t.Fatalf("build the migrated template database: %v", tpl.err)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(path, tpl.bytes, 0o600); err != nil {
		t.Fatalf("copy the template database: %v", err)
	}
	return "sqlite:" + path
}

// buildSQLiteTemplate migrates a database in a directory of its own, closes it (which
// checkpoints the write-ahead log into the main file) and returns the file's bytes.
func buildSQLiteTemplate(withJobs bool) ([]byte, error) {
	dir, err := os.MkdirTemp("", "consultantpro-template-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := migrateURL(ctx, "sqlite:"+path, withJobs); err != nil {
		return nil, err
	}
	// A log left behind would hold writes the main file lacks.
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return nil, fmt.Errorf("template database left a %d-byte write-ahead log", fi.Size())
	}
	return os.ReadFile(path)
}

// OpenDB opens the database at rawURL, optionally migrated, and closes it at cleanup.
func OpenDB(t testing.TB, rawURL string, migrate bool) *db.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	d, err := db.Open(ctx, rawURL)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	if migrate {
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatalf("migrate test database: %v", err)
		}
	}
	return d
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// migrateURL applies the app's migrations, and River's when withJobs, to the database at rawURL
// and closes it.
func migrateURL(ctx context.Context, rawURL string, withJobs bool) error {
	d, err := db.Open(ctx, rawURL)
	if err != nil {
		return err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return err
	}
	if withJobs {
		if _, err := jobs.Migrate(ctx, d); err != nil {
			d.Close()
			return err
		}
	}
	return d.Close()
}
