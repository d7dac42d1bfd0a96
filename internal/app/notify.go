package app

import (
	"github.com/consultantpro/consultantpro/internal/finance"
	"github.com/consultantpro/consultantpro/internal/mail"
	"github.com/consultantpro/consultantpro/internal/notify"
)

// mailSender is SMTP when SMTP_URL is set, else the log (with the whole text in local mode).
func (a *App) mailSender() (mail.Sender, error) {
	if a.Config.SMTPURL == "" {
		return mail.Log{Logger: a.Logs.App, Full: !a.Config.Production()}, nil
	}
	return mail.NewSMTP(a.Config.SMTPURL, a.Config.MailFrom)
}

// wireNotify assembles the emails: finance tells them of its events, and their workers join
// the job runner's.
func (a *App) wireNotify(o options) error {
	sender, err := a.mailSender()
	if err != nil {
		return err
	}
	n, err := notify.New(notify.Deps{
		DB: a.DB, Queue: a.Jobs, Sender: sender, Finance: a.finance, CRM: a.crm, Auth: a.Auth,
		// The invoice PDF renderer, once finance has one, goes here (o.invoicePDF until then).
		PDF: o.invoicePDF, Now: a.now, Log: a.Logs.App,
		PublicURL: a.Config.PublicURL, PayLinks: o.gateway != nil || a.Config.StripeSecretKey != "",
	})
	if err != nil {
		return err
	}
	n.Register(a.workers)
	var told finance.Notifier = n
	if o.wrapNotifier != nil {
		told = o.wrapNotifier(told)
	}
	a.finance.Notify(told)
	a.Notify = n
	return nil
}
