// Package notify sends the product's emails from durable jobs: the event that causes an email
// (an invoice sent, ...) enqueues its job in its own transaction; the job renders the message
// and sends it through the mail sender.
//
// No email is sent twice for one event: each has an event key (kind and object id), and the
// job claims that key in email_deliveries before it sends. A retry after a failed send finds
// no claim (a failure releases it) and sends; a second run after a successful send finds it
// sent and stops. A claim left "sending" by an attempt that is over (its process killed in
// mid-send) is taken over by the next attempt and sent again, with a warning: an email is
// never lost, and goes twice only when the kill fell between the SMTP server's accept and the
// "sent" mark (at-least-once; docs/operations.md).
package notify
