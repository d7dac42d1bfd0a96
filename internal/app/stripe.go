package app

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/consultantpro/consultantpro/internal/config"
	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/consultantpro/consultantpro/internal/ratelimit"
	"github.com/consultantpro/consultantpro/internal/stripe"
	"github.com/prometheus/client_golang/prometheus"
)

// defaultWebhookRate applies when a configuration built without config.Load has no
// RateWebhook.
const defaultWebhookRate = "600/min"

// registerStripe adds online payments: the Stripe client when STRIPE_SECRET_KEY is set (or the
// gateway a test supplies), the payment intent operation, and the webhook with its signing
// secrets, its own rate limit and its metrics.
func (a *App) registerStripe(o options) error {
	spec := a.Config.RateWebhook
	if spec == "" {
		spec = defaultWebhookRate
	}
	rate, err := ratelimit.ParseRate(spec)
	if err != nil {
		return fmt.Errorf("RATE_WEBHOOK %q: %w", spec, err)
	}
	gateway := o.gateway
	if gateway == nil && a.Config.StripeSecretKey != "" {
		gateway = stripe.New(stripe.Config{SecretKey: a.Config.StripeSecretKey, APIBase: a.Config.StripeAPIBase,
			Timeout: a.Config.StripeTimeout})
	}
	events := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "consultantpro_webhook_events_total",
		Help: "Stripe webhook deliveries by event type and result (applied, duplicate, refused, failed, ...).",
	}, []string{"provider", "type", "result"})
	a.Metrics.Registry.MustRegister(events)
	if gateway != nil && a.Config.PayURL != "" {
		a.finance.OfferPayLinks(func(invoiceID string) string {
			return strings.ReplaceAll(a.Config.PayURL, "{invoice}", url.PathEscape(invoiceID))
		})
	}
	online := finance.NewOnline(a.finance, gateway, a.crm, a.Logs.App, a.Logs.Security)
	finance.RegisterStripe(a.API, online, finance.Webhook{
		Secrets: webhookSecrets(a.Config),
		Limiter: a.limits.throttle.Limiter,
		Rate:    rate,
		Count:   func(typ, result string) { events.WithLabelValues("stripe", typ, result).Inc() },
		Now:     a.now,
	})
	return nil
}

// webhookSecrets are the endpoint's signing secrets: STRIPE_WEBHOOK_SECRET, comma-separated
// while a secret is rotated.
func webhookSecrets(cfg config.Config) []string {
	var out []string
	for _, s := range strings.Split(cfg.StripeWebhookSecret, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
