package docs

import (
	"bytes"
	"embed"
	"net/http"
	"path"
	"time"
)

// assetFS holds the vendored Swagger UI and ReDoc bundles (see
// scripts/update-docs-assets.sh) and this package's own init scripts.
//
//go:embed assets
var assetFS embed.FS

// contentTypes maps the extensions found in assets/ to their Content-Type, so
// the answer does not depend on the host's MIME tables. Files without a known
// extension (LICENSE.*, NOTICE.*, VERSIONS) are plain text.
var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".txt": "text/plain; charset=utf-8",
}

// serveAsset serves the embedded file named by the {file} path segment.
func serveAsset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	data, err := assetFS.ReadFile("assets/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		ct = "text/plain; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}
