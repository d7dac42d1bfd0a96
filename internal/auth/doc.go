// Package auth owns firms, users, roles and sessions, and the role matrix every module's
// policies build on (SPEC §1, §3).
//
//   - Registering creates a new firm with the caller as its owner; open registration never grants
//     access to an existing firm.
//   - Login takes a username or an email. Failures all read "Invalid username or password" and cost
//     the same time whether or not the user exists.
//   - An access token is a short-lived JWT naming the user, firm and session. Every request checks
//     that the session is live and the user active, so logging out, changing a password (which
//     ends the user's other sessions) and deactivating a user take effect at once.
//   - Refresh tokens are opaque, stored only as hashes, and rotate on every use; presenting one
//     that was already rotated revokes its whole session.
//   - Roles are owner, admin, manager, consultant and accountant. The role matrix (CanRead,
//     CanWrite per area) is here; object rules (a consultant's own clients, the tasks assigned to
//     them) are written in each resource's policy, in the module that owns the resource.
//   - Only owners and admins manage the firm's settings and users; only an owner may grant,
//     change or remove the owner role, and a firm always keeps at least one active owner.
package auth
