//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package main

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// systemConsole is the process's own terminal, through the termios ioctls.
var systemConsole = console{isTerminal: isTerminal, echoOff: echoOff}

// terminalFd returns r's file descriptor when r is a file.
func terminalFd(r io.Reader) (int, bool) {
	f, ok := r.(*os.File)
	if !ok {
		return 0, false
	}
	return int(f.Fd()), true
}

// isTerminal reports whether r is a terminal: only a terminal answers the get-attributes ioctl.
func isTerminal(r io.Reader) bool {
	fd, ok := terminalFd(r)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	return err == nil
}

// echoOff turns off the echo of typed characters (keeping line editing and Ctrl-C) and returns
// the function that puts the terminal's settings back.
func echoOff(r io.Reader) (func(), error) {
	fd, ok := terminalFd(r)
	if !ok {
		return nil, os.ErrInvalid
	}
	saved, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return nil, err
	}
	quiet := *saved
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	quiet.Iflag |= unix.ICRNL
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
		return nil, err
	}
	return func() { _ = unix.IoctlSetTermios(fd, ioctlSetTermios, saved) }, nil
}
