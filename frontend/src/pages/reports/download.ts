import { API_BASE, session } from '../../auth/session'
import { currentLanguage } from '../../i18n'
import { ApiError } from '../../api/problem'

/** The name a Content-Disposition header gives (RFC 5987 filename* first). */
export function fileNameOf(header: string | null, fallback: string): string {
  if (!header) return fallback
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[1])
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header)
  return plain ? plain[1] : fallback
}

/**
 * Downloads an API file (the ledger, an appendix, the template) through the session,
 * which carries the token: a plain link would answer 401. The server picks the
 * language of headers and values from Accept-Language.
 */
export async function downloadAPI(path: string, query: URLSearchParams | undefined, fallback: string): Promise<void> {
  const qs = query && query.toString() ? `?${query.toString()}` : ''
  const res = await session.fetch(
    new Request(`${API_BASE}${path}${qs}`, { headers: { 'Accept-Language': currentLanguage() === 'en' ? 'en' : 'zh-CN' } }),
  )
  if (!res.ok) {
    let body: unknown
    try {
      body = await res.json()
    } catch {
      body = undefined
    }
    throw new ApiError(res, body)
  }
  const blob = await res.blob()
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileNameOf(res.headers.get('Content-Disposition'), fallback)
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
