// Package logging builds the two loggers of ConsultantPro: the application logger and the
// security logger. Both write JSON lines through log/slog.
//
// The application logger fans out to the console (INFO and above, DEBUG and above in debug
// mode), to app.log (WARN and above) and to errors.log (ERROR and above). The security logger
// writes every record to security.log and to the console, and tags each record with
// "log":"security". Log files rotate at 10 MB and keep 10 backups.
//
// Attributes whose key looks like a secret (password, token, cookie, card number and the
// like) are written as "[REDACTED]", at any group depth. Because every record is one JSON
// object, newlines in messages or values are escaped and cannot forge extra log lines.
package logging
