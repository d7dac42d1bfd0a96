package load

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// peakRSS returns this process's peak resident set size (VmHWM) in MiB, and false where the
// system does not tell it (only Linux does). With the server in process it bounds the server's
// own peak from above: the figure includes the load client and anything generated first.
func peakRSS() (float64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		rest, ok := strings.CutPrefix(s.Text(), "VmHWM:")
		if !ok {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
		return kb / 1024, err == nil
	}
	return 0, false
}

// memoryLine describes the peak RSS for the report.
func memoryLine(inProcess bool) string {
	mib, ok := peakRSS()
	switch {
	case !ok:
		return "not known on this system"
	case inProcess:
		return fmt.Sprintf("%.0f MiB, the peak of the harness's process (VmHWM): the server and the load client together", mib)
	default:
		return fmt.Sprintf("%.0f MiB, the load client alone (the server runs elsewhere)", mib)
	}
}
