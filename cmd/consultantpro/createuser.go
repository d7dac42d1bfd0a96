package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/logging"
)

// createuser creates a firm and its owner from the command line. The password is read from the
// first line of standard input, never from a flag (flags show up in process lists and shell
// history).
func createuser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("createuser", flag.ContinueOnError)
	fs.SetOutput(stderr)
	firm := fs.String("firm", "", "name of the new firm (required)")
	username := fs.String("username", "", "the owner's username (required)")
	email := fs.String("email", "", "the owner's email (required)")
	first := fs.String("first-name", "", "the owner's first name")
	last := fs.String("last-name", "", "the owner's last name")
	// The remaining arguments are the usual settings (DATABASE_URL, ...): split them off first.
	own, rest := splitFlags(args, "firm", "username", "email", "first-name", "last-name")
	if err := fs.Parse(own); err != nil {
		return err
	}
	cfg, _, err := config.Load("createuser", rest, getenv, stderr)
	if err != nil {
		return err
	}
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	password = strings.TrimRight(password, "\r\n")
	if password == "" {
		return errors.New("createuser reads the password from standard input: echo '…' | consultantpro createuser …")
	}
	if _, err := config.EnsureSecretKey(&cfg); err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, logging.Discard(), version)
	if err != nil {
		return err
	}
	defer a.Close()
	f, u, _, err := a.Auth.Register(ctx, auth.Registration{FirmName: *firm, Username: *username, Email: *email,
		Password: password, FirstName: *first, LastName: *last}, auth.ClientMeta{UserAgent: "consultantpro createuser"})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "created firm %q (%s) with owner %s <%s>\n", f.Name, f.ID, u.Username, u.Email)
	return nil
}

// describe spells out a validation error field by field for a terminal.
func describe(err error) error {
	fe := fault.As(err)
	if fe.Kind != fault.Invalid || len(fe.Details) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString("invalid input:")
	for field, msgs := range fe.Details {
		for _, m := range msgs {
			fmt.Fprintf(&b, "\n  %s: %s", strings.ReplaceAll(field, "_", "-"), m)
		}
	}
	return errors.New(b.String())
}

// splitFlags separates the named flags ("-name v", "--name=v") from the other arguments.
func splitFlags(args []string, names ...string) (own, rest []string) {
	isOwn := func(arg string) (bool, bool) {
		name := strings.TrimLeft(arg, "-")
		name, _, hasValue := strings.Cut(name, "=")
		for _, n := range names {
			if strings.HasPrefix(arg, "-") && name == n {
				return true, hasValue
			}
		}
		return false, false
	}
	for i := 0; i < len(args); i++ {
		mine, hasValue := isOwn(args[i])
		if !mine {
			rest = append(rest, args[i])
			continue
		}
		own = append(own, args[i])
		if !hasValue && i+1 < len(args) {
			i++
			own = append(own, args[i])
		}
	}
	return own, rest
}
