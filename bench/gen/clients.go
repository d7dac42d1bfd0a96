package gen

import (
	"fmt"
	"strings"

	"github.com/consultantpro/consultantpro/internal/crm"
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/money"
)

// client builds client i, whose projects run on scheds; names holds the lower-cased names
// already taken (company names are unique per firm, case-insensitively).
func (b *builder) client(i int, names map[string]bool, scheds []schedule) crm.Client {
	name := b.companyName(names)
	stem := slug(strings.Fields(name)[0])
	created := b.cal.today - b.r.between(30, 900)
	if len(scheds) > 0 {
		created = firstStart(scheds) - b.r.between(65, 200)
	}
	created = b.cal.past(created)
	first, last := pick(b.r, b.v.firstNames), pick(b.r, b.v.lastNames)
	place := strings.Split(pick(b.r, b.v.places), ",")
	c := crm.Client{
		ID: db.NewID(), FirmID: b.firmID, CompanyName: name,
		Industry: pick(b.r, b.v.industries), Status: crm.ClientStatus(b.clientStatus(len(scheds) > 0)),
		PrimaryContactName:  first + " " + last,
		PrimaryContactEmail: slug(first) + "." + slug(last) + "@" + stem + ".example",
		PrimaryContactPhone: fmt.Sprintf("+1 555 %03d %04d", b.r.IntN(1000), b.r.IntN(10000)),
		StreetAddress:       fmt.Sprintf("%d %s", b.r.between(1, 999), pick(b.r, b.v.streets)),
		City:                place[0], State: place[1], PostalCode: fmt.Sprintf("%05d", b.r.IntN(100000)),
		Country: place[2], Website: "https://www." + stem + ".example",
		Currency: b.currency(), Source: pick(b.r, b.v.sources), OwnerID: b.lead(),
		CreatedAt: b.cal.stamp(created, b.r),
	}
	if b.r.chance(0.8) {
		n := int64(b.r.between(5, 50_000))
		c.EmployeeCount = &n
	}
	if b.r.chance(0.7) {
		rev := money.Amount(b.r.between(1, 5_000)) * 100_000_000 // 1 to 5,000 million
		c.AnnualRevenue = &rev
	}
	if i%7 == 0 {
		c.Notes = "Key account: quarterly business review with the executive sponsor."
	}
	c.UpdatedAt = b.later(c.CreatedAt, b.r.between(created, b.cal.today))
	return c
}

// companyName draws an unused company name; once the combinations run thin it numbers them.
func (b *builder) companyName(taken map[string]bool) string {
	for attempt := 0; ; attempt++ {
		name := fmt.Sprintf("%s %s %s", pick(b.r, b.v.stems), pick(b.r, b.v.trades), pick(b.r, b.v.forms))
		if attempt >= 20 {
			name = fmt.Sprintf("%s %d", name, attempt)
		}
		if key := strings.ToLower(name); !taken[key] {
			taken[key] = true
			return name
		}
	}
}

// clientStatus is active or inactive for a client with projects, else lead, prospect or lost.
func (b *builder) clientStatus(hasWork bool) string {
	if hasWork {
		return []string{"active", "active", "active", "inactive"}[b.r.IntN(4)]
	}
	return []string{"lead", "lead", "prospect", "prospect", "lost"}[b.r.IntN(5)]
}

// currency is the client's currency: mostly the firm's USD, some EUR and GBP.
func (b *builder) currency() string {
	switch x := b.r.Float64(); {
	case x < 0.85:
		return "USD"
	case x < 0.95:
		return "EUR"
	default:
		return "GBP"
	}
}

// firstStart is the earliest start among scheds, which must not be empty.
func firstStart(scheds []schedule) int {
	first := scheds[0].start
	for _, s := range scheds[1:] {
		first = min(first, s.start)
	}
	return first
}
