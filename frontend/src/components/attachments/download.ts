import { api } from '../../api/client'
import { call } from '../../api/problem'
import type { Attachment } from './upload'

/**
 * Downloads a file under its original name. The content needs the bearer token, so a
 * plain link would be a 401: the file comes through the session (which refreshes
 * when needed) as a blob and is saved from an object URL.
 */
export async function downloadAttachment(a: Attachment): Promise<void> {
  const blob = await call(api.GET('/attachments/{id}/content', { params: { path: { id: a.id } }, parseAs: 'blob' }))
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = a.filename || 'file'
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // Revoking at once can cancel the save in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
