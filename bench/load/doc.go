// Package load is ConsultantPro's load harness (SPEC §13, issue 7). It needs no external
// service: it starts the server in-process on a loopback port against a given database (with the
// rate limits raised through configuration), or targets a server already running on this
// machine, logs in, and drives each scenario — login, profile, client search, proposal list,
// project list, task list, time-entry list, time-entry create — at a fixed concurrency for a
// fixed duration. In the same run it drives a bare net/http endpoint on another loopback port
// that serves precomputed bytes of the project list's size, so results read as ratios that hold
// on any machine.
//
// Every figure is the median of several runs. Any non-2xx answer (or transport error) counts as
// an error, and a scenario with errors in any run is reported as "not a result". Workers stop by
// themselves when the duration is up; the harness only ever sends traffic to loopback addresses.
package load
