// Checks of the source tree itself: no module imports itself through others, and each
// API type is named from the generated schema in one place only.
import { describe, expect, it } from 'vitest'

const sources = import.meta.glob<string>(['/src/**/*.{ts,tsx}', '!/src/**/*.test.{ts,tsx}', '!/src/api/schema.d.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

/** the relative imports of a module that remain at run time (import type is erased) */
function runtimeImports(file: string, text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"](\.[^'"]+)['"]/gm)) {
    out.push(resolve(file, m[1]))
  }
  return out.filter((f): f is string => f !== '')
}

function resolve(from: string, spec: string): string {
  const parts = from.split('/').slice(0, -1)
  for (const p of spec.split('/')) {
    if (p === '..') parts.pop()
    else if (p !== '.') parts.push(p)
  }
  const base = parts.join('/')
  for (const ext of ['', '.ts', '.tsx', '/index.ts', '/index.tsx']) if (base + ext in sources) return base + ext
  return ''
}

/** one import cycle, as the chain of files, or null */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (f: string): string[] | null => {
    if (state.get(f) === 'done') return null
    if (state.get(f) === 'open') return [...stack.slice(stack.indexOf(f)), f]
    state.set(f, 'open')
    stack.push(f)
    for (const g of graph.get(f) ?? []) {
      const c = visit(g)
      if (c) return c
    }
    stack.pop()
    state.set(f, 'done')
    return null
  }
  for (const f of graph.keys()) {
    const c = visit(f)
    if (c) return c
  }
  return null
}

describe('the source tree', () => {
  it('reads the sources', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(50)
    expect(sources['/src/pages/items/detail/ActionBar.tsx']).toContain('export function ActionBar')
  })

  it('has no import cycle', () => {
    const graph = new Map(Object.entries(sources).map(([f, text]) => [f, runtimeImports(f, text)]))
    expect(graph.get('/src/pages/items/detail/ActionBar.tsx')).toContain('/src/pages/items/detail/Assignments.tsx')
    expect(findCycle(graph)?.join(' → ') ?? null).toBeNull()
  })

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ])
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a'])
    expect(findCycle(new Map([['a', ['b']], ['b', []]]))).toBeNull()
  })

  it('names each generated API type once', () => {
    const seen = new Map<string, string[]>()
    for (const [f, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/^export type \w+ = Schemas\['(\w+)'\]/gm)) seen.set(m[1], [...(seen.get(m[1]) ?? []), f])
    }
    expect(seen.get('Assignment')).toEqual(['/src/pages/items/types.ts'])
    const twice = [...seen].filter(([, files]) => files.length > 1).map(([name, files]) => `${name}: ${files.join(', ')}`)
    expect(twice).toEqual([])
  })
})
