package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is a Store in a bucket of an S3-compatible service, through minio-go.
type S3 struct {
	client *minio.Client
	bucket string
}

// S3Options locate a bucket and the credentials to reach it.
type S3Options struct {
	Bucket    string
	Endpoint  string // host[:port]; "s3.amazonaws.com" for AWS
	Region    string
	Secure    bool // HTTPS
	PathStyle bool // bucket in the path rather than the host name (MinIO, test servers)
	Creds     *credentials.Credentials
	Transport http.RoundTripper // nil: minio-go's default
}

// NewS3 connects to the bucket, which must exist.
func NewS3(o S3Options) (*S3, error) {
	lookup := minio.BucketLookupAuto
	if o.PathStyle {
		lookup = minio.BucketLookupPath
	}
	c, err := minio.New(o.Endpoint, &minio.Options{Creds: o.Creds, Secure: o.Secure, Region: o.Region,
		BucketLookup: lookup, Transport: o.Transport})
	if err != nil {
		return nil, fmt.Errorf("s3 storage: %w", err)
	}
	return &S3{client: c, bucket: o.Bucket}, nil
}

// Put implements Store. A known size streams in one request (or minio-go's multipart parts for
// large blobs); S3 makes the object visible only when it is complete.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if !validKey(key) {
		return errBadKey
	}
	_, err := s.client.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{ContentType: contentType})
	return err
}

// Open implements Store.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if !validKey(key) {
		return nil, errBadKey
	}
	// Stat first: GetObject is lazy and would report a missing object only on the first read.
	if _, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{}); err != nil {
		if isNoSuchKey(err) {
			return nil, ErrNotExist
		}
		return nil, err
	}
	return s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !validKey(key) {
		return errBadKey
	}
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if isNoSuchKey(err) {
		return nil
	}
	return err
}

// List implements Store.
func (s *S3) List(ctx context.Context, prefix string) ([]string, error) {
	if !validPrefix(prefix) {
		return nil, errBadKey
	}
	var keys []string
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if obj.Err != nil {
			return nil, obj.Err
		}
		keys = append(keys, obj.Key)
	}
	return keys, nil
}

// PresignGet implements Presigner: the URL makes S3 answer with the download's name as an
// attachment and its type.
func (s *S3) PresignGet(ctx context.Context, key string, d Download, ttl time.Duration) (string, error) {
	if !validKey(key) {
		return "", errBadKey
	}
	params := url.Values{}
	params.Set("response-content-disposition", Disposition(d.Name))
	params.Set("response-content-type", d.ContentType)
	u, err := s.client.PresignedGetObject(ctx, s.bucket, key, ttl, params)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// Disposition is the Content-Disposition of a download: always an attachment, so a browser
// never renders an uploaded file in the API's origin.
func Disposition(name string) string {
	if name == "" {
		name = "download"
	}
	return mime.FormatMediaType("attachment", map[string]string{"filename": name})
}

func isNoSuchKey(err error) bool {
	var resp minio.ErrorResponse
	return errors.As(err, &resp) && (resp.Code == "NoSuchKey" || resp.StatusCode == http.StatusNotFound)
}
