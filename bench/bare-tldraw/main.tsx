/**
 * A bare tldraw page, the floor bench/bare-tldraw.ts measures the app's drag against: <Tldraw />
 * full-window with its default UI, no persistence, no sync. The editor and a scene builder are
 * left on `window` for the benchmark to drive.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { createRoot } from 'react-dom/client'
import { type Editor, Tldraw } from 'tldraw'
import 'tldraw/tldraw.css'
import { addScene } from './scene.ts'

/** Fonts, icons and translations from this page's own origin, as in the app: there is no internet. */
const assetUrls = getAssetUrlsByImport()
/** The app's own key, if its build has one, so both pages show tldraw's licence the same way. */
const licenseKey = import.meta.env.VITE_TLDRAW_LICENSE_KEY as string | undefined

declare global {
  interface Window {
    __editor?: Editor
    __addScene?: (boxes: number) => ReturnType<typeof addScene>
  }
}

const root = document.getElementById('root')
if (!root) throw new Error('no #root')
createRoot(root).render(
  <Tldraw
    assetUrls={assetUrls}
    licenseKey={licenseKey}
    onMount={(editor) => {
      window.__editor = editor
      window.__addScene = (boxes) => addScene(editor, boxes)
    }}
  />,
)
