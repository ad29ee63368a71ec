import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useEffect, useRef, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import { type Editor, type TLComponents, type TLStore, Tldraw, useValue } from 'tldraw'
import { canvasMap } from '../../model/index.ts'
import { workspaceOfStore } from '../canvas/actor-shape.tsx'
import { CanvasScope } from '../canvas/canvas-scope.ts'
import { bindArrowLooks, forCanvas } from '../canvas/link-arrows.ts'
import { createMapStore, shapeUtils } from '../canvas/map-store.ts'
import { bindStoreToDoc } from '../canvas/store-binding.ts'
import { useWorkspaceUi } from '../workspace-context.tsx'
import { ChangeKey, ChangeLayer } from './ChangeLayer.tsx'
import { changeHighlightAtom, type LoadedSnapshot, openSnapshotAtom } from './history-state.ts'
import { describeSnapshot, snapshotName } from './snapshot-words.ts'
import './history.css'

const assetUrls = getAssetUrlsByImport()
const components: TLComponents = { OnTheCanvas: ChangeLayer, InFrontOfTheCanvas: ChangeKey }
const licenseKey = import.meta.env.VITE_TLDRAW_LICENSE_KEY as string | undefined

/**
 * A snapshot's map in place of the live one, read-only: its own document (read from the
 * server's copy, synced with nothing) drawn by the same boxes and arrows as the live map, under
 * a bar that says which snapshot it is and leads back. Nothing done here reaches the workspace.
 */
export function SnapshotView() {
  const open = useValue(openSnapshotAtom)
  if (!open) return null
  return <SnapshotMap key={open.item.id} snapshot={open} />
}

function SnapshotMap({ snapshot }: { snapshot: LoadedSnapshot }) {
  const { t } = useTranslation()
  const [store, setStore] = useState<TLStore | null>(null)
  const back = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const fresh = createMapStore()
    workspaceOfStore.set(fresh, snapshot.workspace)
    const unbindLooks = bindArrowLooks(fresh, snapshot.workspace)
    // The scope derives the links' arrows from the snapshot's links and boxes, as on the live map.
    const scope = new CanvasScope(canvasMap(snapshot.doc) as never, snapshot.workspace)
    const binding = bindStoreToDoc(fresh, snapshot.doc, undefined, { toCanvas: forCanvas, scope })
    setStore(fresh)
    return () => {
      binding.stop()
      scope.stop()
      unbindLooks()
      setStore(null)
    }
  }, [snapshot])
  // The bar is announced and focused, so a keyboard or screen-reader user knows the map changed;
  // the inspector of the live map's selection closes (on a phone it would cover the snapshot).
  const { select } = useWorkspaceUi()
  useEffect(() => {
    back.current?.focus()
    select(null)
  }, [select])
  const close = () => {
    openSnapshotAtom.set(null)
    changeHighlightAtom.set(null)
  }
  return (
    <section
      className="snapshot-view"
      aria-label={t('changes.snapshotView.label')}
      data-testid="snapshot-view"
    >
      <div className="snapshot-view__bar" role="status">
        <p>
          <Trans
            i18nKey="changes.snapshotView.bar"
            values={{ name: snapshotName(snapshot.item, t), saved: describeSnapshot(snapshot.item, t) }}
            components={[<strong key="name" />]}
          />
        </p>
        <button ref={back} type="button" className="button" onClick={close}>
          {t('changes.snapshotView.back')}
        </button>
      </div>
      <div className="snapshot-view__map">
        {store && (
          <Tldraw
            store={store}
            shapeUtils={shapeUtils}
            components={components}
            assetUrls={assetUrls}
            licenseKey={licenseKey}
            onMount={(editor: Editor) => {
              editor.updateInstanceState({ isReadonly: true })
              // Held read-only whatever else asks, as the live map is for a viewer.
              const release = editor.sideEffects.registerBeforeChangeHandler('instance', (_previous, next) =>
                next.isReadonly ? next : { ...next, isReadonly: true },
              )
              // The whole map in view, but never enlarged past its real size (one box would fill it).
              const bounds = editor.getCurrentPageBounds()
              if (bounds) editor.zoomToBounds(bounds, { targetZoom: 1, inset: 64 })
              return release
            }}
          />
        )}
      </div>
    </section>
  )
}
