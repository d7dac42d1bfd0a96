package finance

import (
	"errors"
	"fmt"
	"strings"

	"github.com/consultantpro/consultantpro/internal/db"
)

// errUnbalanced is an automatic posting that does not balance: a bug, reported as a 500.
var errUnbalanced = errors.New("finance: automatic journal entry does not balance")

// errNoAccount is a posting to a system account the firm's chart lacks.
func errNoAccount(key string) error { return errors.New("finance: no system account " + key) }

// sprintf formats a message with a status.
func sprintf(format string, v any) string { return fmt.Sprintf(format, v) }

func trim(s string) string { return strings.TrimSpace(s) }

func validID(s string) bool { return db.ValidID(s) }
