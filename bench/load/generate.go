package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/consultantpro/consultantpro/bench/gen"
)

// ensureData generates the firm under test with the data generator when --generate names a
// scale and the owner cannot log in yet, so that a repeated invocation on the same database
// measures the firm it generated the first time. It returns the options with the generated
// owner's credentials.
func ensureData(ctx context.Context, a *api, o Options, stderr io.Writer) (Options, error) {
	if o.Generate == "" {
		return o, nil
	}
	_, err := a.login(ctx, o.Username, o.Password)
	var se *statusError
	switch {
	case err == nil:
		fmt.Fprintf(stderr, "load: %s can log in already: measuring the existing data\n", o.Username)
		return o, nil
	case !errors.As(err, &se) || se.status != http.StatusUnauthorized:
		return o, err
	}
	scale, err := gen.Named(o.Generate)
	if err != nil {
		return o, err
	}
	fmt.Fprintf(stderr, "load: generating a %s firm in %s\n", scale.Name, redact(o.DatabaseURL))
	res, err := gen.Generate(ctx, gen.Options{DatabaseURL: o.DatabaseURL, Scale: scale, Log: stderr})
	if err != nil {
		return o, fmt.Errorf("generate: %w", err)
	}
	o.Username, o.Password = res.Owner, res.Password
	return o, nil
}
