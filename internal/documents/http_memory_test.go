package documents_test

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultantpro/consultantpro/internal/testkit"
)

// TestUploadStreamsWithoutHoldingTheFile uploads a 25 MiB file (the default limit) to a server
// in this process and samples the process's resident memory while it streams: the growth must
// stay under 10 MiB (SPEC §8, issue 16). The client streams its body too, so the figure bounds
// both ends. Not parallel: other tests would share the measurement.
func TestUploadStreamsWithoutHoldingTheFile(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector's shadow memory makes resident memory meaningless")
	}
	rss := func() int64 {
		f, err := os.Open("/proc/self/status")
		if err != nil {
			t.Skip("no /proc/self/status:", err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				return kb << 10
			}
		}
		t.Skip("no VmRSS")
		return 0
	}
	s := start(t, serverOptions{})
	f := s.RegisterFirm(t)
	dir := s.createFolder(t, f.Owner.Token, map[string]any{})
	// Warm up every code path once, so that the measurement sees the upload alone.
	s.uploadDoc(t, f.Owner.Token, dir.ID, "warm.pdf", pdfBytes)

	const size = 25 << 20
	runtime.GC()
	debug.FreeOSMemory()
	before := rss()
	var peak atomic.Int64
	peak.Store(before)
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if v := rss(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	body := io.MultiReader(bytes.NewReader(pdfBytes), io.LimitReader(zeros{}, size-int64(len(pdfBytes))))
	r := s.upload(t, uploadPath, f.Owner.Token, map[string]string{"folder": dir.ID}, &file{"big.pdf", "application/pdf", body})
	close(done)
	testkit.WantStatus(t, r, http.StatusCreated)
	var d document
	testkit.Decode(t, r, &d)
	if d.CurrentVersion == nil || d.CurrentVersion.Size != size {
		t.Fatalf("stored %+v, want %d bytes", d.CurrentVersion, size)
	}
	growth := peak.Load() - before
	t.Logf("25 MiB upload: resident memory grew by %.1f MiB at most (from %.1f MiB)", float64(growth)/(1<<20), float64(before)/(1<<20))
	if growth >= 10<<20 {
		t.Errorf("resident memory grew by %.1f MiB during a 25 MiB upload, want under 10 MiB", float64(growth)/(1<<20))
	}
}

// zeros reads as an endless run of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
