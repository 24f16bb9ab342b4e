import { QueryClientProvider } from '@tanstack/react-query'
import { render, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { makeQueryClient } from '../../app/queryClient'
import { UserSelect } from './UserSelect'

afterEach(() => vi.unstubAllGlobals())

function pick(props: Parameters<typeof UserSelect>[0]) {
  const urls: URL[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      urls.push(new URL(req.url))
      return new Response(JSON.stringify({ data: [], total: 0, page: 1, page_size: 30 }), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      })
    }),
  )
  render(
    <QueryClientProvider client={makeQueryClient()}>
      <UserSelect {...props} />
    </QueryClientProvider>,
  )
  return urls
}

describe('UserSelect', () => {
  it('offers only the people of a unit and the units under it when given one (承办人)', async () => {
    const urls = pick({ unitId: '0190c3f4-7a2b-7c1d-9e8f-0123456789ab' })
    await waitFor(() => expect(urls).toHaveLength(1))
    expect(urls[0].searchParams.get('org_unit_id')).toBe('0190c3f4-7a2b-7c1d-9e8f-0123456789ab')
    expect(urls[0].searchParams.get('subtree')).toBe('true')
    expect(urls[0].searchParams.get('active')).toBe('true')
  })

  it('asks for nobody while disabled (no unit chosen yet)', async () => {
    const urls = pick({ disabled: true })
    await new Promise((r) => setTimeout(r, 50))
    expect(urls).toHaveLength(0)
  })
})
