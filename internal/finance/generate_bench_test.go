package finance_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// BenchmarkGenerateInvoice10k invoices 10,000 unbilled time entries in one call, through the
// HTTP stack (SPEC §13: under 1 s). Each iteration seeds a fresh month of entries with the
// timer stopped; group_by=task makes one line per task and rate, group_by=entry 10,000 lines.
func BenchmarkGenerateInvoice10k(b *testing.B) {
	for _, groupBy := range []string{"task", "entry"} {
		b.Run("group_by="+groupBy, func(b *testing.B) {
			s := startServer(b)
			bk := s.newBooks(b)
			owner := bk.users[roleOwner]
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				month := fmt.Sprintf("2025-%02d", i%12+1)
				if i >= 12 {
					month = fmt.Sprintf("%d-%02d", 2010-i/12, i%12+1)
				}
				s.seedEntries(b, bk.firm.ID, bk.project, owner.ID, month+"-15", 10000)
				b.StartTimer()
				r := s.Do(b, http.MethodPost, generatePath, bk.owner, map[string]any{"client": bk.client,
					"project": bk.project, "date_after": month + "-01", "date_before": month + "-28", "group_by": groupBy})
				testkit.WantStatus(b, r, http.StatusCreated)
			}
		})
	}
}
