// A small test harness for the browser suite: sequential tests, a screenshot on
// failure, and the closing line "N passed, N failed" (", N skipped (reasons)" when a
// test could not run). A test never returns early as passed: it fails, or it calls
// skip(reason) and is counted and named as skipped.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

const tests = []
export function test(name, fn) {
  tests.push({ name, fn })
}

/** what skip() throws; runTests counts it apart from failures */
export class Skipped extends Error {
  constructor(reason) {
    super(reason)
    this.name = 'Skipped'
  }
}

/**
 * Ends the running test as skipped. Only for a precondition of the environment that the
 * run cannot provide (e.g. a binary without the demo seed); something an earlier test
 * should have made is a failure, not a skip.
 */
export function skip(reason) {
  throw new Skipped(reason)
}

export async function runTests({ onFailure } = {}) {
  let passed = 0
  let failed = 0
  const skipped = []
  for (const t of tests) {
    const start = Date.now()
    try {
      await t.fn()
      passed++
      console.log(`  ✓ ${t.name} (${Date.now() - start} ms)`)
    } catch (err) {
      if (err instanceof Skipped) {
        skipped.push({ name: t.name, reason: err.message })
        console.log(`  - ${t.name} (skipped: ${err.message})`)
        continue
      }
      failed++
      console.log(`  ✗ ${t.name} (${Date.now() - start} ms)`)
      console.log(String(err?.stack ?? err).split('\n').map((l) => `      ${l}`).join('\n'))
      if (onFailure) await onFailure(t.name).catch(() => {})
    }
  }
  return { passed, failed, skipped }
}

/** the closing line: "3 passed, 1 failed, 2 skipped (needs the demo seed ×2)" */
export function summary({ passed, failed, skipped = [] }) {
  let line = `${passed} passed, ${failed} failed`
  if (skipped.length > 0) {
    const reasons = new Map()
    for (const s of skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1)
    const why = [...reasons].map(([r, n]) => (n > 1 ? `${r} ×${n}` : r)).join('; ')
    line += `, ${skipped.length} skipped (${why})`
  }
  return line
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

export function run(cmd, args, opts = {}) {
  const started = Date.now()
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with status ${r.status}`)
  return Date.now() - started
}

/** Starts the server and answers its handle; `stop()` ends exactly that process. */
export function startServer(bin, args, env, logFile) {
  mkdirSync(join(logFile, '..'), { recursive: true })
  const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines = []
  const keep = (chunk) => {
    for (const l of String(chunk).split('\n')) if (l) lines.push(l)
    if (lines.length > 400) lines.splice(0, lines.length - 400)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exited = null
  child.on('exit', (code, signal) => {
    exited = { code, signal }
  })
  return {
    pid: child.pid,
    lines,
    get exited() {
      return exited
    },
    async stop() {
      if (exited) return
      child.kill('SIGTERM')
      const deadline = Date.now() + 10_000
      while (!exited && Date.now() < deadline) await sleep(50)
      if (!exited) child.kill('SIGKILL')
    },
  }
}

export async function waitReady(url, server, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.exited) throw new Error(`server exited early: ${JSON.stringify(server.exited)}\n${server.lines.join('\n')}`)
    try {
      const r = await fetch(url)
      if (r.ok) return
    } catch {
      // not up yet
    }
    await sleep(100)
  }
  throw new Error(`server not ready after ${timeoutMs} ms\n${server.lines.join('\n')}`)
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms))
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`)
}
