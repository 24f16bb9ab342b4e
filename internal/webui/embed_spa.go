//go:build spa

package webui

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

func files() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}

// Embedded reports whether the real app is built in.
const Embedded = true
