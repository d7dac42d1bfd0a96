package testkit

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/consultantpro/consultantpro/internal/storage"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is an S3-compatible server run in the test process (gofakes3, in memory) with one bucket,
// and a storage.S3 on it. It stops at cleanup.
type S3 struct {
	URL   string // the server's base URL, for presigned URLs to be fetched from
	Store *storage.S3
}

// StartS3 starts the server and creates the bucket "documents".
func StartS3(t testing.TB) *S3 {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("documents"); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	store, err := storage.NewS3(storage.S3Options{Bucket: "documents", Endpoint: u.Host, Region: "us-east-1",
		PathStyle: true, Creds: credentials.NewStaticV4("test-access-key", "test-secret-key", "")})
	if err != nil {
		t.Fatalf("s3 store: %v", err)
	}
	return &S3{URL: srv.URL, Store: store}
}
