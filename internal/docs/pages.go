package docs

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

// The page templates. Their only input is pageData.
var (
	swaggerTemplate = template.Must(template.ParseFS(templateFS, "templates/swagger.html"))
	redocTemplate   = template.Must(template.ParseFS(templateFS, "templates/redoc.html"))
)

// pageData is what the page templates are executed with.
type pageData struct {
	// Assets is the URL prefix of the embedded assets, ending in a slash.
	Assets string
	// SchemaURL is where the init script fetches the OpenAPI document from.
	SchemaURL string
}

// page is a rendered HTML page.
type page []byte

// newPage renders tmpl for schemaURL once, so serving it cannot fail.
func newPage(tmpl *template.Template, schemaURL string) page {
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, pageData{Assets: assetsPath, SchemaURL: schemaURL}); err != nil {
		// The templates are static and the data is two strings.
		panic("docs: render " + tmpl.Name() + ": " + err.Error())
	}
	return buf.Bytes()
}

// ServeHTTP writes the page.
func (p page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(p))
}
