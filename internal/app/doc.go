// Package app is the composition root: it turns a Config into a running server — logs,
// database, migrations, the HTTP platform with every module, health and metrics — and is what
// end-to-end tests start.
package app
