package crm

import (
	"github.com/consultantpro/consultantpro/internal/db"
	"github.com/consultantpro/consultantpro/internal/money"
	"github.com/consultantpro/consultantpro/internal/validate"
)

// Shims for the resources not yet on the module kit.

const MsgNull = validate.MsgNull

func currencyOf(code string) money.Currency { return money.CurrencyOf(code) }
func validID(id string) bool                 { return db.ValidID(id) }
func notFound() error                        { return db.NotFound() }
func choiceMessage(v string) string          { return validate.ChoiceMessage(v) }

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

type idIn struct {
	ID string `path:"id"`
}
