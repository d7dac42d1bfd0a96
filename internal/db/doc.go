// Package db opens ConsultantPro's database — embedded SQLite by default, PostgreSQL when the URL
// says so — behind bun, applies the embedded migrations, runs transactions and translates driver
// errors into fault kinds by their codes. Modules write one bun code path that runs on both.
package db
