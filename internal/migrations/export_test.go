package migrations

import "io/fs"

// FingerprintOf exposes the hash to the tests of fixed sources.
func FingerprintOf(fsys fs.FS) (string, error) { return fingerprintOf(fsys) }

// Sources are the embedded migration sources.
var Sources fs.FS = sources
