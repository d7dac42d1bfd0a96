// Package crm owns clients, proposals and contracts (SPEC §4).
//
//   - Clients: company names are unique per firm, case-insensitively; contact emails are stored
//     lower-cased; phones, websites and money follow SPEC §4's exact rules. The owner defaults
//     to the creator; only owners and admins reassign it. A consultant edits only the clients
//     they own.
//   - Proposals: numbered PROP-YYYY-NNN per firm and year when created; a state machine
//     (draft → sent → under_review → accepted | rejected, with expiry) stamps sent_at and
//     accepted_at; an expired proposal cannot be sent. "Today" is the firm's today.
//   - Contracts: numbered CTR-YYYY-NNN; the rules (end after start, proposal of the same
//     client, signed date not after start, the activation stamp) always apply to the effective
//     values — what the request sends, else what is stored.
//   - A consultant edits only the proposals and contracts they created; managers, admins and
//     owners edit all; accountants read. Another firm's objects are not found (404).
package crm
