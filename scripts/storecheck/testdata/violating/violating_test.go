package violating

import (
	"context"
	"testing"

	"github.com/consultantpro/consultantpro/internal/db"
)

// Tests seed and inspect rows directly: nothing here is reported.
func TestSeed(t *testing.T) {
	var d *db.DB
	if d == nil {
		t.Skip("fixture for storecheck only")
	}
	_, _ = d.W.NewInsert().Model(&row{ID: "x"}).Exec(context.Background())
}
