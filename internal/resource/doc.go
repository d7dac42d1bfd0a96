// Package resource is the module kit: how a module declares who may do what to a resource (its
// Policy) and registers the resource's standard operations (list, get, create, replace, update,
// delete) and its named actions (send, accept, ...) in a few lines. Every operation it registers
// checks the policy before huma reads the request body, records the policy in the operation's
// metadata (a test walks every operation for it), and opts into the response cache only when
// the resource says so.
//
// The services call the same policy inside their transactions, on the object they are about to
// change: the check before the body only orders the answers (403 or 404 before a 400 about the
// body); the check in the service is the one that holds under concurrency.
package resource
