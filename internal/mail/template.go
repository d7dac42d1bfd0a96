package mail

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	texttemplate "text/template"
)

// Templates renders emails from three files per email in a file system: NAME.subject.txt,
// NAME.txt (the plain text) and NAME.html. The HTML goes through html/template, which escapes
// every value for where it lands (text, attribute, URL); the subject and text are plain text.
type Templates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// ParseTemplates reads every *.txt and *.html file of fsys.
func ParseTemplates(fsys fs.FS) (*Templates, error) {
	text, err := texttemplate.New("").Option("missingkey=error").ParseFS(fsys, "*.txt")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	html, err := htmltemplate.New("").Option("missingkey=error").ParseFS(fsys, "*.html")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	return &Templates{text: text, html: html}, nil
}

// Render fills the subject, text and HTML of the email called name with data.
func (t *Templates) Render(name string, data any) (subject, text, html string, err error) {
	var b bytes.Buffer
	if err = t.text.ExecuteTemplate(&b, name+".subject.txt", data); err != nil {
		return "", "", "", fmt.Errorf("render %s subject: %w", name, err)
	}
	subject = oneLine(b.String())
	b.Reset()
	if err = t.text.ExecuteTemplate(&b, name+".txt", data); err != nil {
		return "", "", "", fmt.Errorf("render %s text: %w", name, err)
	}
	text = strings.TrimSpace(b.String()) + "\n"
	b.Reset()
	if err = t.html.ExecuteTemplate(&b, name+".html", data); err != nil {
		return "", "", "", fmt.Errorf("render %s html: %w", name, err)
	}
	return subject, text, b.String(), nil
}
