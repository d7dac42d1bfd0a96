package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/config"
)

// demo serves with a seeded demo firm (its users, and on the first run its clients, proposals,
// contracts, projects, tasks and time) and prints how to sign in. Each run sets a fresh password
// for the demo users.
func demo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, _, err := config.Load("demo", args, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.Production() {
		return fmt.Errorf("demo refuses to run in production mode: it prints passwords")
	}
	return runServer(ctx, cfg, stderr, func(ctx context.Context, a *app.App) error {
		password := demoPassword()
		firm, users, err := a.SeedDemo(ctx, password)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Demo firm %q is ready. Sign in at http://%s/api/docs/ with any of:\n", firm.Name, cfg.Addr)
		for _, u := range users {
			fmt.Fprintf(stdout, "  %-16s %-11s password: %s\n", u.Username, u.Role, password)
		}
		fmt.Fprintln(stdout, `e.g. curl -s -X POST -H 'Content-Type: application/json' \`)
		fmt.Fprintf(stdout, "  -d '{\"username\":\"%s\",\"password\":\"%s\"}' http://%s/api/auth/login/\n",
			users[0].Username, password, cfg.Addr)
		return nil
	})
}

// demoPassword is 20 random letters and digits: long, uncommon and unlike any demo username.
func demoPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
