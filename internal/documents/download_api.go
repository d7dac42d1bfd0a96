package documents

import (
	"context"
	"net/http"
	"time"

	"github.com/consultantpro/consultantpro/internal/api"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/resource"
	"github.com/danielgtaylor/huma/v2"
)

// DownloadOut is a download link.
type DownloadOut struct {
	URL       string     `json:"url" doc:"Fetch the file here, without the bearer token; it comes as an attachment"`
	ExpiresAt time.Time  `json:"expires_at" doc:"One hour after the link was made"`
	Version   VersionOut `json:"version"`
}

type downloadIn struct {
	ID   string `path:"id"`
	base string
}

// Resolve keeps the scheme and host the caller reached this server at, for local links.
func (in *downloadIn) Resolve(ctx huma.Context) []error {
	in.base = serverBase(ctx)
	return nil
}

type versionDownloadIn struct {
	ID      string `path:"id"`
	Version string `path:"version" doc:"Version id"`
	base    string
}

// Resolve keeps the scheme and host the caller reached this server at, for local links.
func (in *versionDownloadIn) Resolve(ctx huma.Context) []error {
	in.base = serverBase(ctx)
	return nil
}

// serverBase is the scheme and host a request reached this server at.
func serverBase(ctx huma.Context) string { return api.Info(ctx.Context()).Scheme + "://" + ctx.Host() }

func registerDownloads(a *api.API, s *Service) {
	tag := []string{"Documents: documents"}
	desc := "A link valid for one hour: presigned by S3-compatible storage, or signed by this server for " +
		"local storage (an expired or altered link is answered 403)."
	out := func(l *Link, err error) (*struct{ Body DownloadOut }, error) {
		if err != nil {
			return nil, err
		}
		return &struct{ Body DownloadOut }{DownloadOut{URL: l.URL, ExpiresAt: l.ExpiresAt, Version: versionOut(l.Version)}}, nil
	}
	cur := huma.Operation{OperationID: "download-document", Method: http.MethodGet,
		Path: "/documents/documents/{id}/download/", Summary: "Download a document's current version",
		Tags: tag, Description: desc}
	resource.Operation(a, resource.Named(cur, "documents"), documentPolicy{}, resource.Read, nil,
		func(ctx context.Context, actor auth.Actor, in *downloadIn) (*struct{ Body DownloadOut }, error) {
			return out(s.Download(ctx, actor, in.ID, "", in.base))
		})
	ver := huma.Operation{OperationID: "download-document-version", Method: http.MethodGet,
		Path: "/documents/documents/{id}/versions/{version}/download/", Summary: "Download a version",
		Tags: tag, Description: desc}
	resource.Operation(a, resource.Named(ver, "documents"), documentPolicy{}, resource.Read, nil,
		func(ctx context.Context, actor auth.Actor, in *versionDownloadIn) (*struct{ Body DownloadOut }, error) {
			return out(s.Download(ctx, actor, in.ID, in.Version, in.base))
		})
	a.Router.Handle("GET "+FilesPath, http.HandlerFunc(s.serveFile))
}
