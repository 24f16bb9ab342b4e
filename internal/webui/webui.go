// Package webui holds the built single-page app that the duban binary serves.
//
// `make build` copies frontend/dist here and compiles with the build tag "spa"; a
// binary built without it serves a short page that says how to get the app.
package webui

import "io/fs"

// FS is the app's files (index.html at the root), or a placeholder page.
func FS() fs.FS { return files() }
