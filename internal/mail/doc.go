// Package mail sends email: SMTP through go-mail when SMTP_URL is set, the log otherwise.
// Messages carry HTML with a plain-text alternative, rendered from templates (html/template
// escapes what the data holds); header values (names, subjects) are single-line by
// construction, so no value can add a header or a recipient.
package mail
