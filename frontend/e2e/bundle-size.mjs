// Prints the JavaScript the browser loads before the first page shows (the entry
// script and its modulepreloads in dist/index.html), raw and gzip, and the biggest
// lazily loaded chunks. Run after `npm run build`: npm run size
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const html = readFileSync(join(dist, 'index.html'), 'utf8')
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1])
const size = (f) => {
  const b = readFileSync(join(dist, f))
  return { raw: b.length, gzip: gzipSync(b, { level: 9 }).length }
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`
let raw = 0
let gz = 0
console.log('initial JS (entry + modulepreload):')
for (const f of initial) {
  const s = size(f)
  raw += s.raw
  gz += s.gzip
  console.log(`  ${f.padEnd(44)} ${kb(s.raw).padStart(10)}  gzip ${kb(s.gzip).padStart(9)}`)
}
console.log(`  total${' '.repeat(40)}${kb(raw).padStart(10)}  gzip ${kb(gz).padStart(9)}`)
const lazy = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js') && !initial.includes(`assets/${f}`))
  .map((f) => ({ f, ...size(`assets/${f}`) }))
  .sort((a, b) => b.gzip - a.gzip)
console.log(`lazy chunks: ${lazy.length}, gzip ${kb(lazy.reduce((n, x) => n + x.gzip, 0))} in all; biggest:`)
for (const x of lazy.slice(0, 6)) console.log(`  assets/${x.f.padEnd(37)} ${kb(x.raw).padStart(10)}  gzip ${kb(x.gzip).padStart(9)}`)

