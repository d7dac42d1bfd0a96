package storage

import (
	"context"
	"errors"
	"io"
	"strings"
	"time"
)

// Store keeps blobs under server-made keys.
type Store interface {
	// Put stores size bytes read from r under key, replacing any blob there. The blob is
	// visible only once it is complete.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Open reads the blob under key; ErrNotExist when there is none.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the blob under key; removing a missing blob is not an error.
	Delete(ctx context.Context, key string) error
	// List returns the keys that start with prefix, in no particular order.
	List(ctx context.Context, prefix string) ([]string, error)
}

// Presigner is a Store that hands out time-limited URLs its clients download from directly
// (S3's presigned URLs). A Store without it is served by this server (see the documents module).
type Presigner interface {
	PresignGet(ctx context.Context, key string, d Download, ttl time.Duration) (string, error)
}

// Download is how a blob is served: the name it is saved as and its type.
type Download struct {
	Name        string
	ContentType string
}

// ErrNotExist is returned by Open for a key without a blob.
var ErrNotExist = errors.New("storage: no blob under this key")

// errBadKey refuses a key the server did not make.
var errBadKey = errors.New("storage: invalid key")

// Key joins ids into a key ("firm/document/version"). Ids are UUIDs; anything else is refused
// when the key is used.
func Key(ids ...string) string { return strings.Join(ids, "/") }

// validKey accepts keys of Key's shape: segments of lowercase letters, digits and dashes.
func validKey(key string) bool {
	if key == "" {
		return false
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" {
			return false
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// validPrefix accepts "" or a key, with or without a trailing slash.
func validPrefix(prefix string) bool {
	p := strings.TrimSuffix(prefix, "/")
	return p == "" || validKey(p)
}
