package storage

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Open chooses the Store of STORAGE_URL: "" is the directory files under dataDir;
// "file:///path" a directory; "s3://bucket?endpoint=host:port&region=…" a bucket (AWS when no
// endpoint is given; "secure=false" for plain HTTP, "path_style=true" for MinIO-like servers),
// with credentials from the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or
// MINIO_ACCESS_KEY and MINIO_SECRET_KEY).
func Open(rawURL, dataDir string) (Store, error) {
	if rawURL == "" {
		return NewDir(filepath.Join(dataDir, "files"))
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("STORAGE_URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" || u.Path == "" {
			return nil, fmt.Errorf("STORAGE_URL: a file URL needs an absolute path (file:///path), got %q", rawURL)
		}
		return NewDir(filepath.FromSlash(u.Path))
	case "s3":
		o, err := s3Options(u)
		if err != nil {
			return nil, err
		}
		o.Creds = credentials.NewChainCredentials([]credentials.Provider{&credentials.EnvAWS{}, &credentials.EnvMinio{}})
		return NewS3(o)
	}
	return nil, fmt.Errorf("STORAGE_URL must start with file:// or s3://, got %q", rawURL)
}

// s3Options reads a bucket's location from an s3:// URL.
func s3Options(u *url.URL) (S3Options, error) {
	q := u.Query()
	o := S3Options{Bucket: u.Host, Endpoint: "s3.amazonaws.com", Region: q.Get("region"), Secure: true}
	if o.Bucket == "" {
		return o, fmt.Errorf("STORAGE_URL: an s3 URL names its bucket (s3://bucket?…)")
	}
	if e := q.Get("endpoint"); e != "" {
		o.Endpoint = e
		if scheme, rest, ok := strings.Cut(e, "://"); ok {
			o.Endpoint, o.Secure = strings.TrimSuffix(rest, "/"), scheme == "https"
		}
	}
	for name, dst := range map[string]*bool{"secure": &o.Secure, "path_style": &o.PathStyle} {
		if v := q.Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return o, fmt.Errorf("STORAGE_URL: %s must be true or false, got %q", name, v)
			}
			*dst = b
		}
	}
	return o, nil
}
