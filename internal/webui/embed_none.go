//go:build !spa

package webui

import (
	"io/fs"
	"testing/fstest"
)

const placeholder = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>督办系统 Duban</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto;line-height:1.6">
<h1>督办系统 Duban</h1>
<p>API 正在运行，但此二进制未内置网页端。请使用 <code>make run</code> 或 <code>make build</code> 构建。</p>
<p>The API is running, but this binary was built without the web app. Build it with <code>make run</code> or <code>make build</code>.</p>
<p><a href="/api/docs">API 文档 · API documentation</a></p>
</body></html>
`

func files() fs.FS {
	return fstest.MapFS{"index.html": {Data: []byte(placeholder)}}
}

// Embedded reports whether the real app is built in.
const Embedded = false
