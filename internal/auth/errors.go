package auth

import (
	"errors"

	"github.com/uptrace/bun"
)

// Internal causes of a refused token, for the security log only.
var (
	errSessionRevoked = errors.New("session revoked")
	errSessionExpired = errors.New("session expired")
	errUserInactive   = errors.New("user deactivated")
)

// bunIDB is a database handle or a transaction.
type bunIDB = bun.IDB
