// Package config reads ConsultantPro's settings from environment variables and the matching
// command-line flags (a flag wins over its variable), applies the defaults of the two modes —
// local (one machine, zero setup) and production — and lists what a deployment gets wrong.
package config
