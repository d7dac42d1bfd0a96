package app

import (
	"context"

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
		PDF: a.invoicePDFs(o), Now: a.now, Log: a.Logs.App,
		PublicURL: a.Config.PublicURL, PayLink: a.finance.PayLink,
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
	a.Auth.Mail(n)
	a.Notify = n
	return nil
}

// invoicePDFs renders the invoice emails' attachments: finance's renderer, unless a test
// supplied its own.
func (a *App) invoicePDFs(o options) notify.InvoicePDF {
	if o.invoicePDF != nil {
		return o.invoicePDF
	}
	return financePDFs{a.finance}
}

// financePDFs is finance's renderer as the notifications ask for it.
type financePDFs struct{ f *finance.Service }

func (p financePDFs) InvoicePDF(ctx context.Context, firmID, invoiceID string) ([]byte, error) {
	return p.f.RenderInvoicePDF(ctx, firmID, invoiceID)
}
