//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package main

import (
	"errors"
	"io"
)

// systemConsole treats standard input as a pipe where the termios ioctls do not exist: the
// password is read from its first line without a prompt.
var systemConsole = console{
	isTerminal: func(io.Reader) bool { return false },
	echoOff:    func(io.Reader) (func(), error) { return nil, errors.New("no terminal support on this system") },
}
