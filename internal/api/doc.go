// Package api is the HTTP platform every module stands on: the huma API with one error envelope
// for every failure, the /api/v1 paths with their /api alias and slash-agnostic matching, the
// middleware (request ids, recovery, logging, metrics, security headers, CORS, allowed hosts,
// HTTPS redirect, body limits) and the list helpers (pagination, filters, search, ordering,
// updated_since) that a module declares in a few lines.
package api
