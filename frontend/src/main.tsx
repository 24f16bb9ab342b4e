import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { ready } from './i18n'
import './index.css'
import App from './app/App'

// After a new release the old page may ask for chunks that are gone: load the new
// index.html once instead of failing (a second failure within a minute is shown).
window.addEventListener('vite:preloadError', (event) => {
  const key = 'duban.reloadedAt'
  const last = Number(sessionStorage.getItem(key) ?? 0)
  if (Date.now() - last > 60_000) {
    sessionStorage.setItem(key, String(Date.now()))
    event.preventDefault()
    window.location.reload()
  }
})

// English, when remembered, loads first: no flash of Chinese text.
void ready.then(() =>
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
)
