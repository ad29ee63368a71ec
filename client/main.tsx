import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.tsx'
import './i18n/i18n.ts'
import './styles.css'

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
)

// The service worker keeps the app shell on this device so a reload works offline. Browsers
// allow one only in a secure context (https or localhost); elsewhere the app still runs live
// and keeps edits in IndexedDB, and the status badge says offline reload is unavailable.
if ('serviceWorker' in navigator && window.isSecureContext && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch((error: unknown) => {
      console.warn('The app could not be made available offline:', error)
    })
  })
}
