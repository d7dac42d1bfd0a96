// Package docs serves the human-readable API documentation: a Swagger UI page
// at /api/docs/ and a ReDoc page at /api/redoc/.
//
// Everything the pages need (the Swagger UI and ReDoc bundles, their styles and
// the small scripts that start them) is embedded in the binary, so the pages
// work offline and make no request to another origin. The vendored bundles are
// refreshed with scripts/update-docs-assets.sh; the versions are recorded in
// assets/VERSIONS.
//
// The pages contain no inline script: each loads its bundle and an init script
// from /api/docs/assets/, which reads the OpenAPI document's URL from the
// data-schema-url attribute of the element it renders into. That keeps the
// Content-Security-Policy ([CSP]) down to 'self' for scripts.
package docs
