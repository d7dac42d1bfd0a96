package load

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// cpuSample is a reading of CPU time, in clock ticks, from Linux's /proc: the whole machine's,
// this process's (the harness, and the server when in-process) and each PostgreSQL or Redis
// process's.
// Comparing two readings splits a run's CPU use into this process, the database, and everything
// else — work that disturbed the run. Elsewhere the reading is empty and the report says so.
type cpuSample struct {
	busy, total, self uint64
	db                map[string]uint64 // per PostgreSQL or Redis pid
	ok                bool
}

// dbProcessNames are the command names of the servers the measured server uses: PostgreSQL's
// processes and Redis (with --redis-url, the data version is read on every cached list).
var dbProcessNames = map[string]bool{"postgres": true, "redis-server": true}

func readCPU() cpuSample {
	var s cpuSample
	var ok bool
	if s.busy, s.total, ok = machineTicks(); !ok {
		return cpuSample{}
	}
	raw, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return cpuSample{}
	}
	if _, s.self, ok = processTicks(string(raw)); !ok {
		return cpuSample{}
	}
	s.db = map[string]uint64{}
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			continue // the process ended meanwhile
		}
		if name, ticks, ok := processTicks(string(raw)); ok && dbProcessNames[name] {
			s.db[p] = ticks
		}
	}
	s.ok = true
	return s
}

// machineTicks reads the busy and total CPU time of the whole machine from /proc/stat.
func machineTicks() (busy, total uint64, ok bool) {
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, false
	}
	line, _, _ := strings.Cut(string(stat), "\n")
	fields := strings.Fields(line)
	if len(fields) < 8 || fields[0] != "cpu" {
		return 0, 0, false
	}
	for i, f := range fields[1:] {
		if i >= 8 { // guest time is already counted in user time
			break
		}
		v, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return 0, 0, false
		}
		total += v
		if i != 3 && i != 4 { // idle and iowait
			busy += v
		}
	}
	return busy, total, true
}

// processTicks reads a process's command name and user+system CPU time from its stat line.
func processTicks(stat string) (name string, ticks uint64, ok bool) {
	open, end := strings.IndexByte(stat, '('), strings.LastIndexByte(stat, ')')
	if open < 0 || end < open {
		return "", 0, false
	}
	// The name may hold spaces; after it, utime and stime are the 12th and 13th fields.
	fields := strings.Fields(stat[end+1:])
	if len(fields) < 13 {
		return "", 0, false
	}
	utime, err1 := strconv.ParseUint(fields[11], 10, 64)
	stime, err2 := strconv.ParseUint(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, false
	}
	return stat[open+1 : end], utime + stime, true
}

// cpuShares is how a run's CPU time divides, each as a share (0 to 1) of the machine's capacity.
type cpuShares struct {
	Self, DB, Other float64
	Known           bool
}

// cpuUse divides the CPU time between two samples into this process, PostgreSQL and the rest.
func cpuUse(before, after cpuSample) cpuShares {
	if !before.ok || !after.ok || after.total <= before.total {
		return cpuShares{}
	}
	total := float64(after.total - before.total)
	var db uint64
	for pid, t := range after.db {
		if t0, ok := before.db[pid]; ok && t0 <= t {
			db += t - t0
		} else if !ok {
			db += t // started during the run
		}
	}
	busy := float64(after.busy - before.busy)
	self := float64(after.self - before.self)
	return cpuShares{Self: self / total, DB: float64(db) / total, Other: max(0, busy-self-float64(db)) / total, Known: true}
}
