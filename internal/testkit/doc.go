// Package testkit holds test helpers shared by every package: a fresh database per test
// (a temporary SQLite file, or a fresh PostgreSQL schema when TEST_DATABASE_URL is set), and a
// headless browser for the documentation pages.
package testkit
