package documents

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/consultantpro/consultantpro/internal/storage"
)

// Downloads are handed out as URLs valid for DownloadTTL: S3-compatible storage presigns
// them; local storage gets a URL of this server (FilesPath) carrying the blob's key, the
// download's name and type and the expiry, signed with an HMAC of the server's secret key. The
// signature is the authorisation: whoever holds the URL may fetch that one file until it
// expires; an altered or expired URL is answered 403.

// DownloadTTL is how long a download URL works.
const DownloadTTL = time.Hour

// FilesPath serves the signed downloads of local storage.
const FilesPath = api.Prefix + "/documents/files/"

// Link is a time-limited download URL.
type Link struct {
	URL       string
	ExpiresAt time.Time
	Version   *Version
}

// signer signs and checks local download URLs.
type signer struct{ key []byte }

// newSigner derives the signing key from the secret key, so that a download signature can
// never be mistaken for anything else signed with it (tokens).
func newSigner(secret string) signer {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("consultantpro document downloads"))
	return signer{key: m.Sum(nil)}
}

func (s signer) sign(key string, d storage.Download, expires int64) string {
	m := hmac.New(sha256.New, s.key)
	for _, part := range []string{key, d.Name, d.ContentType, strconv.FormatInt(expires, 10)} {
		m.Write([]byte(part))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// query is the signed query string of a local download.
func (s signer) query(key string, d storage.Download, expires int64) string {
	q := url.Values{}
	q.Set("key", key)
	q.Set("name", d.Name)
	q.Set("type", d.ContentType)
	q.Set("expires", strconv.FormatInt(expires, 10))
	q.Set("signature", s.sign(key, d, expires))
	return q.Encode()
}

// verify checks a local download's query at now: the key and download it names, or 403.
func (s signer) verify(q url.Values, now time.Time) (string, storage.Download, error) {
	key := q.Get("key")
	d := storage.Download{Name: q.Get("name"), ContentType: q.Get("type")}
	expires, err := strconv.ParseInt(q.Get("expires"), 10, 64)
	want := s.sign(key, d, expires)
	if err != nil || !hmac.Equal([]byte(want), []byte(q.Get("signature"))) {
		return "", d, fault.New(fault.Forbidden, MsgDownloadTampered)
	}
	if now.Unix() >= expires {
		return "", d, fault.New(fault.Forbidden, MsgDownloadExpired)
	}
	return key, d, nil
}

// Download returns a URL of a document's version (its current one when versionID is "");
// base is the scheme and host this server is reached at, for local storage's URLs.
func (s *Service) Download(ctx context.Context, a auth.Actor, id, versionID, base string) (*Link, error) {
	doc, err := resource.Get[Document](documentPolicy{}, s.documentView)(ctx, a, id)
	if err != nil {
		return nil, err
	}
	v := doc.Current
	if versionID != "" {
		if v, err = s.version(ctx, a.Firm(), id, versionID); err != nil {
			return nil, err
		}
	} else if v == nil {
		return nil, fault.New(fault.NotFound, "This document has no version.")
	} else if v, err = s.version(ctx, a.Firm(), id, v.ID); err != nil { // for its storage key
		return nil, err
	}
	d := storage.Download{Name: v.FileName, ContentType: v.ContentType}
	if d.Name == "" {
		d.Name = doc.Name
	}
	expires := s.Now().Add(DownloadTTL).Truncate(time.Second)
	link := &Link{ExpiresAt: expires.UTC(), Version: v}
	if p, ok := s.Store.(storage.Presigner); ok {
		link.URL, err = p.PresignGet(ctx, v.StorageKey, d, DownloadTTL)
		if err != nil {
			return nil, fault.Wrap(fault.Unavailable, "The download link could not be made; try again.", err)
		}
		return link, nil
	}
	link.URL = base + FilesPath + "?" + s.signer.query(v.StorageKey, d, expires.Unix())
	return link, nil
}

// serveFile serves a signed local download: the blob as an attachment, with its sniffed type.
// The API's headers (nosniff, the locked-down CSP, no-store) apply as on every response.
func (s *Service) serveFile(w http.ResponseWriter, r *http.Request) {
	key, d, err := s.signer.verify(r.URL.Query(), s.Now())
	if err != nil {
		api.WriteError(w, r, err)
		return
	}
	blob, err := s.Store.Open(r.Context(), key)
	if err != nil {
		if err == storage.ErrNotExist {
			err = fault.New(fault.NotFound, "Not found.")
		}
		api.WriteError(w, r, err)
		return
	}
	defer blob.Close()
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Disposition", storage.Disposition(d.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, blob)
	}
}
