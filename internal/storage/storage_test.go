package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/storage"
	"github.com/consultantpro/consultantpro/internal/testkit"
)

// stores runs the suite against each implementation: a local directory and an S3 bucket on a
// server run in the test process.
func stores(t *testing.T) map[string]func(t *testing.T) storage.Store {
	return map[string]func(t *testing.T) storage.Store{
		"dir": func(t *testing.T) storage.Store {
			d, err := storage.NewDir(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return d
		},
		"s3": func(t *testing.T) storage.Store { return testkit.StartS3(t).Store },
	}
}

const (
	firmA = "0193aaaa-0000-7000-8000-000000000001"
	firmB = "0193bbbb-0000-7000-8000-000000000002"
	docA  = "0193aaaa-0000-7000-8000-00000000000d"
	verA  = "0193aaaa-0000-7000-8000-0000000000e1"
	verB  = "0193aaaa-0000-7000-8000-0000000000e2"
)

func put(t *testing.T, s storage.Store, key, content string) {
	t.Helper()
	if err := s.Put(context.Background(), key, strings.NewReader(content), int64(len(content)), "text/plain"); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

func read(t *testing.T, s storage.Store, key string) string {
	t.Helper()
	rc, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return string(b)
}

func list(t *testing.T, s storage.Store, prefix string) []string {
	t.Helper()
	keys, err := s.List(context.Background(), prefix)
	if err != nil {
		t.Fatalf("list %q: %v", prefix, err)
	}
	slices.Sort(keys)
	return keys
}

func TestStores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, open := range stores(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			t.Run("put then open returns the bytes; put again replaces them", func(t *testing.T) {
				s := open(t)
				key := storage.Key(firmA, docA, verA)
				put(t, s, key, "first")
				if got := read(t, s, key); got != "first" {
					t.Fatalf("read %q", got)
				}
				put(t, s, key, "second")
				if got := read(t, s, key); got != "second" {
					t.Fatalf("read after replace %q", got)
				}
			})
			t.Run("a large blob streams through", func(t *testing.T) {
				s := open(t)
				big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
				key := storage.Key(firmA, docA, verA)
				if err := s.Put(ctx, key, bytes.NewReader(big), int64(len(big)), "application/octet-stream"); err != nil {
					t.Fatal(err)
				}
				if got := read(t, s, key); got != string(big) {
					t.Fatalf("read %d bytes, want %d", len(got), len(big))
				}
			})
			t.Run("open of a missing key is ErrNotExist", func(t *testing.T) {
				s := open(t)
				if _, err := s.Open(ctx, storage.Key(firmA, docA, verB)); !errors.Is(err, storage.ErrNotExist) {
					t.Fatalf("open missing: %v, want ErrNotExist", err)
				}
			})
			t.Run("list by prefix, delete, delete again", func(t *testing.T) {
				s := open(t)
				put(t, s, storage.Key(firmA, docA, verA), "a")
				put(t, s, storage.Key(firmA, docA, verB), "b")
				put(t, s, storage.Key(firmB, docA, verA), "c")
				want := []string{storage.Key(firmA, docA, verA), storage.Key(firmA, docA, verB)}
				if got := list(t, s, firmA+"/"); !slices.Equal(got, want) {
					t.Fatalf("list firm A = %q, want %q", got, want)
				}
				if got := list(t, s, ""); len(got) != 3 {
					t.Fatalf("list all = %q, want 3 keys", got)
				}
				if err := s.Delete(ctx, storage.Key(firmA, docA, verA)); err != nil {
					t.Fatal(err)
				}
				if err := s.Delete(ctx, storage.Key(firmA, docA, verA)); err != nil {
					t.Fatalf("delete missing: %v", err)
				}
				if got := list(t, s, firmA+"/"); !slices.Equal(got, want[1:]) {
					t.Fatalf("list after delete = %q, want %q", got, want[1:])
				}
			})
			t.Run("keys the server did not make are refused", func(t *testing.T) {
				s := open(t)
				for _, key := range []string{"", "../etc/passwd", "a/../../b", "/abs", "a//b", "Report.pdf", "a/b c", "a/"} {
					if err := s.Put(ctx, key, strings.NewReader("x"), 1, "text/plain"); err == nil {
						t.Errorf("put %q: accepted", key)
					}
					if _, err := s.Open(ctx, key); err == nil || errors.Is(err, storage.ErrNotExist) {
						t.Errorf("open %q: %v, want a refusal", key, err)
					}
					if err := s.Delete(ctx, key); err == nil {
						t.Errorf("delete %q: accepted", key)
					}
				}
				if got := list(t, s, ""); len(got) != 0 {
					t.Fatalf("refused keys left blobs: %q", got)
				}
			})
		})
	}
}

func TestS3PresignedDownload(t *testing.T) {
	t.Parallel()
	s3 := testkit.StartS3(t)
	key := storage.Key(firmA, docA, verA)
	put(t, s3.Store, key, "%PDF-1.4 report")
	u, err := s3.Store.PresignGet(context.Background(), key,
		storage.Download{Name: "Q1 report.pdf", ContentType: "application/pdf"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, s3.URL+"/documents/") || !strings.Contains(u, "X-Amz-Expires=3600") {
		t.Fatalf("presigned URL %q: not a one-hour URL of the bucket", u)
	}
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || string(body) != "%PDF-1.4 report" {
		t.Fatalf("GET presigned: %d %q", res.StatusCode, body)
	}
}

func TestOpenChoosesTheStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		url  string
		want string // "dir", "s3" or "error"
	}{
		{"", "dir"},
		{"file://" + dir + "/blobs", "dir"},
		{"file://relative/path", "error"},
		{"s3://bucket?endpoint=127.0.0.1:9000&region=us-east-1&secure=false&path_style=true", "s3"},
		{"s3://bucket?endpoint=http://minio.internal:9000", "s3"},
		{"s3://bucket", "s3"},
		{"s3://?endpoint=x", "error"},
		{"s3://bucket?secure=maybe", "error"},
		{"ftp://host/x", "error"},
	} {
		s, err := storage.Open(tc.url, dir)
		got := "error"
		switch s.(type) {
		case *storage.Dir:
			got = "dir"
		case *storage.S3:
			got = "s3"
		}
		if got != tc.want {
			t.Errorf("Open(%q) = %s (%v), want %s", tc.url, got, err, tc.want)
		}
	}
}
