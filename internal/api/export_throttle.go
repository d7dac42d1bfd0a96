package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/consultantpro/consultantpro/internal/fault"
	"github.com/danielgtaylor/huma/v2"
)

// exportScope names exports in the rate-limit keys and metrics: they are limited at the upload
// rate (RATE_UPLOAD), in a budget of their own, so exports and uploads do not starve each other.
const exportScope Scope = "export"

// throttleExport applies the upload rate to an export, after the operation's usual scopes. It
// reports whether the export may go on; when not it has answered 429. The X-RateLimit-*
// headers show the export budget when it is the tightest.
func (a *API) throttleExport(ctx huma.Context) bool {
	t := a.opts.Throttle
	if t == nil || t.Limiter == nil {
		return true
	}
	rate, ok := t.Rates[Upload]
	if !ok {
		return true
	}
	info := Info(ctx.Context())
	key := "ip:" + info.ClientIP
	if user, _ := info.Actor(); user != "" {
		key = "user:" + user
	}
	d, err := t.Limiter.Allow(ctx.Context(), string(exportScope)+":"+key, rate)
	if err != nil {
		return true // both limiters failed (the fallback logs why): serve rather than refuse
	}
	if d.Allowed {
		// The scopes' middleware has set the headers of the tightest of them; this budget is
		// smaller unless burst or sustained is nearly spent.
		if remaining, err := strconv.Atoi(responseHeader(ctx, "X-RateLimit-Remaining")); err != nil || d.Remaining < remaining {
			ctx.SetHeader("X-RateLimit-Limit", strconv.Itoa(d.Limit))
			ctx.SetHeader("X-RateLimit-Remaining", strconv.Itoa(d.Remaining))
			ctx.SetHeader("X-RateLimit-Reset", strconv.FormatInt(d.ResetUnix(), 10))
		}
		return true
	}
	secs := d.RetryAfterSeconds()
	if a.metrics != nil {
		a.metrics.throttled.WithLabelValues(string(exportScope)).Inc()
	}
	user, firm := info.Actor()
	a.opts.Logs.Security.Warn("request throttled", "event", "throttled", "scope", string(exportScope),
		"request_id", info.ID, "user", user, "firm", firm, "client_ip", info.ClientIP, "path", info.Path)
	ctx.SetHeader("X-RateLimit-Limit", strconv.Itoa(d.Limit))
	ctx.SetHeader("X-RateLimit-Remaining", strconv.Itoa(d.Remaining))
	ctx.SetHeader("X-RateLimit-Reset", strconv.FormatInt(d.ResetUnix(), 10))
	err = &fault.Error{Kind: fault.RateLimited, Message: fmt.Sprintf(MsgThrottled, secs),
		RetryAfter: time.Duration(secs) * time.Second}
	a.writeErr(ctx, err)
	return false
}

// responseHeader is a header of the response being written ("" when unknown).
func responseHeader(ctx huma.Context, name string) string {
	if w, ok := ctx.BodyWriter().(http.ResponseWriter); ok {
		return w.Header().Get(name)
	}
	return ""
}
