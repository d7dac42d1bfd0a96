package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/consultantpro/consultantpro/internal/app"
	"github.com/consultantpro/consultantpro/internal/auth"
	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/consultantpro/consultantpro/internal/logging"
)

// createuserUsage heads createuser's -h output; the flags follow it.
const createuserUsage = `Usage: consultantpro createuser -firm NAME -username USER -email EMAIL [-first-name NAME] [-last-name NAME] [settings]

Creates a firm and its owner. The password is never a flag (flags show up in process lists and
shell history): on a terminal it is asked for twice without echo; otherwise the first line of
standard input is the password:
  consultantpro createuser -firm "Acme Advisory" -username ada -email ada@acme.example
  printf '%s\n' "$OWNER_PASSWORD" | consultantpro createuser -firm "Acme Advisory" -username ada -email ada@acme.example

Flags:
`

// createuserSettingsNote closes createuser's -h output.
const createuserSettingsNote = `
The server settings (DATABASE_URL, DATA_DIR, ...) apply as for serve, as environment variables or
flags; run "consultantpro serve -h" to list them.
`

// createuser creates a firm and its owner from the command line.
func createuser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("createuser", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		_, _ = io.WriteString(fs.Output(), createuserUsage)
		fs.PrintDefaults()
		_, _ = io.WriteString(fs.Output(), createuserSettingsNote)
	}
	firm := fs.String("firm", "", "name of the new firm (required)")
	username := fs.String("username", "", "the owner's username (required)")
	email := fs.String("email", "", "the owner's email (required)")
	first := fs.String("first-name", "", "the owner's first name")
	last := fs.String("last-name", "", "the owner's last name")
	// The remaining arguments are the usual settings (DATABASE_URL, ...): split them off first.
	own, rest := splitFlags(args, []string{"h", "help"}, "firm", "username", "email", "first-name", "last-name")
	if err := fs.Parse(own); err != nil {
		return err
	}
	// Missing flags are reported before anything else, so nobody types a password in vain.
	required := map[string]string{"email": *email, "firm": *firm, "username": *username}
	var missing []string
	for _, name := range slices.Sorted(maps.Keys(required)) {
		if strings.TrimSpace(required[name]) == "" {
			missing = append(missing, "-"+name+" is required")
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf(`%s (run "consultantpro createuser -h" for its flags)`, strings.Join(missing, "; "))
	}
	cfg, _, err := config.Load("createuser", rest, getenv, stderr)
	if err != nil {
		return err
	}
	password, err := readPassword(ctx, stdin, stderr, systemConsole)
	if err != nil {
		return err
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

// console is what readPassword needs of a terminal; tests substitute a fake one.
type console struct {
	// isTerminal reports whether r is a terminal.
	isTerminal func(r io.Reader) bool
	// echoOff stops the terminal r from echoing what is typed, until restore is called.
	echoOff func(r io.Reader) (restore func(), err error)
}

// readPassword reads the new owner's password. On a terminal it prompts on stderr, twice, with
// echo off; from a pipe or file it reads the first line without a prompt.
func readPassword(ctx context.Context, stdin io.Reader, stderr io.Writer, con console) (string, error) {
	in := bufio.NewReader(stdin)
	if !con.isTerminal(stdin) {
		password, err := readLine(ctx, in)
		if err != nil {
			return "", err
		}
		if password == "" {
			return "", errors.New(`createuser reads the password from standard input: printf '%s\n' "$PASSWORD" | consultantpro createuser …`)
		}
		return password, nil
	}
	restore, err := con.echoOff(stdin)
	if err != nil {
		return "", fmt.Errorf("turn off the terminal's echo: %w", err)
	}
	defer restore()
	var typed [2]string
	for i, prompt := range []string{"Password: ", "Password (again): "} {
		fmt.Fprint(stderr, prompt)
		typed[i], err = readLine(ctx, in)
		fmt.Fprintln(stderr) // the Enter key was not echoed either
		if err != nil {
			return "", err
		}
		if typed[i] == "" {
			return "", errors.New("no password given")
		}
	}
	if typed[0] != typed[1] {
		return "", errors.New("the two passwords differ")
	}
	return typed[0], nil
}

// readLine reads one line without its line ending; an interrupt (ctx done) stops the wait, so
// Ctrl-C at the prompt ends the command and restores the terminal's echo.
func readLine(ctx context.Context, in *bufio.Reader) (string, error) {
	type result struct {
		line string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		line, err := in.ReadString('\n')
		done <- result{line, err}
	}()
	select {
	case r := <-done:
		if r.err != nil && !errors.Is(r.err, io.EOF) {
			return "", r.err
		}
		return strings.TrimRight(r.line, "\r\n"), nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// flagLabels names a registration field by the flag that sets it.
var flagLabels = map[string]string{"firm_name": "firm", "first_name": "first-name", "last_name": "last-name"}

// describe spells out a validation error field by field for a terminal, the fields sorted by
// name so the same input always gives the same text.
func describe(err error) error {
	fe := fault.As(err)
	if fe.Kind != fault.Invalid || len(fe.Details) == 0 {
		return err
	}
	labels := make(map[string]string, len(fe.Details))
	for field := range fe.Details {
		label, ok := flagLabels[field]
		if !ok {
			label = strings.ReplaceAll(field, "_", "-")
		}
		labels[label] = field
	}
	var b strings.Builder
	b.WriteString("invalid input:")
	for _, label := range slices.Sorted(maps.Keys(labels)) {
		for _, m := range fe.Details[labels[label]] {
			fmt.Fprintf(&b, "\n  %s: %s", label, m)
		}
	}
	return errors.New(b.String())
}

// splitFlags separates the named flags ("-name v", "--name=v") and the named boolean flags
// ("-h", which take no separate value) from the other arguments.
func splitFlags(args, bools []string, names ...string) (own, rest []string) {
	// isOwn reports whether arg is one of the flags, and whether it carries its value with it.
	isOwn := func(arg string) (mine, hasValue bool) {
		if !strings.HasPrefix(arg, "-") {
			return false, false
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if slices.Contains(bools, name) {
			return true, true
		}
		return slices.Contains(names, name), hasValue
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
