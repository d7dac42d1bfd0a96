package notify

import "io/fs"

// mustSub is fs.Sub of a directory that is embedded: it cannot fail.
func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
