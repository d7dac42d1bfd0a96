// Package stripe is ConsultantPro's only door to Stripe and the only importer of stripe-go.
//
// It creates customers and payment intents (Client), verifies webhook signatures over the raw
// request body (Verify) and reads the events the finance module reconciles (ParseEvent). What
// it returns is its own small types — amounts in minor units, ids as strings — so the rest of
// the code never sees stripe-go, and tests can swap the client for a fake through the interface
// the finance module declares.
//
// Failures are fault errors: Stripe answering with an error is BadGateway (502), Stripe not
// answering in time or at all is Unavailable (503). Stripe's own text and request id go to the
// log as the cause, never to the client.
package stripe
