// Package assets owns the firm's assets and their maintenance logs (SPEC §9).
//
//   - Assets: asset tags unique per firm ignoring case; an assignee is an active user of the
//     firm; purchase price and salvage value are exact money in the asset's currency (the
//     firm's by default), the salvage value within the price; useful life 1–100 years.
//   - book_value is straight-line as of the firm's today: price − (price − salvage) × completed
//     months ÷ (life × 12), the depreciation rounded half away from zero to the minor unit,
//     never below the salvage value (BookValue). is_under_warranty: warranty_expiry ≥ today.
//   - Maintenance logs belong to an asset: completed needs a completed_date (not in the future);
//     a log leaving completed loses it; cost is exact money in the log's currency (the asset's
//     by default).
//   - Owners, admins and accountants manage assets and maintenance; managers read them; a
//     consultant reads the assets assigned to them and their maintenance, and nothing else of
//     the module exists for them (404).
//
// Each resource is on the module kit (internal/resource): <resource>.go holds its enums,
// messages, policy and pure rules; <resource>_store.go its model, list query, service methods
// and SQL; <resource>_api.go its request and response types and its routes.
package assets
