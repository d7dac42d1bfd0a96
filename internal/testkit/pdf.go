package testkit

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// PDFText is the text of a PDF in reading order, as poppler's pdftotext lays it out (-layout),
// so that a test can check what a rendered document says. Without pdftotext the test is
// skipped, unless $CI is set: there it fails (.ci/run installs poppler-utils).
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		const msg = "no pdftotext on PATH (apt-get install poppler-utils)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	cmd := exec.Command(bin, "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, errOut.String())
	}
	return out.String()
}
